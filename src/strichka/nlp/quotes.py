"""Direct speech in "…", «…», „…“ or “…”, with the speaker where the text says who.

Quotation marks also wrap names («Укртрансгаз») and ironic words ("наркобароном"), so a
quoted stretch counts as speech only where the text attributes it:

- after it, a dash and a speech verb (or «йдеться», «зазначається») on the same line:
  «"…", - звернув увагу колишній посол … Джеймс Сторі»; the quote then opens its sentence
  (after «у країні» it is a phrase of the author's sentence, not the utterance);
- before it, a speech verb, or its noun, and a colon: «Трамп заявив: "…"», «з'явилося
  повідомлення: "…"»;
- before it, «за словами X,», where the quotation ends the sentence («за словами Мааса,
  «нормандські» міністри домовилися»: a word of the author's sentence, not speech).
A quotation that is exactly an entity's name («Нафтогаз», гурт «Гайдамаки») is a name.

Direct speech is also written without marks, as a paragraph that opens with a dash and a
capital («– Ми готові, – сказав Зеленський. – Чекаємо.»): the author's words follow a dash
after the speech's comma, «!», «?» or «…» and hold a speech verb (as after a quotation), and a
dash after their «.», «,» or «:» resumes the speech. Each stretch of speech is a quote of its
own, and a stretch the author's words do not follow (the «Чекаємо.» above) has the speaker of
the words before it. A paragraph with no such words is a list item, an interview's question
or answer, or a dialogue line of a story, and dashes inside a sentence never open speech.

The speaker is the person the attributing clause names as the subject of its speech word
(after the quote, the first person named in the nominative, not one asked or spoken of,
«запитала вона у Віктора Путренка», and none where the author, «я» or «ми», speaks first;
before it, see `_subject`), by canonical name; else a role the text gives a person, or an
equivalent office («глава Білого дому» → Дональд Трамп, see `strichka.nlp.roles`); else,
for «він»/«вона», the last person named before the quote whose name allows that gender;
else None.

Pairs are found per line with a stack, in one pass: unbalanced marks are dropped, nested
quotes belong to the outer one, a straight mark opens or closes by its neighbours, so time
stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from strichka.nlp.cues import IMPERSONAL, SPEECH_VERB, SPEECH_WORD_RE
from strichka.nlp.entities import Lexicon
from strichka.nlp.roles import person_by_pronoun, person_by_role
from strichka.records import Mention, Quote, Role

_OPENERS = {"«": "»", "„": "“”", "“": "”"}
_STRAIGHT = '"'
_MARKS = re.compile('[«»„“”"\n]')
_AFTER = re.compile(r"[,.!?…]*[^\S\n]*[-–—][^\S\n]*")
_UTTERANCE_OPENERS = "\n.!?…:(-–—"
"""What may stand before a quotation that is a whole utterance (spaces aside)."""
_OPENS_AFTER = "([«„“-–—/"
_CLOSES_BEFORE = ".,;:!?…)»”-–—/"
_GOES_ON = re.compile(r"[^\S\n]*[\w(«„“\"]")
_REPORTING_VERB = re.compile(rf"\b(?:{SPEECH_VERB}|{IMPERSONAL})(?![\w'’ʼ])", re.IGNORECASE)
_BEFORE_COLON = re.compile(r":\s*$")
_ACCORDING = re.compile(r"(?<!\w)за\s+словами\b", re.IGNORECASE)
_CLAUSE_END = re.compile(
    r"[!?…\n]|(?<!(?<!\w)[A-ZА-ЯҐЄІЇ])\.(?!\S)"
    r"|[,;]\s+(?:що|коли|який|яка|які|де|але|а)\b|\s[-–—]\s*[\"«„“]"
)
"""A clause ends with its sentence (not at an initial, «Л. Чурсинов», nor inside a name,
«NovaKahovka.City»), or where a relative clause or a new quotation begins."""
_CLAUSE_START = re.compile(r"[.!?…\n»\"“”]\s*")
_CLAUSE_BREAK = re.compile(r"[,;:]")
_SPACES = re.compile(r"\s+")
_AUTHOR = re.compile(r"(?<!\w)(?:я|ми)(?!\w)", re.IGNORECASE)
_PRONOUN = re.compile(r"(?<!\w)(?:він|вона)(?!\w)", re.IGNORECASE)
_DASH_OPENS = re.compile(r"^[^\S\n]*[-–—][^\S\n]*", re.MULTILINE)
_OPENS_SPEECH = '«„“"(…'
"""Besides a capital or a digit, what may begin the speech after a paragraph's dash."""
_SPEECH_ENDS = re.compile(r"(?<=\S)((?:\.{2,}|[,!?…])+)[^\S\n]*[-–—][^\S\n]*")
"""The dash that hands over to the author's words: after the speech's comma, «!», «?», «…»."""
_WORDS_END = re.compile(r"(?:[.,:]|[^\S\n])[^\S\n]*[-–—][^\S\n]+")
"""The author's words end at the next spaced dash; after their «.», «,» or «:» speech resumes."""
_MAX_CLAUSE = 200
"""Attributing clauses are short; a bound keeps each look-around constant-time."""


def quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the inside of each outermost balanced quotation, line by line.

    A straight mark opens or closes by what stands beside it, not by turns: in «"Заява
    "Укрнафти" хибна", - йдеться …» the mark before «Укрнафти» opens a name inside the
    quote, so the name's closing mark cannot open a quote of the words after it.
    """
    stack: list[tuple[str, int]] = []
    for found in _MARKS.finditer(text):
        char, index = found.group(), found.start()
        if char == "\n":
            stack.clear()
            continue
        side = _straight_side(text, index) if char == _STRAIGHT else None
        top = stack[-1][0] if stack else ""
        if (char in _OPENERS.get(top, "") or char == _STRAIGHT == top) and side != "opens":
            _, opened = stack.pop()
            if not stack:
                yield opened + 1, index
        elif (char in _OPENERS or char == _STRAIGHT) and side != "closes":
            stack.append((char, index))


def _straight_side(text: str, index: int) -> str | None:
    """Whether a straight mark opens (a space before it, a word after) or closes (a word
    before it, a space or punctuation after); None where its neighbours do not tell, and
    then marks pair by turns."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    opens = (before.isspace() or before in _OPENS_AFTER) and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in _CLOSES_BEFORE)
    if opens == closes:
        return None
    return "opens" if opens else "closes"


def find_quotes(
    text: str, *, mentions: Sequence[Mention], lexicon: Lexicon, roles: Sequence[Role] = ()
) -> list[Quote]:
    """Attributed direct speech of `text`, in text order."""
    persons = [m for m in mentions if m.label == "PER"]
    quotes: list[Quote] = []
    for start, end in quoted_spans(text):
        inner_start, inner_end = _strip(text, start, end)
        if inner_start >= inner_end or _is_a_name(inner_start, inner_end, mentions):
            continue
        clause = _attribution(text, start, end)
        if clause is None:
            continue
        speaker = _speaker(text, clause, inner_start, persons, roles, lexicon)
        quotes.append(Quote(speaker, text[inner_start:inner_end], inner_start, inner_end))
    marked = {(quote.start - 1, quote.end + 1) for quote in quotes}
    for parts, clause in dash_speech(text):
        speaker = _speaker(text, clause, parts[0][0], persons, roles, lexicon)
        quotes.extend(
            Quote(speaker, text[start:end], start, end)
            for start, end in parts
            if (start, end) not in marked  # «– «Так», – сказав він.» is found as a quotation
        )
    return sorted(quotes, key=lambda quote: quote.start)


