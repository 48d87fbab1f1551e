"""The conventions of docs/cli.md, for every command: -h, readable metavars,
one meaning per short flag, $KGRAPH_WORKSPACE, and the exit codes
(0 ok, 1 no answer, 2 usage or bad input, 3 store or server unavailable)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kgraph.cli import app

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"
runner = CliRunner()
WIDE = {"COLUMNS": "250", "TERMINAL_WIDTH": "250"}
# typer's type labels, which say nothing to a reader
TYPE_METAVAR = re.compile(r"<(bool|str|int|float|path|list\[[^\]]*\]|[a-z]+ range)>")


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    ctx = group.make_context("kgraph", ["-h"], resilient_parsing=True)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}


def invoke(args: list, env: dict[str, str] | None = None):
    return runner.invoke(
        app, [str(a) for a in args], env={**WIDE, **(env or {})}, catch_exceptions=False
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("conv") / "kgraph-out"
    assert invoke(["build", SEEDS, "--out", ws, "--jobs", "1"]).exit_code == 0
    return ws


def test_every_command_has_dash_h_readable_metavars_and_unique_short_flags():
    commands = _commands()
    assert {
        "build",
        "who",
        "what",
        "gaps",
        "query",
        "push",
        "cypher",
        "chain",
        "viz",
        "stats",
        "export",
    } <= set(commands)
    meaning: dict[str, list[frozenset[str]]] = {}
    for name, cmd in commands.items():
        result = invoke([name, "-h"])
        assert result.exit_code == 0 and "Usage" in result.stdout, name
        assert not TYPE_METAVAR.search(result.stdout), (
            name,
            TYPE_METAVAR.search(result.stdout),
        )
        for param in cmd.params:
            opts = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
            longs = frozenset(o for o in opts if o.startswith("--")) or frozenset(
                [param.name]
            )
            for short in (o for o in opts if re.fullmatch(r"-[A-Za-z]", o)):
                meaning.setdefault(short, []).append(longs)
    # one meaning: every option a short flag stands for shares a long name (build's -w is --out/--workspace)
    clashes = {
        short: sorted({tuple(sorted(x)) for x in sets})
        for short, sets in meaning.items()
        if not frozenset.intersection(*sets)
    }
    assert not clashes, clashes


# the commands that read a workspace, with the least they need to reach it
READERS = {
    "who": ["who", "燃气"],
    "what": ["what", "应急管理局"],
    "gaps": ["gaps"],
    "places": ["places"],
    "stats": ["stats"],
    "export": ["export", "json", "{tmp}/x.json"],
    "query": ["query", "supervision_gaps"],
    "push": ["push"],
    "chain": ["chain", "--out", "{tmp}/c.html"],
    "viz": ["viz", "--out", "{tmp}/v.html"],
}


def test_every_command_that_reads_a_workspace_takes_it_from_the_environment(tmp_path):
    takes = {
        name
        for name, cmd in _commands().items()
        if any(p.name == "workspace" for p in cmd.params)
    } - {"build"}
    assert takes == set(READERS)
    missing = tmp_path / "not-built-here"
    for name, args in READERS.items():
        result = invoke(
            [a.replace("{tmp}", str(tmp_path)) for a in args],
            {"KGRAPH_WORKSPACE": str(missing)},
        )
        assert result.exit_code == 3, (name, result.output)
        assert "not-built-here" in result.stderr, (name, result.stderr)


def test_the_workspace_from_the_environment_answers(workspace):
    result = invoke(["gaps", "--json"], {"KGRAPH_WORKSPACE": str(workspace)})
    assert result.exit_code == 0 and '"supervision"' in result.stdout


def _misuse(ws: Path, tmp: Path) -> list[tuple[list, int, str]]:
    missing = tmp / "none"
    down = {"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "NEO4J_PASSWORD": "x"}
    return [
        (["who"], 2, "TERM"),
        (["who", " ", "-w", ws], 2, "empty"),
        (["who", "燃气", "--no-such-option"], 2, "no-such-option"),
        (["who", "不存在的行业", "-w", ws], 1, "不存在的行业"),
        (
            ["who", "危险化学品", "-w", ws, "--place", "某个不存在的地方"],
            1,
            "某个不存在的地方",
        ),
        (["who", "危险化学品", "-w", ws, "--year", "20x"], 2, "--year"),
        (["who", "燃气", "-w", missing], 3, "kgraph build"),
        (["what", "没有这个机构名称", "-w", ws], 1, "没有这个机构名称"),
        (["what", "应急管理局", "-w", ws, "--since", "2999"], 1, "since 2999"),
        (["gaps", "-w", ws, "--since", "soon"], 2, "--since"),
        (["gaps", "-w", missing], 3, "kgraph build"),
        (["stats", "-w", ws, "--terms", "Nope"], 2, "Nope"),
        (["places", "-w", missing], 3, "kgraph build"),
        (["query", "-w", ws], 2, "--list"),
        (["query", "nope", "-w", ws], 2, "no named query"),
        (["query", "owners_of_sector", "-w", ws], 2, "--param sector"),
        (["query", "owners_of_sector", "-w", ws, "-P", "sector"], 2, "NAME=VALUE"),
        (
            ["query", "owners_of_sector", "-w", missing, "-P", "sector=燃气"],
            3,
            "kgraph build",
        ),
        (["query", "supervision_gaps", "--neo4j", down], 3, "cannot reach"),
        (["cypher", "RETURN 1", down], 3, "cannot reach"),
        (["cypher", "CREATE (n) RETURN n"], 2, "writes"),
        (["push", "-w", missing], 3, "kgraph build"),
        (["export", "nope", tmp / "x"], 2, "nope"),
        (["export", "json", tmp / "x.json", "-w", missing], 3, "kgraph build"),
        (["chain", "-w", ws, "--format", "bmp"], 2, "bmp"),
        (["chain", "-w", missing, "--out", tmp / "c.html"], 3, "kgraph build"),
        (["viz", "-w", missing, "--out", tmp / "v.html"], 3, "kgraph build"),
        (["build", tmp / "no-such-input", "--out", tmp / "ws2"], 2, "no-such-input"),
    ]


def test_misuse_exits_with_the_documented_code_and_says_why(workspace, tmp_path):
    wrong = []
    for case in _misuse(workspace, tmp_path):
        args, code, words = case
        env = next((a for a in args if isinstance(a, dict)), None)
        result = invoke([a for a in args if not isinstance(a, dict)], env)
        err = result.stderr
        if result.exit_code != code or words not in err or "Traceback" in err:
            wrong.append((args[:2], code, result.exit_code, err.strip()[-160:]))
    assert not wrong, "\n".join(map(str, wrong))


def test_an_unknown_name_suggests_the_nearest_names_the_graph_holds(workspace):
    result = invoke(["who", "化学品危险", "-w", workspace])
    assert result.exit_code == 1
    assert (
        "did you mean" in result.stderr
        and "危险化学品" in result.stderr.split("did you mean", 1)[1]
    )


# --- help and table headers in Chinese with English beside them (KGRAPH_LANG) ---


def test_table_headers_are_chinese_with_english_beside_them_unless_one_language_is_asked(
    workspace,
):
    args = ["who", "危险化学品", "-w", workspace, "-f", "table", "-e", "0"]
    both = invoke(args)
    assert both.exit_code == 0, both.output
    assert "责任主体 holder" in both.stdout and "文件 documents" in both.stdout
    zh = invoke(args, {"KGRAPH_LANG": "zh"}).stdout
    assert "责任主体" in zh and "holder" not in zh.split("\n", 3)[2]
    en = invoke(args, {"KGRAPH_LANG": "en"}).stdout
    assert "holder" in en and "责任主体" not in en


def test_machine_formats_keep_their_english_keys_in_any_language(workspace):
    for lang in ("zh", "en", "both"):
        env = {"KGRAPH_LANG": lang}
        csv = invoke(["who", "危险化学品", "-w", workspace, "-f", "csv"], env).stdout
        assert csv.splitlines()[0].startswith("holder,holder_label,relation,"), lang
        data = invoke(["gaps", "-w", workspace, "--json"], env).stdout
        assert '"supervision"' in data and "监管空白" not in data, lang


def test_an_unknown_language_is_bad_input_in_one_line(workspace):
    result = invoke(["stats", "-w", workspace], {"KGRAPH_LANG": "fr"})
    assert result.exit_code == 2 and "KGRAPH_LANG" in result.stderr
    assert "Traceback" not in result.output


def test_every_command_has_a_chinese_summary_in_its_help():
    from kgraph.cli.labels import labels

    commands = _commands()
    assert set(labels().commands) == set(commands)
    listing = invoke(["-h"]).stdout
    for name in commands:
        summary = labels().commands[name]
        assert summary in invoke([name, "-h"]).stdout, name
        assert summary[:8] in listing, name
    english = invoke(["who", "-h"], {"KGRAPH_LANG": "en"}).stdout
    assert labels().commands["who"] not in english and "Who bears" in english


def test_every_option_and_argument_has_a_chinese_gloss_and_no_gloss_is_stray():
    from kgraph.cli.labels import labels, option_key

    group = typer.main.get_command(app)
    ctx = group.make_context("kgraph", ["-h"], resilient_parsing=True)
    keys = {option_key(p) for p in group.get_params(ctx)}
    for cmd in _commands().values():
        keys |= {option_key(p) for p in cmd.params}
    glossed = set(labels().options)
    assert keys - glossed == set(), "options without a Chinese gloss in labels.toml"
    assert glossed - keys == set(), "glosses in labels.toml for options no command has"
    who_help = invoke(["who", "-h"]).stdout
    assert (
        "工作区目录 · Workspace directory" in who_help
        and "行业领域、责任或任务" in who_help
    )
    assert "工作区目录" not in invoke(["who", "-h"], {"KGRAPH_LANG": "en"}).stdout


def test_a_malformed_label_table_is_refused_on_load():
    from kgraph.cli.labels import parse_labels

    good = (
        '[columns]\nholder = ["责任主体", "holder"]\n[titles]\n[commands]\nwho = "谁负责"\n'
        '[options]\nplace = "辖区"\n'
    )
    assert parse_labels(good).columns["holder"] == ("责任主体", "holder")
    for bad in (
        good.replace('"责任主体", ', ""),  # no English
        good.replace('"责任主体"', '"holder"'),  # no Chinese
        good.replace('"谁负责"', '"who"'),  # a summary that is not Chinese
        good.replace('"辖区"', '"place"'),  # an option gloss that is not Chinese
        good.replace("[titles]\n", ""),  # a table missing
    ):
        with pytest.raises(ValueError):
            parse_labels(bad)


# --- shell completion ---


def test_show_completion_prints_a_bash_script_for_kgraph(monkeypatch):
    # typer's --show-completion is a flag: the shell is the one pytest runs
    # under, found by walking up the process tree, and a pytest started from
    # an IDE or a detached job has none. Say which shell, as bash would.
    import typer.completion

    monkeypatch.setattr(typer.completion, "_get_shell_name", lambda: "bash")
    result = runner.invoke(app, ["--show-completion"], prog_name="kgraph")
    assert result.exit_code == 0, result.output
    assert "complete " in result.stdout and "_KGRAPH_COMPLETE" in result.stdout


def _complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash would be offered for the last word of ``words``."""
    parts = words.split(" ")
    result = runner.invoke(
        app,
        [],
        prog_name="kgraph",
        env={
            "_KGRAPH_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_query_names_complete_from_the_query_files():
    from kgraph.cli.completion import query_names

    files = sorted(p.stem for p in (REPO / "queries").glob("*.cypher"))
    assert sorted(query_names()) == files and files
    assert _complete("kgraph query ") == files
    assert _complete("kgraph query owners_of_s") == ["owners_of_sector"]


def test_sector_and_place_names_complete_from_the_workspace(workspace, tmp_path):
    sectors = _complete(f"kgraph chain -w {workspace} --sector 危")
    assert "危险化学品" in sectors and all("危" in s for s in sectors)
    assert "危险化学品" in _complete(
        "kgraph who 危险", {"KGRAPH_WORKSPACE": str(workspace)}
    )
    places = _complete(f"kgraph who x -w {workspace} --place ")
    assert places and "(unknown)" not in places
    # no workspace there: nothing to offer, and no traceback
    assert _complete(f"kgraph chain -w {tmp_path / 'none'} --sector 危") == []


# --- an empty answer always says why on stderr (exit 1) ---

EMPTY = [
    # (args after the workspace, words on stderr)
    (["who", "化学品危险"], "did you mean"),
    (
        ["who", "危险化学品", "--place", "某个不存在的地方"],
        "no document is of '某个不存在的地方'",
    ),
    (["who", "危险化学品", "--year", "2099"], "no document is dated so: they run from"),
    (["what", "应急管理局子"], "did you mean 应急管理局"),
    (["what", "应急管理局", "--since", "2999"], "no document is dated so"),
    (["gaps", "--place", "某个不存在的地方"], "no document is of"),
    (["gaps", "--until", "1999"], "no document is dated so"),
    (
        ["chain", "--sector", "化学品危险", "-o", "{tmp}/c.html"],
        "did you mean 危险化学品",
    ),
    (
        ["chain", "--holder", "应急管理局子", "-o", "{tmp}/c.html"],
        "did you mean 应急管理局",
    ),
    (["chain", "--year", "2099", "-o", "{tmp}/c.html"], "no document is dated so"),
    (
        ["query", "owners_of_sector", "--param", "sector=化学品危险"],
        "no rows for owners_of_sector",
    ),
]


@pytest.mark.parametrize(
    ("args", "words"), EMPTY, ids=[" ".join(a[:3]) for a, _ in EMPTY]
)
def test_an_empty_answer_says_why_on_stderr(workspace, tmp_path, args, words):
    result = invoke(
        [a.replace("{tmp}", str(tmp_path)) for a in args] + ["-w", workspace]
    )
    assert result.exit_code == 1, result.output
    assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "c.html").exists()


def test_an_empty_answer_still_prints_the_empty_result_for_scripts(workspace):
    result = invoke(["who", "危险化学品", "-w", workspace, "--year", "2099", "--json"])
    assert result.exit_code == 1 and result.stdout.strip() == "[]"
    assert "no document is dated so" in result.stderr


def test_a_named_query_parameter_that_names_nothing_is_explained(workspace):
    from kgraph.explain import named_params
    from kgraph.graphstore import open_store

    with open_store(workspace) as store:
        assert store.named("owners_of_sector", sector="化学品危险") == []
        why = named_params(store, {"sector": "化学品危险"})
        assert why.startswith("no sector called '化学品危险'") and "危险化学品" in why
        assert named_params(store, {"sector": "危险化学品"}) == ""
        assert "did you mean 应急管理局" in named_params(
            store, {"holder": "应急管理局子"}
        )
