"""Duties as they are written: statute articles, duty lists, responsibility systems.

Formal texts hand out duties in a few layouts, and each has its holder in a
known place:

* running text (a statute article, a sentence of a rule): the clause subject
  before the modal or duty verb (生产经营单位应当…, 市安全生产委员会负责…); every
  predicate of that subject is its own duty (…应当建立A，加大B，改善C → three);
* a list under a heading that names the holder: an article ending in
  ``履行下列职责：``, a heading ``（一）党委主要职责`` or a line that is only a body
  name (``（三十六）某某部门。``), a section heading ``5.1.2 某部``; each item is
  one duty of that holder;
* a holder named only in the document title (``…局安全生产权责清单``) over
  numbered items;
* a holder at the head of a line (``某局：负责A；负责B``, a flattened table row
  ``2 某局 负责…``), whose items are read as running text.

Holders are found by syntax — the noun phrase before the predicate, ending in
a body or post head from the cue tables — not from the lexicon, so open
names (区市场监督管理局, 危险化学品单位的主要负责人) are holders too.  A duty that
names a canonical term (主体责任, 全面负责, 综合监督管理 …) is that term,
otherwise the verb phrase as written, less its modal.

Why one module of this size: the layouts share the holder and predicate
readers (find_subject, split_holders, the clause splitter) and the speech
reader's supersession of formal rules; split apart they would import each
other's private helpers both ways.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kgraph import schema
from kgraph.extract.context import Context, component
from kgraph.extract.spans import Spans
from kgraph.model import Fact, Mention
from kgraph.ruleset import Cues, may_match, needed_chars

# --- structural glue (layout, not vocabulary) --------------------------------
NUM = "一二三四五六七八九十百零〇两"
ARTICLE = re.compile(rf"^第[{NUM}\d]+条\s*")
AMONG = re.compile(r"^其中\s*[，,]\s*")
# the head of an 等-list that names no class of its own (…等有关单位, …等有关部门)
GENERIC_HEAD = re.compile(r"^(?:有关|相关|其他)+(?:部门|单位|机构|团体|组织)$")
CHAPTER = re.compile(rf"^第[{NUM}\d]+[编章节](?:\s|$)")
ITEM = re.compile(
    rf"^(?:[（(][{NUM}\d]+[)）]|[{NUM}]+[、.．]|第[{NUM}]+[，,、]|\d+[.、．)）](?!\d)|[①-⑳]|\d+\s+(?=\S))\s*"
)
SECTION = re.compile(r"^\d+(?:\.\d+)+\s*")
# the numbering styles of ITEM, outermost first, as official documents nest
# them: 一、 > （一） > 1. > （1） > ①
ITEM_STYLES = (
    # 1 目的 / 6 附则: a section number as an enterprise system writes it
    re.compile(rf"^(?:[{NUM}]+[、.．]|第[{NUM}]+[，,、]|\d+\s)"),
    re.compile(rf"^[（(][{NUM}]+[)）]"),
    re.compile(r"^\d+"),
    re.compile(r"^[（(]\d+[)）]"),
    re.compile(r"^[①-⑳]"),
)
# a line that announces a list under it (…下列…：)
ANNOUNCES = re.compile(r"下列[^：:]*[：:]\s*$")
TABLE_ROW = re.compile(r"^[|｜](?P<h>[^|｜]+)[|｜](?P<duty>[^|｜]+)(?:[|｜].*)?$")
ALIAS = re.compile(r"[（(]以下(?:简称|统称)[“\"]?([^）)”\"]{2,30})[”\"]?[)）]")
UNIT_END = re.compile(r"[。；;！!？?]")
TRAIL = re.compile(r"[\s。；;，,：:、！!？?…]+$")
LEVEL_ONLY = re.compile(r"^[省市县区乡镇村州旗]{1,2}$")
# a signing party may be a level of government written as a place class: 县(市、区), 各乡镇
LEVEL_PARTY = re.compile(
    r"^各?[\u4e00-\u9fff]{0,6}[省市县区乡镇村州旗](?:[(（][^)）]*[)）])?$"
)
HEADLINE_END = re.compile(r"[。:：]$")
# a list of places or units closed by 等 with no head noun, standing as a subject
# before its modal (开发区、工业园区、港区等应当…)
ETC_LIST = re.compile(
    r"^(?:以及|及)?(?:[\u4e00-\u9fff（）()]{2,12}、)+[\u4e00-\u9fff（）()]{2,12}等$"
)
# a duty written passively: 事故调查由某部门负责 (the duty, 由, the holder, then 负责 alone)
PASSIVE = re.compile(r"^(?P<duty>[^，,、由]{2,40})由(?P<h>[^，,、由]{2,40})$")
PASSIVE_DUTY = re.compile(r"^(?:具体|统一|依法|共同|分别)?负责$")
# an object fronted before its agent: 具体办法由某部门规定, 某某工作，由其主管单位监督管理
AGENTIVE = re.compile(
    r"^(?P<obj>[^，,；;。：:由]{2,80}?)[，,]?(?:应当|应|必须)?由(?![于此])(?P<rest>[^；;。]{3,})$"
)
# the dummy verbs an object is put before with 对 (由某部门进行审查 → 对…进行审查)
DUMMY_VERB = re.compile(r"进行|实施")
OPEN = "（(《“"
CLOSE = "）)》”"


@dataclass(frozen=True, slots=True)
class Holder:
    name: str
    label: str  # schema.ORGANIZATION or schema.ROLE


class DutyPatterns:
    """The duty cue tables compiled once per ruleset."""

    def __init__(self, c: Cues) -> None:
        heads = sorted(
            {*c.words("duty_body_heads"), *c.words("duty_role_heads")},
            key=len,
            reverse=True,
        )
        self.head_words = tuple(heads)
        self.role_end = re.compile(c.alternation("duty_role_heads") + "$")
        self.body_in = c.regex("duty_body_heads")
        self.follow = c.regex("duty_subject_follow")
        self.modal_lead = c.leading("duty_modals")
        # unanchored: .match(text, pos) at a position, .search anywhere ("^" would only match at 0)
        self.modal = c.regex("duty_modals")
        self.switch = c.regex("duty_switch_follow")
        self.clause_lead = c.leading("duty_clause_leads")
        self.adverbial = c.leading("duty_adverbial_leads")
        self.action = c.regex("duty_action_verbs")
        self.exclude = c.regex("duty_exclusions")
        self.agent_verbs = c.regex("duty_agent_verbs")
        # where an adverbial's noun ends (根据…的分类标准|确定): its last 标准/规定…
        self.adverbial_noun = re.compile(
            "^.*(?:"
            + "|".join(w.removesuffix("$") for w in c.words("duty_adverbial_end"))
            + ")"
        )
        self.permission = c.regex("duty_permissions")
        self.condition = c.regex("duty_condition_end")
        self.canonical = c.regex("duty_canonical_terms")
        self.list_heading = c.regex("duty_list_heading")
        self.title_list = c.regex("duty_title_list")
        self.list_skip = c.regex("duty_list_skip")
        self.speech_modal = c.regex("duty_speech_modals")
        # most speech clauses hold no modal and open with no body head: a scan for
        # the characters every match contains turns them away before any slicing
        self.speech_modal_need = needed_chars(self.speech_modal)
        # a table of words matches the same in a window of the sentence as in
        # the clause sliced from it, so it is its own (exact) test
        self.body_need = (
            self.body_in
            if c.tables["duty_body_heads"].kind == "words"
            else needed_chars(self.body_in)
        )
        self.speech_terms = c.regex("duty_speech_terms")
        self.concrete = c.regex("duty_speech_concrete")
        self.embedded = c.regex("duty_embedded_term")
        self.signing = c.regex("duty_signing")
        self.party_suffix = c.regex("duty_party_suffix")
        self.speech_genre = c.regex("duty_speech_genre")
        self.adverbial_end = c.regex("duty_adverbial_end")
        self.formal_verbs = c.regex("duty_formal_verbs")
        self.determiners = c.regex("duty_mention_determiners")
        self.generic = c.regex("duty_mention_generic")
        self.speech_trim = c.regex("duty_speech_trim")
        self.speech_count = c.regex("duty_speech_count")
        self.frequency = c.regex("duty_frequency")
        self.urged = c.regex("duty_urged")
        self.not_subject = c.regex("duty_not_subject")
        self.scope_sentence = c.regex("duty_scope_sentence")
        self.subheading = c.regex("duty_subheading")
        self.subject_lead = c.leading("duty_subject_lead")
        self.formal_genre = c.regex("duty_formal_genre")
        self.not_task = c.regex("duty_speech_not_task")
        self.embedded_listed = c.regex("duty_embedded_listed")
        self.bare_follow = c.leading("duty_speech_bare_follow")
        self.bare_follow_inside = c.leading("duty_speech_bare_inside")
        # a bare subject's task verb lies in its clause: without one of these
        # characters there, the clause has none
        self.bare_follow_need = needed_chars(self.bare_follow)
        self.bare_inside_need = needed_chars(self.bare_follow_inside)
        self.retrospective = c.regex("duty_speech_retrospective")
        self.take_before = re.compile("(?:" + c.alternation("duty_take_verbs") + ")$")
        self.heading_not_lead = c.leading("duty_heading_not_lead")
        self.title_generic = c.regex("duty_title_generic")
        self.inline_heading = re.compile(
            "(?:" + c.alternation("duty_list_heading") + ")"
        )
        self.party_government = re.compile(
            "^(?P<pre>.*?)(?P<party>"
            + c.alternation("duty_party_bodies")
            + ")(?:和|、|及|与)?(?P<gov>"
            + c.alternation("duty_government_bodies")
            + ")$"
        )

    def ends_with_head(self, s: str) -> bool:
        """Whether ``s`` ends in a body or role head (as a regex ``(?:…)$``
        would say, a final newline allowed): a suffix test, where a search
        for the end-anchored alternation tried it at every position."""
        words = self.head_words
        return s.endswith(words) or (s[-1:] == "\n" and s[:-1].endswith(words))


def _cues(ctx: Context) -> DutyPatterns:
    return ctx.cues.built("duties", DutyPatterns)


# --- bracket-aware splitting -------------------------------------------------
def split_top(text: str, seps: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between separators that stand outside brackets."""
    out, depth, start = [], 0, 0
    # visit only brackets and separators: a character loop in Python was the hot spot
    for m in _marks(seps).finditer(text):
        ch = m.group()
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            i = m.start()
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out


