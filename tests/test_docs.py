"""The docs against the code, both ways: docs/cli.md names every command and
option of the CLI and nothing else; docs/schema.md every node label,
relationship type, CHAIN kind and category of kgraph.schema; docs/neo4j.md
every named query of queries/*.cypher with its parameters and columns."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from kgraph import schema
from kgraph.cli import app
from kgraph.neo4j.queries import list_queries

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _app():
    group = typer.main.get_command(app)
    ctx = group.make_context("kgraph", ["-h"], resilient_parsing=True)
    commands = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    return group, ctx, commands


def _flags(params) -> set[str]:
    out: set[str] = set()
    for p in params:
        if getattr(p, "param_type_name", "") == "option":
            out |= {*p.opts, *p.secondary_opts}
    return out


def _table_rows(text: str, heading: str) -> list[list[str]]:
    """The body rows of the first Markdown table under ``heading``, as cells."""
    lines = text.split(heading, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2 :]:  # past the header and its --- line
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_cli_md_lists_every_command_with_exactly_its_options():
    _, _, commands = _app()
    rows = _table_rows((DOCS / "cli.md").read_text(encoding="utf-8"), "## Commands")
    documented = {
        re.match(r"`kgraph ([a-z]+)", cells[0]).group(1): cells[1] for cells in rows
    }
    assert set(documented) == set(commands), (
        "commands in docs/cli.md ≠ commands of the app"
    )
    wrong = {}
    for name, cmd in commands.items():
        have = _flags(cmd.params) - {"-h", "--help"}
        said = set(re.findall(r"`(--?[A-Za-z][\w-]*)`", documented[name]))
        if have != said:
            wrong[name] = {
                "undocumented": sorted(have - said),
                "no such option": sorted(said - have),
            }
    assert not wrong, wrong


def test_cli_md_names_no_command_or_option_that_does_not_exist():
    group, ctx, commands = _app()
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    every = _flags(group.get_params(ctx)) | {
        f for c in commands.values() for f in _flags(c.params)
    }
    named = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*[a-z0-9])", text))
    assert named - every == set(), "docs/cli.md names options no command has"
    said_commands = set(re.findall(r"`kgraph ([a-z]+)", text)) | set(
        re.findall(r"'kgraph ([a-z]+)", text)
    )
    assert said_commands - set(commands) == set()


def _words(text: str) -> set[str]:
    """Whole words (runs of letters, digits, _ and Han): 党政 is not found in 党政同责."""
    return set(re.findall(r"[\w\u4e00-\u9fff]+", text))


def test_schema_md_names_every_label_type_kind_and_category_of_the_schema():
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    words = _words(text)
    wanted = {
        "node labels": schema.NODE_LABELS,
        "relationship types": tuple(schema.RELATIONSHIPS),
        "CHAIN kinds": schema.CHAIN_KINDS,
        "organisation categories": schema.ORG_CATEGORIES,
        "role categories": schema.ROLE_CATEGORIES,
        "responsibility categories": schema.RESPONSIBILITY_CATEGORIES,
    }
    missing = {
        what: [n for n in names if n not in words] for what, names in wanted.items()
    }
    assert not any(missing.values()), missing
    # and names no relationship type or label the schema does not have
    caps = set(re.findall(r"`([A-Z][A-Z_]{2,})`", text))
    assert caps <= set(schema.RELATIONSHIPS), caps - set(schema.RELATIONSHIPS)
    labels = set(re.findall(r"^\| `([A-Z][a-z]+)` \|", text, re.MULTILINE))
    assert labels == set(schema.NODE_LABELS)


def test_neo4j_md_lists_every_named_query_with_its_params_and_columns():
    rows = _table_rows(
        (DOCS / "neo4j.md").read_text(encoding="utf-8"), "### Named queries"
    )
    documented = {cells[0].strip("`"): cells for cells in rows}
    queries = {q.name: q for q in list_queries()}
    assert set(documented) == set(queries)
    for name, q in queries.items():
        _, params, columns, _ = documented[name]
        said = re.findall(r"`(\w+)`(\??)", params)
        assert said == [(p.name, "?" if p.optional else "") for p in q.params], name
        assert columns == ", ".join(q.columns), name


def test_readme_command_table_gives_each_command_only_its_own_options():
    _, _, commands = _app()
    text = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    wrong = []
    for line in text.splitlines():
        m = re.match(r"\| `kgraph ([a-z]+)([^`]*)`", line)
        if not m:
            continue
        assert m.group(1) in commands, line
        have = _flags(commands[m.group(1)].params)
        wrong += [
            (m.group(1), o)
            for o in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", m.group(2))
            if o not in have
        ]
    assert not wrong, wrong
