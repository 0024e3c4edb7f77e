"""Plan and run an anthology build: page counts, offsets, renders, front matter, merge.

Issue *k* starts at folio ``1 + p₁ + … + pₖ₋₁`` (every issue is padded to an even
page count, so each starts on a recto and its page count does not depend on where
it sits).  Its offset is therefore known once the page counts of the issues before it
are.  The two passes of the plan are:

1. **page counts** — from the cache (keyed by content, not offset) or from a render;
2. **final pages** — each issue rendered with its first folio at its offset.

A render is never thrown away to learn a page count: an issue whose offset is not
known yet is rendered *speculatively* at a guessed offset (earlier issues' known
counts, plus for the unknown ones the page count of the same file in the last build
or an estimate from its size).  The render yields the exact page count once its
pages are laid out; only its furniture (folios, running heads, contents numbers)
depends on the offset, and it is set after that.  So if the offset is known by then,
the render sets the furniture there, guess right or wrong; if not, it stops with its
typeset parts stored (pdf/partcache.py), and the issue is set again at its offset
later, which costs its furniture (``stats.wasted`` counts those).  With a warm cache a rebuild after an
edit renders the edited issue at its known offset, guesses that its page count is
unchanged, finds every later issue in the cache at the guessed offsets, and is done
— unless the count did change, and then exactly the later issues are re-rendered.
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import click

from ..errors import PublisherError
from . import jobs as jobs_mod
from .cache import Entry, RenderCache, content_key, open_cache, render_key
from .config import AnthologyConfig

PAD_ISSUE = 2  # every issue ends on a verso so the next starts on a recto


@dataclass
class BuildStats:
    issues: int = 0
    renders: int = 0  # renders done by workers in this build (speculative ones included)
    rendered: list[int] = field(default_factory=list)  # issues whose final pages were rendered now
    cached: list[int] = field(default_factory=list)  # issues whose final pages came from the cache
    warnings: list[str] = field(default_factory=list)  # e.g. a cache that cannot be written
    wasted: int = 0  # speculative renders at an offset that turned out wrong
    aborted: int = 0  # of those, the ones stopped after layout (no PDF written)
    cache_hits: int = 0
    count_hits: int = 0
    front_cached: bool = False
    pages: int = 0
    front_pages: int = 0
    blank_pages: int = 0
    seconds: float = 0.0
    worker_peak_rss_mb: float = 0.0
    parent_peak_rss_mb: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PlacedIssue:
    index: int
    title: str
    first_folio: int
    entry: Entry


@dataclass
class BuildResult:
    out: Path
    stats: BuildStats
    issues: list[PlacedIssue]
    front_pages: int
    page_count: int


class Progress:
    """Issue-by-issue lines on a terminal (stderr); silent otherwise."""

    def __init__(self, total: int, enabled: bool | None = None):
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.t0 = time.perf_counter()

    def issue(self, i: int, title: str, first: int, count: int, how: str) -> None:
        if self.enabled:
            w = len(str(self.total))
            click.echo(f"  [{i + 1:>{w}}/{self.total}] {title}  pp. {first}–{first + count - 1}  ({how})", err=True)

    def say(self, msg: str) -> None:
        if self.enabled:
            click.echo(f"  {msg}  [{time.perf_counter() - self.t0:.1f} s]", err=True)


def _round_up(n: float, step: int) -> int:
    n = max(step, int(-(-n // 1)))
    return n + (-n) % step


class _Estimator:
    """Page-count guesses for issues not laid out yet.

    An issue of nearly the same size as one already laid out (±3 %) is guessed to have
    as many pages; otherwise pages ≈ a + bytes × b, b fitted to the issues known so far.
    """

    def __init__(self, sizes: list[int]):
        self.sizes = sizes
        self.a = 4.0  # cover, 卷首语 and contents
        self.b = 1 / 3000.0  # UTF-8 bytes of text per page of 16开 body
        self.known: dict[int, int] = {}

    def learn(self, known: dict[int, int]) -> None:
        self.known = dict(known)
        pairs = [(self.sizes[i], n) for i, n in known.items()]
        tot = sum(s for s, _ in pairs)
        if tot > 0:
            self.b = max(1e-6, sum(max(0.0, n - self.a) for _, n in pairs) / tot)

    def guess(self, i: int) -> int:
        size = self.sizes[i]
        near = [(abs(self.sizes[j] - size), n) for j, n in self.known.items()
                if abs(self.sizes[j] - size) <= 0.03 * max(size, 1)]
        if near:
            return min(near)[1]
        return _round_up(self.a + size * self.b, PAD_ISSUE)


class _StaleCount(Exception):
    """A page count taken from the cache was proved wrong by a render: it is dropped and
    the book planned again (the renders made meanwhile stay in the cache)."""


def build_anthology(config: AnthologyConfig, out: str | Path, *, print_mode: bool = False,
                    jobs: int | None = None, cache_dir: str | Path | None = None, use_cache: bool = True,
                    progress: Progress | bool | None = None, read: Callable | None = None,
                    render: Callable | None = None) -> BuildResult:
    """Build the anthology PDF at ``out``; returns what was done (see :class:`BuildStats`)."""
    t0 = time.perf_counter()
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise PublisherError(f"{out}: the anthology output must be a .pdf file")
    n = len(config.issues)
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    if not isinstance(progress, Progress):
        progress = Progress(n, progress)
    stats = BuildStats(issues=n)
    from ..procs import SCRATCH_PATTERN, sweep_stale, tagged_prefix

    sweep_stale(tempfile.gettempdir(), SCRATCH_PATTERN)  # scratch folders of killed builds
    try:  # an output folder that cannot be made is the error, before any cache is opened in it
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublisherError(f"{out.parent}: cannot write output ({e.strerror or e})") from None
    if use_cache:
        cache, warning = open_cache(Path(cache_dir) if cache_dir else out.parent / ".cache" / "anthology",
                                    explicit=cache_dir is not None)
        if warning:
            stats.warnings.append(warning)
            click.echo(f"publisher: warning: {warning}", err=True)
    else:
        cache = RenderCache(None)
    # Named with this process's pid: a folder left by a SIGKILL is removed by the next build.
    scratch_ctx = tempfile.TemporaryDirectory(prefix=tagged_prefix("anthology-")) if cache.folder is None else None
    scratch = Path(scratch_ctx.name) if scratch_ctx else None
    try:
        from .front import render_front
        from .merge import Binder

        def start_front(placed_now: list[PlacedIssue]) -> jobs_mod.ChildCall:
            # In a child process: the building process stays small whatever the book's
            # length.  Started as soon as every page count and contents is known, so it
            # runs beside the last issues' renders.
            progress.say("front matter")
            return jobs_mod.ChildCall(render_front, config.book, placed_now, print_mode=print_mode,
                                      cache=RenderCache(cache.folder), scratch=scratch)

        for attempt in range(2):
            holder: list[jobs_mod.ChildCall] = []
            try:
                # The book is written as the issues are done, in book order (merge.Binder),
                # beside the renders of the later issues and the front matter's setting.
                with Binder(config.book, out, print_mode=print_mode,
                            font_cache=(cache.folder / "fonts") if cache.folder else None) as binder:
                    placed = _run(config, cache, scratch, stats, progress, print_mode=print_mode, jobs=jobs,
                                  read=read, render=render, binder=binder, trust_counts=attempt == 0,
                                  start_front=lambda pl: holder.append(start_front(pl)))
                    if not holder:
                        holder.append(start_front(placed))
                    progress.say(f"binding {sum(p.entry.page_count for p in placed)} pages into {out}")
                    # The book's fonts are cut at the end: the faces loaded for the workers go first.
                    from ..pdf import speed

                    speed.forget_face_bytes()
                    front, front_rss = holder[0].result()
                    total, blanks = binder.finish(front)
                    if print_mode:  # the cover as a spread of its own, written before the book is
                        from .cover import cover_path, render_spread

                        progress.say(f"cover spread {cover_path(out)}")
                        render_spread(config.book, [p.title for p in placed], total, cover_path(out))
            except _StaleCount:
                for h in holder:
                    h.terminate()
                if attempt:
                    raise PublisherError("page counts changed between renders") from None
                stats = BuildStats(issues=n, warnings=stats.warnings)  # again, without the stored counts
                continue
            except BaseException:
                for h in holder:
                    h.terminate()
                raise
            break
        stats.front_cached = front.cached
        stats.worker_peak_rss_mb = max(stats.worker_peak_rss_mb, front_rss)
        stats.front_pages = binder.front_pages
        stats.pages = total
        stats.blank_pages = blanks
        cache.prune()
    finally:
        if scratch_ctx is not None:
            scratch_ctx.cleanup()
    stats.cache_hits = cache.hits
    stats.count_hits = cache.count_hits
    stats.parent_peak_rss_mb = jobs_mod.peak_rss_mb()
    stats.seconds = time.perf_counter() - t0
    progress.say(f"done: {stats.pages} pages, {len(stats.rendered)} of {n} issues rendered, "
                 f"{len(stats.cached)} from the cache")
    return BuildResult(out, stats, placed, stats.front_pages, stats.pages)


def _run(config: AnthologyConfig, cache: RenderCache, scratch: Path | None, stats: BuildStats,
         progress: Progress, *, print_mode: bool, jobs: int, read, render, binder, trust_counts: bool = True,
         start_front: Callable[[list[PlacedIssue]], None] | None = None) -> list[PlacedIssue]:
    n = len(config.issues)
    sources: list[bytes] = []
    for inp in config.issues:
        try:
            sources.append(inp.path.read_bytes())
        except OSError as e:
            raise PublisherError(f"{inp.path}: cannot read ({e.strerror})") from None
    def profile_digest(meta) -> str:  # printing, a cover image is separated with the profile's bytes
        if not print_mode:
            return ""
        from ..pdf.pdfx import load_profile

        return hashlib.sha256(load_profile(meta.print_profile).data).hexdigest()

    from .inputs import inputs_digest  # the sidecar, cover, cover photo and photos, by their bytes

    digests = [inputs_digest(inp.path, meta, src, inp.override_dict)
               for src, meta, inp in zip(sources, config.metas, config.issues)]
    ckeys = [content_key(src, asdict(meta), print_mode=print_mode, pad_to=PAD_ISSUE, running_head=None,
                         extra=repr(inp.overrides) + profile_digest(meta) + dig)
             for src, meta, inp, dig in zip(sources, config.metas, config.issues, digests)]
    binder.begin(ckeys)
    titles = [m.title or inp.path.stem for m, inp in zip(config.metas, config.issues)]
    est = _Estimator([len(s) for s in sources])
    counts: dict[int, int] = {}
    from_cache: set[int] = set()  # counts read from the cache, not laid out in this build
    for i, k in enumerate(ckeys):
        c = cache.count(k) if trust_counts else None  # after a wrong one: every count laid out again
        if c is not None:
            counts[i] = c
            from_cache.add(i)
    last = {i: cache.last_count(str(config.issues[i].path)) for i in range(n) if i not in counts and trust_counts}
    renders_at: list[dict[int, Entry]] = [{} for _ in range(n)]
    in_flight: list[set[int]] = [set() for _ in range(n)]
    aborted_at: list[set[int]] = [set() for _ in range(n)]  # speculative offsets stopped after layout
    done: list[PlacedIssue | None] = [None] * n
    submitted: set[str] = set()  # render keys given to workers in this build
    hows: dict[int, str] = {}
    tocs: dict[int, list] = {}  # contents of each issue (offset-independent), from any render
    front_started = start_front is None
    announced = 0

    def guess(i: int) -> int:
        if i in counts:
            return counts[i]
        if last.get(i):
            return last[i]
        return est.guess(i)

    def offsets() -> tuple[list[int | None], list[int]]:
        exact: list[int | None] = []
        guessed: list[int] = []
        off, ok = 1, True
        for i in range(n):
            exact.append(off if ok else None)
            guessed.append(off)
            ok = ok and i in counts
            off += guess(i)
        return exact, guessed

    def found(i: int, off: int) -> Entry | None:
        e = renders_at[i].get(off)
        key = render_key(ckeys[i], off)
        if e is None and key not in submitted:
            e = cache.lookup(key)
        if e is not None and i in from_cache and counts[i] != e.page_count:
            cache.forget_count(ckeys[i])  # a wrong stored count: the render's pages are the truth
            raise _StaleCount()
        if e is not None and i not in counts:
            counts[i] = e.page_count
        if e is not None:
            tocs.setdefault(i, e.toc)
        return e

    root = cache.folder or scratch

    def task(i: int, off: int, speculative: bool) -> jobs_mod.Task:
        submitted.add(render_key(ckeys[i], off))
        inp = config.issues[i]
        return jobs_mod.Task(i, str(inp.path), inp.overrides, off, print_mode, PAD_ISSUE, None, ckeys[i],
                             str(root), speculative, str(root / "renders" / "parts"))

    jobs_mod.set_backends(read, render)
    keeps_parts = jobs_mod.keeps_parts()
    pool = jobs_mod.WorkerPool(jobs, n)

    def learn_count(i: int, count: int) -> None:
        if counts.get(i) not in (None, count) and i in from_cache:
            cache.forget_count(ckeys[i])  # a wrong stored count: the render's pages are the truth
            raise _StaleCount()
        if counts.get(i) not in (None, count):
            raise PublisherError(f"{config.issues[i].path}: page count changed between renders "
                                 f"({counts[i]} then {count})")
        if i not in counts:
            counts[i] = count
            cache.put_count(ckeys[i], count)
            cache.put_last_count(str(config.issues[i].path), count)
            est.learn(counts)

    to_bind: list[PlacedIssue] = []

    def bind() -> None:
        for d in to_bind:
            binder.add(d)
        to_bind.clear()

    started = False
    try:
        while True:
            exact, guessed = offsets()
            for i, off in enumerate(exact):
                if off is not None:
                    pool.publish_offset(i, off)
            # Settle every issue whose offset is known and whose pages exist.
            for i in range(n):
                if done[i] is None and exact[i] is not None:
                    e = renders_at[i].get(exact[i])
                    how = "rendered"
                    key = render_key(ckeys[i], exact[i])
                    if e is None and key not in submitted:  # a worker's file is not a cache hit
                        e = cache.take(key)
                        how = "cached"
                    if e is not None:
                        cache.mark_used(e.key)
                        done[i] = PlacedIssue(i, titles[i], exact[i], e)
                        to_bind.append(done[i])
                        (stats.rendered if how == "rendered" else stats.cached).append(i)
                        hows[i] = how
            if not front_started:
                for i in range(n):
                    if i not in tocs and done[i] is not None:
                        tocs[i] = done[i].entry.toc
                if len(counts) == n and len(tocs) == n and all(x is not None for x in exact):
                    # Every offset is exact now: the general contents can be set.
                    front_started = True
                    start_front([done[i] or PlacedIssue(i, titles[i], exact[i], Entry(
                        "", Path(), counts[i], tocs[i], exact[i])) for i in range(n)])
            while announced < n and done[announced] is not None:  # progress in book order
                d = done[announced]
                progress.issue(announced, d.title, d.first_folio, d.entry.page_count, hows[announced])
                announced += 1
            if all(d is not None for d in done):
                break
            # Fill free workers.  First what teaches a page count — an issue at its known
            # offset, then speculation — so that every count, and with them the general
            # contents (the longest single task at the end), is known as early as
            # possible; then the issues whose pages are laid out and only wait for
            # their furniture at the right offset.  In each group the largest issue
            # first (the long renders are the ones that finish last).  An issue already
            # being set is left to that render: with the part cache, one stopped for a
            # wrong or unknown offset has stored its parts, and setting it again at the
            # right offset costs only its furniture.
            todo: list[tuple[int, int, bool]] = []
            by_size = sorted(range(n), key=lambda i: (-len(sources[i]), i))
            for i in by_size:
                if done[i] is None and exact[i] is not None and not in_flight[i] and i not in counts:
                    todo.append((i, exact[i], False))
            for i in by_size:
                # With the part cache, a speculative render stops after layout unless its
                # offset is known by then: once the page count is known it has nothing
                # left to learn.
                if done[i] is None and exact[i] is None and not in_flight[i] and not (keeps_parts and i in counts):
                    g = guessed[i]
                    if g not in aborted_at[i] and found(i, g) is None:
                        todo.append((i, g, True))
            for i in by_size:
                if done[i] is None and exact[i] is not None and not in_flight[i] and i in counts:
                    todo.append((i, exact[i], False))
            if not started and todo:
                pool.load_fonts = len(todo) > pool.jobs  # a rebuild of one issue: not worth it
                pool.__enter__()
                started = True
            for i, off, spec in todo:
                if pool.in_flight >= pool.jobs:
                    break
                pool.submit(task(i, off, spec))
                in_flight[i].add(off)
            if pool.in_flight == 0:
                # Nothing running and nothing to start: every unknown count is waiting on a
                # guessed render that exists, so the guesses must be confirmed by a render.
                cand = [i for i in range(n) if i not in counts]
                if not cand:
                    raise PublisherError("anthology plan: nothing to render and not done (internal error)")
                i = cand[0]
                if not started:
                    pool.__enter__()
                    started = True
                pool.submit(task(i, exact[i] if exact[i] is not None else guessed[i], exact[i] is None))
                in_flight[i].add(exact[i] if exact[i] is not None else guessed[i])
            bind()  # the workers have their next tasks: copy what is done meanwhile
            r = pool.next_event()
            if r["event"] == "count":  # a page count, reported before the PDF is written
                learn_count(r["index"], r["page_count"])
                if r.get("toc") is not None:
                    tocs.setdefault(r["index"], r["toc"])
                continue
            if not r["ok"]:
                if r.get("detail"):
                    sys.stderr.write(r["detail"])
                raise PublisherError(r["message"])
            i = r["index"]
            asked = r.get("asked_folio", r["first_folio"])
            in_flight[i].discard(asked)
            stats.renders += 1
            stats.worker_peak_rss_mb = max(stats.worker_peak_rss_mb, r["rss_mb"])
            if r["page_count"]:
                learn_count(i, r["page_count"])
            if r.get("aborted"):
                stats.aborted += 1
                aborted_at[i].add(asked)
                continue
            submitted.add(r["key"])
            e = Entry(r["key"], Path(r["pdf_path"]), r["page_count"], r["toc"], r["first_folio"])
            tocs.setdefault(i, e.toc)
            cache.adopt(e)
            renders_at[i][r["first_folio"]] = e
    except KeyboardInterrupt:
        pool.terminate()
        raise
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.terminate()  # speculative renders still running are no longer needed
        bind()
    stats.rendered.sort()
    stats.cached.sort()
    stats.wasted = stats.renders - len(stats.rendered)
    stats.worker_peak_rss_mb = max(stats.worker_peak_rss_mb, jobs_mod.children_peak_rss_mb())
    return [d for d in done if d is not None]
