#!/usr/bin/env python
"""Picture benchmark: ``kgraph viz`` and ``kgraph chain`` on a generated corpus of N speeches.

    python bench/viz_bench.py --sizes 2000,10000          # generate + build, then draw
    python bench/viz_bench.py --workspace /tmp/ws10000     # draw an existing workspace

For each workspace it runs, as a user would (the CLI, in a child process):

- ``kgraph viz --out graph.html``           the whole graph, folded (Meetings, officials … one box per group)
- ``kgraph chain --out chain.html``         the responsibility chain, folded, expandable
- ``kgraph chain --out chain.pdf``          the same on an A4 landscape page (Graphviz)
- ``kgraph viz --detail --out detail.html`` the --max-nodes (150) most mentioned nodes

and prints one Markdown row each: wall seconds, CPU seconds of the child
(user + sys, steadier than wall time on a shared machine), the share of one
core it got (CPU / wall: the command is single-threaded, so with a free core
the wall time is about the CPU time), output size, what was drawn, and the
1-minute load average when it finished.  The corpus is the one of bench/build_bench.py.  Not a test:
nothing here is timed by pytest.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import KGRAPH, write_corpus

RUNS = [
    ("viz → html", ["viz", "--out", "graph.html"]),
    ("chain → html", ["chain", "--out", "chain.html"]),
    ("chain → pdf", ["chain", "--out", "chain.pdf"]),
    ("viz --detail → html", ["viz", "--detail", "--out", "detail.html"]),
]


def run(ws: Path, out_dir: Path, args: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        [KGRAPH, *args, "--workspace", str(ws)],
        cwd=out_dir,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"kgraph {' '.join(args)} failed:\n{proc.stderr}")
    out = out_dir / args[args.index("--out") + 1]
    drawn = re.search(r"\((.*?), (\d+) relations\)", proc.stdout)
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "mb": out.stat().st_size / 1e6,
        "drawn": f"{drawn.group(1)}, {drawn.group(2)} relations" if drawn else "?",
    }


def bench(ws: Path, label: str) -> None:
    with tempfile.TemporaryDirectory(prefix="kgraph-viz-bench-") as tmp:
        for name, args in RUNS:
            r = run(ws, Path(tmp), args)
            print(
                f"| {label} | {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['cpu'] / r['wall']:.0%} | {r['mb']:.2f} | "
                f"{r['drawn']} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="", help="comma-separated corpus sizes to generate and build"
    )
    ap.add_argument(
        "--workspace",
        action="append",
        default=[],
        help="draw this existing workspace (repeatable)",
    )
    ap.add_argument(
        "--keep", action="store_true", help="keep the generated corpora and workspaces"
    )
    args = ap.parse_args()
    if not args.sizes and not args.workspace:
        ap.error("give --sizes or --workspace")
    print(
        "| corpus | command | wall s | CPU s | core share | output MB | drawn | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for ws in args.workspace:
        bench(Path(ws), Path(ws).name)
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        root = Path(tempfile.mkdtemp(prefix=f"kgraph-viz-bench-{n}-"))
        try:
            write_corpus(root / "corpus", n)
            subprocess.run(
                [KGRAPH, "build", str(root / "corpus"), "-w", str(root / "ws")],
                check=True,
                capture_output=True,
            )
            bench(root / "ws", f"{n:,} speeches")
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
