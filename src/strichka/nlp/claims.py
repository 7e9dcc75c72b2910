"""Attributed claims, and the one entry point for the attribution analyses.

A claim is a sentence that carries information from a source, with that source and a stance.
The source is the outermost attribution of the sentence, in this order of trust:

1. a cited outlet («…, пише агентство Bloomberg»): the outlet reports even what a person
   says inside the sentence; a document the outlet relies on («з посиланням на внутрішні
   документи уряду США») is kept as `cites`;
2. an outlet word standing for the outlet cited last («Видання … пише»);
3. a cited document («згідно з тими ж документами», «у документах ідеться»);
4. a quote's speaker, or a person (or an office, «глава Білого дому») that is the subject
   of a speech verb, or «він»/«вона» for the last person source of that gender;
5. a group («аналітики вважають», «експерти зазначають») or an organisation that speaks.

A claim says something: a sentence of nothing but its source, a role, the cue and function
words («В "Газпромі" підтвердили, що .») is none. «Про це повідомляє X» attributes the
sentence before it, so the claim's text is that one; «X відповіла:» the sentence after it.
The stance is `denies` where the sentence denies («спростував», «заперечує», «назвав
неправдивою», or a quote that is a bare «Ні»), `confirms` where it confirms («підтвердив»),
else `reports`. A story can then set denials against reports of the same event.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from strichka.nlp.citations import find_citations
from strichka.nlp.cues import BARE_NEGATION_RE, read_cues
from strichka.nlp.dates import find_dates
from strichka.nlp.entities import STOP_WORDS, EntityResources, Lexicon
from strichka.nlp.quotes import find_quotes
from strichka.nlp.roles import (
    best_roles,
    find_roles,
    marked_genders,
    name_allows,
    person_by_pronoun,
    person_by_role,
)
from strichka.nlp.tokens import Sentence, Token
from strichka.records import Citation, Claim, DateExpression, Mention, Quote, Role, Stance

_ABOUT_THIS = re.compile(r"\s*(?:про\s+це|це|про\s+це\s+також|таку\s+інформацію)\s", re.IGNORECASE)
_OUTLET_ANAPHOR = re.compile(
    r"\s*(?:(?:як\s+)?(?:пише|пишуть|повідомляє|зазначає)\s+)?"
    r"(?:видання|агентство|газета|телеканал|журнал|портал)(?![\w'’ʼ])",
    re.IGNORECASE,
)
_GROUPS: dict[str, str] = {
    "аналітики": "аналітики",
    "аналітиків": "аналітики",
    "експерти": "експерти",
    "експертів": "експерти",
    "джерела": "джерела",
    "джерел": "джерела",
    "журналісти": "журналісти",
    "журналістів": "журналісти",
    "дослідники": "дослідники",
    "дослідників": "дослідники",
    "науковці": "науковці",
    "науковців": "науковці",
    "спостерігачі": "спостерігачі",
    "спостерігачів": "спостерігачі",
    "чиновники": "чиновники",
    "чиновників": "чиновники",
    "дипломати": "дипломати",
    "дипломатів": "дипломати",
    "розвідка": "розвідка",
    "розвідки": "розвідка",
    "опитування": "опитування",
}
_GROUP_RE = re.compile(r"(?<![\w'’ʼ-])(?:" + "|".join(_GROUPS) + r")(?![\w'’ʼ])", re.IGNORECASE)
_PRONOUN = re.compile(r"(?<![\w'’ʼ-])(?:він|вона)(?![\w'’ʼ])", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:.!?…]")
_CLOSED_CLASSES = frozenset({"PREP", "CONJ", "PRCL", "NPRO"})
_SUBJECT_GAP = 60
"""Characters a subject may stand from its verb («президент США Дональд Трамп спростував»)."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """Everything the second language layer finds in one text."""

    dates: tuple[DateExpression, ...]
    citations: tuple[Citation, ...]
    quotes: tuple[Quote, ...]
    claims: tuple[Claim, ...]
    roles: tuple[Role, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "dates": [d.to_dict() for d in self.dates],
            "citations": [c.to_dict() for c in self.citations],
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
            "roles": [r.to_dict() for r in self.roles],
        }


def analyse_attribution(
    text: str,
    *,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    reference_date: date | None,
    resources: EntityResources,
) -> Attribution:
    """Dates, cited outlets, quotes, claims and roles of `text` (a pure function).

    `mentions` and `sentences` are the first layer's results over the same `text`
    (`strichka.nlp.entities.recognise`, `strichka.nlp.tokens.split_sentences`).
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    roles = find_roles(text, mentions=ordered, sentences=sentences, resources=resources)
    quotes = find_quotes(text, mentions=ordered, roles=roles, lexicon=resources.lexicon)
    citations = find_citations(text, mentions=ordered, sentences=sentences, resources=resources)
    claims = find_claims(
        text,
        sentences=sentences,
        mentions=ordered,
        citations=citations,
        quotes=quotes,
        roles=roles,
        lexicon=resources.lexicon,
    )
    return Attribution(
        dates=tuple(find_dates(text, reference_date=reference_date)),
        citations=tuple(citations),
        quotes=tuple(quotes),
        claims=tuple(claims),
        roles=tuple(roles),
    )


