"""The ruleset is data: shipped tables load and validate; bad user files are refused with file:line."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.lexicon import load_lexicon
from kgraph.pipeline import process_text
from kgraph.ruleset import Cues, builtin_cues, load_cues

SPEECH = "各级党委和政府要高度重视安全生产。"


def test_shipped_tables_load_and_document_themselves():
    cues = builtin_cues()
    assert cues.tables, "no cue tables shipped"
    for table in cues.tables.values():
        assert table.doc, f"{table.source}: table without doc"
        assert table.items
        re.compile(cues.alternation(table.name))  # every table compiles


def test_words_alternation_prefers_the_longest_word():
    cues = Cues()
    cues.add_text(
        '[t]\ndoc = "x"\nkind = "words"\nitems = ["要", "一定要"]\n',
        "t.toml",
        user=False,
    )
    assert cues.regex("t").match("一定要做").group() == "一定要"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '[focus_cues]\nitems = ["x"]\ncolour = 1\n',
            r"x\.toml:1: unknown key 'colour' in \[focus_cues\]",
        ),
        (
            '[no_such_table]\nitems = ["x"]\n',
            r"x\.toml:1: unknown cue table \[no_such_table\]",
        ),
        (
            '\n[focus_cues]\nkind = "regex"\nitems = [\n  "ok",\n  "(broken",\n]\n',
            r"x\.toml:6: bad pattern in \[focus_cues\]",
        ),
        (
            '[focus_cues]\nkind = "regex"\nitems = ["(?<=的|之间)x"]\n',
            r"x\.toml:3: bad pattern in \[focus_cues\]: look-behind requires fixed-width",
        ),
        ("[focus_cues]\nitems = []\n", r"x\.toml:1: \[focus_cues\] needs items"),
        (
            '[focus_cues]\nkind = "words"\nitems = ["x"]\n',
            r"is a 'regex' table, not 'words'",
        ),
        ('[focus_cues]\nitems = ["x"\n', r"x\.toml:2: Unclosed array"),
    ],
)
def test_bad_user_rules_are_refused_with_file_and_line(tmp_path, text, message):
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_cues([path])


def _focus(result, name: str) -> bool:
    return any(
        m.rule == "term.focus_sector"
        for m in result.mentions
        if m.kind == "sector" and m.name == name
    )


def test_a_user_cue_extends_a_shipped_table_and_changes_extraction(tmp_path):
    text = "各级党委和政府要高度重视电动自行车安全。"
    sectors = tmp_path / "my_sectors.tsv"
    sectors.write_text("#name\taliases\n电动自行车\t\n", encoding="utf-8")
    assert not _focus(
        process_text(text, "d", lexicon=load_lexicon([sectors])), "电动自行车"
    )
    rules = tmp_path / "my.toml"
    rules.write_text('[focus_cues]\nitems = ["高度重视"]\n', encoding="utf-8")
    lex = load_lexicon([sectors, rules])
    assert "高度重视" in lex.cues.words("focus_cues") and "聚焦" in lex.cues.words(
        "focus_cues"
    )
    assert lex.cues.digest() != load_lexicon([sectors]).cues.digest()
    assert _focus(process_text(text, "d", lexicon=lex), "电动自行车")


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "市城管局\t部 门\n",
            r"bad_organizations\.tsv:2: unknown organization category '部 门'",
        ),
        ("市城管局\t部门\tx\ty\n", r"bad_organizations\.tsv:2: 4 cells but 3 columns"),
    ],
)
def test_bad_lexicon_rows_are_refused_with_file_and_line(tmp_path, row, message):
    path = tmp_path / "bad_organizations.tsv"
    path.write_text("#name\tcategory\taliases\n" + row, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_lexicon([path])


def test_unknown_lexicon_column_is_refused(tmp_path):
    path = tmp_path / "my_sectors.tsv"
    path.write_text("#name\tcolour\n电动自行车\tred\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"my_sectors\.tsv:1: unknown column 'colour'"):
        load_lexicon([path])


def test_cli_refuses_a_bad_rules_file_in_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[no_such_table]\nitems = ["x"]\n', encoding="utf-8")
    speech = tmp_path / "s.txt"
    speech.write_text(SPEECH, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(speech), "--rules", str(bad)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert (
        len(lines) == 1 and "bad.toml:1" in lines[0] and "[no_such_table]" in lines[0]
    ), result.output


def test_shipped_pipeline_is_the_declared_order():
    from importlib import resources

    from kgraph.extract import PIPELINE, REGISTRY

    declared = (
        resources.files("kgraph.extract")
        .joinpath("pipeline.toml")
        .read_text(encoding="utf-8")
    )
    assert [c.name for c in PIPELINE] == re.findall(
        r'^name = "(\w+)"', declared, re.MULTILINE
    )
    assert set(REGISTRY) == {c.name for c in PIPELINE}


@pytest.mark.parametrize(
    "swap, message",
    [
        # a name and a module that do not belong together
        (
            lambda t: (
                t.replace('name = "responsibilities"', 'name = "@R"')
                .replace('name = "chains"', 'name = "responsibilities"')
                .replace('name = "@R"', 'name = "chains"')
            ),
            "registers no component",
        ),
        (
            lambda t: t.replace(
                'reads = ["sentences", "mentions.official"]',
                'reads = ["sentences", "facts.CHAIN"]',
            ),
            "reads 'facts.CHAIN', which no earlier component assigns",
        ),
        (
            lambda t: t.replace(
                'reads = ["sentences", "mentions.official"]',
                'reads = ["sentences", "mentions.oficial"]',
            ),
            "unknown name 'mentions.oficial'",
        ),
        (
            lambda t: t.replace(
                'module = "kgraph.extract.meetings"',
                'module = "kgraph.extract.meetings"\nrequires = []',
            ),
            "unknown key 'requires'",
        ),
    ],
)
def test_a_bad_pipeline_declaration_fails_loudly(swap, message):
    from importlib import resources

    from kgraph.extract import load_pipeline

    text = (
        resources.files("kgraph.extract")
        .joinpath("pipeline.toml")
        .read_text(encoding="utf-8")
    )
    with pytest.raises(InputError, match=re.escape(message)):
        load_pipeline(swap(text))


def test_rules_command_lists_components_cue_tables_and_user_files(tmp_path):
    rules = tmp_path / "my.toml"
    rules.write_text('[focus_cues]\nitems = ["高度重视"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "--json", "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert [c["name"] for c in data["components"]][0] == "terms"
    assert "高度重视" in data["cue_tables"]["focus_cues"]["items"]
    assert str(rules) in data["cue_files"]


def test_a_user_alias_answers_at_query_time(tmp_path):
    """The workspace keeps the user's files: `who ALIAS` resolves without passing them again."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "data" / "speeches"
    sectors = tmp_path / "my_sectors.tsv"
    sectors.write_text("#name\taliases\n危险化学品\t危货\n", encoding="utf-8")
    ws = tmp_path / "ws"
    runner = CliRunner()
    built = runner.invoke(
        app, ["build", str(seeds), "-w", str(ws), "--lexicon", str(sectors)]
    )
    assert built.exit_code == 0, built.output
    sectors.unlink()  # the answer must not depend on the file still being there
    alias = runner.invoke(app, ["who", "危货", "-w", str(ws), "--json"])
    plain = runner.invoke(app, ["who", "危险化学品", "-w", str(ws), "--json"])
    assert alias.exit_code == 0, alias.output
    assert alias.stdout == plain.stdout and "危险化学品" in alias.stdout