@functools.lru_cache(maxsize=32)
def _marks(seps: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(OPEN + CLOSE + seps) + "]")


_PARENS_TAIL = re.compile(r"[（(][^（()）]*[)）]$")


def _strip_parens_tail(s: str) -> str:
    return _PARENS_TAIL.sub("", s) if s.endswith((")", "）")) else s


# --- holders -----------------------------------------------------------------
def find_subject(cues: DutyPatterns, text: str) -> tuple[str, int] | None:
    """The clause subject at the start of ``text``: (holder as written, end of
    the subject), or None when the text does not open with one."""
    alias = ALIAS.search(text)
    if alias and not re.search(r"[，,。；;]", text[: alias.start()]):
        before = text[: alias.start()]
        rest_end = alias.end()
        m = cues.follow.search(text, rest_end)
        tail = text[rest_end : m.start()] if m else ""
        if (
            m
            and not re.search(r"[，,]", tail.strip("，, "))
            and (not tail or cues.ends_with_head(_strip_parens_tail(tail)))
        ):
            simple = not re.search(r"[、等的对]", before) and cues.ends_with_head(
                before
            )
            name = before + tail if simple else alias.group(1) + tail
            end = m.start()
            return name.strip("，, "), end
    found: tuple[str, int] | None = None
    for m in cues.follow.finditer(text):
        p = m.start()
        if p == 0:
            continue
        subj = text[:p]
        if subj[-1] in "，," and (
            cues.modal.match(text, p) or cues.permission.match(text, p)
        ):
            subj = subj[:-1]  # 开发区、…等功能区管理机构，应当… / …单位，可以…
        if re.search(r"[。；;：:]", subj) or len(subj) > 120:
            break
        if re.search(r"[，,]", subj):
            # 甲单位，乙单位，以及丙单位，应当…: a list of holders before the modal
            parts = [subj[a:b] for a, b in split_top(subj, "，,")]
            if (
                found is None
                and cues.modal.match(text, p)
                and all(_has_head(cues, x) or ETC_LIST.match(x) for x in parts)
            ):
                return subj, p
            break
        if (
            found is None
            and subj.endswith("除")
            and _has_head(cues, subj[:-1])
            and cues.modal.match(text, p)
        ):
            return subj[:-1], p  # 某单位除应当履行…外，还应当…
        if cues.modal.search(subj) or cues.not_subject.search(subj):
            break
        if found is None and ETC_LIST.match(subj) and cues.modal.match(text, p):
            return subj, p  # 保税区、开发区…等应当…: the list as written
        if cues.ends_with_head(_strip_parens_tail(subj)) and not LEVEL_ONLY.match(subj):
            if cues.follow.match(text):
                # 负有…职责的部门应当…: a relative clause opens the subject
                if "的" not in subj or not cues.switch.match(text, p):
                    continue
            if found is None:
                found = (subj, p)
            elif "的" in subj[len(found[0]) :] and not cues.adverbial.match(
                subj[len(found[0]) :]  # …部门对举报…的有功人员: 对 opens no noun phrase
            ):
                # 县级以上人民政府负有…职责的部门: the longer noun phrase
                found = (subj, p)
            if cues.modal.match(text, p):
                break
    return found


def find_agent(cues: DutyPatterns, text: str) -> tuple[str, int] | None:
    """The agent opening ``text`` (what follows 由): the clause subject when it
    has one, else the shortest body or post name followed by a verb that an
    agent is given (由国务院公安部门规定, 由应急管理部门报…备案)."""
    sub = find_subject(cues, text)
    if sub is not None:
        return sub
    clause = text[: split_top(text, "，,")[0][1]]
    for m in cues.body_in.finditer(clause):
        end = m.end()
        name = clause[:end]
        if cues.ends_with_head(clause[: end + 1]) and end < len(clause):
            continue  # 部 of 部门: the longer head
        if _has_head(cues, name) and cues.agent_verbs.match(clause, end):
            return name, end
    return None


def _has_head(cues: DutyPatterns, s: str) -> bool:
    s = _strip_parens_tail(s)
    return cues.ends_with_head(s) and not LEVEL_ONLY.match(s) and len(s) >= 2


