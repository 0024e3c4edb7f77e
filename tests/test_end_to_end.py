"""The whole chain, as a user's CI runs it: the recipe docs/ci/github-actions.yml is run
step by step on a repository holding the bundled sample and every corpus input — each
built to EPUB, screen PDF and print PDF, all bound into a print anthology — and
``publisher validate`` must pass every check on all of it (EPUBCheck in one JVM).

The corpus inputs come without sidecar metadata; here each gets one (magazine, issue
label, number, date), as an editorial office's repository has: the EPUB's
belongs-to-collection (E503) and the anthology's issue titles come from it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import CORPUS_DIR, SAMPLE, corpus_files

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
PUBLISHER = [sys.executable, "-m", "publisher"]


def workflow_steps(path: Path) -> list[tuple[str, str | None, str | None]]:
    """(name, uses, run script) of each step, read from the workflow's plain YAML layout."""
    steps: list[list] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)- name: (.+)$", line)
        if m:
            steps.append([m.group(2).strip(), None, None])
        elif steps and (m := re.match(r"^\s+uses: (\S+)", line)):
            steps[-1][1] = m.group(1)
        elif steps and (m := re.match(r"^(\s+)run: \|\s*$", line)):
            indent = len(m.group(1))
            body = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i])
                i += 1
            steps[-1][2] = "\n".join(body)
            continue
        elif steps and (m := re.match(r"^\s+run: (.+)$", line)):
            steps[-1][2] = m.group(1)
        i += 1
    return [tuple(s) for s in steps]


def test_workflow_recipe_shape():
    steps = workflow_steps(WORKFLOW)
    names = [s[0] for s in steps]
    runs = "\n".join(s[2] or "" for s in steps)
    assert "bash .publisher/scripts/bootstrap.sh setup" in runs
    assert re.search(r"\$PUBLISHER build .*-o", runs)
    assert re.search(r"\$PUBLISHER anthology ", runs)
    assert re.search(r"\$PUBLISHER validate .*--junit", runs)
    uploads = [s for s in steps if s[1] and s[1].startswith("actions/upload-artifact")]
    assert uploads, names
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "if: always()" in text  # outputs kept even when validation fails


@pytest.fixture(scope="module")
def recipe_run(tmp_path_factory):
    """Run every `run:` step of the recipe after set-up on a repository of issues."""
    corpus = corpus_files()
    if not corpus and os.environ.get("CI"):
        pytest.fail(f"CI needs the corpus: {CORPUS_DIR} not found")
    repo = tmp_path_factory.mktemp("magazine")
    issues = repo / "issues"
    issues.mkdir()
    shutil.copy(SAMPLE, issues / SAMPLE.name)
    shutil.copy(SAMPLE.with_suffix(".toml"), issues / SAMPLE.with_suffix(".toml").name)
    for n, src in enumerate(corpus, start=3):
        shutil.copy(src, issues / src.name)
        (issues / src.with_suffix(".toml").name).write_text(
            f'magazine = "语料测试刊"\nissue_label = "2024年第{n}期"\nnumber = {n}\nyear = 2024\n'
            f'date = "2024-{n:02d}-01"\npublisher = "publisher 测试"\n', encoding="utf-8")
    (repo / ".publisher").symlink_to(ROOT)
    env = dict(os.environ, PUBLISHER=" ".join(PUBLISHER), ISSUES="issues", OUT="build")
    timings, results = {}, {}
    for name, uses, script in workflow_steps(WORKFLOW):
        if script is None or "bootstrap.sh setup" in script:
            continue  # actions, and the set-up this test suite already runs under
        t = time.perf_counter()
        proc = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=1800)
        timings[name] = time.perf_counter() - t
        results[name] = proc
        if "$PUBLISHER validate" not in script:  # the validate step is judged by its own test
            assert proc.returncode == 0, f"step '{name}' failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    print("recipe steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    stems = sorted(p.stem for p in issues.glob("*.txt"))
    validate_step = next(p for n, p in results.items() if "validate" in p.args[-1])
    return repo, stems, validate_step


