"""What an article is made of, for deciding which story it belongs to.

An article becomes a bag of weighted terms, a set of entity names and the dates its title
names. Everything here is a pure function of the article and of the `Analyzer`, which only
holds the (read-only, cached) morphological dictionaries: no state learnt from other
articles lives here, so features can be computed once, stored, and reused by `recluster`.

Choices, and why:
- Terms are lemmas, so «Путіна», «Путіну» and «Путин» count once per language: pymorphy3 for
  Ukrainian and Russian (via `strichka.nlp.morph.Morphology`), the Snowball stemmer for
  English, the lowercased word for anything else. Function words are dropped by part of
  speech (or a short list for English): they carry no event.
- Numbers are terms (`#150`): a shared figure («150 млн», «9709 випадків») is strong evidence
  of the same event.
- Only the title and the first `BODY_WORDS` words of the body count. News is written as an
  inverted pyramid: the event is in the first paragraphs, background accumulates below, and
  background is what unrelated stories on one topic share.
- The title is what the outlet says the story is, so each distinct title term gets
  `TITLE_BOOST` on top of its body frequency; body terms get a sublinear 1 + ln(tf).
- Names are what tells one event from another on the same topic (two road accidents, two
  football matches), so a capitalised word inside a sentence weighs `NAME_BOOST` times more.
  For Ukrainian text the entity recogniser adds its canonical names (РФ → Росія) as terms of
  their own (`@Росія`), and those names are the article's `entities`.
- Dates: day + month written in the title («8 листопада», «16 ноября»). Two articles whose
  titles name different days report different events, however similar the words.
- Regions: an oblast or krai named in the title or the counted body words (adjective +
  «область»/«край»: «у Полтавській області», «Тверской области»). Regional offices and
  outlets fill one template for each region (post, weather, case counts); two reports from
  different regions are different events. Kept per language («uk:полтавський»): the
  dictionaries spell one region differently in Ukrainian and Russian.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pymorphy3
import Stemmer

from strichka.nlp.analysis import LanguageResources
from strichka.nlp.entities import EntityResources, recognise
from strichka.nlp.language import detect_language
from strichka.nlp.morph import Morphology
from strichka.nlp.tokens import Token, tokenize
from strichka.records import Article, Mention, normalise_text

BODY_WORDS = 80
"""Body words that count for matching (the lead and first paragraphs)."""
TITLE_BOOST = 2.0
NAME_BOOST = 2.0
ENTITY_CHARS = 2000
"""Characters of body text the entity recogniser reads (names of the event come early)."""

_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED", "ADVB", "NUMR"})
_ENGLISH_STOP_TEXT = """
a an the of and to that for with was were by it its at from are be been is as in on this
these those have has had or not but will would could should said says say which who whom
their they he she we you his her him our us after about more than also into when there
what all one over up out if can just only other such how while because against i me my
do does did so no yes new
"""
_ENGLISH_STOP = frozenset(_ENGLISH_STOP_TEXT.split())
# Tokens after which a capital letter is the start of a sentence or a quote, not a name.
_OPENERS = frozenset('.!?…«"“„:(—–-')
# A date in a title is day + month name: genitive in Ukrainian and Russian («8 листопада»,
# «16 ноября»), the name or its abbreviation in English (Nov. 16, 16 November).
_MONTH_NAMES = (
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
)
_MONTHS = {name: n for names in _MONTH_NAMES for n, name in enumerate(names.split(), start=1)}
_MONTHS["sept"] = 9
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:-?го)?\s+([^\W\d_]{3,})", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")
_REGION_HEADS = frozenset({"область", "край"})
SHINGLE = 3
"""Words per shingle for near-duplicate detection."""


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What clustering reads of one article; `terms` are raw weights, before IDF."""

    language: str
    terms: Mapping[str, float]
    entities: tuple[str, ...] = ()
    dates: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "terms": dict(self.terms),
            "entities": list(self.entities),
            "dates": sorted(self.dates),
            "regions": sorted(self.regions),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleFeatures:
        return cls(
            language=str(data["language"]),
            terms={str(k): float(v) for k, v in data["terms"].items()},
            entities=tuple(str(e) for e in data.get("entities", ())),
            dates=frozenset(str(d) for d in data.get("dates", ())),
            regions=frozenset(str(r) for r in data.get("regions", ())),
        )


class _Lemmatiser:
    """Lemma or None (a function word) for one word of one language; cached per word."""

    def __init__(self, morph: Morphology | None, stemmer: Any | None) -> None:
        self._morph = morph
        self._stemmer = stemmer
        self.stems = stemmer is not None
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    def _lemma(self, word: str) -> str | None:
        lower = word.lower()
        if self._morph is not None:
            reading = self._morph.reading(word)
            if reading is None:
                return lower
            if reading.tag.POS in _FUNCTION_POS:
                return None
            return str(reading.normal_form).replace("ё", "е")
        if lower in _ENGLISH_STOP:
            return None
        if self._stemmer is not None:
            return str(self._stemmer.stemWord(lower))
        return lower

    def adjective(self, word: str) -> str | None:
        """The dictionary form of `word` read as an adjective (Тверской → тверской), known
        to the dictionary or not (Беляевском → беляевский); None if it cannot be one."""
        if self._morph is None:
            return None
        for parse in self._morph.parses(word):
            if parse.tag.POS == "ADJF":
                return str(parse.normal_form).replace("ё", "е")
        return None