def test_initials_lookahead_keeps_every_match_of_every_table():
    """cues.regex puts a first-character lookahead before a table's
    alternation; on real speeches it must find exactly what the bare
    alternation finds, groups included."""
    from pathlib import Path

    from kgraph.ruleset import behind_initials

    seeds = sorted((Path(__file__).parent.parent / "data" / "speeches").glob("*.txt"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in seeds[:6])
    cues = builtin_cues()
    wrapped = 0
    for table in cues.tables.values():
        source = cues.alternation(table.name)
        plain, fast = re.compile(source), cues.regex(table.name)
        wrapped += fast.pattern != source
        got = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], table.name
    assert wrapped, "no table got a lookahead"
    # an alternative led by a lookbehind or a group still yields its first characters
    assert behind_initials("(?<![主])要|必须").startswith("(?=[必要])")
    assert behind_initials("(?:卫戍|警备)区|局").startswith("(?=[卫局警])")
    # an optional opening: its characters and those after it both open a match
    assert behind_initials("x?y|z").startswith("(?=[xyz])")
    assert behind_initials("(全|我)?(省|市)").startswith("(?=[全市我省])")
    # a branch of literals the engine scans for itself, but not under IGNORECASE:
    # then it gets the lookahead too, which ignores case as the literals do
    assert behind_initials(r"www\.|本文") == r"www\.|本文"
    loose = re.compile(behind_initials(r"www\.|本文", ignorecase=True), re.IGNORECASE)
    assert loose.pattern.startswith("(?=[")
    assert [m.group() for m in loose.finditer("见WWW.x与本文")] == ["WWW.", "本文"]
    # one that may open with anything, or match nothing, is left alone
    for source in (r"\d+个|项", "x?y?|z", r"x?\d", "[^，]+部门", "(?i:a)b|c"):
        assert behind_initials(source) == source


def test_builtin_tables_are_cached_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = builtin_cues.__wrapped__()  # parsed, validated and stored
    assert len(list((tmp_path / "kgraph").glob("cue-tables-*.pickle"))) == 1
    again = builtin_cues.__wrapped__()  # read back
    assert again is not first
    assert again.tables == first.tables == builtin_cues().tables
    assert again.sources == first.sources
    assert again.digest() == first.digest()
