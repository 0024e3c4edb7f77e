"""Wall time and peak memory of one PDF build: ``python -m publisher.pdf.bench INPUT [--print]``.

Runs the whole path a user runs (read the input, lay out, write the PDF) in a fresh
process and prints one JSON line: seconds per stage, pages, peak RSS in MB.  Not a
test: timings depend on the machine and its load (the benchmark script calls it).
"""
from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    t0 = time.perf_counter()
    args = [a for a in argv if not a.startswith("--")]
    print_mode = "--print" in argv
    from publisher.pdf import render_issue
    from publisher.reader import read_issue
    from publisher.textio import atomic_write

    t_import = time.perf_counter()
    issue = read_issue(args[0])
    t_read = time.perf_counter()
    r = render_issue(issue, print_mode=print_mode)
    t_render = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        atomic_write(Path(d) / "out.pdf", r.pdf)
    t_end = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "input": Path(args[0]).name, "print": print_mode, "pages": r.page_count,
        "import_s": round(t_import - t0, 3), "read_s": round(t_read - t_import, 3),
        "render_s": round(t_render - t_read, 3), "total_s": round(t_end - t0, 3),
        "cpu_s": round(cpu.ru_utime + cpu.ru_stime, 3),
        "peak_rss_mb": round(cpu.ru_maxrss / 1024, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
