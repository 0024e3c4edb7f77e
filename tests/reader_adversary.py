"""Hostile inputs for the reader and a watchdog child to parse them in (issue 12).

Shared by ``tests/test_reader_adversarial.py`` (bounded, in CI), ``scripts/fuzz_reader.py``
(the long run, ``--count``) and the adversarial section of ``scripts/benchmark.py``.

* ``shapes(size)``: generated adversarial shapes, each a whole small issue whose one
  hostile line (or block) is about ``size`` characters: long runs of each punctuation
  mark, leader and kind of space, in body text, in a 目录 entry (ending in a page and
  not), in a heading; brackets and Markdown markers repeated; numbering repeated;
  many 目录 entries.
* ``mutants(texts, rng, n)``: seeded mutations of real inputs (the line-level damage
  of ``test_reader_fuzz._mutate`` plus a hostile run spliced into a line).
* ``Watchdog``: one child process parses input after input; an input that does not
  finish within its limit is a hang (the child is killed and restarted); an exception
  is a crash; the child reports the lines left unaccounted for and its CPU time.
"""
from __future__ import annotations

import multiprocessing as mp
import random
import time
import traceback
from dataclasses import dataclass

# Punctuation the reader treats specially or that print exports are full of.
MARKS = list("，。、；：？！…—–－-_~·•.,;:?!\"'“”‘’（）()《》〈〉【】[]〔〕「」『』{}<>/／\\|｜*#>+=%&@^`■□●◆▲★※→")
LEADERS = ["…", "……", ".", "·", "•", "—", "-", "_", "。", "－", "⋯", ". ", "… "]
SPACES = [" ", "\t", "\u00a0", "\u3000", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f", "\u205f", "\u2000", "\u2007"]
REPEATS = [
    "[", "]", "](", "[a](", "![", "![a](", "(", ")", "**", "__", "*", "_", "**a", "#", "# ", ">", "> ", "- ", "* ",
    "|", "| ", "`", "~~", "《", "》", "【", "】", "（", "）", "“", "”", "/", "／", "——", "/ ", " /",
    "1.", "01 ", "1、", "（一）", "第一章", "一、", "(1)", "①", "P1", "12 ", " 12", "第1期", "总第1期",
]
HAN = "建设清廉乡村春天来了关于进一步做好工作的通知坚持首位战略深化改革扩大开放"


def _issue(hostile: str) -> str:
    """A small issue with a 目录 and one article, the hostile text inside it."""
    return "\n".join(["目录", "", "春天来了……1", "坚持首位战略……3", "", "春天来了", "", hostile, "", "坚持首位战略", "", "正文一句。"])


def _toc(hostile_entry: str) -> str:
    """The hostile text as a 目录 entry."""
    return "\n".join(["目录", "", "春天来了……1", hostile_entry, "坚持首位战略……3", "", "春天来了", "", "正文一句。", "", "坚持首位战略", "", "正文。"])


def shapes(size: int) -> list[tuple[str, str]]:
    """``(name, text)`` for every generated adversarial shape, about ``size`` characters each."""
    out: list[tuple[str, str]] = []

    def run(unit: str) -> str:
        return unit * max(1, size // len(unit))

    for m in MARKS:
        r = run(m)
        out.append((f"body run {m!r}", _issue("正文" + r + "结束。")))
        out.append((f"目录 run {m!r}", _toc("标题" + r + "x")))
        out.append((f"目录 run {m!r} + page", _toc("标题" + r + "12")))
        out.append((f"alternating {m!r}", _issue(run(m + "字"))))
    for lead in LEADERS:
        r = run(lead)
        out.append((f"leaders {lead!r} no page", _toc("标题" + r + "x")))
        out.append((f"leaders {lead!r} page", _toc("标题" + r + "12")))
        out.append((f"leaders {lead!r} line", _issue(r)))
    for sp in SPACES:
        r = run(sp)
        out.append((f"spaces {sp!r} in 目录 entry", _toc("标题" + r + "/作者" + r + "x")))
        out.append((f"spaces {sp!r} before page", _toc("标题" + r + "12")))
        out.append((f"spaces {sp!r} in body", _issue("正文" + r + "结束。")))
        out.append((f"spaces {sp!r} between marks", _issue(run("/" + sp))))
    for rep in REPEATS:
        r = run(rep)
        out.append((f"repeat {rep!r} body", _issue("正文" + r)))
        out.append((f"repeat {rep!r} 目录", _toc(r)))
        out.append((f"repeat {rep!r} lines", _issue("\n".join([rep * 3] * max(1, size // (3 * len(rep) + 1))))))
    # many 目录 entries and as many short articles
    n = max(10, size // 40)
    titles = [HAN[i % 17 : i % 17 + 6] + str(i) for i in range(n)]
    toc = ["目录", ""] + [f"{t}……{i % 999 + 1}" for i, t in enumerate(titles)]
    body = [x for t in titles for x in ("", t, "", "正文。")]
    out.append(("many 目录 entries", "\n".join(toc + body)))
    out.append(("many 目录 entries, bodies missing", "\n".join(toc + ["", "正文。"])))
    out.append(("many 目录 lines, no page", "\n".join(["目录", ""] + titles)))
    return out


def _hostile_run(rng: random.Random) -> str:
    unit = rng.choice(MARKS + LEADERS + SPACES + REPEATS)
    return unit * rng.randint(50, 3000)


def mutants(texts: list[tuple[str, str]], rng: random.Random, n: int):
    """``n`` seeded mutants ``(name, text)`` of the ``(name, text)`` inputs, round robin."""
    from test_reader_fuzz import _mutate  # the line-level damage of the in-process fuzz test

    pool = [ln for _, t in texts for ln in t.splitlines() if ln.strip()]
    for case in range(n):
        name, text = texts[case % len(texts)]
        lines = text.splitlines()
        if rng.random() < 0.6:  # a window keeps the parse fast; the 目录 head stays in play
            a = rng.randrange(max(1, len(lines)))
            lines = lines[:70] + lines[a : a + rng.randint(5, 150)]
        lines = _mutate(lines, rng, pool)
        for _ in range(rng.randint(0, 2)):  # a hostile run spliced into a line
            if lines:
                i = rng.randrange(len(lines))
                k = rng.randint(0, len(lines[i]))
                lines[i] = lines[i][:k] + _hostile_run(rng) + lines[i][k:]
        yield f"mutant {case} of {name}", "\n".join(lines)


def check_issue(text: str) -> tuple[list[int], list[str]]:
    """Parse ``text``: (lines not accounted for, other defects of the model)."""
    from publisher.model import ARTICLE_KINDS, BLOCK_TYPES, Meta
    from publisher.reader import parse_text, unaccounted_lines

    issue = parse_text(text, Meta())
    bad: list[str] = []
    ids = [a.id for a in issue.articles]
    if len(ids) != len(set(ids)):
        bad.append("duplicate article ids")
    for a in issue.articles:
        if not a.title.strip():
            bad.append("empty title")
        if a.kind not in ARTICLE_KINDS:
            bad.append(f"kind {a.kind}")
        for b in a.blocks:
            if b.type not in BLOCK_TYPES:
                bad.append(f"block type {b.type}")
    return unaccounted_lines(issue, text), bad


def _serve(conn) -> None:
    while True:
        text = conn.recv()
        if text is None:
            return
        c0 = time.process_time()
        try:
            missing, bad = check_issue(text)
            conn.send(("ok", missing[:10], bad[:5], time.process_time() - c0))
        except Exception as exc:  # reported to the parent: a crash of the reader
            tb = traceback.format_exc().strip().splitlines()
            conn.send(("crash", f"{type(exc).__name__}: {exc}", tb[-3:], time.process_time() - c0))


@dataclass
class Result:
    status: str  # ok | crash | hang
    missing: list[int]
    bad: list[str]
    cpu: float  # CPU seconds in the child (wall limit for a hang)
    wall: float
    detail: str = ""


class Watchdog:
    """A child process that parses inputs one by one, killed and restarted on a hang."""

    def __init__(self, limit_s: float):
        self.limit_s = limit_s
        self._ctx = mp.get_context("spawn")
        self._start()

    def _start(self) -> None:
        self._conn, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child,), daemon=True)
        self._proc.start()
        child.close()
        self._conn.send("目录\n\n甲乙……1\n\n甲乙\n\n正文。")  # warm up: imports, converters
        if self._conn.poll(120):
            self._conn.recv()

    def run(self, text: str) -> Result:
        t0 = time.perf_counter()
        self._conn.send(text)
        if not self._conn.poll(self.limit_s):
            self._proc.kill()
            self._proc.join()
            self._start()
            return Result("hang", [], [], self.limit_s, time.perf_counter() - t0)
        status, a, b, cpu = self._conn.recv()
        wall = time.perf_counter() - t0
        if status == "crash":
            return Result("crash", [], list(b), cpu, wall, detail=a)
        return Result("ok", list(a), list(b), cpu, wall)

    def close(self) -> None:
        try:
            self._conn.send(None)
            self._proc.join(5)
        finally:
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join()


def many_entries(n: int, seed: int = 1, changed: bool = True) -> str:
    """An issue of ``n`` 目录 entries, each article printed with one word changed (清廉 →
    勤廉), so that no entry matches exactly and every one goes through fuzzy matching
    (``changed=False``: the same issue with every title as the 目录 prints it)."""
    rng = random.Random(seed)
    alphabet = HAN + "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    titles = ["".join(rng.choice(alphabet) for _ in range(rng.randint(6, 14))) for _ in range(n)]
    out = ["目录", ""] + [f"{t}……{k % 999 + 1}" for k, t in enumerate(titles)] + [""]
    for t in titles:
        other = rng.choice(alphabet)
        out += [t[:2] + other + t[3:] if changed else t, "", "".join(rng.choice(alphabet) for _ in range(60)) + "。", ""]
    return "\n".join(out)
