"""The words the CLI shows a reader, in Chinese with English beside them.

The users read Chinese, so table headers, table titles and command help are
shown as ``责任主体 holder`` by default; ``KGRAPH_LANG=zh`` or ``en`` shows one
language.  The words are data (``labels.toml``), checked when first read;
machine formats (json/csv/tsv/jsonl) never pass through here and keep their
stable English keys.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from kgraph.errors import InputError

LANG_ENV = "KGRAPH_LANG"
LANGS = ("both", "zh", "en")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Labels:
    columns: dict[str, tuple[str, str]]
    titles: dict[str, tuple[str, str]]
    commands: dict[str, str]


@cache
def labels() -> Labels:
    """The label tables of the package's ``labels.toml``."""
    return parse_labels(
        files("kgraph.cli").joinpath("labels.toml").read_text(encoding="utf-8")
    )


def parse_labels(text: str) -> Labels:
    """Label tables from TOML text; a malformed entry is a bug in the package, raised as ValueError."""
    data = tomllib.loads(text)
    if set(data) != {"columns", "titles", "commands"}:
        raise ValueError(
            f"labels.toml: want tables columns, titles, commands; got {sorted(data)}"
        )
    pairs: dict[str, dict[str, tuple[str, str]]] = {}
    for table in ("columns", "titles"):
        pairs[table] = {}
        for key, value in data[table].items():
            if not (
                isinstance(value, list)
                and len(value) == 2
                and all(isinstance(v, str) and v.strip() for v in value)
                and _HAN.search(value[0])
                and value[1].isascii()
            ):
                raise ValueError(
                    f"labels.toml [{table}] {key}: want [Chinese, English], got {value!r}"
                )
            pairs[table][key] = (value[0], value[1])
    commands = data["commands"]
    bad = [
        k for k, v in commands.items() if not (isinstance(v, str) and _HAN.search(v))
    ]
    if bad:
        raise ValueError(
            f"labels.toml [commands]: want a Chinese summary for {', '.join(bad)}"
        )
    return Labels(pairs["columns"], pairs["titles"], dict(commands))


def lang(strict: bool = True) -> str:
    """The language of ``$KGRAPH_LANG`` (default both); an unknown one is bad input,
    or ``both`` where no error can be shown (``strict=False``: while help is built)."""
    value = os.environ.get(LANG_ENV, "").strip().lower() or "both"
    if value not in LANGS:
        if not strict:
            return "both"
        raise InputError(f"{LANG_ENV}={value!r}: use {', '.join(LANGS)}")
    return value


def _pick(pair: tuple[str, str]) -> str:
    zh, en = pair
    return {"zh": zh, "en": en}.get(lang(), f"{zh} {en}")


def header(key: str) -> str:
    """A table column's header, e.g. ``责任主体 holder``."""
    return _pick(labels().columns[key])


def title(key: str) -> str:
    """A table's title, e.g. ``监管空白 focus sectors no department covers``."""
    return _pick(labels().titles[key])


def command_help(name: str, english: str | None) -> str | None:
    """A command's help with its Chinese summary as the first paragraph (the
    English help stays below it: it is the only place the details are said)."""
    zh = labels().commands.get(name)
    if zh is None or lang(strict=False) == "en":
        return english
    return f"{zh}\n\n{english}" if english else zh


def command_summary(name: str, english: str | None) -> str | None:
    """A command's line in ``kgraph -h``: the Chinese summary, then the English one."""
    zh = labels().commands.get(name)
    choice = lang(strict=False)
    first = (english or "").strip().split("\n\n")[0].replace("\n", " ")
    if zh is None or choice == "en":
        return first or None
    if choice == "zh":
        return zh
    return f"{zh} · {first}" if first else zh
