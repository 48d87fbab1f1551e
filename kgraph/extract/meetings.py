"""Who chaired, attended and spoke at the meeting a document records."""

from __future__ import annotations

import re

from kgraph import schema
from kgraph.extract.context import Context, component

# What follows an official's name (up to a few characters later, same clause).
# 主持会议 chairs this meeting; 主持市长办公会 chairs another one.
CHAIR = re.compile(r"^[^,;。!?]{0,4}?主持(?:召开)?(?:会议|本次会议)?(?:[,;。!?并]|$)")
SPEAK = re.compile(
    r"^[^,;。!?]{0,8}?(?:讲话|强调|指出|要求|部署|通报|表示|作[了]?(?:重要)?讲话)"
)
# A list of attendees ends with 出席/参加: every official in that sentence attended.
ATTEND = re.compile(r"(?:出席|参加|列席)(?:会议|活动)?(?:并讲话)?[。,]?$|等参加")


def meeting_of(ctx: Context) -> tuple[str, str]:
    return schema.MEETING, ctx.document.id


@component("meetings", rules=["meeting.chair", "meeting.speak", "meeting.attend"])
def find_meeting_roles(ctx: Context) -> None:
    """CHAIRED / SPOKE_AT / ATTENDED from the verbs after an official's name."""
    text = ctx.text
    meeting = meeting_of(ctx)
    for sent in ctx.sentences:
        officials = ctx.in_sentence(sent.index, ["official"])
        if not officials:
            continue
        attended = ATTEND.search(sent.text) is not None
        for m in officials:
            after = text[m.end : sent.end]
            person = (schema.OFFICIAL, m.name)
            if CHAIR.match(after):
                ctx.add_fact(
                    schema.CHAIRED,
                    person,
                    meeting,
                    sent,
                    m.start,
                    m.end,
                    "meeting.chair",
                )
            if SPEAK.match(after):
                ctx.add_fact(
                    schema.SPOKE_AT,
                    person,
                    meeting,
                    sent,
                    m.start,
                    m.end,
                    "meeting.speak",
                )
            if attended or after.startswith(("出席", "参加")):
                ctx.add_fact(
                    schema.ATTENDED,
                    person,
                    meeting,
                    sent,
                    m.start,
                    m.end,
                    "meeting.attend",
                )
