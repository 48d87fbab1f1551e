#!/usr/bin/env python
"""Build benchmark: a generated corpus of N speeches through ``kgraph build``.

    python bench/build_bench.py --sizes 100,1000,10000

For each N it

1. generates N speeches from the seeds in ``data/speeches/`` (paragraphs and
   sentences shuffled across documents, officials renamed — the name after a
   title such as 市委书记 is swapped for a random surname + given name — and
   places renamed), some written back as traditional characters with pinyin
   glosses and some as GB18030, like the scrapes they imitate;
2. builds the workspace through the library in a child process (so its peak
   RSS, and that of its worker processes, can be read from ``getrusage``);
3. builds it once more through the ``kgraph build`` CLI as a sanity check (same
   node/edge counts);
4. times ``who 危险化学品`` and ``what 行业主管部门`` in-process against the
   SQLite workspace (median of several runs) and through the CLI (wall time);
5. adds one file and rebuilds: exactly one file must be re-processed;
6. runs plain ``jieba.lcut`` (accurate mode) over the same decoded text, in
   the same run, as the reference speed.

It prints one table row per N (Markdown, ready for bench/README.md).  Then
the no-punctuation case: the seeds as ONE line without 。！？ (nor ; or line
breaks), 1, 2 and 5 MB of it (``--no-punct``), each extracted by
``process_text`` in a fresh child process; one line gives the curve, which
should be linear (sentences are bounded whatever the punctuation).  This is
not a test: nothing here is timed by pytest.

    python bench/build_bench.py --sizes 0 --no-punct 1,2,5     # only that case
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"
# The console script installed beside this interpreter (pip install -e .).
KGRAPH = (
    shutil.which("kgraph", path=str(Path(sys.executable).parent))
    or shutil.which("kgraph")
    or "kgraph"
)

# Given-name characters (common in officials' names) and places to swap in.
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
PLACES = [
    "赣州",
    "九江",
    "上饶",
    "宜春",
    "吉安",
    "抚州",
    "萍乡",
    "新余",
    "景德镇",
    "南平",
    "三明",
    "龙岩",
    "宁德",
    "莆田",
    "漳州",
    "衡阳",
    "岳阳",
    "常德",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "湘潭",
    "株洲",
    "邵阳",
    "绵阳",
    "德阳",
    "宜宾",
    "泸州",
    "南充",
    "达州",
    "遂宁",
    "内江",
    "乐山",
    "眉山",
    "自贡",
    "攀枝花",
    "洛阳",
    "开封",
    "安阳",
    "新乡",
]
SEED_PLACES = ("鹰潭", "北京")
TITLES = [
    "在全市安全生产工作会议上的讲话",
    "在{p}市安全生产委员会全体会议上的讲话",
    "全市安全生产工作会议召开",
    "在安全生产专项整治三年行动推进会上的讲话",
    "在{p}市国庆假期安全防范工作部署会上的讲话",
]


# --- corpus ----------------------------------------------------------------------
class Seeds:
    """Paragraphs (lists of sentences) of the cleaned seed speeches, and the
    names of the officials in them."""

    def __init__(self) -> None:
        from kgraph.pipeline import process_file

        self.paragraphs: list[list[str]] = []
        self.sentences: list[str] = []
        names: set[str] = set()
        surname_titles: set[str] = set()
        for f in sorted(SEEDS.glob("*.txt")):
            r = process_file(f)
            text = r.document.text
            for m in r.mentions:
                if m.kind != "official":
                    continue
                if m.rule == "official.surname_title":
                    surname_titles.add(m.name[0])
                else:
                    names.add(m.name)
            para: list[str] = []
            last_end = 0
            for s in r.sentences:
                if "\n" in text[last_end : s.start] and para:
                    self.paragraphs.append(para)
                    para = []
                para.append(s.text)
                self.sentences.append(s.text)
                last_end = s.end
            if para:
                self.paragraphs.append(para)
        self.names = sorted(names, key=len, reverse=True)
        alternatives = [re.escape(n) for n in self.names]
        alternatives += [
            f"{re.escape(s)}(?=(?:副)?(?:市长|省长|县长|书记))"
            for s in sorted(surname_titles)
        ]
        alternatives += list(SEED_PLACES)
        self.rename_re = re.compile("|".join(alternatives))


def _new_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
    )


def make_speech(seeds: Seeds, rng: random.Random) -> str:
    place = rng.choice(PLACES)
    mapping: dict[str, str] = {p: place for p in SEED_PLACES}

    def rename(m: re.Match[str]) -> str:
        old = m.group()
        if old not in mapping:
            mapping[old] = _new_name(rng) if len(old) > 1 else rng.choice(SURNAMES)
        return mapping[old]

    paras = []
    for _ in range(rng.randint(6, 16)):
        if rng.random() < 0.6:
            para = list(rng.choice(seeds.paragraphs))
            if len(para) > 2 and rng.random() < 0.5:
                rng.shuffle(para)
        else:  # a paragraph made of sentences from different speeches
            para = [rng.choice(seeds.sentences) for _ in range(rng.randint(2, 6))]
        paras.append("".join(para))
    title = rng.choice(TITLES).format(p=place)
    body = "\n".join(paras)
    return seeds.rename_re.sub(rename, title + "\n" + body) + "\n"


_S2T = None


def _traditional(text: str, rng: random.Random) -> str:
    """Traditional characters with the odd pinyin gloss, as in the scraped seeds."""
    global _S2T
    if _S2T is None:
        import opencc

        _S2T = opencc.OpenCC("s2t")
    text = _S2T.convert(text)
    glosses = {
        "統": "tǒng",
        "發": "fā",
        "實": "shí",
        "險": "xiǎn",
        "應": "yīng",
        "關": "guān",
    }
    return "".join(
        ch + f"({glosses[ch]})" if ch in glosses and rng.random() < 0.5 else ch
        for ch in text
    )


def write_corpus(root: Path, n: int, seed: int = 1) -> tuple[int, list[Path]]:
    seeds = Seeds()
    rng = random.Random(seed)
    files = []
    total = 0
    for i in range(n):
        text = make_speech(seeds, rng)
        roll = rng.random()
        sub = root / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"speech_{i:06d}.txt"
        if roll < 0.2:
            data = _traditional(text, rng).encode("utf-8")
        elif roll < 0.3:
            data = text.encode("gb18030")
        else:
            data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        files.append(path)
    return total, files


# --- measurements -------------------------------------------------------------------
CHILD = r"""
import json, resource, sys, time
from kgraph.build import build_workspace
t = time.perf_counter()
r = build_workspace([sys.argv[1]], sys.argv[2], jobs=int(sys.argv[3]) if sys.argv[3] != "0" else None)
wall = time.perf_counter() - t
print(json.dumps({"seconds": wall, "processed": len(r.processed), "reused": r.reused, "skipped": len(r.skipped),
                  "nodes": r.nodes, "edges": r.edges, "documents": r.documents, "bytes": r.bytes_read,
                  "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def library_build(corpus: Path, ws: Path, jobs: int) -> dict:
    """Build in a child process; peak RSS of the builder and of its largest worker."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(ws), str(jobs)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"library build failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cli_build(corpus: Path, ws: Path, jobs: int) -> tuple[float, dict]:
    cmd = [KGRAPH, "build", str(corpus), "-w", str(ws), "--json"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"kgraph build failed:\n{proc.stderr}")
    return wall, json.loads(proc.stdout)


def query_times(ws: Path, runs: int = 7) -> dict:
    from kgraph.query import what, who
    from kgraph.store import Workspace

    w = Workspace(ws)
    out = {}
    for name, fn, term in (("who", who, "危险化学品"), ("what", what, "行业主管部门")):
        fn(w, term)  # warm: lexicon load, page cache
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            rows = fn(w, term)
            times.append(time.perf_counter() - t)
        out[name] = (statistics.median(times) * 1000, len(rows))
        t = time.perf_counter()
        proc = subprocess.run(
            [KGRAPH, name, term, "-w", str(ws), "--json"], capture_output=True
        )
        out[name + "_cli"] = (time.perf_counter() - t) * 1000
        if proc.returncode != 0:
            raise SystemExit(f"kgraph {name} failed: {proc.stderr.decode()}")
    return out


JIEBA_CHILD = r"""
import json, sys, time
from pathlib import Path
import jieba
jieba.setLogLevel(60)
jieba.initialize()
files = [Path(l) for l in sys.stdin.read().splitlines()]
texts, total = [], 0
for f in files:
    data = f.read_bytes()
    total += len(data)
    try:
        texts.append(data.decode("utf-8"))
    except UnicodeDecodeError:
        texts.append(data.decode("gb18030"))
t = time.perf_counter()
tokens = 0
for text in texts:
    tokens += len(jieba.lcut(text))
print(json.dumps({"seconds": time.perf_counter() - t, "bytes": total, "tokens": tokens}))
"""


def jieba_reference(files: list[Path]) -> dict:
    """Plain jieba.lcut (accurate mode, one process) over the same files."""
    proc = subprocess.run(
        [sys.executable, "-c", JIEBA_CHILD],
        input="\n".join(map(str, files)),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"jieba reference failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def incremental(corpus: Path, ws: Path, jobs: int, seeds_rng_seed: int) -> dict:
    extra = corpus / "zz_added" / "speech_added.txt"
    extra.parent.mkdir(exist_ok=True)
    extra.write_text(
        make_speech(Seeds(), random.Random(seeds_rng_seed)), encoding="utf-8"
    )
    r = library_build(corpus, ws, jobs)
    if r["processed"] != 1:
        raise SystemExit(
            f"incremental rebuild re-processed {r['processed']} files, expected exactly 1"
        )
    return r


NO_PUNCT_CHILD = r"""
import json, re, sys, time
from pathlib import Path
from kgraph.lexicon import load_lexicon
from kgraph.pipeline import process_text
seeds, size = Path(sys.argv[1]), int(sys.argv[2])
text = "".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
line = re.sub(r"[。！？!?；;\r\n]", "", text)
n = size * len(line) // len(line.encode())  # characters for `size` bytes of UTF-8
line = (line * (n // len(line) + 1))[:n]
lex = load_lexicon()
process_text("市委书记张三强调。", "warm-up", lexicon=lex)
t, cpu = time.perf_counter(), time.process_time()
r = process_text(line, "flat", lexicon=lex)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu, "bytes": len(line.encode()), "sentences": len(r.sentences),
                  "longest": max(len(s.text) for s in r.sentences), "mentions": len(r.mentions)}))
"""


def no_punctuation_curve(sizes_mb: list[float]) -> str:
    """Extraction time of one line without sentence punctuation, per size, as one line."""
    points = []
    for mb in sizes_mb:
        proc = subprocess.run(
            [sys.executable, "-c", NO_PUNCT_CHILD, str(SEEDS), str(int(mb * 1e6))],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"no-punctuation case failed:\n{proc.stderr}")
        r = json.loads(proc.stdout)
        print(f"[no-punct {mb:g} MB] {r}", file=sys.stderr, flush=True)
        points.append(
            f"{r['bytes'] / 1e6:.1f} MB {r['seconds']:.1f} s (CPU {r['cpu']:.1f} s)"
        )
    # CPU time too: on a shared machine the wall time says as much about the neighbours
    return "no-punctuation line (one process, extraction): " + ", ".join(points)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="100,1000",
        help="comma-separated corpus sizes (default 100,1000)",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="worker processes (default: kgraph's default, all cores)",
    )
    ap.add_argument(
        "--keep", action="store_true", help="keep the generated corpora and workspaces"
    )
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba reference")
    ap.add_argument(
        "--no-punct",
        default="1,2,5",
        help="MB sizes of the one-line no-punctuation case ('' to skip; default 1,2,5)",
    )
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if int(s) > 0]

    header = (
        "| N | input MB | build s | MB/s | docs/s | jieba.lcut MB/s | × jieba | peak RSS MB (main / worker) "
        "| nodes | edges | who ms (in-proc / CLI) | what ms (in-proc / CLI) | +1 file: processed, s |"
    )
    rows = []
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"kgraph-bench-{n}-"))
        try:
            corpus, ws, ws_cli = tmp / "corpus", tmp / "ws", tmp / "ws-cli"
            t = time.perf_counter()
            nbytes, files = write_corpus(corpus, n)
            print(
                f"[N={n}] corpus: {nbytes / 1e6:.1f} MB in {time.perf_counter() - t:.1f}s → {corpus}",
                file=sys.stderr,
            )

            b = library_build(corpus, ws, args.jobs)
            assert b["processed"] == n and b["skipped"] == 0, b
            print(f"[N={n}] library build: {b}", file=sys.stderr)

            cli_wall, c = cli_build(corpus, ws_cli, args.jobs)
            print(
                f"[N={n}] CLI build: {cli_wall:.1f}s wall, {c['nodes']} nodes, {c['edges']} edges",
                file=sys.stderr,
            )
            if (c["nodes"], c["edges"]) != (b["nodes"], b["edges"]):
                raise SystemExit(f"CLI and library builds differ: {c} vs {b}")

            q = query_times(ws)
            print(f"[N={n}] queries: {q}", file=sys.stderr)
            inc = incremental(corpus, ws, args.jobs, 10_000_019)
            print(
                f"[N={n}] +1 file: processed {inc['processed']}, reused {inc['reused']}, {inc['seconds']:.1f}s",
                file=sys.stderr,
            )

            jb = None if args.no_jieba else jieba_reference(files)
            if jb:
                print(
                    f"[N={n}] jieba.lcut: {jb['seconds']:.1f}s, {jb['tokens']} tokens",
                    file=sys.stderr,
                )
            mb = nbytes / 1e6
            mbs = mb / b["seconds"]
            jmbs = jb["bytes"] / 1e6 / jb["seconds"] if jb else float("nan")
            rows.append(
                f"| {n:,} | {mb:.1f} | {b['seconds']:.1f} | {mbs:.2f} | {n / b['seconds']:.0f} | {jmbs:.2f} | {mbs / jmbs:.1f}× "
                f"| {b['rss_self_mb']:.0f} / {b['rss_workers_mb']:.0f} | {b['nodes']:,} | {b['edges']:,} "
                f"| {q['who'][0]:.1f} / {q['who_cli']:.0f} | {q['what'][0]:.1f} / {q['what_cli']:.0f} "
                f"| {inc['processed']}, {inc['seconds']:.1f} |"
            )
            print(rows[-1], file=sys.stderr, flush=True)
        finally:
            if args.keep:
                print(f"kept {tmp}", file=sys.stderr)
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    if rows:
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        print("\n".join(rows), flush=True)
    if args.no_punct.strip():
        print(
            no_punctuation_curve([float(s) for s in args.no_punct.split(",")]),
            flush=True,
        )


if __name__ == "__main__":
    main()