class Analyzer:
    """Holds the dictionaries (loaded once, ~0.5 s) and turns articles into features.

    `entities` holds the recogniser's resources per language: an article in one of those
    languages is described by the canonical names its analysis found («Путіна», «Путіну» →
    @Володимир Путін); in any other language names are still weighted up by capitalisation,
    only not canonicalised. `sharing` builds one over the dictionaries analysis loaded.
    """

    def __init__(
        self,
        *,
        uk: Morphology | None = None,
        ru: Morphology | None = None,
        entities: Mapping[str, EntityResources] | None = None,
    ) -> None:
        uk = uk or Morphology(pymorphy3.MorphAnalyzer(lang="uk"))
        ru = ru or Morphology(pymorphy3.MorphAnalyzer(lang="ru"))
        self._lemmatisers = {
            "uk": _Lemmatiser(uk, None),
            "ru": _Lemmatiser(ru, None),
            "en": _Lemmatiser(None, Stemmer.Stemmer("english")),
        }
        self._plain = _Lemmatiser(None, None)
        self.entity_resources = dict(entities or {})

    @classmethod
    def with_entities(cls) -> Analyzer:
        """An analyser whose Ukrainian articles also get canonical entity names (loading
        only that recogniser's resources, not all that analysis needs)."""
        uk = Morphology(pymorphy3.MorphAnalyzer(lang="uk"))
        return cls(uk=uk, entities={"uk": EntityResources.load(morph=uk)})

    @classmethod
    def sharing(cls, language: LanguageResources) -> Analyzer:
        """An analyser over the dictionaries and gazetteers analysis already loaded.

        Russian articles are described by their lemmas, which already join a name's case
        forms, not also by the names their analysis finds: on the labelled pairs that
        lowered F1 over 24 arrival orders from 0.872 to 0.867 (it raised SlavicNER purity
        from 0.995 to 0.999, already past its bar)."""
        return cls(uk=language.morph, ru=language.russian_morph, entities={"uk": language.entities})

    def language(self, article: Article) -> str:
        if article.language in self._lemmatisers:
            return article.language
        return detect_language(f"{article.title}\n{article.lead or ''}\n{article.body_text}")

    def terms(self, text: str, language: str) -> list[str]:
        """Content lemmas and numbers of a piece of text (a sentence, for summaries)."""
        return _terms(tokenize(text), self._lemmatisers.get(language, self._plain))[0]

    def written_forms(self, text: str, language: str) -> Counter[tuple[str, str]]:
        """How often each term is written in each form, for showing terms as words."""
        lemmatiser = self._lemmatisers.get(language, self._plain)
        return Counter((term, word) for term, word, _ in _written_terms(tokenize(text), lemmatiser))

    def readable(self, term: str, forms: Mapping[str, int], language: str) -> str:
        """A term as a reader should see it: a lemma as the dictionary writes it, in the
        case the text writes it («путин» → «Путин», «сша» → «США»); a stem («hous») as its
        commonest written form («House»), since a stem is not a word."""
        if term[:1] in "@#":
            return term[1:]
        if not forms:
            return term
        written = max(forms, key=forms.__getitem__)
        if self._lemmatisers.get(language, self._plain).stems:
            return written
        if written.isupper() and len(written) > 1:
            return term.upper()
        if written[:1].isupper():
            return term[:1].upper() + term[1:]
        return term

    def features(self, article: Article) -> ArticleFeatures:
        language = self.language(article)
        lemmatiser = self._lemmatisers.get(language, self._plain)
        body = " ".join(p for p in (article.lead, article.body_text) if p)
        title_tokens = tokenize(article.title)
        title_terms, title_names = _terms(title_tokens, lemmatiser)
        body_tokens = _first_words(tokenize(body), BODY_WORDS)
        body_terms, body_names = _terms(body_tokens, lemmatiser)
        weights: dict[str, float] = {
            term: 1.0 + math.log(count) for term, count in Counter(body_terms).items()
        }
        for term in set(title_terms):
            weights[term] = weights.get(term, 0.0) + TITLE_BOOST
        for term in title_names | body_names:
            weights[term] *= NAME_BOOST
        entities: tuple[str, ...] = ()
        regions = _regions(title_tokens, lemmatiser) | _regions(body_tokens, lemmatiser)
        early = self._early_mentions(article, body, language)
        if early is not None:
            mentions, text = early
            counts = Counter(m.canonical for m in mentions)
            entities = tuple(name for name, _ in counts.most_common())
            for name in entities:
                weights["@" + name] = NAME_BOOST
            counted = _first_words(tokenize(text), _words(title_tokens) + BODY_WORDS)
            end = counted[-1].end if counted else 0
            regions |= _named_regions((m for m in mentions if m.start < end), lemmatiser)
        else:
            entities = tuple(_names_in_order(title_names, body_names, title_terms + body_terms))
        return ArticleFeatures(
            language,
            weights,
            entities,
            title_dates(article.title),
            frozenset(f"{language}:{region}" for region in regions),
        )

    def _early_mentions(
        self, article: Article, body: str, language: str
    ) -> tuple[list[Mention], str] | None:
        """Entities of the title and the first ENTITY_CHARS of text, for a language the
        recogniser reads, with the text their offsets index: from the article's own
        analysis when it has one, else recognised here; None for other languages or
        without the recogniser's resources."""
        resources = self.entity_resources.get(language)
        if resources is None:
            return None
        limit = len(article.title) + ENTITY_CHARS
        if article.analysis is not None:
            mentions = [m for m in article.analysis.entities if m.start < limit]
            return mentions, article.analysis_text[:limit]
        text = f"{article.title}\n{body[:ENTITY_CHARS]}"
        return recognise(text, resources=resources), text


