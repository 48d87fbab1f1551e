"""Rule-based extractors, registered as pipeline components.

A component is a function ``(ctx: Context) -> None`` that reads what earlier
components found and adds mentions and facts.  Each component declares the
rule ids it can emit; every mention and fact records the one that made it, so
``kgraph`` can always answer "why is this edge here?".

The pipeline order, and what each component reads and assigns, is data:
``kgraph/extract/pipeline.toml``.  Loading it imports each component's module
and checks that everything a component reads is an input or assigned by an
earlier one; :func:`extract` runs them all, in that order, on one document.
"""

from __future__ import annotations

from kgraph import schema
from kgraph.extract.context import (
    REGISTRY,
    Component,
    Context,
    TitleMatch,
    all_rules,
    component,
    node_of,
)
from kgraph.lexicon import Lexicon
from kgraph.model import Document, Sentence

__all__ = [
    "PIPELINE",
    "REGISTRY",
    "Component",
    "Context",
    "TitleMatch",
    "all_rules",
    "component",
    "extract",
    "load_pipeline",
    "node_of",
]


def extract(document: Document, sentences: list[Sentence], lexicon: Lexicon) -> Context:
    ctx = Context(document, sentences, lexicon)
    for comp in PIPELINE:
        comp.func(ctx)
    # Facts can be found twice by overlapping rules; keep the first.
    seen: set = set()
    unique = []
    for f in ctx.facts:
        key = (f.type, f.subject, f.object, f.attrs, f.evidence.sentence)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    ctx.facts = unique
    return ctx


PIPELINE_INPUTS = frozenset({"document", "sentences", "lexicon", "cues"})
COMPONENT_KEYS = frozenset({"name", "module", "reads", "assigns"})


def _valid_name(name: str) -> bool:
    kind, _, sub = name.partition(".")
    if kind == "mentions":
        return sub in schema.MENTION_KINDS
    if kind == "facts":
        return sub in schema.RELATIONSHIPS
    return name in PIPELINE_INPUTS or name in ("titles", "segments")


def load_pipeline(
    text: str, source: str = "kgraph/extract/pipeline.toml"
) -> list[Component]:
    """Components in pipeline order from the declaration, validated."""
    import importlib
    import tomllib

    from kgraph.errors import InputError

    try:
        spec = tomllib.loads(text).get("component", [])
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: {exc}") from None
    available = set(PIPELINE_INPUTS)
    order: list[Component] = []
    for i, item in enumerate(spec, 1):
        where = f"{source}: component #{i} ({item.get('name', '?')})"
        unknown = set(item) - COMPONENT_KEYS
        if unknown:
            raise InputError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        importlib.import_module(item["module"])
        registered = REGISTRY.get(item["name"])
        if registered is None or registered.func.__module__ != item["module"]:
            raise InputError(
                f"{where}: {item['module']} registers no component {item['name']!r}"
            )
        reads, assigns = tuple(item.get("reads", ())), tuple(item.get("assigns", ()))
        for name in (*reads, *assigns):
            if not _valid_name(name):
                raise InputError(f"{where}: unknown name {name!r}")
        missing = [r for r in reads if r not in available]
        if missing:
            raise InputError(
                f"{where}: reads {missing[0]!r}, which no earlier component assigns"
            )
        available.update(assigns)
        order.append(
            Component(
                registered.name,
                registered.func,
                registered.rules,
                registered.doc,
                reads,
                assigns,
            )
        )
    stray = set(REGISTRY) - {c.name for c in order}
    if stray:
        raise InputError(
            f"{source}: component {sorted(stray)[0]!r} is registered but not in the pipeline"
        )
    return order


def _shipped_pipeline() -> list[Component]:
    from importlib import resources

    return load_pipeline(
        resources.files("kgraph.extract")
        .joinpath("pipeline.toml")
        .read_text(encoding="utf-8")
    )


PIPELINE: list[Component] = _shipped_pipeline()
