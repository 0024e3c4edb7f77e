"""This user's cache of what publisher derives from its own files (publisher/usercache.py):
the compiled templates (render/env.py) kept only in a folder no one else can write, and a
damaged or unwritable cache is no cache, never an error."""
from __future__ import annotations

import os

from jinja2 import DictLoader, Environment

from publisher.render.env import _bytecode_cache, _QuietBytecodeCache
from publisher.usercache import own_folder


def test_the_cache_is_this_users_own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    d = own_folder("jinja")
    assert d == tmp_path / "publisher" / "jinja" and d.is_dir() and not d.stat().st_mode & 0o077
    assert _bytecode_cache().directory == str(d)
    os.chmod(d, 0o777)  # a folder others can write holds no code of ours
    assert own_folder("jinja") is None and _bytecode_cache() is None
    os.chmod(d, 0o700)
    os.chmod(tmp_path / "publisher", 0o775)
    assert own_folder("jinja") is None


def test_compiled_templates_are_reused_and_a_bad_entry_is_compiled_again(tmp_path):
    def render(cache) -> str:
        env = Environment(loader=DictLoader({"t.j2": "{{ a }}·{{ a | length }}"}), bytecode_cache=cache)
        return env.get_template("t.j2").render(a="春天")

    cache = _QuietBytecodeCache(str(tmp_path))
    assert render(cache) == "春天·2"
    (entry,) = tmp_path.iterdir()
    assert render(cache) == "春天·2"  # read back
    entry.write_bytes(b"not a marshalled code object")
    assert render(cache) == "春天·2"
    # a folder that cannot be written (here: none at all): rendered all the same
    assert render(_QuietBytecodeCache(str(tmp_path / "gone"))) == "春天·2"