def split_holders(
    cues: DutyPatterns, holder: str, *, speech: bool = False
) -> list[str]:
    """Coordinated holders, one each (乡镇人民政府、街道办事处 → two); shared
    modifiers stay one holder (市和区人民政府); ``A、B等 + head`` → the head."""
    holder = holder.strip()
    if re.match(r"其(?![他它余中])", holder) and len(holder) > 1:
        holder = holder[1:]
    both = cues.party_government.match(holder)
    if both and both.group("pre") and not re.search(r"[和及与]", both.group("pre")):
        # 各县（市、区）党委和政府: the party committee and the government of one place
        pre = both.group("pre")
        if len(split_top(pre, "、，,")) == 1:
            return [pre + both.group("party"), pre + both.group("gov")]
    parts = []
    for a, b in split_top(holder, "，,"):
        seg = re.sub(r"^(?:以及|或者|和|及|与)", "", holder[a:b].strip("，, "))
        if "等" in seg and "或" in seg[: seg.rindex("等")] and _has_head(cues, seg):
            # 小型企业或者微型企业等规模较小的生产经营单位: one class, named by its head
            parts.append(seg)
            continue
        parts.extend(
            seg[c:d].strip("，, ")
            for c, d in _split_words(
                seg, ("以及", "或者", "和", "及", "与"), cues.role_end
            )
        )
    parts = [p for p in parts if p]
    if len(parts) > 1 and (
        any(not (_has_head(cues, p) or ETC_LIST.match(p)) for p in parts)
        or any(p.startswith("其") for p in parts[1:])
    ):
        parts = [holder]
    out: list[str] = []
    for p in parts:
        if "等" in p:
            k = p.rindex("等")
            listed = [p[a:b] for a, b in split_top(p[:k], "、")]
            tail = p[k + 1 :]
            if all(_has_head(cues, x) and "或" not in x for x in listed):
                out.extend(
                    listed
                )  # 街道办事处、开发区管理机构等派出机关: full bodies, one each
            else:
                # 新闻、广播、电视等有关单位: a generic head keeps the list as written
                out.append(
                    tail
                    if len(tail) >= 4
                    and _has_head(cues, tail)
                    and not GENERIC_HEAD.match(tail)
                    else p
                )
            continue
        sub = [p[a:b] for a, b in split_top(p, "、")]
        if len(sub) > 1 and "的" in sub[-1] and cues.role_end.search(sub[-1]):
            out.append(p)  # 各乡镇、各部门的主要领导: one post of several bodies
        elif len(sub) > 1 and all(_has_head(cues, s) for s in sub):
            out.extend(sub)
        elif speech and len(sub) > 1 and _has_head(cues, sub[0]):
            out.extend(
                x for x in sub if _has_head(cues, x)
            )  # 各部门、行业、领域要… → 各部门
        else:
            out.append(p)
    # 各级党委和政府主要负责人: the post at the end belongs to every body
    if len(out) > 1:
        last = out[-1]
        role = cues.role_end.search(last)
        if role:
            body = None
            for m in cues.body_in.finditer(last):
                if m.end() <= role.start():
                    body = m
            if body is not None:
                suffix = last[body.end() :]
                lead = re.match(r"^(?:各级|各)", out[0])
                fixed = []
                for s in out[:-1]:
                    if not cues.role_end.search(s):
                        s = s + suffix
                        if lead and not s.startswith(lead.group()):
                            s = lead.group() + s
                    fixed.append(s)
                out = fixed + [last]
    # 某镇党委政府: the party committee and the government, each with the place
    pairs = [cues.party_government.match(o) for o in out]
    out = [
        x
        for o, m in zip(out, pairs, strict=True)
        for x in (
            [m.group("pre") + m.group("party"), m.group("pre") + m.group("gov")]
            if m and m.group("pre")
            else [o]
        )
    ]
    return [o for o in out if o]


def _split_words(
    text: str, words: tuple[str, ...], role_end: re.Pattern[str] | None = None
) -> list[tuple[int, int]]:
    """Spans between the given conjunctions, outside brackets."""
    out, start = [], 0
    for m in _words_pattern(words).finditer(text):
        i, w = m.start(), m.group()
        if i == 0 or _depth(text, i):
            continue
        end = m.end()
        if w == "及其":
            # X及其有关部门 is one holder; X及其负有…职责的部门 names a class of its own
            rest = text[end:]
            if not (
                len(rest) >= 6
                and "的" in rest
                and not (role_end and role_end.search(rest))
            ):
                continue
        if i < start:
            continue
        out.append((start, i))
        start = end
    out.append((start, len(text)))
    return out


@functools.lru_cache(maxsize=16)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # 及其 first so that it is never read as 及 + 其…
    alts = sorted(
        {*words, "及其"} if "及" in words else set(words), key=len, reverse=True
    )
    return re.compile("|".join(map(re.escape, alts)))


def _depth(text: str, i: int) -> int:
    head = text[:i]
    return sum(head.count(c) for c in OPEN) - sum(head.count(c) for c in CLOSE)


def holder_label(cues: DutyPatterns, name: str) -> str:
    return (
        schema.ROLE
        if cues.role_end.search(_strip_parens_tail(name))
        else schema.ORGANIZATION
    )


# --- duty phrases ------------------------------------------------------------
def clean_phrase(cues: DutyPatterns, text: str) -> str:
    t = text.strip(" \t\u3000，,")
    for _ in range(3):
        old = t
        t = cues.clause_lead.sub("", t)
        t = cues.modal_lead.sub("", t)
        t = t.strip(" ，,")
        if t == old:
            break
    if cues.adverbial.match(t):
        m = cues.modal.search(t)
        if (
            m
            and not re.search(r"[，,]", t[: m.start()])
            and not _depth(t, m.start())  # “管行业必须管安全” keeps its 必须
        ):
            t = t[: m.start()] + t[m.end() :]  # 对…的督办要求应当予以配合
    return TRAIL.sub("", t)


def canonical_terms(cues: DutyPatterns, text: str) -> list[str]:
    found = []
    for m in cues.canonical.finditer(text):
        # 督促生产经营单位落实主体责任: the urged party bears the term, not the subject
        before = text[max(0, m.start() - 24) : m.start()]
        if re.search(
            r"(?:督促|促使|要求|推动)(?:[^，,；;]{0,16}(?:落实|履行|承担|担负)[^，,；;]{0,8})?$",
            before,
        ):
            continue
        if m.lastgroup and m.lastgroup not in found:
            found.append(m.lastgroup)
    return found


def predicates(
    cues: DutyPatterns, text: str, offset: int
) -> list[tuple[str, int, int]]:
    """Each predicate of one subject: (phrase, start, end) in document offsets."""
    spans = split_top(text, "，,")
    last = text[spans[-1][0] : spans[-1][1]]
    if "下列" in last and cues.permission.search(last):
        return []  # 依法进行监督检查，可以采取下列措施：the measures it may take
    out: list[tuple[str, int, int]] = []
    pending: tuple[int, int] | None = None
    permitted = False
    for i, (a, b) in enumerate(spans):
        clause = text[a:b].strip()
        if (
            i + 1 < len(spans)
            and not cues.modal.search(clause)
            and not cues.canonical.search(clause)  # 是…的责任主体，应当…
            and not cues.adverbial.match(clause)  # 对有资格要求的岗位，应当…
            and cues.modal_lead.match(text[spans[i + 1][0] : spans[i + 1][1]].strip())
        ):
            continue  # 制定或者修改…规章制度，应当听取…: the occasion of the duty after it
        if _noun_subject(cues, clause):
            break  # 考核结果应当向社会公开: a new subject that holds no duty
        if not clause:
            continue
        if cues.permission.search(clause):
            permitted = True
            continue
        if permitted and not cues.modal.search(clause) and not AGENTIVE.match(clause):
            continue  # 有权进入…，在现场检查…: what it may do goes on
        permitted = False
        if pending is not None:
            # an adverbial clause (按照各自分工，) stays with its predicate
            a = pending[0]
            pending = None
        raw = text[a:b]
        body = clean_phrase(cues, clause)
        if not body:
            continue
        if cues.exclude.search(body):
            if i > 0 and _opens_excluded(cues, body):
                # 监督检查人员不得少于二人，并应当出示…: no duty, but a new holder
                out.append((body, offset + a, offset + b))
            continue
        if cues.condition.search(body) and (a, b) != spans[-1]:
            continue
        if (
            cues.adverbial.match(body)
            and (not cues.action.search(body) or cues.adverbial_end.search(body))
            and (a, b) != spans[-1]
        ):
            pending = (a, b)
            continue
        out.append((clean_phrase(cues, raw), offset + a, offset + b))
    return out


def _opens_excluded(cues: DutyPatterns, clause: str) -> bool:
    """Whether a clause that is no duty (不得…) opens with a holder of its own."""
    return _excluded_subject(cues, clause) is not None


def _excluded_subject(cues: DutyPatterns, clause: str) -> tuple[str, int] | None:
    """监督检查人员不得少于二人: the holder before what makes the clause no duty."""
    m = cues.exclude.search(clause)
    if m is None or m.start() < 2:
        return None
    name = clause[: m.start()]
    if (
        _has_head(cues, name)
        and not re.search(r"[，,、和及与]", name)
        and not cues.modal.search(name)
        and not cues.not_subject.search(name)
    ):
        return name, m.start()
    return None


def _noun_subject(cues: DutyPatterns, clause: str) -> bool:
    m = cues.modal.search(clause)
    if not m or m.start() < 2:
        return False
    subj = clean_phrase(cues, clause[: m.start()])
    return (
        bool(subj)
        and not cues.ends_with_head(subj)
        and not cues.adverbial.match(subj)
        and not cues.follow.search(subj)
    )


# --- the component -------------------------------------------------------------
@dataclass
class Duty:
    holder: str
    phrase: str
    start: int
    end: int
    hstart: int
    hend: int
    rule: str


