"""One Jinja environment for every backend's templates (``templates/``)."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from ..paths import TEMPLATES_DIR
from .markup import inline, keep_tail, stanzas, title_lines


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates kept between runs (a first build compiles ten templates:
    about 0.1 s of a 0.5 s e-book).  An entry is used only for the same template source
    (Jinja checks its checksum); a cache that cannot be read or written is no cache."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """``$XDG_CACHE_HOME/publisher/jinja`` when it is this user's own folder (compiled
    code is run: never from a folder someone else can write), else None."""
    from ..usercache import own_folder

    d = own_folder("jinja")
    return _QuietBytecodeCache(str(d)) if d is not None else None


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(enabled_extensions=("html", "xhtml", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline
    env.filters["keep_tail"] = keep_tail
    env.filters["title_lines"] = title_lines
    env.filters["stanzas"] = stanzas
    from ..metadata import imprint_rows  # the colophon's imprint (issue 15)

    env.globals["imprint_rows"] = imprint_rows
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
