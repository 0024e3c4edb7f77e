"""Issue metadata given on the command line overrides the sidecar TOML."""
import json
import subprocess
import sys


def run(*args):
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True)


def test_cli_metadata_overrides_sidecar(sample_path):
    r = run("parse", str(sample_path), "--json", "--magazine", "澧水评论", "--issue-label", "2024年第9期",
            "--number", "9", "--date", "2024-09-01", "--page-size", "A4")
    assert r.returncode == 0, r.stderr
    meta = json.loads(r.stdout)["meta"]
    assert meta["magazine"] == "澧水评论" and meta["issue_label"] == "2024年第9期"
    assert meta["number"] == 9 and meta["date"] == "2024-09-01" and meta["page_size"] == "210mm 297mm"
    assert meta["publisher"] == "中共青溪县委政策研究室"  # untouched keys still come from the sidecar


def test_bad_cli_metadata_is_one_line(sample_path):
    r = run("build", str(sample_path), "--number", "nine", "--epub", "-o", "/nonexistent-never-written")
    assert r.returncode != 0
    assert r.stderr.strip().count("\n") == 0 and "number must be a whole number" in r.stderr
    assert "Traceback" not in r.stderr