class Reader:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cues = _cues(ctx)
        self.duties: list[Duty] = []

    # running text: one subject, its predicates; subjects carried within a paragraph
    def running(
        self,
        text: str,
        offset: int,
        rule: str,
        carry: tuple[str, int, int] | None = None,
        carry_any: bool = False,
    ) -> tuple[str, int, int] | None:
        cues = self.cues
        prev_end = -1
        for ua, ub in split_top(text, "。；;！!？?"):
            unit = text[ua:ub]
            # after ；the sentence goes on: its subject carries without a modal
            same_sentence = prev_end >= 0 and text[prev_end : prev_end + 1] in "；;"
            prev_end = ub
            lead = len(unit) - len(unit.lstrip())
            unit_s = unit.strip()
            number = ITEM.match(unit_s)
            if number and number.end() < len(unit_s):
                # 1.负责A；2.负责B on one line: the numbers are layout
                lead += number.end()
                unit_s = unit_s[number.end() :]
            if not unit_s:
                continue
            base = offset + ua + lead
            first = split_top(unit_s, "，,")[0]
            if (
                first[1] < len(unit_s)
                and cues.condition.search(unit_s[: first[1]])
                and not find_subject(cues, unit_s)
            ):
                # 发现…隐患的，有关部门应当…: the condition is no subject
                cut = first[1] + 1
                unit_s, base = (
                    unit_s[cut:].lstrip(),
                    base + cut + (len(unit_s[cut:]) - len(unit_s[cut:].lstrip())),
                )
            if self._agentive(unit_s, base, rule):
                continue
            among = AMONG.match(unit_s)
            if among:
                # 其中，小型企业…等单位，可以…，但应当…: a part of the holder named anew
                unit_s, base = unit_s[among.end() :], base + among.end()
            subj = find_subject(cues, unit_s)
            if subj is None and unit_s.startswith("由"):
                # 由市安委会统一部署: the agent after 由 holds the duty
                inner = find_subject(cues, unit_s[1:])
                if inner is not None:
                    unit_s, base = unit_s[1:], base + 1
                    subj = inner
            if subj is not None:
                name, end = subj
                passive = PASSIVE.match(name)
                if (
                    passive
                    and PASSIVE_DUTY.match(TRAIL.sub("", unit_s[end:]))
                    and _has_head(cues, passive.group("h"))
                ):
                    # 事故调查由某部门负责: the agent after 由 holds what stands before it
                    hs = base + passive.start("h")
                    self._add(
                        passive.group("h"),
                        passive.group("duty"),
                        base,
                        base + len(unit_s),
                        hs,
                        hs + len(passive.group("h")),
                        rule,
                    )
                    carry = (passive.group("h"), hs, hs + len(passive.group("h")))
                    continue
                if re.match(r"其(?![他它余中])", name) and carry:
                    name = carry[0] + "的" + name[1:]
                carry = (name, base, base + len(subj[0]))
                body, boff = unit_s[end:], base + end
                if unit_s[len(name) : len(name) + 1] == "除":
                    # 除应当履行…外，: the 外 closing the clause is no part of the duty
                    close = split_top(body, "，,")[0][1]
                    if body[:close].endswith("外"):
                        body = body[: close - 1] + " " + body[close:]
            elif carry is not None and (
                carry_any or same_sentence or cues.modal.search(unit_s[:12])
            ):
                body, boff = unit_s, base
            else:
                self._embedded(unit_s, base, rule)
                continue
            self._emit(carry, body, boff, rule)
        return carry

    def _agentive(self, unit: str, base: int, rule: str) -> bool:
        """某规范由某部门制定 / 某工作，由其主管单位监督管理: the agent after 由 holds
        the predicate, with the fronted object put back (制定某规范,
        对某项目进行审查); False when the unit is not written so."""
        cues = self.cues
        m = AGENTIVE.match(unit)
        if m is None:
            return False
        obj = m.group("obj")
        alias = ALIAS.search(obj)
        if alias:
            obj_name = alias.group(1)  # 新建…项目（以下统称某项目）
        else:
            obj_name = obj
        bare = ALIAS.sub("", obj)
        if (
            _has_head(cues, _strip_parens_tail(bare))
            or cues.condition.search(bare)
            or cues.modal.search(bare)
            or cues.exclude.search(bare)
        ):
            return False
        rest, roff = m.group("rest"), base + m.start("rest")
        agent = find_agent(cues, rest)
        if agent is None:
            return False
        name, end = agent
        if PASSIVE_DUTY.match(TRAIL.sub("", rest[end:])):
            return False  # 事故调查由某部门负责: read as before
        holder = name[1:] if re.match(r"其(?![他它余中])", name) else name
        pred = rest[end:]
        parts: list[str] = []
        stop = len(pred)
        for a, b in split_top(pred, "，,"):
            clause = pred[a:b].strip()
            if a > 0 and find_subject(cues, clause) is not None:
                stop = a  # …，消防救援机构协助: a subject of its own
                break
            if clause.startswith("会同") and not DUMMY_VERB.search(clause):
                continue  # 会同某某等部门，: who it works with
            parts.append(clause)
        # the predicates share the fronted object: 确定、公布，并适时调整 + 目录
        phrase = clean_phrase(cues, "".join(parts))
        verb = DUMMY_VERB.search(phrase)
        if verb:
            phrase = phrase[: verb.start()] + "对" + obj_name + phrase[verb.start() :]
        else:
            lead = cues.adverbial.match(phrase)
            cut = cues.adverbial_noun.search(phrase) if lead else None
            if cut and len(phrase) - cut.end() >= 2:
                phrase = phrase[cut.end() :]  # 根据…标准确定 → 确定
            phrase = phrase + obj_name
        s0 = roff + end
        if phrase and not cues.exclude.search(phrase):
            self._add(holder, phrase, s0, s0 + stop, roff, roff + len(name), rule)
        if stop < len(pred):
            rs = pred[stop:]
            self.running(rs, s0 + stop + len(rs) - len(rs.lstrip()), rule)
        return True

    def _embedded(self, unit: str, base: int, rule: str) -> None:
        """强化和落实生产经营单位的主体责任和政府监管责任: terms naming their holder;
        促使党政领导干部承担起…政治责任: a post urged to take a named term on."""
        for m in self.cues.urged.finditer(unit):
            h = m.group("h")
            if not self.cues.role_end.search(h):
                continue
            clause_end = re.search(r"[，,。；;]", unit[m.end() :])
            rest = (
                unit[m.end() : m.end() + clause_end.start()]
                if clause_end
                else unit[m.end() :]
            )
            for t in canonical_terms(self.cues, rest):
                self.duties.append(
                    Duty(
                        h,
                        t,
                        base + m.start("h"),
                        base + m.end() + len(rest),
                        base + m.start("h"),
                        base + m.end("h"),
                        "duty.urged",
                    )
                )
        for m in self.cues.embedded.finditer(unit):
            h, t = m.group("h"), m.group("t")
            if _bare_term(t) and not self.cues.take_before.search(unit, 0, m.start()):
                continue  # 企业责任 names a duty only when taken on: 压实企业责任
            term = canonical_terms(self.cues, h + t) or canonical_terms(self.cues, t)
            name = (
                term[0]
                if term
                else (h + t if t.startswith("监管") or _bare_term(t) else t)
            )
            self.duties.append(
                Duty(
                    h,
                    name,
                    base + m.start(),
                    base + m.end(),
                    base + m.start(),
                    base + m.start() + len(h),
                    "duty.embedded",
                )
            )

    def _emit(
        self, holder: tuple[str, int, int], body: str, boff: int, rule: str
    ) -> None:
        cues = self.cues
        name, hs, he = holder
        for phrase, s, e in predicates(cues, body, boff):
            if AGENTIVE.match(phrase) and self._agentive(phrase, s, rule):
                continue  # …，具体办法由某部门规定: an agent and object of its own
            # a later clause with a subject of its own switches the holder
            # 由同级人民政府按照…确定: the agent after 由
            lead = 1 if phrase.startswith("由") else 0
            sub = (find_agent if lead else find_subject)(cues, phrase[lead:])
            if sub is None and not lead and cues.exclude.search(phrase):
                sub = _excluded_subject(cues, phrase)
            if sub is not None and lead:
                phrase, sub = phrase[1:], sub
            if (
                sub is not None
                and (
                    lead
                    or cues.switch.match(phrase, sub[1])
                    or cues.subject_lead.match(phrase)
                    or cues.exclude.match(phrase, sub[1])
                )
                and not cues.adverbial.match(phrase)
            ):
                own = sub[0]
                if re.match(r"其(?![他它余中])", own):
                    own = holder[0] + "的" + own[1:]
                name, hs, he = own, s, s + len(sub[0])
                phrase = clean_phrase(cues, phrase[sub[1] :])
                if not phrase or cues.exclude.search(phrase):
                    continue
            self._add(name, phrase, s, e, hs, he, rule)

    def _add(
        self,
        name: str,
        phrase: str,
        s: int,
        e: int,
        hs: int,
        he: int,
        rule: str,
        whole: bool = False,
    ) -> None:
        terms = canonical_terms(self.cues, phrase)
        if terms:
            for t in terms:
                self.duties.append(Duty(name, t, s, e, hs, he, rule))
        elif phrase and len(phrase) >= 2:
            self.duties.append(Duty(name, phrase, s, e, hs, he, rule))

    def item(
        self, holder: tuple[str, int, int], text: str, start: int, rule: str
    ) -> None:
        t = text.strip()
        # (一)层层落实责任制。督促…: an item with a title sentence is named by it
        stop = t.find("。")
        if 0 < stop < len(t) - 1:
            t = t[:stop]
        if self.cues.subheading.search(TRAIL.sub("", t)):
            return
        phrase = TRAIL.sub("", t)
        if not phrase or self.cues.exclude.search(phrase[:6]):
            return
        self._add(
            holder[0], phrase, start, start + len(text), holder[1], holder[2], rule
        )


