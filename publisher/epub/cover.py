"""The cover image: the one named in the metadata, or one drawn from the issue.

The drawn cover is set in the issue's own fonts (fonts/manifest.toml): the magazine's
name on a band of colour, the issue label, the 卷首语 title, a few headlines with their
columns, and the publisher and date at the foot.  A single piece shows its title,
subtitle and authors instead.  Pillow's output depends only on the input, so rebuilds
stay byte-identical.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..errors import PublisherError
from ..fonts import font_faces
from ..images import FORMATS, check_image
from ..model import Issue
from ..render.markup import CLOSING, OPENING, PAUSE_STOP
from .documents import book_title, date_label, headline_lines, is_single_piece

WIDTH, HEIGHT = 1400, 1960  # 1 : 1.4, the shape of a 16开 page
PAPER = (245, 240, 230)
ACCENT = (156, 38, 30)
ACCENT_DARK = (128, 28, 22)
ON_ACCENT = (255, 255, 255)
ON_ACCENT_SOFT = (240, 214, 196)
INK = (38, 34, 30)
INK_SOFT = (110, 100, 90)
MARGIN = 130
NO_LINE_START = set(CLOSING + PAUSE_STOP + "·…—")
MEDIA_TYPES = FORMATS  # Pillow format → (media type, extension): images.FORMATS


def cover_image(issue: Issue) -> dict:
    """{data, media_type, ext, width, height, alt} of the cover."""
    alt = f"封面：{book_title(issue)}"
    if issue.meta.cover:
        return _given(Path(issue.meta.cover), alt)
    if issue.meta.cover_photo:  # the drawn cover over the lead photo (issue 16: epub/photos.py)
        from .photos import photo_cover

        return photo_cover(issue, alt)
    img = _draw(issue).quantize(palette=_palette(), dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6)
    return {"data": buf.getvalue(), "media_type": "image/png", "ext": "png", "width": WIDTH, "height": HEIGHT, "alt": alt}


def _given(path: Path, alt: str) -> dict:
    """The cover the metadata names, checked by its content (images.check_image:
    a regular file, JPEG, PNG, GIF or WebP, within the byte and pixel limits)."""
    checked = check_image(path)
    return {"data": checked.data, "media_type": checked.media_type, "ext": checked.ext,
            "width": checked.width, "height": checked.height, "alt": alt}


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """The cover's colours and the antialiasing steps between each ink and its ground.

    Drawing in RGB and mapping to this palette keeps the PNG a third of its RGB size.
    """
    pairs = [(PAPER, INK), (PAPER, INK_SOFT), (PAPER, ACCENT), (ACCENT, ON_ACCENT),
             (ACCENT, ON_ACCENT_SOFT), (ACCENT, ACCENT_DARK)]
    colours: list[tuple[int, ...]] = []
    for a, b in pairs:
        for i in range(17):
            c = tuple(round(a[k] + (b[k] - a[k]) * i / 16) for k in range(3))
            if c not in colours:
                colours.append(c)
    pal = Image.new("P", (1, 1))
    flat = [v for c in colours for v in c]
    pal.putpalette(flat + flat[:3] * (256 - len(colours)))
    return pal


@lru_cache(maxsize=64)
def _font(role: str, size: int) -> ImageFont.FreeTypeFont:
    faces = {f.role: f for f in font_faces()}
    face = faces.get(role) or faces.get(role.split("-")[0]) or faces["song"]
    return ImageFont.truetype(str(face.path), size, index=face.index, layout_engine=ImageFont.Layout.BASIC)


def _wrap(text: str, font, width: int) -> list[str]:
    """Break Chinese text into balanced lines of at most ``width`` pixels.

    Closing marks stay off line starts, and the lines are evened out so that the last
    one is not a lone character or two.
    """
    lines = _greedy(text, font, width)
    if len(lines) == 2:
        # Two lines: break where the sense breaks if that fits — before an opening
        # quote or bracket, after a pause mark — choosing the most even such break.
        good = [i for i in range(1, len(text)) if text[i] in "“‘《（「『【" or text[i - 1] in "，、：；"]
        fits = [i for i in good if font.getlength(text[:i]) <= width and font.getlength(text[i:]) <= width]
        if fits:
            i = min(fits, key=lambda i: abs(font.getlength(text[:i]) - font.getlength(text[i:])))
            if min(i, len(text) - i) >= 3:
                return [text[:i], text[i:]]
    if len(lines) > 1:
        step = max(4, font.size // 2)
        w = width
        while w - step > 0 and len(_greedy(text, font, w - step)) == len(lines):
            w -= step
        lines = _greedy(text, font, w)
    return lines


def _greedy(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for ch in text:
        if cur and font.getlength(cur + ch) > width and ch not in NO_LINE_START:
            lines.append(cur)
            cur = ch.lstrip()
        else:
            cur += ch
    if cur.strip():
        lines.append(cur)
    return lines


def _fit(text: str, role: str, width: int, start: int, smallest: int):
    """The largest size (≤ start) at which ``text`` fits on one line."""
    size = start
    while size > smallest and _font(role, size).getlength(text) > width:
        size -= 4
    return _font(role, size)


def _text(draw, x: int, y: int, line: str, font, fill) -> None:
    """Draw one left-aligned line; an opening mark at the line start hangs by its blank half (clreq)."""
    if line and line[0] in OPENING:
        x -= int(font.size * 0.5)
    draw.text((x, y), line, font=font, fill=fill)


def _centered(draw, y: int, text: str, font, fill, spacing: float = 0.0) -> int:
    """Draw ``text`` centred at ``y`` (top), optionally letter-spaced; returns the next y."""
    size = font.size
    gap = size * spacing
    width = sum(font.getlength(c) for c in text) + gap * (len(text) - 1)
    x = (WIDTH - width) / 2
    for c in text:
        draw.text((x, y), c, font=font, fill=fill)
        x += font.getlength(c) + gap
    return y + int(size * 1.35)


def _draw(issue: Issue) -> Image.Image:
    img = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    d = ImageDraw.Draw(img)
    if is_single_piece(issue) or len(issue.articles) < 2:
        _draw_piece(issue, d)
    else:
        _draw_issue(issue, d)
    return img


def _draw_issue(issue: Issue, d: ImageDraw.ImageDraw) -> None:
    m = issue.meta
    band = int(HEIGHT * 0.33)
    d.rectangle([0, 0, WIDTH, band], fill=ACCENT)
    d.rectangle([0, band, WIDTH, band + 10], fill=ACCENT_DARK)
    name = m.magazine or m.issue_label
    width = WIDTH - 2 * MARGIN
    if name:
        spacing = 0.12 if len(name) <= 8 else 0.0
        font = _fit(name, "hei-bold", int(width / (1 + spacing)), 170, 60)
        y = int(band * 0.30)
        y = _centered(d, y, name, font, ON_ACCENT, spacing)
        if m.magazine and m.issue_label:
            _centered(d, y + 10, m.issue_label, _font("kai", 60), ON_ACCENT_SOFT, 0.05)
    else:
        # No magazine name known: the book's neutral title (the input's name), never
        # one of its articles' headlines.
        parts = headline_lines(book_title(issue))
        f = _fit(max(parts, key=len), "hei-bold", width, 96, 64)
        lines = [ln for part in parts for ln in _wrap(part, f, width)]
        step = int(f.size * 1.4)
        y = (band - step * len(lines)) // 2
        for line in lines:
            _centered(d, y, line, f, ON_ACCENT)
            y += step

    x, y = MARGIN, band + 120
    editorial = next((a for a in issue.articles if a.kind == "editorial"), None)
    if editorial is not None:
        label = next((c.name for c in issue.columns if editorial in c.articles and c.name), "")
        if label:
            d.text((x, y), label, font=_font("hei", 34), fill=ACCENT)
            y += 60
        f = _font("kai-bold", 66)
        for part in headline_lines(editorial.title):
            for line in _wrap(part, f, width):
                _text(d, x, y, line, f, INK)
                y += 92
        y += 30
    d.rectangle([x, y, x + 90, y + 6], fill=ACCENT)
    y += 70

    foot = HEIGHT - 170
    seen_columns: set[str] = set()
    picks = []
    for col in issue.columns:
        for a in col.articles:
            if a is editorial or col.name in seen_columns:
                continue
            seen_columns.add(col.name)
            picks.append((col.name, a))
    tf = _font("song", 44)
    cf = _font("hei", 30)
    for colname, a in picks:
        lines = [ln for part in headline_lines(a.title) for ln in _wrap(part, tf, width)]
        need = (48 if colname else 0) + 62 * len(lines) + 40
        if len(lines) > 3 or y + need > foot - 40:
            continue
        if colname:
            d.text((x, y), colname, font=cf, fill=ACCENT)
            y += 48
        for line in lines:
            _text(d, x, y, line, tf, INK)
            y += 62
        y += 40

    d.line([MARGIN, foot, WIDTH - MARGIN, foot], fill=INK_SOFT, width=2)
    bits = [b for b in (m.publisher, date_label(issue)) if b]
    if bits:
        _centered(d, foot + 40, "\u3000".join(bits), _font("song", 34), INK_SOFT)


def _draw_piece(issue: Issue, d: ImageDraw.ImageDraw) -> None:
    a = issue.articles[0] if issue.articles else None
    title = a.title if a else book_title(issue)
    band = int(HEIGHT * 0.56)
    d.rectangle([0, 0, WIDTH, band], fill=ACCENT)
    d.rectangle([0, band, WIDTH, band + 10], fill=ACCENT_DARK)
    width = WIDTH - 2 * MARGIN
    f = _font("hei-bold", 96)
    lines = [ln for part in headline_lines(title) for ln in _wrap(part, f, width)]
    if len(lines) > 4:
        f = _font("hei-bold", 72)
        lines = [ln for part in headline_lines(title) for ln in _wrap(part, f, width)]
    step = int(f.size * 1.4)
    y = band - 150 - step * len(lines)
    if a is not None and a.kicker:
        d.text((MARGIN, y - 90), a.kicker, font=_font("fangsong", 44), fill=ON_ACCENT_SOFT)
    for line in lines:
        _text(d, MARGIN, y, line, f, ON_ACCENT)
        y += step
    y = band + 110
    if a is not None and a.subtitle:
        sf = _font("fangsong", 48)
        for line in _wrap(a.subtitle, sf, width):
            _text(d, MARGIN, y, line, sf, INK)
            y += 70
        y += 40
    if a is not None and a.authors:
        names = "\u3000".join(au.name for au in a.authors if au.name)
        kf = _font("kai", 44)
        for line in _wrap(names, kf, width):
            _text(d, MARGIN, y, line, kf, INK_SOFT)
            y += 64
    foot = HEIGHT - 170
    m = issue.meta
    bits = [b for b in (m.magazine, m.issue_label, m.publisher, date_label(issue)) if b]
    if bits:
        d.line([MARGIN, foot, WIDTH - MARGIN, foot], fill=INK_SOFT, width=2)
        _centered(d, foot + 40, "\u3000".join(bits), _font("song", 34), INK_SOFT)
