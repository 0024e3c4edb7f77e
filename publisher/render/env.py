"""One Jinja environment for every backend's templates (``templates/``)."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..paths import TEMPLATES_DIR
from .markup import inline, keep_tail, stanzas, title_lines
from .notes import note_role


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
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
    env.globals["note_role"] = note_role
    from ..metadata import imprint_rows  # the colophon's imprint (issue 15)

    env.globals["imprint_rows"] = imprint_rows
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
