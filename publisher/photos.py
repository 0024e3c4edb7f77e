"""An issue's photos tied to their captions (issue 16).

The photos are the image files of one folder: ``images/`` beside the input, or the
sidecar's ``images = "…"`` (``[images] folder = "…"``).  Each caption block gets the
photo it describes (``Block.image``, a path relative to the issue's folder), tied by,
in this order:

1. ``source``: the editable Markdown source names it (``::: {.caption image="…"}``);
2. ``sidecar``: the sidecar's ``[images]`` table names the caption
   (``"03.jpg" = "a03:2"``: the 2nd caption of article a03; or the caption's opening
   words, which must pick out one caption);
3. ``number``: the last number in the file name is the caption's own number
   (``图③``, ``图3``, ``图三``, ``①`` opening the caption: ``03.jpg``, ``图3.png``)
   when that number is the caption's alone in the issue;
4. ``order``: the photos left, in file-name order, with the captions left that carry
   no number of their own, in reading order.

A photo no caption describes is placed by the editor only, as a figure
(``Block(type="figure")``, alt text required, no caption): the Markdown source's
``![alt](images/05.jpg)`` on a line of its own, or the sidecar's
``"05.jpg" = { after = "a03:4", alt = "…" }`` (after the 4th block of a03; ``a03`` is
its end, ``a03:0`` its start, other text a block's opening words): :func:`place_figures`,
before the captions are tied, so no caption takes a placed photo.

What is left over is a warning: R401 a photo no caption takes, R402 a caption without
a photo (only when the issue has photos at all).  :func:`match` is pure (names in,
ties out); :func:`attach` lists the folder and applies the ties to an issue.  Image
bytes are not read here: ``images.check_image`` checks each tied photo before a
backend uses it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .model import Article, Block, Issue, Warning

# File name endings taken as photos (an SVG is listed so that it is refused by name).
IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".tif", ".tiff", ".bmp")
MAX_FILES = 2000  # photos in one issue's folder

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①–⑳
_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_CAPTION_NUMBER = re.compile(
    r"^\s*(?:[（(]?\s*图\s*([0-9０-９]{1,3}|[①-⑳]|[一二三四五六七八九十]{1,3})\s*[）)]?|([①-⑳])|[（(]([0-9０-９]{1,2})[）)])")
_FILE_NUMBER = re.compile(r"[0-9]+")


def han_number(s: str) -> int | None:
    """一 … 九十九 as a number, else None."""
    if not s or any(c not in _HAN_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        return _HAN_DIGITS[s[0]] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = _HAN_DIGITS.get(tens, None) if tens else 1
    o = _HAN_DIGITS.get(ones, None) if ones else 0
    return None if t is None or o is None else t * 10 + o


def caption_number(text: str) -> int | None:
    """The caption's own number: ``图③：…`` → 3, ``图3 …`` → 3, ``图三`` → 3, ``①…`` → 1."""
    m = _CAPTION_NUMBER.match(text)
    if not m:
        return None
    g = next(x for x in m.groups() if x is not None)
    if g in _CIRCLED:
        return _CIRCLED[g]
    if g[0] in "一二三四五六七八九十":
        return han_number(g)
    return int(g.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def file_number(name: str) -> int | None:
    """The last number in a file's stem: ``03.jpg`` → 3, ``图3.png`` → 3, ``a02-photo-5`` → 5."""
    found = _FILE_NUMBER.findall(Path(name).stem)
    return int(found[-1]) if found else None


def natural_key(name: str) -> tuple:
    """File names in the order a person reads them (``2.jpg`` before ``10.jpg``)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"([0-9]+)", name) if p)


@dataclass(frozen=True)
class CaptionRef:
    """One caption of the issue: ``key`` is ``article id:ordinal`` (``a03:2``)."""

    key: str
    text: str
    image: str | None = None  # named by the source
    line: int | None = None


@dataclass(frozen=True)
class Tie:
    caption: str  # CaptionRef.key
    image: str  # the file, relative to the images folder
    how: str  # source, sidecar, number, order
    alt: str | None = None


@dataclass
class Ties:
    ties: list[Tie] = field(default_factory=list)
    lone_images: list[str] = field(default_factory=list)  # R401
    lone_captions: list[str] = field(default_factory=list)  # R402 (keys)
    problems: list[str] = field(default_factory=list)  # sidecar references that pick no caption


def _resolve_ref(ref: str, captions: list[CaptionRef]) -> tuple[CaptionRef | None, str]:
    by_key = {c.key: c for c in captions}
    if ref in by_key:
        return by_key[ref], ""
    words = " ".join(ref.split())
    found = [c for c in captions if " ".join(c.text.split()).startswith(words)]
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, "no caption is that (use article id:ordinal, a03:2, or the caption's opening words)"
    return None, f"{len(found)} captions open so ({', '.join(c.key for c in found[:4])}): give more words or a03:2"


def match(captions: list[CaptionRef], files: list[str], table: dict[str, object] | None = None,
          folder_prefix: str = "") -> Ties:
    """Tie ``files`` (names inside the images folder) to ``captions`` (reading order).

    ``folder_prefix`` is the folder relative to the issue's (``images/``): a caption the
    source ties names its file with it.  Pure: names in, ties out."""
    out = Ties()
    files = sorted(set(files), key=natural_key)
    free_files = list(files)
    taken: dict[str, Tie] = {}

    def take(c: CaptionRef, image: str, how: str, alt: str | None = None) -> None:
        taken[c.key] = Tie(c.key, image, how, alt)
        if image in free_files:
            free_files.remove(image)

    for c in captions:  # 1. the source
        if c.image is not None:
            name = c.image[len(folder_prefix):] if folder_prefix and c.image.startswith(folder_prefix) else c.image
            take(c, name, "source")
    for name in sorted(table or {}, key=natural_key):  # 2. the sidecar's [images] table
        v = (table or {})[name]
        if isinstance(v, dict) and "after" in v:
            continue  # a photo no caption takes: place_figures
        ref, alt = (v, None) if isinstance(v, str) else (v.get("caption", ""), v.get("alt"))
        c, why = _resolve_ref(str(ref), captions)
        if c is None:
            out.problems.append(f"[images] {name!r} = {ref!r}: {why}")
            continue
        if c.key in taken and taken[c.key].image == name:
            continue  # the source ties the same photo (a source written by parse --to markdown)
        if c.key in taken:
            out.problems.append(f"[images] {name!r}: caption {c.key} already has {taken[c.key].image} "
                                f"({taken[c.key].how})")
            continue
        if name not in files:
            out.problems.append(f"[images] {name!r}: no such photo in the images folder")
            continue
        take(c, name, "sidecar", alt)
    # 3. numbers: a caption's own number, when it is that caption's alone
    numbered: dict[int, list[CaptionRef]] = {}
    for c in captions:
        n = caption_number(c.text)
        if n is not None:
            numbered.setdefault(n, []).append(c)
    for name in list(free_files):
        n = file_number(name)
        cands = numbered.get(n, []) if n is not None else []
        if len(cands) == 1 and cands[0].key not in taken:
            take(cands[0], name, "number")
    # 4. order: photos left, with the captions left that carry no number
    rest = [c for c in captions if c.key not in taken and caption_number(c.text) is None]
    for c, name in zip(rest, list(free_files)):
        take(c, name, "order")
    out.ties = [taken[c.key] for c in captions if c.key in taken]
    out.lone_images = list(free_files)
    out.lone_captions = [c.key for c in captions if c.key not in taken]
    return out


# --- photos no caption takes, placed by the editor as figures ------------------------


def _opening(b: Block) -> str:
    return " ".join((b.lines[0] if b.type == "verse" and b.lines else b.text).split())


def resolve_after(ref: str, issue: Issue) -> tuple[tuple[Article, int] | None, str]:
    """Where ``after = ref`` places a photo: (article, n) for after the article's n-th
    block (figures not counted; 0: before the first), or None and why.

    ``a03`` is the end of article a03, ``a03:4`` after its 4th block, ``a03:0`` before
    its first; any other text is the opening words of one block of the issue."""
    arts = {a.id: a for a in issue.articles}
    aid, colon, num = ref.partition(":")
    if aid in arts and (not colon or (num.isascii() and num.isdigit())):
        a = arts[aid]
        count = sum(1 for b in a.blocks if b.type != "figure")
        n = count if not colon else int(num)
        if n > count:
            return None, f"article {aid} has {count} blocks, not {n} (figures not counted)"
        return (a, n), ""
    words = " ".join(ref.split())
    found = []
    for a in issue.articles:
        k = 0
        for b in a.blocks:
            if b.type == "figure":
                continue
            k += 1
            if _opening(b).startswith(words):
                found.append((a, k))
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, "no block is that (use an article id a03, a03:4 for after its 4th block, or a block's opening words)"
    return None, (f"{len(found)} blocks open so ({', '.join(f'{a.id}:{k}' for a, k in found[:4])}): "
                  f"give more words or a03:4")


def figure_key(a: Article, b: Block) -> str:
    """``a03+4``: the figure after the 4th block of a03 (figures not counted)."""
    n = 0
    for x in a.blocks:
        if x is b:
            return f"{a.id}+{n}"
        if x.type != "figure":
            n += 1
    raise ValueError("not a block of that article")


def place_figures(issue: Issue, files: list[str], table: dict[str, object] | None,
                  prefix: str) -> tuple[list[Tie], list[str]]:
    """The figures of the issue (``Block(type="figure")``): those the source wrote, then
    one for each ``[images]`` entry ``{ after = …, alt = … }`` naming a photo of
    ``files`` the source does not place, inserted after its block (several after one
    block: in file-name order).  Returns (ties, problems); a tie's ``caption`` is the
    figure's key (:func:`figure_key`)."""
    problems: list[str] = []
    placed = {b.image for a in issue.articles for b in a.blocks if b.type == "figure" and b.image}
    hows: dict[int, str] = {}
    for name in sorted(table or {}, key=natural_key):
        v = (table or {})[name]
        if not (isinstance(v, dict) and "after" in v):
            continue
        if prefix + name in placed:
            continue  # the source places it (a source written by parse --to markdown)
        if name not in files:
            problems.append(f"[images] {name!r}: no such photo in the images folder")
            continue
        where, why = resolve_after(str(v["after"]), issue)
        if where is None:
            problems.append(f"[images] {name!r}: after = {v['after']!r}: {why}")
            continue
        a, n = where
        i, k = 0, 0
        while i < len(a.blocks) and k < n:  # past the n-th block that is no figure
            k += a.blocks[i].type != "figure"
            i += 1
        while i < len(a.blocks) and a.blocks[i].type == "figure":  # and past the figures after it
            i += 1
        fig = Block(type="figure", image=prefix + name, alt=str(v.get("alt") or ""))
        a.blocks.insert(i, fig)
        placed.add(fig.image)
        hows[id(fig)] = "sidecar"
    ties = [Tie(figure_key(a, b), b.image[len(prefix):] if b.image.startswith(prefix) else b.image,
                hows.get(id(b), "source"), b.alt)
            for a in issue.articles for b in a.blocks if b.type == "figure" and b.image]
    return ties, problems


def caption_refs(issue: Issue) -> list[tuple[CaptionRef, Block]]:
    out = []
    for a in issue.articles:
        k = 0
        for b in a.blocks:
            if b.type == "caption":
                k += 1
                out.append((CaptionRef(f"{a.id}:{k}", b.text, b.image, b.source[0] if b.source else None), b))
    return out


def images_folder(issue: Issue) -> Path | None:
    """The folder of the issue's photos: the sidecar's, else ``images/`` beside the input."""
    if issue.meta.images:
        return Path(issue.meta.images)
    if issue.source_path:
        return Path(issue.source_path).resolve().parent / "images"
    return None


def issue_folder(issue: Issue) -> Path:
    return Path(issue.source_path).resolve().parent if issue.source_path else Path.cwd()


def list_images(folder: Path) -> list[str]:
    """The photo files of ``folder`` (not hidden, by their ending), names only."""
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as e:
        from .errors import PublisherError

        raise PublisherError(f"images folder {folder}: cannot be read ({e.strerror or e})") from None
    out = [n for n in names if not n.startswith(".") and n.lower().endswith(IMAGE_EXTS)]
    if len(out) > MAX_FILES:
        from .errors import PublisherError

        raise PublisherError(f"images folder {folder}: {len(out)} photos, more than the limit of {MAX_FILES}")
    return sorted(out, key=natural_key)


PHOTO_CODES = ("R401", "R402", "R403")


@dataclass
class Report:
    folder: Path | None = None
    ties: list[Tie] = field(default_factory=list)
    lone_images: list[str] = field(default_factory=list)
    lone_captions: list[str] = field(default_factory=list)
    prefix: str = ""  # the folder relative to the issue's (images/)
    figures: list[Tie] = field(default_factory=list)  # photos placed without a caption


def attach(issue: Issue) -> Report:
    """Tie the issue's photos to its captions (``Block.image``/``alt``), warnings for what
    is left (R401, R402; an [images] entry that picks no caption is R403).  Returns what
    was done, for ``parse``.  An issue without photos and without source ties is left
    as it is."""
    # The photo warnings are made again from the folder on every read: those a source
    # carries as comments (written by ``parse --to markdown``) are dropped, not doubled.
    issue.warnings = [w for w in issue.warnings if w.code not in PHOTO_CODES]
    folder = images_folder(issue)
    files = list_images(folder) if folder is not None else []
    if issue.meta.cover_photo and folder is not None:  # placed by the sidecar: on the cover
        lead = Path(issue.meta.cover_photo)
        files = [f for f in files if (folder / f).resolve() != lead.resolve()]
    refs = caption_refs(issue)
    has_figures = any(b.type == "figure" for a in issue.articles for b in a.blocks)
    if not files and not issue.meta.image_ties and not has_figures and not any(r.image for r, _ in refs):
        return Report(folder=folder)
    base = issue_folder(issue)
    prefix = ""
    if folder is not None:
        rel = os.path.relpath(os.path.abspath(folder), base)  # a symlinked folder keeps its name
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    figures, figure_problems = place_figures(issue, files, issue.meta.image_ties, prefix)
    as_figures = {prefix + t.image for t in figures}
    files = [f for f in files if prefix + f not in as_figures]  # no caption takes a placed figure's photo
    ties = match([r for r, _ in refs], files, issue.meta.image_ties, prefix)
    ties.problems[:0] = figure_problems
    blocks = {r.key: (r, b) for r, b in refs}
    for t in ties.ties:
        _, b = blocks[t.caption]
        if t.how != "source":
            b.image = prefix + t.image
        if t.alt is not None and b.alt is None:
            b.alt = t.alt
    for p in ties.problems:
        issue.warnings.append(Warning("R403", p))
    for name in ties.lone_images:
        issue.warnings.append(Warning("R401", f"photo {prefix}{name}: no caption takes it (not placed; tie it to a "
                                               f"caption, or place it without one, in the sidecar's [images] "
                                               f"or the Markdown source)"))
    if files:
        for key in ties.lone_captions:
            r, _ = blocks[key]
            issue.warnings.append(Warning("R402", f"caption {key} without a photo: {r.text[:30]!r}", r.line))
    return Report(folder=folder, ties=ties.ties, lone_images=ties.lone_images, lone_captions=ties.lone_captions,
                  prefix=prefix, figures=figures)


def report_lines(issue: Issue, report: Report) -> list[str]:
    """What ``parse`` prints of the photos: every tie and how it was made."""
    if not report.ties and not report.lone_images and not report.figures:
        return []
    out = [f"photos ({report.prefix or report.folder}): {len(report.ties)} placed, {len(report.lone_images)} without a caption, "
           f"{len(report.lone_captions)} caption(s) without a photo"
           + (f", {len(report.figures)} placed without a caption" if report.figures else "")]
    for t in report.ties:
        out.append(f"  {t.caption:<8} ← {report.prefix}{t.image}  ({t.how})")
    for t in report.figures:  # a03+4: after the 4th block of a03
        out.append(f"  {t.caption:<8} ← {report.prefix}{t.image}  ({t.how}, no caption)")
    base = issue_folder(issue)
    sizes = {b.image: size for b in tied_blocks(issue) if (size := shown_size(base / b.image)) is not None}
    if sizes:
        from .pdf.photos import dpi_warnings  # the width the PDF sets each photo at

        out.extend("  " + line for line in dpi_warnings(issue, sizes=sizes))
    return out


# --- the tied photos, checked (images.check_image) before a backend uses them --------

# A photo is set at the text block's width, or narrower so that it takes at most this
# share of the block's height (a portrait photo); the caption follows under it.
MAX_HEIGHT_SHARE = 0.55
PRINT_DPI = 300  # below this at its placed size a photo is warned about (R404)


def placed_width(width_px: int, height_px: int, block_w: float, block_h: float) -> float:
    """The width a photo of ``width_px`` × ``height_px`` is set at in a text block of
    ``block_w`` × ``block_h`` (any one unit): full width, or the share of it that keeps its
    height within ``MAX_HEIGHT_SHARE`` of the block's."""
    aspect = height_px / width_px
    return min(block_w, block_h * MAX_HEIGHT_SHARE / aspect)


def tied_blocks(issue: Issue) -> list[Block]:
    """The blocks that show a photo: captions tied to one, and figures (no caption)."""
    return [b for a in issue.articles for b in a.blocks if b.type in ("caption", "figure") and b.image]


def load(issue: Issue) -> dict[str, "Checked"]:
    """Every tied photo checked by content (a one-line PublisherError naming the file for a
    bad one: missing, not a regular file, too large, not an image, SVG, too many pixels),
    by its ``Block.image``, in reading order."""
    from .images import check_image

    base = issue_folder(issue)
    out: dict[str, Checked] = {}
    for b in tied_blocks(issue):
        if b.image not in out:
            out[b.image] = check_image(base / b.image, what="photo")
    return out


def _turned_quarter(im) -> bool:
    try:
        return im.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:  # a damaged EXIF block turns nothing
        return False


def oriented_size(checked: "Checked") -> tuple[int, int]:
    """The photo's width × height as shown: EXIF orientation 5–8 turns it a quarter."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(checked.data)) as im:
        turned = _turned_quarter(im)
    return (checked.height, checked.width) if turned else (checked.width, checked.height)


def shown_size(path: Path) -> tuple[int, int] | None:
    """:func:`oriented_size` from the file's header alone (for ``parse``, which checks no
    photo's bytes: ``build`` does), or None when it cannot be read as an image."""
    from PIL import Image

    from .images import FORMATS

    try:
        with Image.open(path, formats=list(FORMATS)) as im:
            w, h = im.size
            return (h, w) if _turned_quarter(im) else (w, h)
    except Exception:  # the build says what is wrong with it, in one line
        return None


def print_dpi(width_px: int, width_mm: float) -> float:
    return width_px / (width_mm / 25.4)


def print_warnings(placed: dict[str, tuple[int, int, float]]) -> list[str]:
    """One line per photo that would print below PRINT_DPI at its placed width (R404);
    ``placed``: ``Block.image`` → (width px, height px as shown, placed width in mm), the
    width the PDF sets it at (pdf/photos.py: placed_widths)."""
    out = []
    for rel, (w, h, width_mm) in placed.items():
        dpi = print_dpi(w, width_mm)
        if dpi < PRINT_DPI:
            out.append(f"R404 photo {rel}: {w} × {h} px set {width_mm:.0f} mm wide prints at {dpi:.0f} dpi, "
                       f"below {PRINT_DPI} (a larger original prints sharper)")
    return out


if False:  # pragma: no cover - for the annotations only
    from .images import Checked