def test_every_output_is_built(recipe_run):
    repo, stems, _ = recipe_run
    out = repo / "build"
    assert sorted(p.name for p in out.glob("*.epub")) == sorted(f"{s}.epub" for s in stems)
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(f"{s}.pdf" for s in stems)
    assert sorted(p.name for p in (out / "print").glob("*.pdf")) == sorted(
        [f"{s}.pdf" for s in stems] + ["anthology.pdf", "anthology-cover.pdf"])  # the print book's cover spread
    assert not [p for p in out.rglob("*.tmp")]


def test_validation_passes_on_everything(recipe_run):
    """The recipe's validate step passed (exit 0); its JUnit report says what ran."""
    repo, stems, step = recipe_run
    problems = [ln for ln in step.stdout.splitlines() if re.search(r": [EPV]\d{3} |: [A-Z]{3}-\d{3} (error|warning)", ln)]
    assert step.returncode == 0, "publisher validate failed:\n" + "\n".join(problems or [step.stdout[-3000:], step.stderr])
    root = ET.parse(repo / "build" / "validate-junit.xml").getroot()
    assert root.get("failures") == "0"
    suites = {Path(s.get("name")).name + ("@print" if "/print/" in s.get("name") else ""): s for s in root}
    expected = {f"{s}.epub" for s in stems} | {f"{s}.pdf" for s in stems} | {f"{s}.pdf@print" for s in stems} | {"anthology.pdf@print", "anthology-cover.pdf@print"}
    assert set(suites) == expected
    for name, suite in suites.items():
        ran = {tc.get("name").split()[0] for tc in suite}
        if name.endswith(".epub"):
            assert {"EPUBCHECK", "E101", "E103", "E200", "E301", "E302", "E503"} <= ran, (name, ran)
        else:
            assert {"P001", "P100", "P102", "P200", "P201", "P400", "P500", "P501"} <= ran, (name, ran)
        if name.endswith("@print"):
            assert "P401" in ran, name  # built for print: page count checked


def test_outputs_match_their_sources(recipe_run):
    """Against the reader's model: every article in the nav and the outline, in order;
    contents numbers checked wherever a contents page is printed (our checks only:
    EPUBCheck ran in the recipe)."""
    repo, stems, _ = recipe_run
    sources = [a for s in sorted((repo / "issues").glob("*.txt")) for a in ("--source", str(s))]
    proc = subprocess.run([*PUBLISHER, "validate", "build", "build/print", "--json", "--no-epubcheck", *sources],
                          cwd=repo, capture_output=True, text=True, timeout=600)
    doc = json.loads(proc.stdout)
    files = {f["path"]: f for f in doc["files"]}
    failing = [f"{p}: {c['code']} {c['message']}" for p, f in files.items() for c in f["results"]]
    assert proc.returncode == 0, "\n".join(failing) or proc.stderr
    for s in stems:
        assert "E105" in files[f"build/{s}.epub"]["checks_run"]
        assert "P202" in files[f"build/{s}.pdf"]["checks_run"]
        assert "P202" in files[f"build/print/{s}.pdf"]["checks_run"]
    with_contents = [s for s in stems if s == SAMPLE.stem or s.startswith("000")]
    for s in with_contents:
        assert "P300" in files[f"build/{s}.pdf"]["checks_run"], s
        # a print file is PDF/X-4 without links (issue 15): its printed contents are read
        assert {"P300", "P301", "P600", "P605"} <= set(files[f"build/print/{s}.pdf"]["checks_run"]), s
    assert {"P300", "P301", "P401", "P600", "P601", "P604"} <= set(files["build/print/anthology.pdf"]["checks_run"])
    assert "P401" in files["build/print/anthology-cover.pdf"]["checks_run"]