def roles_by_person(attribution: Attribution, text: str) -> dict[str, str]:
    """One role per person, as the golden annotation lists them."""
    return best_roles(attribution.roles, text)


def find_claims(
    text: str,
    *,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    citations: Sequence[Citation],
    quotes: Sequence[Quote],
    roles: Sequence[Role],
    lexicon: Lexicon,
) -> list[Claim]:
    """One claim per attributed sentence that says something, in text order.

    Cues are read from each sentence's tokens in one pass (`strichka.nlp.cues.read_cues`).
    """
    speakers = [m for m in mentions if m.label in ("PER", "ORG") and m.canonical]
    speaker_starts = [m.start for m in speakers]
    person_names = {m.canonical for m in mentions if m.label == "PER"}
    claims: list[Claim] = []
    last_outlet: str | None = None
    person_sources: list[str] = []  # in text order, for «він»/«вона»
    previous: Sentence | None = None
    covered = 0  # a quote running over several sentences makes one claim
    for position, sentence in enumerate(sentences):
        if sentence.start < covered:
            continue
        begin, finish = sentence.start, sentence.end
        body = text[begin:finish]
        inside = [c for c in citations if begin <= c.start < finish]
        outlets = [c for c in inside if c.kind == "outlet"]
        documents = [c for c in inside if c.kind == "document"]
        said = [q for q in quotes if begin <= q.start < finish and q.speaker]
        cues = read_cues(sentence.tokens)
        has_cue = cues.has_cue
        source: str | None = None
        cites: str | None = None
        stance: Stance = "denies" if cues.denies else "confirms" if cues.confirms else "reports"
        if outlets:
            source = outlets[0].outlet
            cites = documents[0].outlet if documents else None
            last_outlet = source
        elif last_outlet is not None and _OUTLET_ANAPHOR.match(body) and has_cue:
            source = last_outlet
            cites = documents[0].outlet if documents else None
        elif documents:
            source = documents[0].outlet
        elif said:
            source = said[0].speaker
            if BARE_NEGATION_RE.fullmatch(said[0].text):
                stance = "denies"
        elif has_cue:
            nearby = speakers[
                bisect_left(speaker_starts, begin) : bisect_left(speaker_starts, finish)
            ]
            source = _speaking_subject(
                text, cues.verbs, nearby, finish, roles, person_sources, lexicon
            )
            if source is None:
                group = _GROUP_RE.search(body)
                source = _GROUPS[group.group().lower()] if group is not None else None
        if source is None:
            previous = sentence
            continue
        if source in person_names:
            person_sources.append(source)
        attributing = [
            *((m.start, m.end) for m in speakers if m.canonical == source),
            *((c.start, c.end) for c in inside),
            *((r.start, r.end) for r in roles if begin <= r.start < finish),
            *((t.start, t.end) for t in cues.words),
        ]
        says = bool(said) or _says_something(sentence, attributing, lexicon)
        # «Про це повідомив X.» reports the sentence before; «X відповіла:» the one after
        reported = previous if _ABOUT_THIS.match(body) and (outlets or said or not says) else None
        following = sentences[position + 1] if position + 1 < len(sentences) else None
        introduced = following if not says and body.rstrip().endswith(":") else None
        if not (says or reported or introduced):
            previous = sentence
            continue
        start, end = begin, finish
        if reported is not None:
            start, end = reported.start, reported.end
        elif introduced is not None:
            end = covered = introduced.end
        elif said and said[0].end > finish:
            end = next(
                (s.end for s in sentences[position:] if s.start <= said[0].end <= s.end), end
            )
            covered = end
        if claims and (claims[-1].source, claims[-1].start, claims[-1].end) == (source, start, end):
            previous = sentence
            continue  # «Про це вона розповіла» after her own claim says it once more
        claims.append(
            Claim(
                text=text[start:end],
                source=source,
                stance=stance,
                start=start,
                end=end,
                cites=cites if cites != source else None,
            )
        )
        previous = sentence
    return claims


