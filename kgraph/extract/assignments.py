"""What a speaker assigned to whom.

News reports of a meeting name the speaker (许南吉强调, 尹力指出) and then
report what they asked of each body; every BEARS/PERFORMS/COVERS_SECTOR fact
found while that official has the floor becomes an ASSIGNED edge from the
official to the holder.  A first-person speech names no speaker, so it yields
no ASSIGNED edge rather than an invented one.
"""

from __future__ import annotations

from kgraph import schema
from kgraph.extract.context import Context, component

DUTY_TYPES = (schema.BEARS, schema.PERFORMS, schema.COVERS_SECTOR)


@component("assignments", rules=["assign.speaker"])
def find_assignments(ctx: Context) -> None:
    """ASSIGNED edges from the official who has the floor to each holder given a duty."""
    speaker_from: dict[int, str] = {}
    for f in ctx.facts:
        if f.type == schema.SPOKE_AT:
            speaker_from.setdefault(f.evidence.sentence, f.subject[1])
    if not speaker_from:
        return
    by_sentence: dict[int, list] = {}
    for f in ctx.facts:
        if f.type in DUTY_TYPES and f.evidence.rule != "resp.compound":
            by_sentence.setdefault(f.evidence.sentence, []).append(f)
    speaker = None
    for sent in ctx.sentences:
        speaker = speaker_from.get(sent.index, speaker)
        if speaker is None:
            continue
        for f in by_sentence.get(sent.index, []):
            if f.subject == (schema.OFFICIAL, speaker):
                continue
            attrs = f.attr
            responsibility = (
                f.object[1]
                if f.type == schema.BEARS
                else attrs.get("responsibility", "")
            )
            if f.type == schema.PERFORMS:
                responsibility = ""
            ctx.add_fact(
                schema.ASSIGNED,
                (schema.OFFICIAL, speaker),
                f.subject,
                sent,
                f.evidence.start,
                f.evidence.end,
                "assign.speaker",
                responsibility=responsibility,
                sector=attrs.get("sector", "")
                or (f.object[1] if f.type == schema.COVERS_SECTOR else ""),
                task=f.object[1] if f.type == schema.PERFORMS else "",
            )
