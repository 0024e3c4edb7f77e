"""The model JSON of every input validates against publisher/issue.schema.json and round-trips."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from publisher.model import Issue
from publisher.reader import read_issue

from conftest import SAMPLE, corpus_files

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "publisher" / "issue.schema.json").read_text(encoding="utf-8"))
FIXTURE = ROOT / "tests" / "fixtures" / "other-magazine.txt"


def validator():
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


def check(path: Path) -> dict:
    issue = read_issue(path)
    data = json.loads(issue.dumps())
    errors = sorted(validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, f"{path.name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    again = Issue.from_json(data)
    assert again.to_json() == data
    assert Issue.loads(again.dumps()).dumps() == issue.dumps()
    return data


@pytest.mark.parametrize("path", [SAMPLE, FIXTURE], ids=lambda p: p.name)
def test_bundled_inputs_validate(path):
    data = check(path)
    assert data["columns"] and all(a["blocks"] for c in data["columns"] for a in c["articles"])


def test_every_corpus_file_validates(corpus_dir):
    files = corpus_files()
    assert files
    for p in files:
        data = check(p)
        assert sum(len(c["articles"]) for c in data["columns"]) >= 1


def test_schema_rejects_what_the_model_forbids():
    data = json.loads(read_issue(SAMPLE).dumps())
    v = validator()
    bad = json.loads(json.dumps(data))
    bad["columns"][0]["articles"][0]["kind"] = "poem"
    assert list(v.iter_errors(bad))
    bad = json.loads(json.dumps(data))
    bad["columns"][0]["articles"][0]["blocks"][0] = {"type": "verse", "text": "x"}
    assert list(v.iter_errors(bad))
    bad = json.loads(json.dumps(data))
    bad["warnings"] = [{"code": "oops", "message": "m"}]
    assert list(v.iter_errors(bad))
