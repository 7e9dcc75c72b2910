"""The outlets and documents an article attributes its information to.

An outlet is cited only when a reporting cue binds it: the cue before it («Про це
повідомляє The Washington Post», «пише агентство Bloomberg», «за даними Reuters») or a
reporting verb right after it («газета The Wall Street Journal повідомляла», «WP звернуло
увагу»). An outlet merely named («Bloomberg купив компанію») is not a citation. Outlets are
the entity layer's gazetteer outlets (so WP resolves to The Washington Post through its
aliases), or any organisation right after an outlet word («видання Semafor»).

Documents are cited by «з посиланням на внутрішні документи уряду США», «згідно з тими ж
документами», «у документах ідеться», «як зазначається в документах …». A document named
again by «ті ж документи» or bare «документах» is the one cited last.

All checks are regexes over short slices around each mention or cue, so the cost is a few
microseconds per candidate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources as package_files

from strichka.nlp.cues import ACCORDING_TO, IMPERSONAL, SPEECH_VERB
from strichka.nlp.entities import EntityResources
from strichka.nlp.tokens import Sentence
from strichka.records import Citation, Mention

_WINDOW = 80
"""Characters looked at on each side of an outlet mention for its cue."""

_OUTLET_WORD = (
    r"(?:видання|газет[аиуі]|агентств[оау]|інформагентств[оау]|телеканал\w*|журнал\w*"
    r"|портал\w*|сайт\w*|медіа|мовник\w*|радіостанці\w*|таблоїд\w*|онлайн-видання"
    r"|інтернет-видання)"
)
# Lowercase words that may stand between a cue and the outlet: «пише американське видання».
_DESCRIPTOR = rf"(?:{_OUTLET_WORD}|[а-яіїєґ'’-]+(?:ськ|цьк|зьк|ов|н)(?:е|а|ий|ого|ої|ому))"
_CUE_BEFORE = re.compile(
    rf"(?<![\w'’ʼ-])(?P<cue>{SPEECH_VERB}|{ACCORDING_TO})(?:\s+(?-i:{_DESCRIPTOR})){{0,3}}\s+$",
    re.IGNORECASE,
)
_ADVERB = (
    r"(?:раніше|також|нещодавно|вже|теж|днями|сьогодні|вчора|учора|зокрема|своєю\s+чергою"
    r"|(?:у|в)\s+[а-яіїєґ'’]+)"
)
_CUE_AFTER = re.compile(
    rf"(?:\s+{_ADVERB}){{0,2}}\s+(?P<cue>{SPEECH_VERB}|з\s+посиланням\s+на)(?![\w'’ʼ])",
    re.IGNORECASE,
)
_AFTER_OUTLET_WORD = re.compile(rf"(?<![\w'’ʼ-]){_OUTLET_WORD}\s+$", re.IGNORECASE)

_DOC_HEAD = (
    r"(?:документ\w*|звіт\w*|доповід\w*|розслідуван\w*|дослідженн\w*|листуван\w*"
    r"|меморандум\w*|розвіддан\w*)"
)
_DOC_STEMS = (
    "документ",
    "звіт",
    "доповід",
    "розслідуван",
    "дослідженн",
    "листуван",
    "меморандум",
    "розвіддан",
)
_SAME = (
    r"(?P<same>тими|тих|тим|цими|цих|цим|тому|цьому|тієї|цієї|тої)\s+(?:ж\s+|самими\s+|самих\s+)?"
)
_DOC = (
    rf"(?P<doc>(?:{_SAME})?(?P<adjectives>(?:[а-яіїєґ'’-]+\s+){{0,2}}?)(?P<head>{_DOC_HEAD})"
    r"(?P<tail>(?:\s+[^\s,.;:!?«»\"“”()]+){0,5}))"
)
_DOCUMENT_CUES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?<![\w'’ʼ-])(?P<cue>з\s+посиланням\s+на|посилаючись\s+на|згідно\s+з(?:і)?"
        rf"|відповідно\s+до|за\s+даними)\s+{_DOC}",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<![\w'’ʼ-])(?P<cue>(?:як\s+)?{IMPERSONAL}\s+(?:у|в))\s+{_DOC}", re.IGNORECASE),
    re.compile(rf"(?<![\w'’ʼ-])(?:у|в)\s+{_DOC}\s+(?P<cue>{IMPERSONAL})(?![\w'’ʼ])", re.IGNORECASE),
)


def _load_outlets() -> frozenset[str]:
    """Canonical outlet names from the entity layer's gazetteer (organisations.json)."""
    data = package_files.files("strichka.nlp").joinpath("data", "organisations.json")
    loaded = json.loads(data.read_text(encoding="utf-8"))
    return frozenset(str(item["name"]) for item in loaded.get("outlets", ()))


OUTLETS: frozenset[str] = _load_outlets()