def _says_something(
    sentence: Sentence, attributing: Sequence[tuple[int, int]], lexicon: Lexicon
) -> bool:
    """Whether the sentence has a word of content besides those that attribute it (source,
    role, cue): «В "Газпромі" підтвердили, що .» confirms nothing."""
    return any(
        _is_content_word(token, lexicon)
        for token in sentence.tokens
        if not any(start <= token.start < end for start, end in attributing)
    )


def _is_content_word(token: Token, lexicon: Lexicon) -> bool:
    """A number, a name, or a word that cannot be read as a preposition, conjunction,
    particle or pronoun (про, його, що: such a form is one, as in `strichka.nlp.morph`) and
    is no filler adverb («також», «тоді»)."""
    if token.kind == "number":
        return True
    if token.kind != "word":
        return False
    if not lexicon.info(token.text).known:
        return True
    if token.text.lower() in STOP_WORDS:
        return False
    return not any(parse.tag.POS in _CLOSED_CLASSES for parse in lexicon.parses(token.text))


def _speaking_subject(
    text: str,
    verbs: Sequence[Token],
    speakers: Sequence[Mention],
    sentence_end: int,
    roles: Sequence[Role],
    person_sources: Sequence[str],
    lexicon: Lexicon,
) -> str | None:
    """The person or organisation a speech verb of the sentence belongs to.

    The subject stands before the verb in the same clause («Трамп заявив»), or right after
    it for a person («- звернув увагу посол … Джеймс Сторі»), or is an office or a pronoun;
    a person must allow the gender the verb marks («з Трампом розповіла» is not Трамп's).
    """
    for verb in verbs:
        genders = marked_genders(verb.text, lexicon)
        agreeing = [
            m for m in speakers if m.label != "PER" or name_allows(m.canonical, genders, lexicon)
        ]
        before = [
            m
            for m in agreeing
            if m.end <= verb.start
            and verb.start - m.end <= _SUBJECT_GAP
            and not _CLAUSE_BREAK.search(text, m.end, verb.start)
            and not _PRONOUN.search(text, m.end, verb.start)  # «з Трампом вона розповіла»
        ]
        if before:
            return before[-1].canonical
        after = [
            m
            for m in agreeing
            if verb.end <= m.start < min(sentence_end, verb.end + _SUBJECT_GAP)
            and not _CLAUSE_BREAK.search(text, verb.end, m.start)
        ]
        if after and after[0].label == "PER":
            return after[0].canonical
        clause = text[max(0, verb.start - _SUBJECT_GAP) : verb.start]
        clause = _CLAUSE_BREAK.split(clause)[-1]
        by_role = person_by_role(clause, roles)
        if by_role is not None:
            return by_role
        pronoun = _PRONOUN.search(clause)
        if pronoun is not None:
            return person_by_pronoun(pronoun.group(), person_sources, lexicon)
    return None
