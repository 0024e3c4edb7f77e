#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine, idempotent (a second run is fast):
#   scripts/bootstrap.sh demo        set up, then build the bundled sample into build/
#   scripts/bootstrap.sh test [ARGS] set up, then run the whole test suite (pytest ARGS)
#   scripts/bootstrap.sh setup       set up only
# Setup = the Debian packages below (only the missing ones) + a virtualenv in .venv
# with the project installed editable (reinstalled only when pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv
  fonts-noto-cjk fonts-lxgw-wenkai      # Song/Hei and Kai faces named in fonts/manifest.toml
  libpango-1.0-0 libpangoft2-1.0-0      # WeasyPrint's text layout
  libharfbuzz-subset0                   # fast font subsetting in WeasyPrint
  default-jre-headless                  # EPUBCheck
  poppler-utils qpdf                    # pdftoppm/pdffonts for checks, qpdf structure check
  libgs-common                          # the default CMYK output profile of --print (PDF/X-4)
  ghostscript                           # ink coverage of print PDFs in the tests (inkcov)
  pandoc                                # the tests read every publisher source with Pandoc (issue 13)
  chromium nodejs                       # DAISY Ace (validate --a11y) runs axe in a headless Chromium
  calibre                               # the EPUB tests convert with calibre (e-readers' and Kindle's view)
)
# DAISY Ace, from npm into .tools/ace (validate --a11y); Debian's chromium, not a browser download.
ACE_VERSION=1.4.6

log() { printf 'bootstrap: %s\n' "$*" >&2; }

setup_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_venv() {
  local py="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv"
    "$py" -m venv .venv
  fi
  local stamp
  stamp=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ]; then
    log "installing Python dependencies into .venv"
    local pip_log=.venv/pip-install.log
    if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip \
           && .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'; } >"$pip_log" 2>&1; then
      tail -n 30 "$pip_log" >&2
      log "pip install failed (full log: $pip_log)"
      exit 1
    fi
    echo "$stamp" > .venv/.installed
  fi
}

setup_ace() {
  local dir=.tools/ace stamp="@daisy/ace@${ACE_VERSION}"
  if [ "$(cat "$dir/.installed" 2>/dev/null)" = "$stamp" ] && [ -x "$dir/node_modules/.bin/ace-puppeteer" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    log "installing Debian package: npm"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  log "installing DAISY Ace $ACE_VERSION into $dir"
  mkdir -p "$dir"
  local npm_log="$dir/npm-install.log"
  if ! ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
       npm install --prefix "$dir" --no-audit --no-fund --no-save "$stamp" >"$npm_log" 2>&1; then
    tail -n 20 "$npm_log" >&2
    log "npm install of DAISY Ace failed (full log: $npm_log)"
    exit 1
  fi
  echo "$stamp" > "$dir/.installed"
}

cmd="${1:-setup}"
shift || true
setup_apt
setup_venv
setup_ace
case "$cmd" in
  setup) ;;
  demo)
    .venv/bin/publisher build examples/sample-issue.txt -o build/
    log "built: $(ls build/sample-issue.* 2>/dev/null | tr '\n' ' ')"
    ;;
  test)
    # pytest exits 5 when it collected no test: that is a failure here, as any non-zero exit.
    exec .venv/bin/python -m pytest "$@"
    ;;
  *) log "usage: scripts/bootstrap.sh [setup|demo|test [pytest args]]"; exit 2 ;;
esac