def find_citations(
    text: str,
    *,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    resources: EntityResources,
) -> list[Citation]:
    """Cited outlets and documents, in text order."""
    citations: list[Citation] = []
    last_document: str | None = None
    position = 0
    for sentence in sentences:
        sentence_text = text[sentence.start : sentence.end]
        found: list[Citation] = []
        while position < len(mentions) and mentions[position].start < sentence.start:
            position += 1
        index = position
        while index < len(mentions) and mentions[index].end <= sentence.end:
            citation = _outlet_citation(text, sentence, sentence_text, mentions[index])
            if citation is not None:
                found.append(citation)
            index += 1
        lowered = sentence_text.lower()
        has_head = any(stem in lowered for stem in _DOC_STEMS)  # str.find: far cheaper than regex
        documents = (
            _document_citations(text, sentence, sentence_text, resources) if has_head else []
        )
        for citation in documents:
            if citation.outlet == "" and last_document is not None:
                citation = _renamed(citation, last_document)
            if citation.outlet:
                last_document = citation.outlet
                found.append(citation)
        citations.extend(sorted(found, key=lambda c: c.start))
    return citations


def is_outlet(mention: Mention, text: str) -> bool:
    """A gazetteer outlet, or an organisation right after an outlet word."""
    if mention.canonical in OUTLETS:
        return True
    if mention.label not in ("ORG", "MISC"):
        return False
    before = text[max(0, mention.start - 30) : mention.start]
    return _AFTER_OUTLET_WORD.search(before) is not None


def _outlet_citation(
    text: str, sentence: Sentence, sentence_text: str, mention: Mention
) -> Citation | None:
    if not is_outlet(mention, text):
        return None
    before = _CUE_BEFORE.search(text, max(sentence.start, mention.start - _WINDOW), mention.start)
    if before is not None:
        cue = before.group("cue")
    else:
        after = _CUE_AFTER.match(text, mention.end, min(sentence.end, mention.end + _WINDOW))
        if after is None:
            return None
        cue = after.group("cue")
    return Citation(
        mention.canonical, " ".join(cue.split()), sentence_text, mention.start, mention.end
    )


def _document_citations(
    text: str, sentence: Sentence, sentence_text: str, resources: EntityResources
) -> list[Citation]:
    """Documents cited in the sentence; an anaphoric one («тими ж документами») has outlet ""."""
    found: dict[int, Citation] = {}
    for pattern in _DOCUMENT_CUES:
        for match in pattern.finditer(text, sentence.start, sentence.end):
            start = match.start("doc")
            if start in found:
                continue
            tail, end = _kept_tail(match, resources)
            adjectives = match.group("adjectives").split()
            anaphoric = match.group("same") is not None or not (adjectives or tail)
            name = (
                ""
                if anaphoric
                else _document_name(adjectives, match.group("head"), tail, resources)
            )
            cue = " ".join(match.group("cue").split())
            found[start] = Citation(name, cue, sentence_text, start, end, "document")
    return [found[key] for key in sorted(found)]


def _kept_tail(match: re.Match[str], resources: EntityResources) -> tuple[list[str], int]:
    """The words after the document noun that still name it: genitives and proper names.

    «документи уряду США пише» keeps «уряду США» and stops at the verb.
    """
    kept: list[str] = []
    end = match.end("head")
    offset = match.start("tail")
    for word in re.finditer(r"\S+", match.group("tail")):
        token = word.group()
        info = resources.lexicon.info(token)
        proper = token[:1].isupper()
        if not proper and (
            info.function_word or not info.genitive or not (info.noun or info.adjective)
        ):
            break
        kept.append(token)
        end = offset + word.end()
    return kept, end


def _document_name(
    adjectives: Sequence[str], head: str, tail: Sequence[str], resources: EntityResources
) -> str:
    """«документах американського уряду» → «документи американського уряду»."""
    lexicon = resources.lexicon
    nouns = [p for p in lexicon.parses(head) if p.tag.POS == "NOUN"]
    words = [*adjectives, head]
    if nouns and not any(p.tag.case in ("nomn", "accs") for p in nouns):
        parse = nouns[0]
        plural = parse.tag.number == "plur"
        inflected = parse.inflect({"nomn", "plur"} if plural else {"nomn"})
        if inflected is not None:
            words[-1] = inflected.word
            gender = inflected.tag.gender or "masc"
            for index, word in enumerate(adjectives):
                for candidate in lexicon.parses(word):
                    if candidate.tag.POS not in ("ADJF", "PRTF"):
                        continue
                    agreed = candidate.inflect({"nomn", "plur"} if plural else {"nomn", gender})
                    if agreed is not None:
                        words[index] = agreed.word
                        break
    return " ".join([*words, *tail])


def _renamed(citation: Citation, name: str) -> Citation:
    return Citation(name, citation.cue, citation.sentence, citation.start, citation.end, "document")