def dash_speech(text: str) -> Iterator[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """The stretches of speech in each paragraph that opens with a dash, grouped by the
    author's words that attribute them: (speech spans, attributing clause)."""
    for opening in _DASH_OPENS.finditer(text):
        start = opening.end()
        first = text[start : start + 1]
        if not first or first.islower() or not (first.isalnum() or first in _OPENS_SPEECH):
            continue  # a list item («- посадові інструкції;») or a bare dash
        line_end = text.find("\n", start)
        end = len(text) if line_end < 0 else line_end
        groups: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
        while start < end:
            handover = _author_words(text, start, end)
            if handover is None:
                if groups:  # the speech goes on after the author's words to the paragraph's end
                    groups[-1][0].append(_strip(text, start, end))
                break
            speech_end, clause, resumes = handover
            groups.append(([_strip(text, start, speech_end)], clause))
            start = resumes
        for parts, clause in groups:
            spans = [(a, b) for a, b in parts if a < b]
            if spans:
                yield spans, clause


def _author_words(text: str, start: int, end: int) -> tuple[int, tuple[int, int], int] | None:
    """Where the speech from `start` hands over to author's words with a speech verb: the
    speech's end, the clause with the verb, and where the speech resumes (`end` if not)."""
    for dash in _SPEECH_ENDS.finditer(text, start, end):
        begin = dash.end()
        limit = min(end, begin + _MAX_CLAUSE)
        words_end = _WORDS_END.search(text, begin, limit)
        words_stop = words_end.start() if words_end else limit
        stop = _CLAUSE_END.search(text, begin, words_stop)
        clause_end = stop.start() if stop else words_stop
        if _REPORTING_VERB.search(text, begin, clause_end):
            speech_end = dash.start() + len(dash.group(1).rstrip(","))
            resumes = words_end.end() if words_end and text[words_stop] in ".,:" else end
            return speech_end, (begin, clause_end), resumes
    return None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _attribution(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the clause that attributes the quote at [start, end), if one does."""
    after = end + 1
    dash = _AFTER.match(text, after)
    if dash is not None and dash.end() > after and _opens_utterance(text, start - 1):
        limit = min(len(text), dash.end() + _MAX_CLAUSE)
        stop = _CLAUSE_END.search(text, dash.end(), limit)
        clause_end = stop.start() if stop else limit
        if _REPORTING_VERB.search(text, dash.end(), clause_end):
            return dash.end(), clause_end
    opener = start - 1
    window = max(0, opener - _MAX_CLAUSE)
    begin = _clause_begin(text, window, opener)
    before = text[begin:opener]
    if _BEFORE_COLON.search(before) and SPEECH_WORD_RE.search(before):
        return begin, opener
    goes_on = _GOES_ON.match(text, after) and text[end - 1] not in ".!?…"
    if before.rstrip().endswith(",") and _ACCORDING.search(before) and not goes_on:
        return begin, opener
    return None


def _opens_utterance(text: str, opener: int) -> bool:
    """The mark at `opener` starts a sentence, not a phrase inside the author's sentence."""
    before = text[max(0, opener - _MAX_CLAUSE) : opener].rstrip(" \t")
    return not before or before[-1] in _UTTERANCE_OPENERS


def _is_a_name(start: int, end: int, mentions: Sequence[Mention]) -> bool:
    """The quotation is exactly an entity's name («Нафтогаз», ТОВ «Ромашка»), not speech."""
    return any(m.start <= start and end <= m.end for m in mentions)


def _clause_begin(text: str, window: int, opener: int) -> int:
    begin = window
    for found in _CLAUSE_START.finditer(text, window, opener):
        begin = found.end()
    return begin


def _speaker(
    text: str,
    clause: tuple[int, int],
    quote_start: int,
    persons: Sequence[Mention],
    roles: Sequence[Role],
    lexicon: Lexicon,
) -> str | None:
    begin, end = clause
    inside = [m for m in persons if begin <= m.start and m.end <= end]
    if begin > quote_start:  # after the quote the subject follows the verb, in the nominative
        subject = next((m for m in inside if _in_nominative(m)), None)
        if _AUTHOR.search(text, begin, subject.start if subject else end):
            return None  # «– поцікавилися ми в інспектора Путренка»: the author asks
        if subject is not None:
            return subject.canonical
    elif inside:
        return _subject(text, begin, end, inside).canonical
    by_role = person_by_role(text[begin:end], roles)
    if by_role is not None:
        return by_role
    pronoun = _PRONOUN.search(text, begin, end)
    if pronoun is not None:
        earlier = [m.canonical for m in persons if m.end <= quote_start]
        return person_by_pronoun(pronoun.group(), earlier, lexicon)
    return None


def _in_nominative(mention: Mention) -> bool:
    """The name is written in the nominative («Л. Чурсинов»), so it can be a subject; one in
    another case is whom the speaker addressed or spoke of («у Віктора Путренка»)."""
    return not mention.nominative or _SPACES.sub("", mention.text) == _SPACES.sub(
        "", mention.nominative
    )


def _subject(text: str, begin: int, end: int, persons: Sequence[Mention]) -> Mention:
    """The person who speaks in a clause before a quote: the one right before its (last)
    speech word, in the same clause («Попович розповіла про День Гідності: …»), else right after it
    («за словами Трампа», «сказав Трамп»), else the first named («Зеленський, який
    зустрівся з Байденом, сказав: …»)."""
    said = list(SPEECH_WORD_RE.finditer(text, begin, end))  # the last one brings the quote
    cue = said[-1] if said else _ACCORDING.search(text, begin, end)
    if cue is None:
        return persons[0]
    before = [
        m
        for m in persons
        if m.end <= cue.start() and not _CLAUSE_BREAK.search(text, m.end, cue.start())
    ]
    after = [m for m in persons if m.start >= cue.end()]
    return before[-1] if before else after[0] if after else persons[0]