def _title_holder(
    cues: DutyPatterns, lines: list[tuple[int, str]]
) -> tuple[str, int, int] | None:
    """A holder named only in a document title (某局安全生产权责清单)."""
    for off, line in lines[:8]:
        s = line.strip()
        s = re.sub(r"^附件\s*\d*\s*[:：]?\s*", "", s)
        m = cues.title_list.search(s)
        if m and m.start() > 0:
            name = re.sub(r"(?:关于|的)$", "", s[: m.start()])
            name = re.sub(r"安全生产$", "", name)
            if (
                cues.ends_with_head(name)
                and len(name) <= 30
                and not cues.title_generic.search(name)
            ):
                i = line.index(name) if name in line else 0
                return name, off + i, off + i + len(name)
    return None


def _heading_holder(cues: DutyPatterns, text: str) -> str | None:
    """A line that is only a body or post name (质监部门。/ 5.1.2 安全部 / 董事长:),
    or a heading ``某某主要职责``."""
    t = TRAIL.sub("", text.strip())
    if not t or len(t) > 40:
        return None
    h = cues.list_heading.search(t)
    if h and h.start() > 0:
        name = re.sub(r"(?:的|安全生产|安全)+$", "", t[: h.start()])
        if _has_head(cues, name) and not re.search(r"[，,]", name):
            return name
        return None
    if re.search(r"[，,；;]", t) or len(t) > 25 or cues.heading_not_lead.match(t):
        return None  # 是全县安全生产第一责任人: an item that is a predicate, no heading
    if _has_head(cues, t) and not any(
        # 区市场监督管理局: a follow word inside a body's name opens no predicate
        _has_head(cues, t[: m.start()])
        or "的" in t[m.start() :]
        or holder_label(cues, t) == schema.ROLE
        for m in cues.follow.finditer(t, 1)
    ):
        return t
    return None


@component(
    "duties",
    rules=[
        "duty.article",
        "duty.item",
        "duty.heading",
        "duty.title",
        "duty.inline",
        "duty.embedded",
        "duty.signing",
        "duty.speech",
        "duty.urged",
    ],
)
def find_duties(ctx: Context) -> None:
    """BEARS from statute articles, duty lists and responsibility systems."""
    cues = _cues(ctx)
    if not _formal(ctx, cues):
        _speech(ctx, cues)
        return
    reader = Reader(ctx)
    text = ctx.text
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    title = _title_holder(cues, lines)
    scope: tuple[str, int, int] | None = None
    scope_rule = "duty.heading"
    carry: tuple[str, int, int] | None = None
    # nested numbering: the item styles open, outermost first; a heading item
    # names the holder of deeper items only, and a list of targets or permitted
    # measures (…对下列单位…：/ 可以采取下列措施：) hands none of its items a duty
    scope_level = -1  # the level of the item that named the scope (-1: a line)
    skip_level: int | None = None  # items deeper than this are skipped
    pending_skip: int | None = None
    for off, line in lines:
        lead = len(line) - len(line.lstrip())
        s = line.strip()
        if not s or s.startswith("……"):
            continue
        base = off + lead
        if pending_skip is not None:
            skip_level, pending_skip = pending_skip, None
        if cues.list_skip.search(s):
            skip_level = -1
            continue
        if CHAPTER.match(s):
            scope, carry, skip_level = None, None, None  # 第四章 …: a new part
            continue
        row = TABLE_ROW.match(s)
        if row:
            # | 某局 | 负责… |: a Markdown table row, the first cell holds the rest
            h, duty = row.group("h").strip(), row.group("duty").strip()
            if _has_head(cues, h) and duty and not cues.list_heading.search(duty):
                hs = base + s.index(h)
                ds = base + row.start("duty") + row.group("duty").index(duty)
                reader.running(
                    duty, ds, "duty.inline", (h, hs, hs + len(h)), carry_any=True
                )
            continue
        art = ARTICLE.match(s)
        if art:
            scope, carry, skip_level = None, None, None
            s, base = s[art.end() :], base + art.end()
        item = ITEM.match(s)
        sec = SECTION.match(s)
        level = _item_level(s) if item else -1
        if skip_level is not None and (item or sec) and level > skip_level:
            continue
        skip_level = None
        if scope is not None and item and level <= scope_level:
            scope = None  # 五、… after （四）某单位。: the heading's list has ended
        if ANNOUNCES.search(s) and not cues.list_heading.search(TRAIL.sub("", s)):
            pending_skip = level
        if sec and not item:
            rest = s[sec.end() :]
            h = _heading_holder(cues, rest) or _leading_holder(cues, rest)
            if h:
                i = base + sec.end() + rest.index(h)
                scope, scope_rule = (h, i, i + len(h)), "duty.heading"
                scope_level = 0  # 5.5 某岗位职责 ends at the next section 6 …
                if len(rest) > len(h) + 4:
                    carry = reader.running(
                        rest[len(h) :], i + len(h), "duty.article", scope
                    )
                continue
            if len(rest) <= 16 and not re.search(r"[，,。；;]", rest):
                scope = (
                    None  # 5.2 各级安全生产职责: a section with no holder of its own
                )
                continue
            item = sec
        if item:
            body, boff = s[item.end() :], base + item.end()
            # (三)人员密集的生产经营场所； is an item of a target list, not a heading
            h = (
                None
                if re.search(r"[；;，,]$", body.strip())
                else _heading_holder(cues, body)
            )
            if h:
                i = boff + body.index(h)
                scope, scope_rule = (h, i, i + len(h)), "duty.heading"
                scope_level = level
                continue
            inline = _inline(cues, body)
            if inline is not None:
                name, cut = inline
                reader.running(
                    body[cut:],
                    boff + cut,
                    "duty.inline",
                    (name, boff, boff + len(name)),
                    carry_any=True,
                )
                continue
            subj = find_subject(cues, body)
            if subj is not None:
                carry = reader.running(body, boff, "duty.article", None)
                continue
            holder = scope or title
            if holder is not None:
                reader.item(holder, body, boff, scope_rule if scope else "duty.title")
            continue
        announced = cues.scope_sentence.search(s)
        if announced and _has_head(cues, announced.group("h")):
            h = announced.group("h")
            i = base + announced.start("h")
            scope, scope_rule = (h, i, i + len(h)), "duty.heading"
            scope_level = -1
            continue
        # a bare line: a heading, a holder line, an inline list, or running text
        h = _heading_holder(cues, s)
        if h and (
            HEADLINE_END.search(s)
            or cues.list_heading.search(TRAIL.sub("", s))
            or len(s) <= 12
        ):
            i = base + s.index(h)
            scope, scope_rule = (h, i, i + len(h)), "duty.heading"
            scope_level = -1
            continue
        inline = _inline(cues, s)
        if inline is not None:
            name, cut = inline
            reader.running(
                s[cut:],
                base + cut,
                "duty.inline",
                (name, base, base + len(name)),
                carry_any=True,
            )
            continue
        if (
            scope is not None
            and scope_rule == "duty.heading"
            and not find_subject(cues, s)
            and not art
        ):
            reader.item(scope, s, base, "duty.heading")
            continue
        carry = reader.running(s, base, "duty.article", carry if not art else None)
        # an article ending in 履行下列职责： hands its subject to the items below
        if (
            carry is not None
            and cues.list_heading.search(TRAIL.sub("", s))
            and re.search(r"[:：]\s*$", s)
        ):
            scope, scope_rule, scope_level = carry, "duty.item", -1
    _supersede(ctx, None)
    _commit(ctx, reader)


