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
from typing import Any

from kgraph.errors import InputError

LANG_ENV = "KGRAPH_LANG"
LANGS = ("both", "zh", "en")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Labels:
    columns: dict[str, tuple[str, str]]
    titles: dict[str, tuple[str, str]]
    commands: dict[str, str]
    options: dict[str, str]


@cache
def labels() -> Labels:
    """The label tables of the package's ``labels.toml``."""
    return parse_labels(
        files("kgraph.cli").joinpath("labels.toml").read_text(encoding="utf-8")
    )


def parse_labels(text: str) -> Labels:
    """Label tables from TOML text; a malformed entry is a bug in the package, raised as ValueError."""
    data = tomllib.loads(text)
    if set(data) != {"columns", "titles", "commands", "options"}:
        raise ValueError(
            f"labels.toml: want tables columns, titles, commands, options; got {sorted(data)}"
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
    glosses: dict[str, dict[str, str]] = {}
    for table in ("commands", "options"):
        bad = [
            k
            for k, v in data[table].items()
            if not (isinstance(v, str) and _HAN.search(v))
        ]
        if bad:
            raise ValueError(
                f"labels.toml [{table}]: want Chinese for {', '.join(bad)}"
            )
        glosses[table] = dict(data[table])
    return Labels(
        pairs["columns"], pairs["titles"], glosses["commands"], glosses["options"]
    )


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


def option_key(param: Any) -> str:
    """The name an option or argument is glossed under: its first long
    option without the dashes (``max-mb``), else its name (``term``)."""
    longs = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    return longs[0][2:] if longs else (param.name or "")


def option_help(param: Any) -> str | None:
    """An option's help with its Chinese gloss before the English."""
    english = getattr(param, "help", None)
    zh = labels().options.get(option_key(param))
    if zh is None or lang(strict=False) == "en":
        return english
    return f"{zh} · {english}" if english else zh