def _words(tokens: list[Token]) -> int:
    return sum(token.kind == "word" for token in tokens)


def _first_words(tokens: list[Token], limit: int) -> list[Token]:
    words = 0
    for index, token in enumerate(tokens):
        words += token.kind == "word"
        if words > limit:
            return tokens[:index]
    return tokens


def _written_terms(tokens: list[Token], lemmatiser: _Lemmatiser) -> Iterator[tuple[str, str, bool]]:
    """(term, the word as written, whether it was written as a name) for each content word
    and number, in order."""
    previous = "."
    for token in tokens:
        if token.kind == "word" and len(token.text) > 1:
            lemma = lemmatiser.lemma(token.text)
            if lemma:
                named = token.text[0].isupper() and previous[-1] not in _OPENERS
                yield lemma, token.text, named
        elif token.kind == "number":
            yield "#" + token.text, token.text, False
        previous = token.text


def _terms(tokens: list[Token], lemmatiser: _Lemmatiser) -> tuple[list[str], set[str]]:
    """Content lemmas and numbers in order, and which lemmas were written as names."""
    terms: list[str] = []
    names: set[str] = set()
    for term, _, named in _written_terms(tokens, lemmatiser):
        terms.append(term)
        if named:
            names.add(term)
    return terms, names


def _names_in_order(title_names: set[str], body_names: set[str], terms: Iterable[str]) -> list[str]:
    """Names by frequency: the entities of a text without a recogniser for its language."""
    names = title_names | body_names
    counts = Counter(t for t in terms if t in names)
    return [name for name, _ in counts.most_common()]


def _regions(tokens: list[Token], lemmatiser: _Lemmatiser) -> set[str]:
    """Regions named as an adjective before «область» or «край» (Тверской области,
    Одеської області, Краснодарського краю), as the adjective's dictionary form; the
    adjectives coordinated with it share its head («у Сумській, Харківській та Чернігівській
    областях» names three regions, not only the last)."""
    words = [token.text for token in tokens if token.kind == "word" or token.text == ","]
    found: set[str] = set()
    for place, head in enumerate(words):
        if place == 0 or head == "," or lemmatiser.lemma(head) not in _REGION_HEADS:
            continue
        before = place - 1
        while before >= 0 and words[before][:1].isupper():
            name = lemmatiser.adjective(words[before])
            if name is None:
                break
            found.add(name)
            if before < 2 or words[before - 1].lower() not in _COORDINATORS:
                break
            before -= 2
    return found


_COORDINATORS = frozenset({",", "та", "і", "й", "и"})
"""What joins adjectives that share one head: «Сумській, Харківській та Чернігівській»."""


def _named_regions(mentions: Iterable[Mention], lemmatiser: _Lemmatiser) -> set[str]:
    """Regions the recogniser named, however the text wrote them («на Харківщині» →
    Харківська область), keyed as `_regions` keys them."""
    found: set[str] = set()
    for mention in mentions:
        adjective, _, head = mention.canonical.rpartition(" ")
        if mention.label == "LOC" and head in _REGION_HEADS and " " not in adjective:
            name = lemmatiser.adjective(adjective)
            if name is not None:
                found.add(name)
    return found


def title_dates(title: str) -> frozenset[str]:
    """Day-month dates a title names, as "month-day" ("11-8" for «8 листопада»)."""
    found: set[str] = set()
    for day, word in _DAY_MONTH.findall(title):
        month = _month(word)
        if month and 1 <= int(day) <= 31:
            found.add(f"{month}-{int(day)}")
    for word, day in _MONTH_DAY.findall(title):
        month = _month(word)
        if month and 1 <= int(day) <= 31:
            found.add(f"{month}-{int(day)}")
    return frozenset(found)


def _month(word: str) -> int | None:
    return _MONTHS.get(word.lower())


def text_hash(article: Article) -> str:
    """Identity of the words a reader gets, title aside: a republication under another
    headline is still the same text."""
    text = normalise_text(article.body_text or article.lead or "") or normalise_text(article.title)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shingles(article: Article) -> set[bytes]:
    """Overlapping word triples of the body (the title when there is none), for MinHash."""
    text = article.body_text or article.lead or article.title
    words = normalise_text(text).split()
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {
        " ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)
    }