def _item_level(s: str) -> int:
    """The nesting level of a numbered line, from its numbering style."""
    return next((i for i, p in enumerate(ITEM_STYLES) if p.match(s)), len(ITEM_STYLES))


def _leading_holder(cues: DutyPatterns, text: str) -> str | None:
    """5.1.1 安全生产领导小组…: a section heading that runs on into its text
    opens with the holder; the shortest head-ending prefix of 4+ characters."""
    for m in cues.body_in.finditer(text[:20]):
        name = text[: m.end()]
        if (
            len(name) >= 4
            and not text[m.end() :].startswith(("的", "和", "、"))
            and _has_head(cues, name)
        ):
            return name
    return None


def _inline(cues: DutyPatterns, text: str) -> tuple[str, int] | None:
    """``某局：负责A；负责B`` or a flattened table row ``某局 负责…``."""
    m = re.match(
        r"^([^：:，,。；;\s—-]{2,30})(?:[：:]|\s+|\s*(?:——|—|--)\s*)(?=\S)", text
    )
    if not m:
        return None
    name = m.group(1)
    heading = cues.inline_heading.search(name)
    if heading and heading.start() > 0 and heading.end() == len(name):
        # 某局安全生产职责：1.负责…；2.负责…
        name = re.sub(r"(?:的|安全生产|安全)+$", "", name[: heading.start()])
    if not _has_head(cues, name) or cues.follow.match(name):
        return None
    return name, m.end()


def reads_formally(ctx: Context) -> bool:
    """Whether duties reads this text as a formal allocation (statute, duty
    list) rather than a speech; what a document lists depends on it too."""
    return _formal(ctx, _cues(ctx))


def _formal(ctx: Context, cues: DutyPatterns) -> bool:
    """Whether the text allocates duties formally (articles, numbered duty lists,
    a duty-list title); speeches are left to the speech-clause extractor."""
    text = ctx.text
    if re.search(r"^\s*第[一二三四五六七八九十百零\d]+条", text, re.MULTILINE):
        return True
    # a title line (short, no sentence punctuation) naming a duty list or a rule
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:4]
    if any(
        len(ln) <= 60
        and not re.search(r"[。，,;；]", ln)
        and cues.formal_genre.search(ln)
        for ln in lines
    ):
        return True
    if cues.speech_genre.search(text[:400]):
        return False
    items = len(
        re.findall(
            rf"^\s*(?:[（(][{NUM}\d]+[)）]|[{NUM}]+、|\d+[.、．](?!\d)|\d+(?:\.\d+)+|\d+\s+\S)",
            text,
            re.MULTILINE,
        )
    )
    inline = sum(
        1 for line in text.split("\n") if _inline(cues, line.strip()) is not None
    )
    # numbered lists in a speech outline exhort (要…); duty lists assign (负责/应当…)
    assigning = len(cues.formal_verbs.findall(text)) >= len(
        cues.speech_modal.findall(text)
    )
    return (items >= 4 or inline >= 2) and assigning


def _sector(ctx: Context, sentence: int, start: int, end: int) -> str:
    """The field a duty names, when it names exactly one (危险化学品登记 → 危险化学品)."""
    names = {
        m.name
        for m in ctx.in_sentence(sentence, ["sector"])
        if start <= m.start and m.end <= end
    }
    return names.pop() if len(names) == 1 else ""


# 市区两级安委会办公室: one body per level, the shared head expanded
TWO_LEVELS = re.compile(r"^([省市县区乡镇])([省市县区乡镇])两级(.{2,})$")


def _mention(ctx: Context, cues: DutyPatterns, name: str, d: Duty) -> None:
    """A body that holds a duty is an organisation of the document too, named
    without its determiners; relative and generic references are not, nor the
    holder written inside a compound term unless it is a class of enterprises
    (企业主体责任 → 企业, but 党政领导责任 → no body 党政)."""
    org = cues.determiners.sub("", name)
    if len(org) < 2 or cues.generic.search(org):
        return
    if d.rule == "duty.embedded" and not cues.embedded_listed.search(org):
        return
    levels = TWO_LEVELS.match(org)
    for one in (
        [levels.group(1) + levels.group(3), levels.group(2) + levels.group(3)]
        if levels
        else [org]
    ):
        i = ctx.text.find(org, d.hstart, max(d.hend, d.hstart + len(name)) + 1)
        start, end = (i, i + len(org)) if i >= 0 else (d.hstart, d.hend)
        ctx.add_mention(
            Mention(
                kind="organization",
                name=one,
                surface=one,
                start=start,
                end=end,
                sentence=ctx.sentence_at(start).index,
                rule=d.rule,
                category="duty",
            )
        )


SPEECH_RULES = ("resp.clause", "resp.carried", "resp.urged", "resp.compound")
SUPERSEDED_IN_SPEECH = ("resp.clause", "resp.carried", "resp.compound")


def _supersede(ctx: Context, spans: list[tuple[int, int]] | None) -> None:
    """Drop the speech-clause extractor's BEARS where this component read the
    duties itself: every one in a formal text; in a speech, those of a holder
    (or compound term) this component gave a duty."""
    held = Spans(spans or ())

    def dropped(f: Fact) -> bool:
        if f.type != schema.BEARS:
            return False
        if spans is None:
            return f.evidence.rule in SPEECH_RULES
        return f.evidence.rule in SUPERSEDED_IN_SPEECH and held.holds(f.evidence.start)

    ctx.facts = [f for f in ctx.facts if not dropped(f)]


