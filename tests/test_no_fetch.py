"""Rendering fetches nothing (issue 12): builds run in-process under a Python audit
hook, which records every ``socket.connect`` and every ``open``; the test asserts no
connection and no file opened outside the project, the input's folder, the output
folder, the temp dir, and what Python and the fonts are (the interpreter's own
library folders, the font files the manifest names, the font cache).

Audit hooks cannot be removed: one is installed once per process, and records only
while a test has set the module's ``_FD``, a log file it writes each event to with
``os.write`` (which raises no audit event), so forked workers (the anthology's)
record into the same log.  Builds run through the command's entry point
(cli.main), with one job.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.errors import PublisherError
from publisher.paths import ROOT

SAMPLE = ROOT / "examples" / "sample-issue.txt"
SAMPLE_TOML = ROOT / "examples" / "sample-issue.toml"
HOSTILE = ROOT.parent / "shared" / "hostile"

_FD: int | None = None  # where the hook writes what it sees (inherited by forked workers)
_INSTALLED = False


def _hook(event, args):
    fd = _FD
    if fd is None:
        return
    if event == "socket.connect":
        line = f"connect\t{args[1:]!r}"
    elif event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        line = f"open\t{os.fsdecode(args[0])!r}"
    else:
        return
    os.write(fd, (line + "\n").encode("utf-8", "backslashreplace"))  # os.write: no audit event


def _install():
    global _INSTALLED
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED = True


class Watch:
    """What the hook recorded, in this process and in the workers it forked."""

    def __init__(self, log: Path):
        self.log = log

    def events(self) -> list[tuple[str, str]]:
        import ast

        out = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            kind, what = line.split("\t", 1)
            out.append((kind, ast.literal_eval(what) if kind == "open" else what))
        return out


def _allowed_roots(*folders: Path) -> list[Path]:
    from publisher.fonts import font_faces
    from publisher.pdf.fonts import cache_dir

    from publisher.usercache import root as user_cache

    # this user's cache of what publisher derives from its own files (fonts, templates)
    roots = [ROOT, Path(tempfile.gettempdir()), cache_dir(), user_cache(), Path(os.devnull), *folders]
    # Process state and IPC, not content: the workers' memory watch reads /proc/PID/stat
    # and /proc/self/status, multiprocessing's semaphores live in /dev/shm.
    roots += [Path("/proc"), Path("/dev/shm")]
    roots += [Path(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}]
    roots += [Path(f.path) for f in font_faces()]
    return [r.resolve() for r in roots]


def _outside(events, roots: list[Path]) -> list[str]:
    bad = []
    for kind, what in events:
        if kind == "connect":
            bad.append(f"connect {what}")
            continue
        p = Path(what)
        if not p.is_absolute():
            p = Path.cwd() / p
        try:
            p = p.resolve()
        except OSError:
            pass
        if not any(p == r or r in p.parents for r in roots):
            bad.append(f"open {what}")
    return bad


@pytest.fixture
def watched(monkeypatch, tmp_path_factory):
    """Run the test under the audit hook, with one job; yields a :class:`Watch`."""
    global _FD
    import publisher.pdf.parallel as parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    # Warm up what a first build imports (modules, fonts) before watching, so the
    # record holds the build's own opens.
    from publisher.pdf.writer import _stylesheets

    _stylesheets()
    _install()
    log = tmp_path_factory.mktemp("audit") / "events.log"
    _FD = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        yield Watch(log)
    finally:
        fd, _FD = _FD, None
        os.close(fd)


@dataclass
class Run:
    exit_code: int
    output: str  # what the command wrote on stderr and stdout


def _build(src: Path, out: Path, *extra: str) -> Run:
    """``publisher build`` in this process, through the command's own entry point
    (cli.main: errors as one line and an exit status)."""
    from publisher.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stderr(buf), contextlib.redirect_stdout(buf):
        try:
            main(["build", str(src), "-o", str(out), *extra])
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    return Run(code, buf.getvalue())


def _issue(folder: Path, extra_toml: str = "", title: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / "issue.txt"
    src.write_bytes(SAMPLE.read_bytes())
    toml = SAMPLE_TOML.read_text(encoding="utf-8")
    toml = "\n".join(line for line in toml.splitlines() if not line.startswith("name ="))
    if title is not None:  # the magazine's name is in the verso running head (html.page_css)
        toml = "\n".join(line for line in toml.splitlines() if not line.startswith("magazine ="))
        toml += "\nmagazine = " + title
    (folder / "issue.toml").write_text(toml + "\n" + extra_toml, encoding="utf-8")
    return src


SVG_HOSTILE = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
               b'xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="140">'
               b'<image xlink:href="file:///etc/passwd" width="10" height="10"/>'
               b'<image href="http://127.0.0.1:9/x" width="10" height="10"/>'
               b'<style>@import url("http://127.0.0.1:9/y.css");</style></svg>')


def test_the_watch_sees_an_open_outside_and_a_connect(watched, tmp_path):
    import socket

    with open("/etc/hostname" if Path("/etc/hostname").exists() else "/etc/passwd", "rb"):
        pass
    with socket.socket() as sock:
        sock.settimeout(1)
        try:
            sock.connect(("127.0.0.1", 9))
        except OSError:
            pass
    bad = _outside(watched.events(), _allowed_roots(tmp_path))
    assert any(b.startswith("open /etc/") for b in bad) and any(b.startswith("connect") for b in bad)


# --- the fetcher itself --------------------------------------------------------


def test_fetcher_refuses_network_and_other_files_and_serves_the_project(tmp_path):
    from publisher.fetcher import url_fetcher
    from publisher.paths import STYLES_DIR

    f = url_fetcher()
    for url in ["http://127.0.0.1:9/x", "https://127.0.0.1:9/x", "ftp://127.0.0.1:9/x",
                "file:///etc/passwd", (tmp_path / "x.png").as_uri(), "file://127.0.0.1/etc/passwd",
                "data:image/png;base64,iVBORw0KGgo=", "gopher://127.0.0.1:9/", "x-unknown:y"]:
        with pytest.raises(ValueError):
            f.fetch(url)
        assert f.refused[-1] == url
    css = f.fetch((STYLES_DIR / "pdf.css").as_uri())
    assert css.read() == (STYLES_DIR / "pdf.css").read_bytes()
    assert css.content_type == "text/css"


def test_an_svg_let_through_still_fetches_nothing(watched, tmp_path):
    """Even an SVG the fetcher were told to serve (as if a check let it pass) gets
    none of what it references: WeasyPrint renders it with the same fetcher."""
    from publisher.fetcher import allow_image, url_fetcher
    from publisher.pdf.writer import render_document

    svg = tmp_path / "cover.png"
    svg.write_bytes(SVG_HOSTILE)
    uri = allow_image(svg, SVG_HOSTILE, "image/svg+xml")
    before = len(url_fetcher().refused)
    doc = render_document('<html><head><style>@font-face { font-family: X; src: url(file:///etc/passwd) }'
                          '@font-face { font-family: Y; src: url(http://127.0.0.1:9/f.otf) }'
                          '@import url(http://127.0.0.1:9/i.css); p { font-family: X, Y }</style></head>'
                          f'<body><img src="{uri}"/>'
                          '<img src="file:///etc/passwd"/><img src="http://127.0.0.1:9/z"/>'
                          '<p style="background: url(http://127.0.0.1:9/w)">x</p></body></html>')
    doc.write_pdf()
    refused = url_fetcher().refused[before:]
    assert "file:///etc/passwd" in refused and "http://127.0.0.1:9/x" in refused
    assert "http://127.0.0.1:9/z" in refused and "http://127.0.0.1:9/w" in refused
    assert "http://127.0.0.1:9/f.otf" in refused  # a font source: WeasyPrint's own loader, our fetcher
    assert refused.count("file:///etc/passwd") >= 2  # the SVG's image and the font source
    assert _outside(watched.events(), _allowed_roots(tmp_path)) == []


# --- css_string ------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    'a"b', "a\\b", "a\rb", "a\fb", "a\nb", "a'b", "a\x00b", "a\u2028b", "x\u202ey", "a\\",
    '青溪"\r} @page { @top-left { content: url("http://127.0.0.1:9/x") } } x { content: "',
    "\\\"); background: url(file:///etc/passwd); x: (\"", "\ud800", "end\\",
])
def test_css_string_is_one_string_token_with_the_value(value):
    import tinycss2

    from publisher.pdf.html import css_string

    tokens = [t for t in tinycss2.parse_component_value_list(css_string(value)) if t.type != "whitespace"]
    assert [t.type for t in tokens] == ["string"]
    expected = value
    for c in "\n\r\f\v\x85\u2028\u2029":
        expected = expected.replace(c, " ")
    expected = expected.replace("\x00", "\ufffd").replace("\ud800", "\ufffd")
    assert tokens[0].value == expected


def test_css_string_keeps_ordinary_text_as_it_is():
    from publisher.pdf.html import css_string

    assert css_string("青溪决策参考　2024年第2期 (内部)") == '"青溪决策参考　2024年第2期 (内部)"'


# --- builds under the audit hook -------------------------------------------------


BREAKOUTS = ["\r", "\f", "\n", '"', "\\", "\\\r", "'"]


@pytest.mark.parametrize("brk", BREAKOUTS, ids=["cr", "ff", "lf", "quote", "backslash", "bs-cr", "apos"])
def test_css_breakout_in_metadata_fetches_nothing(watched, tmp_path, brk):
    """A running head (with the magazine's name) that would close the CSS string and add
    rules naming network and local URLs: built or refused, nothing is fetched."""
    import json

    from publisher.fetcher import url_fetcher

    payload = (f'刊{brk}}}}} html {{ background: url(http://127.0.0.1:9/x) }} '
               f'p::before {{ content: url(file:///etc/passwd) }} '
               f'.fp {{ background: url({(ROOT / "styles").as_uri()}/x.png) }} x {{ x: {brk}')
    src = _issue(tmp_path / "in", title=json.dumps(payload, ensure_ascii=False))
    before = len(url_fetcher().refused)
    r = _build(src, tmp_path / "out", "--pdf")
    assert "internal error" not in r.output and "Traceback" not in r.output, r.output
    assert url_fetcher().refused[before:] == []
    assert _outside(watched.events(), _allowed_roots(tmp_path)) == []
    if r.exit_code == 0:  # built: the value is set as text, the page painted nothing else
        import pikepdf

        with pikepdf.open(tmp_path / "out" / "issue.pdf") as pdf:
            assert len(pdf.pages) > 2
            assert all(not list(page.get_images()) for page in pdf.pages)  # no image painted from a URL
    else:
        assert len(r.output.strip().splitlines()) <= 2 and "Traceback" not in r.output


@pytest.mark.parametrize("brk", BREAKOUTS, ids=["cr", "ff", "lf", "quote", "backslash", "bs-cr", "apos"])
def test_css_breakout_in_the_model_fetches_nothing(watched, brk):
    """The same values set on the model directly (past the sidecar's own cleaning,
    metadata.py): the issue's title is the running head of the furniture and of the
    issue set as one document; rendering fetches nothing and paints no image."""
    import pikepdf

    from publisher.fetcher import url_fetcher
    from publisher.pdf import render_issue
    from publisher.reader import read_issue

    issue = read_issue(SAMPLE)
    issue.meta.magazine = (f'刊{brk}}}}} html {{ background: url(http://127.0.0.1:9/x) }} '
                           f'p::before {{ content: url(file:///etc/passwd) }} x {{ x: {brk}')
    before = len(url_fetcher().refused)
    r = render_issue(issue, running_head=issue.meta.magazine)
    assert url_fetcher().refused[before:] == []
    assert _outside(watched.events(), _allowed_roots()) == []
    with pikepdf.open(io.BytesIO(r.pdf)) as pdf:
        assert all(not list(page.get_images()) for page in pdf.pages)


def test_svg_saved_as_cover_png_is_refused_and_fetches_nothing(watched, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cover.png").write_bytes(SVG_HOSTILE)
    src = _issue(tmp_path / "in", 'cover = "cover.png"\n')
    r = _build(src, tmp_path / "out")
    assert r.exit_code != 0
    assert "cover image" in r.output and "markup" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert _outside(watched.events(), _allowed_roots(tmp_path)) == []
    assert not any(w == "/etc/passwd" for _, w in watched.events())


def test_a_normal_build_with_a_cover_stays_inside(watched, tmp_path):
    from PIL import Image

    from publisher.fetcher import url_fetcher

    (tmp_path / "in").mkdir()
    Image.new("RGB", (70, 98), (200, 30, 30)).save(tmp_path / "in" / "cover.png")
    src = _issue(tmp_path / "in", 'cover = "cover.png"\n')
    before = len(url_fetcher().refused)
    r = _build(src, tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "issue.pdf").is_file() and (tmp_path / "out" / "issue.epub").is_file()
    assert url_fetcher().refused[before:] == []
    assert _outside(watched.events(), _allowed_roots(tmp_path)) == []
    assert any(kind == "open" for kind, _ in watched.events())  # the hook did record the build


# --- the image check -------------------------------------------------------------


def test_check_image_accepts_png_and_jpeg(tmp_path):
    from PIL import Image

    from publisher.images import check_image

    for fmt, name in (("PNG", "a.png"), ("JPEG", "b.jpg")):
        Image.new("RGB", (30, 40), (1, 2, 3)).save(tmp_path / name, format=fmt)
        c = check_image(tmp_path / name)
        assert (c.format, c.width, c.height) == (fmt, 30, 40)
        assert c.data == (tmp_path / name).read_bytes()


def test_check_image_refuses(tmp_path):
    from PIL import Image

    from publisher.images import check_image

    (tmp_path / "svg.png").write_bytes(SVG_HOSTILE)
    (tmp_path / "text.png").write_bytes(b"not an image at all")
    (tmp_path / "empty.png").write_bytes(b"")
    Image.new("RGB", (300, 300)).save(tmp_path / "big.png")
    os.mkfifo(tmp_path / "fifo.png")
    cases = {
        tmp_path / "svg.png": "markup",
        tmp_path / "text.png": "not a JPEG",
        tmp_path / "empty.png": "empty",
        tmp_path / "fifo.png": "not a regular file",
        Path("/dev/zero"): "not a regular file",
        tmp_path: "not a regular file",
        tmp_path / "missing.png": "no such file",
    }
    for path, words in cases.items():
        with pytest.raises(PublisherError) as e:
            check_image(path)
        assert words in str(e.value) and "\n" not in str(e.value), (path, str(e.value))
    with pytest.raises(PublisherError, match="pixels"):
        check_image(tmp_path / "big.png", max_pixels=300 * 300 - 1)
    with pytest.raises(PublisherError, match="bytes"):
        check_image(tmp_path / "big.png", max_bytes=100)


@pytest.mark.skipif(not (HOSTILE / "cover_bomb20k").is_dir() and not os.environ.get("CI"),
                    reason="../shared/hostile/ not here")
def test_cover_bomb_is_one_line_error_and_writes_nothing(tmp_path):
    src = HOSTILE / "cover_bomb20k" / "issue.txt"
    r = _build(src, tmp_path / "out")
    assert r.exit_code != 0
    errors = [line for line in r.output.splitlines() if "error" in line]
    assert len(errors) == 1 and "pixels" in errors[0], r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_anthology_fetches_nothing(watched, tmp_path):
    """The anthology (its front matter, its workers' issues) under the hook."""
    from publisher.cli import main
    from publisher.fetcher import url_fetcher

    inputs = []
    for n in (2, 3):
        src = _issue(tmp_path / "in" / f"n{n}")
        toml = src.with_suffix(".toml")
        toml.write_text(toml.read_text(encoding="utf-8").replace("number = 2", f"number = {n}")
                        .replace("第2期", f"第{n}期"), encoding="utf-8")
        inputs.append(str(src))
    from publisher.anthology import front

    front._anthology_css.cache_clear()  # its sheet read under the hook, whatever ran before in this process
    before = len(url_fetcher().refused)
    buf = io.StringIO()
    with contextlib.redirect_stderr(buf), contextlib.redirect_stdout(buf):
        try:
            main(["anthology", *inputs, "-o", str(tmp_path / "out" / "book.pdf"), "-j", "1", "--no-cache"])
            code = 0
        except SystemExit as e:
            code = e.code
    assert code == 0, buf.getvalue()
    assert (tmp_path / "out" / "book.pdf").is_file()
    assert url_fetcher().refused[before:] == []
    events = watched.events()
    assert any(w.endswith("anthology.css") for k, w in events if k == "open")  # the front matter's own sheet
    assert _outside(events, _allowed_roots(tmp_path)) == []