def _speech(ctx: Context, cues: DutyPatterns) -> None:
    """Duties in a speech: one entry per holder per sentence — the first named
    responsibility, else the first concrete task; terms that name their own
    holder (企业主体责任); parties to a signed 责任书."""
    reader = Reader(ctx)
    done: list[tuple[int, int]] = []
    for sent in ctx.sentences:
        text, base = sent.text, sent.start
        before = len(reader.duties)
        for m in cues.signing.finditer(text):
            parties = m.group("parties")
            term = m.group("term")
            for a, b in _split_words(parties, ("、", "和", "及", "以及", "与")):
                party = cues.party_suffix.sub("", parties[a:b]).strip()
                if _has_head(cues, party) or LEVEL_PARTY.match(party):
                    s0 = base + m.start("parties") + a
                    reader.duties.append(
                        Duty(
                            party,
                            term,
                            s0,
                            base + m.end(),
                            s0,
                            s0 + len(party),
                            "duty.signing",
                        )
                    )
        claimed: set[str] = set()
        terms_taken: list[tuple[int, int]] = []
        named_spans: list[tuple[int, int]] = []
        lexicon_terms: list[Mention] | None = None
        for a, b in split_top(text, ",，;；:："):
            # the reader's windows, tested on the sentence before slicing it (a
            # clause opening with a space is read as the functions do)
            spaced = text[a : a + 1].isspace()
            designated = (
                _designation(cues, text, a, b)
                if may_match(_DESIGNATED_NEED, text, a, b)
                else None
            )
            subj = (
                # 企业是…主体,要… spans a comma; a subject is short
                _speech_subject(cues, text[a : a + 80])
                if designated is None and _may_open_subject(cues, text, a, a + 80)
                else None
            )
            bare = False
            if subj is None and designated is None:
                if spaced or may_match(
                    cues.body_need, text, a, min(b, a + BARE_HEAD_REACH)
                ):
                    # 市安委会办公室成立专班,…: a body opening the sentence with a task, no modal;
                    # later in the sentence only one that takes the work on (…,某局负责…)
                    anywhere = not (a == 0 or text[a - 1] in ";；")
                    need = cues.bare_inside_need if anywhere else cues.bare_follow_need
                    if spaced or may_match(need, text, a, b):
                        subj = _bare_subject(cues, text[a:b], anywhere=anywhere)
                        bare = subj is not None
            if subj is None:
                if designated is not None:
                    # 镇长是全镇安全生产第一责任人: a holder named as a canonical term
                    h, hs, term, ts, te = designated
                    for one in split_holders(cues, h, speech=True):
                        if one not in claimed:
                            claimed.add(one)
                            reader.duties.append(
                                Duty(
                                    one,
                                    term,
                                    base + ts,
                                    base + te,
                                    base + hs,
                                    base + hs + len(h),
                                    "duty.speech",
                                )
                            )
                continue
            name, cut = subj
            clause = text[a : a + 80]
            rest = text[a + cut :]
            duty = _speech_duty(cues, rest, bare=bare)
            if duty is None:
                continue
            phrase, ds, de, named = duty
            # a lexicon term named before it (要按照“三管三必须”的要求…), or inside a duty
            # that names no term of its own, is the duty the speech-clause extractor
            # already gives this holder, unless it only names the principle the duty
            # follows (按照“三管三必须”要求,…)
            upto = ds if named else de
            if lexicon_terms is None:
                lexicon_terms = ctx.in_sentence(sent.index, ["responsibility"])
            if any(
                base + a + cut <= r.start < base + a + cut + upto
                and not in_adverbial(cues, text, r.start - base, a + cut)
                for r in lexicon_terms
            ):
                continue
            terms_taken.append((base + a + cut + ds, base + a + cut + de))
            if named:
                # 某镇党委政府要落实属地管理责任: the subject holds the term, so the
                # lexicon's holder of the compound (属地) does not
                named_spans.append(terms_taken[-1])
            for h in split_holders(cues, name, speech=True):
                if h in claimed:
                    continue
                claimed.add(h)
                hs = base + a + clause.index(name) if name in clause else base + a
                reader.duties.append(
                    Duty(
                        h,
                        phrase,
                        base + a + cut + ds,
                        base + a + cut + de,
                        hs,
                        hs + len(name),
                        "duty.speech",
                    )
                )
        for m in cues.embedded.finditer(text):
            if any(a <= base + m.start("t") < b for a, b in terms_taken):
                continue  # 各街道要履行属地管理责任: the subject holds it
            h, t = m.group("h"), m.group("t")
            if _bare_term(t) and not cues.take_before.search(text, 0, m.start()):
                continue
            term = canonical_terms(cues, h + t) or canonical_terms(cues, t)
            name = term[0] if term else (h + t if _bare_term(t) else t)
            reader.duties.append(
                Duty(
                    h,
                    name,
                    base + m.start(),
                    base + m.end(),
                    base + m.start(),
                    base + m.start("t"),
                    "duty.embedded",
                )
            )
        for d in reader.duties[before:]:
            done.append(
                (d.hstart, max(d.hend, d.end if d.rule == "duty.embedded" else d.hend))
            )
        done.extend(named_spans)
    _supersede(ctx, done)
    _commit(ctx, reader, split=False)


_SPEECH_LEADS = ("对于", "同时", "此外", "另外", "其中")
_SPEECH_LEAD = re.compile("^(?:" + "|".join(_SPEECH_LEADS) + ")")
_SPEECH_LEAD_MAX = max(map(len, _SPEECH_LEADS))
# how far into a clause (past its opener) a speech subject's modal may stand
SPEECH_MODAL_REACH = 40
# how far into a clause a bare subject's body head may end
BARE_HEAD_REACH = 30
# the span of a clause its modal lies in (after an opener such as 对于)
MODAL_WINDOW = SPEECH_MODAL_REACH + _SPEECH_LEAD_MAX


def _may_open_subject(cues: DutyPatterns, s: str, a: int, b: int) -> bool:
    """Whether _speech_subject can find a subject in ``s[a:b]``: not when no
    character every modal contains stands where its modal would (a clause
    opening with a space is read shifted: it is always tried)."""
    return s[a : a + 1].isspace() or may_match(
        cues.speech_modal_need, s, a, min(b, a + MODAL_WINDOW)
    )


_COMMA_NEXT = re.compile(r"\s*[,，:：]")
_COPULA = re.compile(r"^([^,，]{2,20}?)是[^,，]{1,15}[,，]\s*$")
_ADVERB_TAIL = re.compile(r"(?:一定|切实|进一步|都|也|还|更)+$")
_COMMA_END = re.compile(r"[,，]\s*$")
_SETTING = re.compile(r"在[^,，;；:：在]{1,14}(?:上|中|方面)$")
_CLAUSE_MARK = re.compile(r"[,，;；:：]")
_REMARK_LEAD = re.compile(r"(?:但|而|我|这|那|其)")
_QUOTED = re.compile(r"[“”\"'《》]")


def _speech_subject(cues: DutyPatterns, clause: str) -> tuple[str, int] | None:
    c = clause.lstrip()
    lead = len(clause) - len(c)
    opener = _SPEECH_LEAD.match(c)
    c2 = c[opener.end() :] if opener else c
    lead += len(c) - len(c2)
    m = cues.speech_modal.search(c2, 0, SPEECH_MODAL_REACH)
    if not m or m.start() < 2 or c2.startswith("对"):
        return None  # 对…的单位要追究…: the object of a sanction, not a holder
    if m.group() == "要求" and _COMMA_NEXT.match(c2, m.end()):
        return None  # 某某要求,…: the speaker, not a holder
    subj = c2[: m.start()]
    # 企业是安全生产主体,要…: the subject of the copula is told what to do
    copula = _COPULA.match(subj)
    if copula:
        subj = copula.group(1)
    subj = _ADVERB_TAIL.sub("", subj)
    # 负有…职责的部门,要…: a holder standing alone before the clause that tells it
    if _COMMA_END.search(subj) and len(subj.rstrip()) >= 5:
        subj = subj.rstrip()[:-1]
    # 相关部门在这个问题上一定要…: a setting between the holder and its modal
    setting = _SETTING.search(subj)
    if setting and _has_head(cues, subj[: setting.start()]):
        subj = subj[: setting.start()]
    if _CLAUSE_MARK.search(subj) or len(subj) > 30 or _modal_inside(cues, subj):
        return None
    if not _has_head(cues, subj):
        first = subj[: split_top(subj, "、")[0][1]]
        if not _has_head(cues, first):
            return None
    return subj, lead + m.end()


# X是…第一责任人 / X负总责 (a clause that is only a holder and its canonical term)
_DESIGNATED = re.compile(
    r"\s*(?P<h>[^,，;；:：是]{2,20}?)(?:是(?P<rest>[^,，;；:：]{1,24})|(?P<own>负[^,，;；:：]{1,10})"
    r"|(?P<for>对[^,，;；:：]{2,30}?(?:负总责|全面负责|负全面责任|负责)))$"
)
_ANSWERS_FOR = re.compile(r"^对[^,，;；]{2,30}负(?:总)?责$")
# a post named by the kind of responsibility it bears (分管副镇长是直接责任人)
_RESPONSIBLE = re.compile(r"(?:直接|主要|重要)责任人$")

_DESIGNATED_NEED = needed_chars(_DESIGNATED)


def _designation(
    cues: DutyPatterns, text: str, a: int, b: int
) -> tuple[str, int, str, int, int] | None:
    """``X是…第一责任人`` in a speech: (holder, its offset, term, term start,
    term end) when the clause names a holder and a canonical term after 是."""
    while b > a and text[b - 1] in "。.！!？?… ":
        b -= 1  # the last clause of a sentence
    m = _DESIGNATED.match(text, a, b)
    if m is None or not _has_head(cues, m.group("h")):
        return None
    g = next(g for g in ("rest", "own", "for") if m.group(g) is not None)
    terms = canonical_terms(cues, m.group(g))
    if terms:
        term = terms[0]
    elif g == "for":
        term = m.group(g)  # 其他班子成员对分管领域安全生产负责
    elif g == "rest" and _RESPONSIBLE.search(m.group(g)):
        term = _RESPONSIBLE.search(m.group(g)).group()  # type: ignore[union-attr]
    else:
        return None
    return m.group("h"), m.start("h"), term, m.start(g), m.end(g)


def _modal_inside(cues: DutyPatterns, subj: str) -> bool:
    """A modal inside a would-be subject, except a one-character 应 abbreviating
    a body's name (市应安委: its remainder is still a body head)."""
    m = cues.modal.search(subj)
    if m is None:
        return False
    rest = subj[m.end() :]
    return not (
        m.group() == "应"
        and 0 < len(rest) <= 3
        and _has_head(cues, rest)
        and cues.modal.search(rest) is None
    )


def _bare_subject(
    cues: DutyPatterns, clause: str, anywhere: bool = False
) -> tuple[str, int] | None:
    """A body opening a speech sentence and told a task with no modal
    (市安委会办公室成立专班, 行业主管部门尽快明确…): (holder, end of the holder)."""
    c = clause.lstrip()
    lead = len(clause) - len(c)
    if cues.body_in.search(c, 0, BARE_HEAD_REACH) is None:
        return None  # most clauses: no body head to open them (tried first, it is the cheap test)
    heads = list(cues.body_in.finditer(c, 0, BARE_HEAD_REACH))
    if cues.retrospective.search(clause):
        return None  # 市安委会召开了…: a report of what was done
    if _REMARK_LEAD.match(c):
        return None  # 但我们相关部门…: a remark, not a body told a task
    follows = cues.bare_follow_inside if anywhere else cues.bare_follow
    for m in heads:
        # the task verb after the head is the rare condition: tested first
        if not follows.match(c[m.end() :]):
            continue
        name = c[: m.end()]
        if (
            _QUOTED.search(name)
            or not _has_head(cues, name)
            or holder_label(cues, name) != schema.ORGANIZATION
        ):
            continue
        if not cues.follow.match(name):
            return name, lead + m.end()
    return None


def _bare_term(term: str) -> bool:
    return re.sub(r"^安全生产", "", term) == "责任"


def in_adverbial(cues: DutyPatterns, text: str, pos: int, start: int = 0) -> bool:
    """Whether ``pos`` lies in an adverbial clause of ``text`` that only names the
    rule a duty follows (按照“三管三必须”要求, / 根据…的部署,); the clause is read
    from ``start`` on when that is later (past its subject and modal)."""
    for a, b in split_top(text, ",，;；:：。"):
        if a <= pos < b:
            clause = clean_phrase(cues, text[max(a, start) : b])
            return bool(
                cues.adverbial.match(clause) and cues.adverbial_end.search(clause)
            )
    return False


# how many clauses a speech duty may run on for (bounds the work on run-on sentences)
MAX_CLAUSES = 16
# how many clauses after the modal are read for a duty that names no term or concrete task
FIRST_CLAUSES = 3
# the longest speech task opening with 对… (对全县危化企业开展执法检查) taken as written
ADVERBIAL_TASK_MAX = 30


def _trim(cues: DutyPatterns, phrase: str) -> str:
    short = cues.speech_trim.sub("", phrase)
    if not cues.frequency.search(short):
        short = cues.speech_count.sub("", short)  # 再组织一次…检查, not 每季度开展一次…
    return short if len(short) >= 2 else phrase


def _speech_duty(
    cues: DutyPatterns, rest: str, bare: bool = False
) -> tuple[str, int, int, bool] | None:
    """The duty a speech holder is told: the first named responsibility, else
    the first concrete task, else the first clause that is a task at all
    (not an attitude, a manner or a rule followed). ``bare``: the holder had
    no modal, so its first clause is its predicate (…办公室对重大隐患挂账督办).
    The last value says whether the duty is a named responsibility or concrete task."""
    end = len(rest)
    # a later clause with its own holder starts another duty
    for a, b in split_top(rest, ",，;；")[1:MAX_CLAUSES]:
        if _may_open_subject(cues, rest, a, b) and _speech_subject(cues, rest[a:b]):
            end = a
            break
    scope = rest[:end]
    m = None
    for t in cues.speech_terms.finditer(scope):
        clause_start = (
            max(scope.rfind(",", 0, t.start()), scope.rfind("，", 0, t.start())) + 1
        )
        # 督促企业落实主体责任: the urged party's, not the subject's
        if re.search(
            r"督促|督导|促使|推动|引导|帮助|指导", scope[clause_start : t.start()]
        ):
            continue
        g = t.lastgroup or "term"
        term = t.group(g)
        if len(term) >= 4:  # 落实责任: no named responsibility
            m = t
            break
    if m:
        canon = canonical_terms(cues, term)
        return (canon[0] if canon else _trim(cues, term)), m.start(g), m.end(g), True
    clauses = split_top(scope, ",，;；:：")
    if bare:
        # its first clause is the predicate; one led by 对… must name a concrete task
        a, b = clauses[0]
        first = scope[a:b]
        concrete = bool(cues.concrete.search(first))
        if _task_clause(cues, first, adverbial=concrete):
            return _trim(cues, clean_phrase(cues, first.strip())), a, b, concrete
        if not concrete and cues.adverbial.match(
            _trim(cues, clean_phrase(cues, first.strip()))
        ):
            return None  # 某组对…给予评价: a remark about, not a task
    for a, b in clauses:
        clause = scope[a:b]
        if not cues.concrete.search(clause):
            continue
        phrase = _trim(cues, clean_phrase(cues, clause.strip()))
        if (
            # 对…开展执法检查 is a task; 对…的要求 only sets its scope, and so does a
            # long 对-list of the supervised (the task is not that clause as written)
            not (
                cues.adverbial.match(phrase)
                and (not cues.action.search(phrase) or len(phrase) > ADVERBIAL_TASK_MAX)
            )
            and not cues.not_task.search(phrase)
        ):
            return phrase, a, b, True
    for a, b in clauses[:FIRST_CLAUSES]:
        if _task_clause(cues, scope[a:b]):
            return _trim(cues, clean_phrase(cues, scope[a:b].strip())), a, b, False
    return None


def _task_clause(cues: DutyPatterns, clause: str, adverbial: bool = False) -> bool:
    """Whether a clause after a speech holder tells it a task of its own."""
    body = clean_phrase(cues, clause.strip())
    if (
        len(body) < 4
        or cues.not_task.search(body)
        or cues.exclude.search(body)
        or cues.retrospective.search(body)
    ):
        return False
    if cues.condition.search(body) or re.search(r"[“”\"]$", body):
        return False
    return (
        adverbial
        or not cues.adverbial.match(_trim(cues, body))
        or bool(_ANSWERS_FOR.match(body))  # 要对本企业安全生产负责
    )


def _commit(ctx: Context, reader: Reader, split: bool = True) -> None:
    cues = reader.cues
    if ctx.document.wide_commas:
        # the cleaner made every comma ASCII; quote the duty as the text wrote it
        for d in reader.duties:
            d.phrase = d.phrase.replace(",", "，")
    seen: set[tuple[str, str]] = set()
    for d in reader.duties:
        for name in split_holders(cues, d.holder) if split else [d.holder]:
            key = (name, d.phrase)
            if key in seen:
                continue
            seen.add(key)
            sent = ctx.sentence_at(d.start)
            label = holder_label(cues, name)
            start = min(d.hstart, d.start) if d.hstart >= sent.start else d.start
            if label == schema.ORGANIZATION:
                _mention(ctx, cues, name, d)
            end = min(max(d.end, start + 1), sent.end)
            ctx.add_fact(
                schema.BEARS,
                (label, name),
                (schema.RESPONSIBILITY, d.phrase),
                sent,
                start,
                end,
                d.rule,
                sector=_sector(ctx, sent.index, d.start, d.end),
            )
