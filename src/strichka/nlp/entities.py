"""Named entities (PER, ORG, LOC, MISC) with canonical names in the nominative.

The default recogniser ships without any trained model (the annotated Ukrainian corpora are
CC BY-NC-SA, so nothing learnt from them may ship). It combines, in this order of trust:

1. gazetteers written by hand (`data/*.json`) plus babel/CLDR's Ukrainian country names,
   matched through lemmas so that every case form of a listed name is found;
2. patterns: legal forms with a quoted name (ТОВ «…»), organisation heads (Міністерство …,
   … міська рада, … університет), place heads (… область, вул. …), quoted names after a
   descriptor (компанія «…»), initials (В. Путін);
3. capitalised runs that survive the junk rules, typed by pymorphy3's name tags (first
   names, surnames, patronymics), role cues (президент, міністр …) and place suffixes.

Canonical names: each mention's own nominative (`nominative`) is built from the parse that
fits the label (a surname reading for PER, a non-name reading for LOC), and words with no
fitting reading keep their written form (pymorphy3 turns unknown «Сторі» into «стор»).
Within one text a short mention resolves to a full one (Мадуро → Ніколас Мадуро), an
unlisted abbreviation to the one name the text defines it by in brackets or spells it out
with (Одеська ОВА → Одеська обласна військова адміністрація), and a gazetteer alias to its
entry (РФ → Росія, WP → The Washington Post): that is `canonical`.
An organisation's legal form is no part of its name (ТОВ «Ромашка» → Ромашка, НАК «Нафтогаз
України» → Нафтогаз), and the text's short forms in other cases («Ромашки») resolve to it.

When `EntityResources` carries a CRF model (see `strichka.nlp.ner_crf`), the model decides
spans and labels and the steps above only supply canonical names.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources as package_files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from strichka.nlp.tokens import Sentence, Token, split_sentences
from strichka.records import Label, Mention

if TYPE_CHECKING:
    from strichka.nlp.ner_crf import CrfTagger

NameKind = Literal["first", "surname", "patronymic"]

MAX_MENTION_TOKENS = 12
"""No name is longer; it bounds the work per token and so keeps time linear."""


class Morph(Protocol):
    """What the recogniser needs from morphology (strichka.nlp.morph.Morphology fits)."""

    def parses(self, word: str) -> Sequence[Any]: ...
    def lemma(self, word: str) -> str: ...


# --------------------------------------------------------------------------- word facts


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the rules need to know about one written word, computed once per word."""

    lemmas: frozenset[str]
    known: bool
    name_kind: NameKind | None
    common: bool  # a dictionary reading that is not a name (Надія: hope, and a first name)
    function_word: bool  # preposition, conjunction, particle, pronoun, adverb, verb …
    adjective: bool
    noun: bool
    nominative: bool
    genitive: bool
    verb: bool = False  # only a verb: no noun or adjective reading
    place: bool = False  # the dictionary tags it a place name (Geox: Лондоне, Британии)
    organisation: bool = False  # the dictionary tags it an organisation (Orgn: Газпрома)


_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "ADVB", "INTJ", "VERB", "INFN", "PRED"})
# Russian's dictionary (OpenCorpora) also tags place and organisation names; Ukrainian's
# does not, and there the gazetteers know them.
_PLACE_TAG = "Geox"
_ORGANISATION_TAG = "Orgn"
_PROPER_NOUN_TAGS = frozenset({_PLACE_TAG, _ORGANISATION_TAG})  # a set: uk's tags lack them
_NAME_TAGS: tuple[tuple[str, NameKind], ...] = (
    ("Name", "first"),
    ("Surn", "surname"),
    ("Patr", "patronymic"),
)


def _apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'").replace("`", "'")


# Case endings, longest first: enough to give an unknown name one key for all its forms.
_ENDINGS = (
    "ами", "ями", "ові", "еві", "єві", "ою", "ею", "єю", "ом", "ем", "ів", "їв", "ах", "ях",
    "ам", "ям", "а", "я", "у", "ю", "і", "ї", "и", "е", "є", "о",
)  # fmt: skip


def _stem_key(lowered: str) -> str:
    for ending in _ENDINGS:
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 4:
            return "~" + lowered[: -len(ending)]
    return "~" + lowered


def _in_dictionary(parse: Any) -> bool:
    """Found in the dictionary, not guessed (cheaper than pymorphy3's `is_known` lookup)."""
    stack = parse.methods_stack
    return len(stack) == 1 and type(stack[0][0]).__name__ == "DictionaryAnalyzer"


def _declinable_name(word: str) -> bool:
    """A capitalised Cyrillic word of two letters or more: abbreviations (ТОВ), Latin names
    and initials do not decline."""
    return (
        _is_capitalised(word) and not _is_all_caps(word) and not _is_latin(word) and len(word) > 1
    )


def _is_initial_word(word: str) -> bool:
    """«В.», «В» or the «.» after it: stands for a name the dictionary cannot read."""
    return word == "." or len(word.rstrip(".")) == 1


def _same_gender(first: Any, second: Any) -> bool:
    """Genders agree unless both are known and differ."""
    return first is None or second is None or str(first) == str(second)


def _agrees(parse: Any, other: Any) -> bool:
    return parse.tag.case == other.tag.case and _same_gender(parse.tag.gender, other.tag.gender)


def _agrees_in_number(parse: Any, other: Any) -> bool:
    """Case, number and (where both show it) gender agree, as an adjective with its noun."""
    return _agrees(parse, other) and parse.tag.number == other.tag.number


def _name_kind(tag: Any) -> NameKind | None:
    for grammeme, kind in _NAME_TAGS:
        if grammeme in tag:
            return kind
    return None


def _is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _is_all_caps(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and not word[1:2].isdigit()


_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _is_latin(word: str) -> bool:
    return _LATIN.search(word) is not None and _CYRILLIC.search(word) is None


class Lexicon:
    """Word facts and inflection over the morphology, with a bounded per-instance cache."""

    def __init__(self, morph: Morph, *, cache_size: int = 200_000) -> None:
        self._morph = morph
        self._cache: dict[str, WordInfo] = {}
        self._cache_size = cache_size

    def parses(self, word: str) -> Sequence[Any]:
        return self._morph.parses(_apostrophes(word))

    def info(self, word: str) -> WordInfo:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        info = self._compute(word)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[word] = info
        return info

    def _compute(self, word: str) -> WordInfo:
        lowered = _apostrophes(word.lower())
        if not any(c.isalpha() for c in word) or len(word) > 40:
            return WordInfo(
                frozenset({lowered}), False, None, False, False, False, False, False, False
            )
        if lowered in STOP_WORDS:  # pymorphy3's uk dictionary lacks some (ще, вже, ой)
            return WordInfo(
                frozenset({lowered}), True, None, True, True, False, False, False, False
            )
        parses = self.parses(word)
        lemmas = {lowered}
        known = False
        name_kind: NameKind | None = None
        common = function_word = adjective = noun = nominative = genitive = verb = False
        place = organisation = False
        name_score = proper_score = 0.0
        lowercase = word[:1].islower()
        for parse in parses:
            tag = parse.tag
            lemmas.add(_apostrophes(parse.normal_form))
            if not _in_dictionary(parse):
                continue
            proper_noun = not tag.grammemes.isdisjoint(_PROPER_NOUN_TAGS)
            if lowercase and (_name_kind(tag) is not None or "Abbr" in tag or proper_noun):
                # names and abbreviations are capitalised: «надала» is not the surname Надал's
                # genitive, «про» not ПРО
                continue
            known = True
            kind = _name_kind(tag)
            if kind is not None:
                # a first-name reading wins (Миколи is also the surname Микола's genitive)
                name_kind = kind if name_kind is None or kind == "first" else name_kind
                name_score = max(name_score, parse.score)
            elif proper_noun:
                place = place or _PLACE_TAG in tag.grammemes
                organisation = organisation or _ORGANISATION_TAG in tag.grammemes
                proper_score = max(proper_score, parse.score)
            elif "Abbr" not in tag:
                common = True
            pos = tag.POS
            verb = verb or pos in ("VERB", "INFN")
            function_word = function_word or pos in _FUNCTION_POS
            adjective = adjective or pos in ("ADJF", "PRTF", "NUMR")
            noun = noun or pos == "NOUN"
            nominative = nominative or tag.case == "nomn"
            genitive = genitive or tag.case == "gent"
        if name_kind is not None and (place or organisation):
            # a person or a place: the likelier reading says (Дании is Denmark's, not Даний's)
            if proper_score > name_score:
                name_kind = None
            else:
                place = organisation = False
        if not known:
            # An unknown name's guessed lemma differs between its case forms (Укрнафта,
            # Укрнафті), so it also gets a crude stem key: written form less its ending.
            lemmas.add(_stem_key(lowered))
            # Unknown words: trust the guesser only for case (used for agreement and spans).
            for parse in parses:
                nominative = nominative or parse.tag.case == "nomn"
                genitive = genitive or parse.tag.case == "gent"
                noun = noun or parse.tag.POS == "NOUN"
                adjective = adjective or parse.tag.POS == "ADJF"
        return WordInfo(
            frozenset(lemmas),
            known,
            name_kind,
            common,
            function_word,
            adjective,
            noun,
            nominative,
            genitive,
            verb and not (noun or adjective),
            place,
            organisation,
        )

    # ------------------------------------------------------------------ nominative forms

    def nominative(self, words: Sequence[str], label: Label) -> str:
        """The base form of a name as a reader would write it in a list."""
        if label == "PER":
            return " ".join(self._person_nominative(words))
        return _join_words(self._phrase_nominative(words))

    def _person_nominative(self, words: Sequence[str]) -> list[str]:
        """Each part of a name in the nominative, read in the one gender and case that all its
        parts share: «Петра Григоренка» is a man's genitive (Петро), «Петра Порошенко» a
        woman's nominative; «Зінаїди» alone could be a plural, «Зінаїди Тулуб» cannot."""
        readings = [self._name_readings(word) for word in words]
        read = [r for r in readings if r]
        named = [r for word, r in zip(words, readings, strict=True) if not _is_initial_word(word)]
        if len(named) > 1 and not named[0]:
            # a foreign given name the dictionary lacks (Асії Бібі): its surname may not
            # decline at all, and guessing one from the other invents «Біба»; only a surname
            # the dictionary reads in one gender and never in the nominative declines alone
            # (Хайко Мааса → Хайко Маас)
            return [*words[:-1], self._lone_surname_nominative(words[-1])]
        if not read:
            return list(words)
        agreeing = [
            parse
            for parse in read[0]
            if all(any(_agrees(other, parse) for other in rest) for rest in read[1:])
        ]
        # where the dictionary scores its readings (Russian's does), the likeliest ones: a
        # lone «Путина» is Путин's genitive, not the woman's name
        likeliest = max((parse.score for parse in agreeing), default=0.0)
        shared = [
            (parse.tag.gender, parse.tag.case) for parse in agreeing if parse.score == likeliest
        ]
        if not shared or any(case == "nomn" for _, case in shared):
            return list(words)  # already nominative, or parts that agree on nothing
        gender, case = shared[0]
        result: list[str] = []
        for word, options in zip(words, readings, strict=True):
            # a surname that is also a common noun (Юнкера) or one only the guesser knows
            # (Бондермана) goes with the case its given name fixed
            options = options or self._surname_readings(word)
            parse = next(
                (p for p in options if p.tag.case == case and _same_gender(p.tag.gender, gender)),
                None,
            )
            inflected = None
            if parse is not None and "Fixd" not in parse.tag:
                inflected = parse.inflect({"nomn"})
            # unknown or indeclinable words stay as written
            result.append(word if inflected is None else _recase(inflected.word, word))
        return result

    def given_name_lemmas(self, word: str) -> frozenset[str]:
        """The base forms a given name may be a case form of (Валентина: валентин, валентина)."""
        return frozenset(
            _apostrophes(p.normal_form)
            for p in self._name_readings(word)
            if _name_kind(p.tag) == "first"
        )

    def nominative_given_name(self, word: str) -> bool:
        """A given name that reads only in the nominative (Валентин, not Валентина)."""
        readings = [p for p in self._name_readings(word) if _name_kind(p.tag) == "first"]
        return bool(readings) and all(p.tag.case == "nomn" for p in readings)

    def without_patronymic(self, name: str) -> str:
        """«Олександр Данилович Тулуб» → «Олександр Тулуб»."""
        words = name.split()
        if len(words) != 3:
            return name
        middle = self._name_readings(words[1])
        if any(_name_kind(p.tag) == "patronymic" for p in middle):
            return f"{words[0]} {words[2]}"
        return name

    def _lone_surname_nominative(self, word: str) -> str:
        """A surname's nominative where its own readings fix the gender and the case."""
        readings = [p for p in self._name_readings(word) if _name_kind(p.tag) == "surname"]
        genders = {str(p.tag.gender) for p in readings}
        if not readings or len(genders) > 1 or any(p.tag.case == "nomn" for p in readings):
            return word
        inflected = readings[0].inflect({"nomn"})
        return word if inflected is None else _recase(inflected.word, word)

    def _surname_readings(self, word: str) -> list[Any]:
        """Readings of a capitalised word as a noun that could be a surname: a common noun
        from the dictionary, or the guesser's surname; failing both, the guesser's nouns, as
        an unknown surname declines like the words it ends like (Вітеру like вітру)."""
        if not _declinable_name(word):
            return []
        nouns = [p for p in self.parses(word) if p.tag.POS == "NOUN" and p.tag.number != "plur"]
        return [p for p in nouns if _in_dictionary(p) or "Surn" in p.tag] or nouns

    def _name_readings(self, word: str) -> list[Any]:
        """The word's readings as a singular first name, patronymic or surname."""
        if not _declinable_name(word):
            return []
        return [
            p
            for p in self.parses(word)
            if _in_dictionary(p) and _name_kind(p.tag) is not None and p.tag.number != "plur"
        ]

    def _phrase_nominative(self, words: Sequence[str]) -> list[str]:
        """Agreeing words up to and including the head noun go to the nominative."""
        head = self._head_index(words)
        if head is None:
            return self._before_abbreviation(words)
        head_parse = self._noun_parse(words[head], modifiers=words[:head])
        if head_parse is None:
            return list(words)
        if head_parse.tag.case == "nomn":
            return list(words)
        target: set[str] = {"nomn"}
        if head_parse.tag.number == "plur" and "Pltm" not in head_parse.tag:
            target.add("plur")
        inflected_head = head_parse.inflect(target)
        if inflected_head is None:
            return list(words)
        result = list(words)
        result[head] = _recase(inflected_head.word, words[head])
        gender = inflected_head.tag.gender
        number = inflected_head.tag.number
        for index in range(head):
            result[index] = self._agree(words[index], gender, number)
        return result

    def _before_abbreviation(self, words: Sequence[str]) -> list[str]:
        """Adjectives before an abbreviation that heads the name go to the nominative in
        their own gender and number, as the abbreviation has none to give (Одеській ОВА →
        Одеська ОВА)."""
        *modifiers, head = words
        if not modifiers or not _is_all_caps(head):
            return list(words)
        result: list[str] = []
        for word in modifiers:
            adjectives = [p for p in self.parses(word) if p.tag.POS in ("ADJF", "PRTF")]
            if not adjectives:
                return list(words)
            if any(p.tag.case == "nomn" for p in adjectives):
                result.append(word)
                continue
            result.append(self._agree(word, adjectives[0].tag.gender, adjectives[0].tag.number))
        return [*result, head]

    def _head_index(self, words: Sequence[str]) -> int | None:
        for index, word in enumerate(words):
            if not word[:1].isalpha() or _is_all_caps(word) or _is_latin(word):
                return None
            info = self.info(word)
            modifies_next = (
                info.adjective and index + 1 < len(words) and self._modifies(word, words[index + 1])
            )
            if info.noun and not modifies_next:
                return index
            if not info.adjective:
                return None
        return None

    def _modifies(self, word: str, following: str) -> bool:
        """The word can be an adjective agreeing with the next one: «Міська рада» yes, but
        «рада Одеси», «Рада України» no, though «рада» is also the short adjective «glad»."""
        others = self.parses(following)
        return any(
            parse.tag.POS in ("ADJF", "PRTF", "NUMR")
            and any(_agrees_in_number(parse, o) for o in others)
            for parse in self.parses(word)
        )

    def _noun_parse(self, word: str, *, modifiers: Sequence[str] = ()) -> Any:
        """The head noun's reading: one its adjectives agree with (Національного банку is
        банк's genitive, not the jar банка's accusative), then the likelier homograph."""
        parses = [p for p in self.parses(word) if p.tag.POS == "NOUN"]
        known = [p for p in parses if _in_dictionary(p)]
        plain = [p for p in known if _name_kind(p.tag) is None] or known or parses
        if not plain:
            return None
        if not known and _is_capitalised(word):
            return None  # an unknown proper noun: its guessed lemma is not to be trusted
        adjectives = [
            readings
            for modifier in modifiers
            if (readings := [p for p in self.parses(modifier) if p.tag.POS in ("ADJF", "PRTF")])
        ]
        agreeing = [
            p
            for p in plain
            if all(any(_agrees_in_number(a, p) for a in readings) for readings in adjectives)
        ]
        plain = agreeing or plain
        # The morphology ranks homographs by frequency (голові → голова, not гол).
        preferred = self._morph.lemma(word.lower())
        return next((p for p in plain if p.normal_form == preferred), plain[0])

    def _agree(self, word: str, gender: Any, number: Any) -> str:
        for parse in self.parses(word):
            if parse.tag.POS not in ("ADJF", "PRTF"):
                continue
            grammemes = {"nomn", "plur"} if number == "plur" else {"nomn", gender or "masc"}
            inflected = parse.inflect(grammemes)
            if inflected is not None:
                return _recase(inflected.word, word)
        return word


def _recase(form: str, written: str) -> str:
    """Give an inflected form the capitalisation of the written word (per hyphen part), and
    its е where the dictionary writes ё (Соединенного → Соединенное, not Соединённое)."""
    if "ё" not in written.lower():
        form = form.replace("ё", "е")
    if written.isupper():
        return form.upper()
    form_parts = form.split("-")
    written_parts = written.split("-")
    if len(form_parts) != len(written_parts):
        return form[:1].upper() + form[1:] if _is_capitalised(written) else form
    return "-".join(
        f[:1].upper() + f[1:] if _is_capitalised(w) else f
        for f, w in zip(form_parts, written_parts, strict=True)
    )


def _join_words(words: Sequence[str]) -> str:
    """Words back into a name; straight quotes become «» so ТОВ "Ромашка" and ТОВ «Ромашка»
    are one name; “ closes what „ opens (АТ „Укрпошта“), so it hugs the word before it."""
    opened = low_opened = False
    typeset: list[str] = []
    for word in words:
        if word == '"':
            word = "»" if opened else "«"
            opened = not opened
        elif word == "„":
            low_opened = True
        elif word == "“" and low_opened and typeset:
            low_opened = False
            typeset[-1] += word
            continue
        typeset.append(word)
    text = " ".join(typeset)
    return re.sub(r"([«„“(]) ", r"\1", re.sub(r" ([»”.,)])", r"\1", text))


# --------------------------------------------------------------------------- gazetteers

GazetteerKind = Literal["country", "city", "place", "person", "organisation", "outlet", "misc"]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name: str
    label: Label
    kind: GazetteerKind


@dataclass(slots=True)
class _TrieNode:
    children: dict[str, _TrieNode] = field(default_factory=dict)
    entry: GazetteerEntry | None = None
    pattern: tuple[str, ...] = ()  # written form of the listed name, for the case check


_BABEL_SKIP = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "001"})
# Country names that are also frequent Ukrainian words (того, чад, малі, оман, перу …):
# matched through lemmas they would fire on ordinary text, so they are left out.
_BABEL_HOMOGRAPHS = frozenset(
    {
        "Того",
        "Чад",
        "Малі",
        "Оман",
        "Перу",
        "Джерсі",
        "Гернсі",
        "Тонга",
        "Гана",
        "Домініка",
        "Комори",
    }
)
_AMBIGUOUS_KINDS = frozenset({"organisation", "outlet", "place", "misc"})


class Gazetteer:
    """Names matched by lemma sequence (any case form); abbreviations match as written."""

    def __init__(self, lexicon: Lexicon, *, written_alike_only: bool = False) -> None:
        self._lexicon = lexicon
        self._root = _TrieNode()
        self._written_alike_only = written_alike_only
        self.exact: dict[str, GazetteerEntry] = {}
        self.max_tokens = 1

    def add(self, surface: str, entry: GazetteerEntry) -> None:
        words = [t.text for t in _word_tokens(surface)]
        if not words:
            return
        if self._written_alike_only and not all(self._written_alike(w) for w in words):
            return
        self.max_tokens = max(self.max_tokens, len(words))
        if len(words) == 1 and (_is_all_caps(words[0]) or _is_latin(words[0])):
            self.exact.setdefault(words[0], entry)
            if not _is_all_caps(words[0]):
                return
        lemma_sets = [sorted(self._key_lemmas(w, entry.label)) for w in words]
        for combo in itertools.islice(itertools.product(*lemma_sets), 32):
            node = self._root
            for key in combo:
                node = node.children.setdefault(key, _TrieNode())
            if node.entry is None:
                node.entry = entry
                node.pattern = tuple(words)

    def _written_alike(self, word: str) -> bool:
        """An abbreviation, a Latin word, or a proper name the dictionary knows as nothing
        else (Лондон, Брюссель; not Суми, which Russian reads as «bags»)."""
        if _is_all_caps(word) or _is_latin(word) or not word[:1].isalpha():
            return True
        info = self._lexicon.info(word)
        proper = info.name_kind is not None or info.place or info.organisation
        return proper and not info.common and not info.function_word

    def _key_lemmas(self, word: str, label: Label) -> frozenset[str]:
        """Lemmas of the listed (nominative) word's fitting readings: Київ → київ, not кий."""
        lowered = _apostrophes(word.lower())
        if _is_all_caps(word) or _is_latin(word) or not word[:1].isalpha():
            return frozenset({lowered})
        parses = [p for p in self._lexicon.parses(word) if p.tag.case in ("nomn", None)]
        if label != "PER":
            parses = [p for p in parses if _name_kind(p.tag) is None] or parses
        known = [p for p in parses if _in_dictionary(p)]
        if not known:
            return frozenset(
                {lowered, _stem_key(lowered), *(_apostrophes(p.normal_form) for p in parses)}
            )
        return frozenset({lowered, *(_apostrophes(p.normal_form) for p in known)})

    def match(self, words: Sequence[Token], start: int) -> tuple[int, GazetteerEntry] | None:
        """Longest listed name starting at `words[start]`: (end index, entry)."""
        best: tuple[int, GazetteerEntry] | None = None
        first = words[start].text
        exact = self.exact.get(first)
        if exact is not None:
            best = (start + 1, exact)
        frontier: list[tuple[_TrieNode, int]] = [(self._root, start)]
        limit = min(len(words), start + self.max_tokens)
        while frontier:
            node, index = frontier.pop()
            if (
                node.entry is not None
                and index > start
                and _case_fits(words[start:index], node.pattern)
            ) and (best is None or index > best[0]):
                best = (index, node.entry)
            if index >= limit:
                continue
            token = words[index]
            for key in self._token_keys(token):
                child = node.children.get(key)
                if child is not None:
                    frontier.append((child, index + 1))
        return best

    def _token_keys(self, token: Token) -> Iterable[str]:
        if token.kind != "word" or _is_all_caps(token.text) or _is_latin(token.text):
            return (_apostrophes(token.text.lower()),)
        info = self._lexicon.info(token.text)
        if info.function_word and not info.noun:
            return ()  # Той, Тому, Та are pronouns and conjunctions, not Того (Togo)
        return info.lemmas


def _case_fits(tokens: Sequence[Token], pattern: Sequence[str]) -> bool:
    """Whether text is written in the case a listed name is. The first word's capital
    decides (a sentence may capitalise it); a later word the list capitalises may be written
    in lowercase, as Ukrainian spelling varies there («Європейський союз» / «Союз»)."""
    if len(tokens) != len(pattern):
        return False
    for token, listed in zip(tokens, pattern, strict=True):
        first = token is tokens[0]
        if _is_all_caps(listed) or _is_latin(listed):
            if token.text != listed:
                return False
        elif _is_capitalised(listed) != _is_capitalised(token.text) and not (
            (_is_capitalised(token.text) and first) or (_is_capitalised(listed) and not first)
        ):
            return False
    return True


def _word_tokens(text: str) -> list[Token]:
    from strichka.nlp.tokens import tokenize

    return [t for t in tokenize(text) if t.kind in ("word", "number") or t.text in ".+"]


def _load_json(name: str) -> dict[str, Any]:
    data = package_files.files("strichka.nlp").joinpath("data", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(data)
    return loaded


def _babel_countries() -> Iterator[str]:
    """Ukrainian country and territory names from CLDR (babel), a permissive source."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel is a dependency; degrade, do not fail
        return
    for code, name in Locale("uk").territories.items():
        if code in _BABEL_SKIP or not code.isalpha() or "," in name or "(" in name:
            continue
        if name in _BABEL_HOMOGRAPHS:
            continue
        yield unicodedata.normalize("NFC", name).replace("ʼ", "'")


def build_gazetteer(lexicon: Lexicon, *, language: str = "uk") -> Gazetteer:
    """The hand-written lists and CLDR's country names, for text in `language`.

    The lists are Ukrainian: for another language only the names it writes the same way
    are kept (abbreviations such as США, ООН; Latin names; names its dictionary knows only
    as names, such as Лондон), since a Ukrainian word read with another language's
    dictionary finds that language's homographs.
    """
    gazetteer = Gazetteer(lexicon, written_alike_only=language != "uk")
    places = _load_json("places.json")
    for name in _babel_countries():
        gazetteer.add(name, GazetteerEntry(name, "LOC", "country"))
    for item in places["countries_extra"]:
        entry = GazetteerEntry(item["name"], "LOC", "country")
        for surface in (item["name"], *item["aliases"]):
            gazetteer.add(surface, entry)
    for group in ("oblasts", "regions"):
        for item in places[group]:
            entry = GazetteerEntry(item["name"], "LOC", "place")
            for surface in (item["name"], *item["aliases"]):
                gazetteer.add(surface, entry)
    for name in places["cities"]:
        gazetteer.add(name, GazetteerEntry(name, "LOC", "city"))
    for item in _load_json("people.json")["people"]:
        entry = GazetteerEntry(item["name"], "PER", "person")
        for surface in (item["name"], *item["aliases"]):
            gazetteer.add(surface, entry)
    organisations = _load_json("organisations.json")
    groups: tuple[tuple[str, GazetteerKind], ...] = (
        ("organisations", "organisation"),
        ("outlets", "outlet"),
    )
    for group, kind in groups:
        for item in organisations[group]:
            entry = GazetteerEntry(item["name"], "ORG", kind)
            for surface in (item["name"], *item["aliases"]):
                gazetteer.add(surface, entry)
    for item in _load_json("misc.json")["misc"]:
        entry = GazetteerEntry(item["name"], "MISC", "misc")
        for surface in (item["name"], *item["aliases"]):
            gazetteer.add(surface, entry)
    return gazetteer


# --------------------------------------------------------------------------- rule lexicon


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lemmas (lowercase) that the rules react to. Tuples and frozensets: nothing here mutates.

ROLE_CUES = _words(
    """
    президент прем'єр прем'єр-міністр міністр віце-прем'єр віце-прем'єр-міністр посол голова
    лідер глава речник речниця спікер генсек генсекретар секретар канцлер депутат нардеп мер
    губернатор директор керівник очільник командувач командир диктатор король королева принц
    принцеса папа сенатор конгресмен суддя прокурор генпрокурор заступник радник радниця
    помічник журналіст журналістка аналітик експерт політолог економіст адвокат представник
    представниця кандидат уповноважений омбудсман патріарх митрополит архієпископ єпископ
    прессекретар прес-секретар віце-президент засновник співзасновник власник бізнесмен
    олігарх генерал полковник підполковник майор капітан лейтенант сержант солдат письменник
    письменниця поет поетеса художник співак співачка актор актриса режисер тренер футболіст
    пан пані
    """
)
ROLE_MODIFIERS = _words(
    """
    колишній екс-президент чинний новий перший тимчасовий виконувач обов'язків
    """
)
ORG_HEADS = _words(
    """
    міністерство відомство служба рада суд банк університет академія інститут коледж ліцей
    школа гімназія комітет комісія агентство інспекція адміністрація департамент управління
    фонд прокуратура поліція гвардія палата партія асоціація спілка об'єднання компанія
    корпорація концерн холдинг союз федерація конфедерація центр бюро штаб командування
    посольство консульство представництво уряд парламент сенат конгрес міськрада облрада
    облдержадміністрація райдержадміністрація держадміністрація лікарня поліклініка
    госпіталь театр музей бібліотека організація рух фронт блок ліга церква підприємство
    завод фабрика комбінат трест дирекція секретаріат апарат кабінет офіс казначейство
    митниця трибунал ради міліція армія флот бригада полк дивізія корпус батальйон
    угруповання альянс райрада сільрада селищна райсуд госпсуд міськрайсуд залізниця
    товариство благодійний з'їзд форум
    """
)
LOC_HEADS = _words(
    """
    область район округ край регіон море океан озеро річка затока протока острів острови
    півострів гора гори хребет долина пустеля майдан площа вулиця проспект провулок бульвар
    шосе узвіз набережна міст аеропорт вокзал парк сквер порт канал водосховище материк
    континент республіка губернія повіт волость громада
    """
)
PLACE_CUES = _words(
    """
    місто село селище смт містечко хутір столиця поблизу біля передмістя штат провінція
     округ емірат князівство графство кантон
    """
)
STREET_HEADS = _words(
    """
    вулиця проспект провулок бульвар площа узвіз набережна шосе
    """
)
ORG_HEAD_ABBREVIATIONS = _words(
    """
    ОДА РДА ОВА РВА ОТВ ОДПІ ДПІ МВК ОВК ДВК ТВК
    """
)
STREET_ABBREVIATIONS = frozenset({"вул", "просп", "пр", "пров", "пл", "бульв", "наб", "ш"})
SETTLEMENT_ABBREVIATIONS = frozenset({"м", "с", "смт", "сел"})
LEGAL_FORMS = _words(
    """
    ТОВ ПАТ ПрАТ АТ ВАТ ЗАТ КП ДП ТзОВ ФОП СП ПП ГО БФ МБФ ОСББ ДУ КНП НАК ДК ДАК ВП МП ТДВ
    ТД ПФ КУ ЗАО ООО ОАО ПАО НПО НВП НВО ДПЗД КЗ ОКП ЛТД LLC Ltd GmbH Inc
    """
)
ORG_DESCRIPTORS = _words(
    """
    компанія фірма підприємство банк партія організація об'єднання фонд концерн корпорація
    холдинг група телеканал агентство видання радіостанція телекомпанія товариство
    кооператив завод фабрика комбінат магазин мережа оператор виробник забудовник
    постачальник підрядник страховик асоціація спілка клуб гурт ансамбль команда рух
    платформа сервіс видавництво ресторан готель лікарня центр
    """
)
WORK_DESCRIPTORS = _words(
    """
    книга книжка роман повість фільм серіал пісня альбом вірш поема збірка журнал газета
    програма шоу передача проект проєкт закон кодекс указ постанова стаття твір картина
    вистава опера балет гра операція премія конкурс фестиваль акція
    """
)
PLACE_PREPOSITIONS = _words("у в до під біля поблизу із зі з через над")
WORK_HEADS = _words(
    """
    вісник словник енциклопедія газета журнал кодекс закон конституція біблія євангеліє
    літопис альманах збірник довідник
    """
)
PLACE_SUFFIXES = (
    "ськ",
    "цьк",
    "івка",
    "ївка",
    "івці",
    "ове",
    "еве",
    "єве",
    "ине",
    "їне",
    "поль",
    "град",
    "город",
    "піль",
    "бург",
    "штадт",
    "стан",
    "ія",
)
PERSON_SUFFIXES = (
    "енко",
    "ук",
    "юк",
    "чук",
    "ишин",
    "ович",
    "евич",
    "івна",
    "ський",
    "цький",
    "ова",
    "єва",
    "іна",
    "ов",
    "ев",
    "єв",
    "ін",
    "їн",
    "швілі",
    "дзе",
    "ян",
    "янц",
)
STOP_WORDS = _words(
    """
    ще вже ой ох ах ех ну так ні немає нема тож адже авжеж хіба невже мабуть проте однак
    втім зате отже либонь нехай хай ось от тут там теж також навіть лише тільки аж би чи хоч
    хоча бо коли якщо якби поки доки щоб аби неначе ніби наче мов мовби немов мовляв
    вочевидь звісно звичайно певно напевно безумовно справді дійсно зокрема відтак водночас
    натомість наразі нині тепер зараз сьогодні вчора завтра згодом потім раніше спершу
    спочатку нарешті врешті досі знову коротко докладніше детальніше читайте фото відео
    джерело нагадаємо нагадаю оновлено увага важливо цікаво ага угу еге гей ото оце ж
    """
)
COMMON_ABBREVIATIONS = _words(
    """
    ЗМІ ПДВ НПЗ ОТГ ЖК ДТП ВВП ПММ ТЕС ТЕЦ ГЕС АЕС ПСГ КПП ЗНО НМТ ВНЗ ЗВО ЗОШ ЄДРПОУ ПКУ ТЦ
    СМС SMS ЦК ПЗ ДСТУ ГОСТ КК ЦПК КПК КУпАП ККУ ЄДР ЄДРСР ПП ОК ТОВ ПАТ ПрАТ ФОП ЧП ЗСУ_ ТБ
    ЛЕП ПВО ППО ЗРК БПЛА БпЛА РСЗВ БМП БТР ДРГ ЧАЕС_ ОСББ ОДА РДА ОВА РВА ВЛК СІЗО ІТ IT ШІ
    AI ЕКГ МРТ ВІЛ СНІД ГРВІ COVID ДНК ВСК ЧС ЄІ
    """
)
_ROMAN = re.compile(r"[IVXLCDM]+")
_OPEN_QUOTES = frozenset('«„“"')
_CLOSE_QUOTES = frozenset('»“”"')
_NAME_JOINERS = frozenset(
    {"де", "да", "дель", "ді", "ван", "фон", "дер", "ла", "ле", "аль", "бін", "ібн"}
)


# --------------------------------------------------------------------------- resources


@dataclass(frozen=True, slots=True)
class EntityResources:
    """Everything the recogniser loads once: morphology, gazetteers, an optional model."""

    lexicon: Lexicon
    gazetteer: Gazetteer
    tagger: CrfTagger | None = None

    @classmethod
    def load(
        cls, *, morph: Morph, model_path: Path | None = None, language: str = "uk"
    ) -> EntityResources:
        """Build the gazetteers for text in `language`, read with `morph` (that language's
        dictionary); use a CRF model when `model_path` names an existing file."""
        lexicon = Lexicon(morph)
        gazetteer = build_gazetteer(lexicon, language=language)
        tagger = None
        if model_path is not None and model_path.is_file():
            from strichka.nlp.ner_crf import CrfTagger

            tagger = CrfTagger(model_path)
        return cls(lexicon, gazetteer, tagger)

    def without_model(self) -> EntityResources:
        return EntityResources(self.lexicon, self.gazetteer, None)


# --------------------------------------------------------------------------- recognition


@dataclass(slots=True)
class _Candidate:
    first: int  # token indexes within the sentence, end exclusive
    last: int
    label: Label
    priority: int  # higher wins ties between equally long spans
    entry: GazetteerEntry | None = None


@dataclass(frozen=True, slots=True)
class _Found:
    tokens: tuple[Token, ...]
    label: Label
    entry: GazetteerEntry | None
    sentence_tokens: tuple[Token, ...]
    first: int
    weak: bool  # typed by suffix or default only: the text's full names may retype it


def recognise(text: str, *, resources: EntityResources) -> list[Mention]:
    """Entity mentions of `text` in text order, each with a canonical name."""
    if not text or not text.strip():
        return []
    found: list[_Found] = []
    sentences = list(entity_sentences(text))
    context = document_context(sentences)
    for sentence in sentences:
        tokens = sentence.tokens
        if not tokens:
            continue
        if resources.tagger is not None:
            spans = resources.tagger.spans(tokens, resources, context)
            candidates = [_Candidate(a, b, label, 1) for a, b, label in spans]
            candidates = _attach_entries(tokens, candidates, resources)
        else:
            candidates = _rule_candidates(sentence, resources, context)
        for cand in candidates:
            span = tokens[cand.first : cand.last]
            weak = cand.priority == 0 and cand.entry is None
            found.append(_Found(tuple(span), cand.label, cand.entry, tokens, cand.first, weak))
    return _canonicalise(text, found, resources)


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """How a text writes its words elsewhere: a sentence-initial «Коваль» is a name when the
    text also writes «Коваль» mid-sentence, and a common word when it writes «коваль»."""

    capitalised: frozenset[str] = frozenset()
    lowercase: frozenset[str] = frozenset()


def document_context(sentences: Iterable[Sentence]) -> DocumentContext:
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for sentence in sentences:
        for position, token in enumerate(sentence.tokens):
            text = token.text
            if token.kind != "word" or not text[:1].isalpha():
                continue
            if text[0].islower():
                lowercase.add(text)
            elif position > 0 and sentence.tokens[position - 1].text not in '«"„“:—-(':
                capitalised.add(text.lower())
    return DocumentContext(frozenset(capitalised), frozenset(lowercase))


_POSSESSIVE = re.compile(r"[A-Za-z]['’]s")


def _without_possessive(token: Token) -> Token:
    """«Johnson's» names Johnson: the English possessive is no part of a name."""
    if token.kind == "word" and _POSSESSIVE.search(token.text[-3:]) and _is_latin(token.text):
        return Token(token.text[:-2], token.start, token.end - 2, token.kind)
    return token


def entity_sentences(text: str) -> Iterator[Sentence]:
    """Sentences, rejoined where a split fell after a spaced initial («Л . В . Орлової»);
    English possessives are cut off their words."""
    pending: Sentence | None = None
    for sentence in split_sentences(text):
        tokens = tuple(_without_possessive(token) for token in sentence.tokens)
        sentence = Sentence(sentence.start, sentence.end, tokens)
        if pending is not None:
            sentence = Sentence(pending.start, sentence.end, pending.tokens + sentence.tokens)
            pending = None
        tokens = sentence.tokens
        ends_with_initial = (
            len(tokens) >= 2
            and tokens[-1].text == "."
            and len(tokens[-2].text) == 1
            and tokens[-2].text.isupper()
            and len(tokens) < 400
        )
        if ends_with_initial:
            pending = sentence
            continue
        yield sentence
    if pending is not None:
        yield pending


def _attach_entries(
    tokens: Sequence[Token], candidates: list[_Candidate], resources: EntityResources
) -> list[_Candidate]:
    """Give model spans the gazetteer entry that covers exactly the same words."""
    for cand in candidates:
        match = resources.gazetteer.match(tokens, cand.first)
        if match is not None and match[0] == cand.last:
            cand.entry = match[1]
    return candidates


def _sentence_starts(tokens: Sequence[Token]) -> list[bool]:
    """Where a capital letter says nothing: sentence start, after a colon, dash or quote."""
    starts = [False] * len(tokens)
    expect = True
    for index, token in enumerate(tokens):
        if token.kind == "word" or token.kind == "number":
            starts[index] = expect
            expect = False
        elif (
            token.text in _OPEN_QUOTES
            or token.text in ":—–(•*…"
            or (token.text == "-" and (index == 0 or expect))
        ):
            expect = True
    return starts


def _rule_candidates(
    sentence: Sentence, resources: EntityResources, context: DocumentContext | None = None
) -> list[_Candidate]:
    tokens = sentence.tokens
    lexicon = resources.lexicon
    initial = _sentence_starts(tokens)
    infos = [lexicon.info(t.text) if t.kind == "word" else None for t in tokens]
    candidates: list[_Candidate] = []

    # 1. gazetteers
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind in ("word", "number") and (
            _is_capitalised(token.text) or token.text[:1].isdigit()
        ):
            match = resources.gazetteer.match(tokens, index)
            if match is not None:
                end, entry = match
                after_name = index > 0 and _first_name_before(tokens, infos, index)
                if after_name and entry.label == "LOC" and end - index == 1:
                    match = None  # Богдана Хмельницького: a surname, not the city
                elif end - index == 1 and _surname_after(tokens, infos, index, entry):
                    match = None  # Мішель Барньє, Домінік Рааб: a first name, then a surname
                elif _quoted_exactly(tokens, index, end) and entry.label == "LOC":
                    # «Житомирщина» the newspaper, аеропорт «Бориспіль»: named after a place
                    candidates.append(_Candidate(index, end, "ORG", 3))
                elif not _ambiguous_at_start(tokens, index, end, entry, infos):
                    candidates.append(_Candidate(index, end, entry.label, 3, entry))
        index += 1

    candidates.extend(_coordinated_places(tokens, infos, resources))

    # 2. patterns
    candidates.extend(_legal_form_orgs(tokens))
    candidates.extend(_quoted_names(tokens, infos))
    candidates.extend(_headed_names(tokens, infos, initial))
    candidates.extend(_initials_persons(tokens, infos))

    chosen = _resolve_overlaps(candidates)
    covered = [False] * len(tokens)
    for cand in chosen:
        for i in range(cand.first, cand.last):
            covered[i] = True

    # 3. capitalised runs left over
    if context is not None:
        # A sentence-initial word the text also capitalises mid-sentence is a name there too.
        named = context.capitalised
        initial = [flag and tokens[i].text.lower() not in named for i, flag in enumerate(initial)]
    lowercase = context.lowercase if context is not None else frozenset()
    covered = [
        done or (initial[i] and _common_latin_start(tokens[i].text, lowercase))
        for i, done in enumerate(covered)
    ]
    chosen.extend(_capitalised_runs(tokens, infos, initial, covered, resources))
    chosen = _drop_inside_titles(tokens, infos, _resolve_overlaps(chosen))
    return _attach_places(tokens, infos, sorted(chosen, key=lambda c: c.first))


# English words that start sentences and name nothing (hand-written): in English text every
# sentence opens with a capital, and the Ukrainian rules would take «But» or «They» for a name.
_ENGLISH_FUNCTION_TEXT = """
a an and as at but by for from he her here his how i if in instead it its meanwhile my no
nor of on or our she so still that the their then there these they this those though to
we what when where whether which while who why yes yet you your
"""
_ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH_FUNCTION_TEXT.split())


_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_MONTHS = _words(
    "january february march april may june july august september october november december"
)
# Words after which a month name is a date: «in May», «by March», «early June».
_BEFORE_DATES = _words(
    "in on by since until till from to of before after through during early late mid last next this"
)


def _english_date_word(tokens: Sequence[Token], index: int) -> bool:
    """A weekday, or a month beside a number or after a word of time («5 May», «in March»);
    a month name alone stays a possible name («May said»: Theresa May)."""
    word = tokens[index].text.lower()
    if word in _WEEKDAYS:
        return True
    if word not in _MONTHS:
        return False
    before = tokens[index - 1] if index > 0 else None
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    return (before is not None and (before.kind == "number" or before.text in _BEFORE_DATES)) or (
        after is not None and after.kind == "number"
    )


def _common_latin_start(word: str, lowercase: frozenset[str]) -> bool:
    """A sentence-initial Latin word that is an English function word, or that the text also
    writes in lower case; «The» stays, as the start of «The Washington Post»."""
    lower = word.lower()
    if lower == "the" or not _is_latin(word) or not _is_capitalised(word):
        return False
    return lower in _ENGLISH_FUNCTION_WORDS or lower in lowercase


def _drop_inside_titles(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None], chosen: list[_Candidate]
) -> list[_Candidate]:
    """Names inside a quoted title that opens with a preposition are part of the title:
    «Про місцеве самоврядування в Україні», «За заслуги перед Україною»."""
    titles: list[tuple[int, int]] = []
    for index, token in enumerate(tokens[:-2]):
        info = infos[index + 1]
        if token.text in _OPEN_QUOTES and info is not None and info.function_word:
            close = _quoted_end(tokens, index)
            if close is not None and _is_capitalised(tokens[index + 1].text):
                titles.append((index, close))
    if not titles:
        return chosen
    return [c for c in chosen if not any(a < c.first and c.last < b for a, b in titles)]


def _attach_places(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None], chosen: list[_Candidate]
) -> list[_Candidate]:
    """An organisation's place belongs to its name: «НАН України», «МЗС Британії»,
    «Господарського суду м. Києва» are one organisation each, not an ORG and a LOC."""
    result: list[_Candidate] = []
    index = 0
    while index < len(chosen):
        cand = chosen[index]
        nxt = chosen[index + 1] if index + 1 < len(chosen) else None
        if (
            cand.label == "PER"
            and nxt is not None
            and nxt.label == "PER"
            and nxt.first == cand.last + 1
            and tokens[cand.last].text in ("і", "та")
            and all(
                (info := infos[i]) is not None and info.name_kind == "first"
                for i in range(cand.first, cand.last)
            )
        ):
            # «Денису і Володимиру Ященкам», «Андрій і Тарас Шевченки»: one entity
            result.append(_Candidate(cand.first, nxt.last, "PER", cand.priority))
            index += 2
            continue
        if cand.label == "ORG" and nxt is not None and nxt.label == "LOC":
            gap = [t.text for t in tokens[cand.last : nxt.first]]
            place = infos[nxt.first]
            genitive = place is not None and (place.genitive or not place.known)
            if genitive and nxt.last - nxt.first <= 2 and gap in ([], ["м", "."]):
                result.append(_Candidate(cand.first, nxt.last, "ORG", cand.priority))
                index += 2
                continue
        result.append(cand)
        index += 1
    return result


def _quoted_exactly(tokens: Sequence[Token], first: int, end: int) -> bool:
    return (
        first > 0
        and end < len(tokens)
        and tokens[first - 1].text in _OPEN_QUOTES
        and tokens[end].text in _CLOSE_QUOTES
    )


def _surname_after(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None], index: int, entry: GazetteerEntry
) -> bool:
    if index + 1 >= len(tokens) or entry.label not in ("PER", "LOC"):
        return False
    own = infos[index]
    if entry.label == "LOC" and (own is None or own.name_kind != "first"):
        return False
    nxt, info = tokens[index + 1], infos[index + 1]
    return (
        _run_word(nxt)
        and not _is_all_caps(nxt.text)
        and info is not None
        and (info.name_kind == "surname" or not info.known)
    )


def _first_name_before(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None], index: int
) -> bool:
    info = infos[index - 1]
    return (
        info is not None
        and info.name_kind == "first"
        and _is_capitalised(tokens[index - 1].text)
        and not info.common
    )


def _ambiguous_at_start(
    tokens: Sequence[Token],
    first: int,
    end: int,
    entry: GazetteerEntry,
    infos: Sequence[WordInfo | None],
) -> bool:
    """A one-word org or region opening the sentence that is also a common word (Захід).

    Only the sentence's first word: inside quotes («Газпрому») the capital is the name's.
    """
    opening = all(t.kind not in ("word", "number") for t in tokens[:first])
    if end - first != 1 or not opening or entry.kind not in _AMBIGUOUS_KINDS:
        return False
    if first > 0 and tokens[first - 1].text in _OPEN_QUOTES:
        return False
    info = infos[first]
    return info is not None and info.common and _is_capitalised(tokens[first].text)


def _resolve_overlaps(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates, longer first, then by priority, then leftmost."""
    ordered = sorted(candidates, key=lambda c: (-(c.last - c.first), -c.priority, c.first))
    taken: list[_Candidate] = []
    used: set[int] = set()
    for cand in ordered:
        span = range(cand.first, cand.last)
        if any(i in used for i in span):
            continue
        used.update(span)
        taken.append(cand)
    return taken


def _legal_form_orgs(tokens: Sequence[Token]) -> Iterator[_Candidate]:
    """ТОВ «Укргеоекологія», ПАТ «Укртрансгаз», ФК «Чорноморець»: quotes included.

    Any short abbreviation before a quoted name counts: the list of legal forms is open.
    """
    for index, token in enumerate(tokens):
        short_caps = _is_all_caps(token.text) and len(token.text) <= 5
        if token.text not in LEGAL_FORMS and not short_caps:
            continue
        close = _quoted_end(tokens, index + 1)
        if close is None:
            continue
        name = tokens[index + 2] if index + 2 < len(tokens) else None
        if token.text in LEGAL_FORMS or (
            name is not None and (_is_capitalised(name.text) or name.kind == "number")
        ):
            yield _Candidate(index, close, "ORG", 4)  # not США "призначив": a quoted verb


def _opens_quote(tokens: Sequence[Token], index: int) -> bool:
    """Whether the quote mark at `index` opens a quotation.

    «, „ always open. A straight or curly quote opens when it hugs the word after it and not
    the word before it: in `глушники GPS" і "дрони` the first mark closes, the second opens.
    """
    mark = tokens[index]
    if mark.text not in _OPEN_QUOTES:
        return False
    if mark.text in "«„":
        return True
    hugs_next = index + 1 < len(tokens) and tokens[index + 1].start == mark.end
    hugs_previous = index > 0 and tokens[index - 1].end == mark.start
    return hugs_next and not hugs_previous


def _quoted_end(tokens: Sequence[Token], index: int) -> int | None:
    """If a quoted name opens at `index`, the index after its closing quote."""
    if index >= len(tokens) or not _opens_quote(tokens, index):
        return None
    depth = 0
    first_close: int | None = None
    for j in range(index, min(len(tokens), index + MAX_MENTION_TOKENS + 2)):
        text = tokens[j].text
        if text == "«":
            depth += 1
        elif text == "»":
            depth -= 1
            first_close = first_close or j + 1
            if depth == 0:
                return j + 1
        elif text in ('"', "„", "“", "”") and j > index and tokens[index].text != "«":
            return j + 1
        if text in ".!?" and j + 1 < len(tokens) and _is_capitalised(tokens[j + 1].text):
            break
    # «НПП «Техпром» with one closing mark for two openings: the name ends at the first one
    return first_close


def _quoted_names(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None]
) -> Iterator[_Candidate]:
    """«Name» after an organisation descriptor (компанія «…»): the name without quotes."""
    for index, token in enumerate(tokens):
        if token.text not in _OPEN_QUOTES or index + 1 >= len(tokens):
            continue
        close = _quoted_end(tokens, index)
        if close is None or close - index - 2 < 1 or close - index - 2 > 6:
            continue
        first_word = tokens[index + 1]
        if not (_is_capitalised(first_word.text) or first_word.kind == "number"):
            continue
        prev = infos[index - 1] if index > 0 else None
        if index > 0 and tokens[index - 1].text in LEGAL_FORMS:
            continue
        descriptor = prev is not None and not prev.lemmas.isdisjoint(ORG_DESCRIPTORS)
        work = prev is not None and not prev.lemmas.isdisjoint(WORK_DESCRIPTORS)
        inner = [infos[j] for j in range(index + 1, close - 1) if tokens[j].kind == "word"]
        plain_word = len(inner) == 1 and _plain_common(inner[0])
        punctuated = any(tokens[j].text in ",;:!?…" for j in range(index + 1, close - 1))
        said = any(info is not None and info.verb for info in inner)  # «Міст закрито»
        publication = (
            bool(inner) and inner[0] is not None and not inner[0].lemmas.isdisjoint(WORK_HEADS)
        )
        if (
            work
            or publication
            or punctuated
            or said
            or (plain_word and not descriptor)
            or not inner
        ):
            continue  # «Ні», - сказав …: a quoted word; «Віснику державних закупівель»: a title
        yield _Candidate(index + 1, close - 1, "ORG", 2 if descriptor else 1)


_COORDINATORS = frozenset({",", "та", "і", "й", "и"})


def _coordinated_places(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None], resources: EntityResources
) -> Iterator[_Candidate]:
    """Each capitalised adjective coordinated before one place head, in the case and gender
    of the adjective at the head, is a place of its own: «у Сумській та Харківській
    областях» names Сумська область too (read alone, «Сумській» is a surname), as the list
    writes it where it is listed; «Петро Сумський і Харківська область» names one place."""
    lexicon = resources.lexicon
    for index, info in enumerate(infos):
        if info is None or not info.noun or info.lemmas.isdisjoint(LOC_HEADS):
            continue
        start = index - 1
        if start < 0 or not _adjective(infos[start]) or not _is_capitalised(tokens[start].text):
            continue
        last = tokens[start].text
        while (
            start >= 2
            and tokens[start - 1].text.lower() in _COORDINATORS
            and _adjective(infos[start - 2])
            and _is_capitalised(tokens[start - 2].text)
            and _agree(lexicon, tokens[start - 2].text, last)
        ):
            start -= 2
            match = resources.gazetteer.match([tokens[start], tokens[index]], 0)
            entry = match[1] if match is not None and match[0] == 2 else None
            yield _Candidate(start, start + 1, "LOC", 3 if entry else 2, entry)


def _agree(lexicon: Lexicon, first: str, second: str) -> bool:
    """Whether two adjectives can be read in one case and gender."""
    forms = {(p.tag.case, p.tag.gender) for p in lexicon.parses(first) if p.tag.POS == "ADJF"}
    return any(
        (p.tag.case, p.tag.gender) in forms for p in lexicon.parses(second) if p.tag.POS == "ADJF"
    )


def _headed_names(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None], initial: Sequence[bool]
) -> Iterator[_Candidate]:
    """Organisations and places named by a head noun: capitalised adjectives + head, or a
    capitalised head + genitive complement (Міністерство оборони України, Луганська область,
    Печерський районний суд, вул. Хрещатик)."""
    n = len(tokens)
    for index, token in enumerate(tokens):
        info = infos[index]
        if info is None:
            continue
        lowered = token.text.lower()
        # Streets and settlements by abbreviation: вул. Хрещатик, м. Київ
        if lowered in STREET_ABBREVIATIONS and index + 2 < n and tokens[index + 1].text == ".":
            end = _capitalised_stretch(tokens, index + 2, infos)
            if end > index + 2:
                yield _Candidate(index, _house_number(tokens, end), "LOC", 2)
            continue
        head_org = not info.lemmas.isdisjoint(ORG_HEADS) or token.text in ORG_HEAD_ABBREVIATIONS
        head_loc = not info.lemmas.isdisjoint(LOC_HEADS) or token.text in ("обл", "р-н")
        abbreviated = token.text in ORG_HEAD_ABBREVIATIONS or token.text in ("обл", "р-н")
        if not (head_org or head_loc) or not (info.noun or abbreviated):
            continue
        label: Label = "ORG" if head_org else "LOC"
        # adjectives before the head, the first one capitalised: Київська міська рада
        start = index
        while start > 0 and index - start < 4 and _adjective(infos[start - 1]):
            start -= 1
        while start < index and not _is_capitalised(tokens[start].text):
            start += 1
        starts_capitalised = start < index
        head_capitalised = _is_capitalised(token.text) and not initial[index]
        if not (starts_capitalised or head_capitalised):
            if not (_is_capitalised(token.text) and label == "ORG"):
                continue
            # «Міністерство доходів і зборів України» opening a sentence: a name when its
            # complement ends in a capitalised word
            end = _genitive_complement(tokens, index + 1, infos)
            if end > index + 1 and _is_capitalised(tokens[end - 1].text):
                yield _Candidate(index, end, "ORG", 2)
            continue
        end = index + 1
        if head_capitalised or label == "ORG":
            end = _genitive_complement(tokens, end, infos)
        if label == "LOC" and not starts_capitalised and not head_capitalised:
            # вулиця Хрещатик keeps its head; острів Зміїний, річка Десна do not
            stretch = _capitalised_stretch(tokens, index + 1, infos)
            if stretch > index + 1:
                street = not info.lemmas.isdisjoint(STREET_HEADS)
                yield _Candidate(index if street else index + 1, stretch, "LOC", 2)
            continue
        quoted = _quoted_end(tokens, end) if label == "ORG" else None
        if quoted is not None:
            end = quoted  # Фінансова компанія «Трансфербутик»: the quoted name is part of it
        elif initial[start] and not any(_is_capitalised(t.text) for t in tokens[start + 1 : end]):
            continue  # «Загальний фонд …», «Літні школи …»: only the sentence's capital
        yield _Candidate(start, end, label, 2)


def _house_number(tokens: Sequence[Token], end: int) -> int:
    """вул. Хрещатик, 30 and вул. Леніна, 201 / 1: the address includes the number."""
    n = len(tokens)
    if end + 1 < n and tokens[end].text == "," and tokens[end + 1].kind == "number":
        end += 2
        while end + 1 < n and tokens[end].text in ("/", "-") and tokens[end + 1].kind == "number":
            end += 2
    return end


def _adjective(info: WordInfo | None) -> bool:
    return info is not None and info.adjective and not info.function_word


def _adjective_not_name(info: WordInfo | None) -> bool:
    """The dictionary reads the word as an adjective and never as a name: adjectives made
    from places (Чернівецького, Шевченківського) are the words that mislead, and surnames of
    adjective form carry a name reading of their own (Зеленського)."""
    return info is not None and info.known and info.adjective and info.name_kind is None


def _plain_common(info: WordInfo | None) -> bool:
    return info is not None and info.common and info.name_kind is None


def _capitalised_stretch(
    tokens: Sequence[Token], index: int, infos: Sequence[WordInfo | None]
) -> int:
    end = index
    while end < len(tokens) and end - index < 4:
        text = tokens[end].text
        if tokens[end].kind in ("word", "number") and (_is_capitalised(text) or text[:1].isdigit()):
            end += 1
        else:
            break
    return end


def _genitive_complement(
    tokens: Sequence[Token], index: int, infos: Sequence[WordInfo | None]
) -> int:
    """Extend over a genitive complement: оборони України, у справах ветеранів, № 5."""
    end = index
    n = len(tokens)
    while end < n and end - index < 7:
        token = tokens[end]
        info = infos[end]
        text = token.text
        if text == "№" and end + 1 < n and tokens[end + 1].kind == "number":
            end += 2
            continue
        if text.lower() in ("імені", "ім") and end + 1 < n:
            # університет імені Тараса Шевченка, ім. С. Костюка: the patron is in the name
            after = end + 2 if tokens[end + 1].text == "." else end + 1
            stop = after
            while (
                stop < n
                and stop - after < 6
                and (
                    _is_initial(tokens, stop) or tokens[stop].text == "." or _run_word(tokens[stop])
                )
            ):
                stop += 1
            if stop > after and _run_word(tokens[stop - 1]):
                end = stop
                continue
            break
        if info is None or (info.name_kind == "first" and _is_capitalised(text)):
            break  # суду Миколи Заїки: the complement ends where a person's name begins
        if text in LEGAL_FORMS:
            break  # «міськрада надала ТОВ «…»»: a legal form opens another organisation
        if end == index and text in ("з", "із", "по") and end + 1 < n:
            nxt = infos[end + 1]
            if nxt is not None and not nxt.function_word and (nxt.genitive or nxt.noun):
                end += 1  # Агентство з інвестицій, Комітет з питань …, Комітет по боротьбі …
                continue
        if text in ("і", "та") and end + 1 < n and infos[end + 1] is not None:
            nxt = infos[end + 1]
            if nxt is not None and nxt.genitive and not nxt.function_word and end > index:
                end += 1
                continue
            break
        if info.function_word and not info.genitive:
            break
        if info.genitive and (info.noun or info.adjective or _is_all_caps(text)):
            end += 1
            continue
        if _is_all_caps(text) and text not in LEGAL_FORMS:
            end += 1  # Департамент розвитку ЖКІ …, Міністерство оборони РФ
            continue
        break
    # do not end on an adjective or a conjunction
    while end > index and (
        tokens[end - 1].text in ("і", "та")
        or (
            infos[end - 1] is not None
            and _adjective(infos[end - 1])
            and not _noun_like(infos[end - 1])
        )
    ):
        end -= 1
    return end


def _noun_like(info: WordInfo | None) -> bool:
    return info is not None and info.noun


def _initials_persons(
    tokens: Sequence[Token], infos: Sequence[WordInfo | None]
) -> Iterator[_Candidate]:
    """В. Путін, В. В. Путін, Путін В. В.: initials with a capitalised surname."""
    n = len(tokens)
    for index in range(n - 2):
        if not _is_initial(tokens, index):
            continue
        j = index
        while _is_initial(tokens, j):
            j += 2
        if j < n and _surname_like(tokens[j]):
            yield _Candidate(index, j + 1, "PER", 3)
    for index in range(n - 2):
        info = infos[index]
        plain = info is not None and info.known and (info.common or info.function_word)
        if _surname_like(tokens[index]) and not plain and _is_initial(tokens, index + 1):
            j = index + 1
            while _is_initial(tokens, j) and j + 2 <= n:
                j += 2
            yield _Candidate(index, j, "PER", 3)


def _is_initial(tokens: Sequence[Token], index: int) -> bool:
    return (
        index + 1 < len(tokens)
        and len(tokens[index].text) == 1
        and tokens[index].text.isupper()
        and tokens[index + 1].text == "."
    )


def _surname_like(token: Token) -> bool:
    return (
        token.kind == "word"
        and len(token.text) > 1
        and _is_capitalised(token.text)
        and not _is_all_caps(token.text)
    )


def _capitalised_runs(
    tokens: Sequence[Token],
    infos: Sequence[WordInfo | None],
    initial: Sequence[bool],
    covered: Sequence[bool],
    resources: EntityResources,
) -> Iterator[_Candidate]:
    """Leftover capitalised words: persons by name tags, others by context and suffix."""
    n = len(tokens)
    index = 0
    while index < n:
        if covered[index] or not _run_word(tokens[index]):
            index += 1
            continue
        end = index + 1
        latin = _is_latin(tokens[index].text)
        while end < n and not covered[end] and end - index < 6:
            token = tokens[end]
            same_script = _run_word(token) and _is_latin(token.text) == latin
            if same_script and latin:
                end += 1  # Latin names mix cases: Nord Stream AG, IHS Markit
            elif same_script and not _is_all_caps(token.text):
                if _is_all_caps(tokens[end - 1].text):
                    break
                end += 1
            elif token.text.lower() in _NAME_JOINERS:
                # «Урсула фон дер Ляєн»: particles, one or two, between parts of one name
                after = end + 1
                if after < n and tokens[after].text.lower() in _NAME_JOINERS:
                    after += 1
                if after < n and _run_word(tokens[after]):
                    end = after
                else:
                    break
            else:
                break
        while end - index > 1 and tokens[end - 1].text.lower() in _NAME_JOINERS:
            end -= 1  # «Леон ван дер» + a word the run did not take: the particles stay out
        yield from _classify_run(tokens, infos, initial, index, end, resources)
        index = end


_INTERJECTION = re.compile(r"\w{1,3}(?:-\w{1,3})+")
_ORDINAL_ROMAN = re.compile(r"[IVXLCDMХІ]+-\w{1,3}")


def _run_word(token: Token) -> bool:
    text = token.text
    return (
        not _INTERJECTION.fullmatch(text)  # У-у-у, Тс-с-с, Кру-кру
        and not _ORDINAL_ROMAN.fullmatch(text)  # ХХІ-го
        and token.kind == "word"
        and _is_capitalised(text)
        and len(text) > 1
        and text not in COMMON_ABBREVIATIONS
        and text not in LEGAL_FORMS
        and not _ROMAN.fullmatch(text)
    )


def _classify_run(
    tokens: Sequence[Token],
    infos: Sequence[WordInfo | None],
    initial: Sequence[bool],
    first: int,
    end: int,
    resources: EntityResources,
) -> Iterator[_Candidate]:
    # Drop a common word at a sentence start: «Також Путін …», «Водночас президент …».
    while (
        first < end and initial[first] and _junk_at_start(tokens[first], infos[first], end - first)
    ):
        first += 1
    if first >= end:
        return
    words = tokens[first:end]
    word_infos = [infos[i] for i in range(first, end)]
    texts = [t.text for t in words]
    if any(c.isdigit() for t in texts for c in t):
        yield _Candidate(first, end, "MISC", 0)  # Іл-76, Євро-2012: products and events
        return
    if len(texts) == 1 and _is_all_caps(texts[0]) and (typed := _dictionary_type(word_infos[0])):
        yield _Candidate(first, end, typed, 1)  # ФРГ, РФ: the dictionary's place names
        return
    if all(_is_all_caps(t) for t in texts):
        shouted = word_infos[0]
        if len(texts) == 1 and shouted is not None and shouted.known and shouted.common:
            return  # ТАКОЖ, УВАГА: a shouted common word, not an abbreviation
        if len(texts) == 1 and len(texts[0]) <= 6 and not texts[0].isdigit():
            yield _Candidate(first, end, "ORG", 1)
        return
    if _is_latin(texts[0]):
        if len(texts) == 1 and texts[0].lower() in ("the", "a", "i"):
            return
        if len(texts) == 1 and _english_date_word(tokens, first):
            return
        # An unlisted Latin-script name in Ukrainian news is most often a company or a
        # brand (Pfizer, Flughafen München GmbH); products and events (Brexit) are the cost.
        yield _Candidate(first, end, "ORG", 1)
        return
    typed = _dictionary_type(word_infos[0])
    if len(words) > 1 and typed and not all(_dictionary_type(i) for i in word_infos[1:]):
        # «Великобритании Тереза Мэй», «Германии Хайко Маас»: a word the dictionary types as
        # a place or an organisation, opening a run that goes on with other words, is its own
        yield _Candidate(first, first + 1, typed, 1)
        yield from _classify_run(tokens, infos, initial, first + 1, end, resources)
        return
    if word_infos[0] is not None and not word_infos[0].lemmas.isdisjoint(ROLE_CUES):
        # «Міністра оборони»: a capitalised title, not a name
        yield from _classify_run(tokens, infos, initial, first + 1, end, resources)
        return
    kinds = [i.name_kind if i is not None else None for i in word_infos]
    has_name = any(k is not None for k in kinds)
    previous = infos[first - 1] if first > 0 else None
    after_role = previous is not None and not previous.lemmas.isdisjoint(ROLE_CUES)
    after_place = previous is not None and (
        not previous.lemmas.isdisjoint(PLACE_CUES)
        or (
            tokens[first - 1].text == "."
            and first > 1
            and tokens[first - 2].text.lower() in SETTLEMENT_ABBREVIATIONS
        )
    )
    if (
        first > 1
        and tokens[first - 1].text == "."
        and tokens[first - 2].text.lower() in SETTLEMENT_ABBREVIATIONS
    ):
        after_place = True
    if after_place and len(words) <= 3 and "first" not in kinds:
        yield _Candidate(first, end, "LOC", 1)
        return
    # «Голова Чернівецького осередку»: an adjective alone names no one, after a role too
    lone_adjective = len(words) == 1 and _adjective_not_name(word_infos[0])
    if has_name or (after_role and not lone_adjective):
        begin = first
        # «Івана Огієнка Олександр Віштаченко»: a first name after a surname opens a new person
        for i in range(begin + 1, end):
            # «Кацман Семен Маркович» is one person, surname first: split only after a
            # person who already has a first name
            had_first = "first" in kinds[begin - first : i - first]
            opens = kinds[i - first] == "first" and kinds[i - first - 1] not in ("first", None)
            if opens and had_first:
                yield _Candidate(begin, i, "PER", 1)
                begin = i
        yield _Candidate(begin, end, "PER", 1)
        return
    if len(words) == 1:
        info = word_infos[0]
        lowered = texts[0].lower()
        where = first > 0 and tokens[first - 1].text.lower() in PLACE_PREPOSITIONS
        if typed is not None:
            yield _Candidate(first, end, typed, 1)
            return
        if info is not None and info.known and (info.common or info.function_word):
            # A capitalised dictionary word that no list knows: Закону, Різдво, Інтернет are
            # capitalised for emphasis or by convention far more often than they are names,
            # unless a preposition of place comes first (у Андалусії).
            if where and info.noun and not initial[first] and info.lemmas.isdisjoint(WORK_HEADS):
                yield _Candidate(first, end, "LOC", 0)
            return
        if where and not initial[first]:
            yield _Candidate(first, end, "LOC", 0)
            return
        if initial[first] and info is not None and info.known and not info.noun:
            return
        if lowered.endswith(PLACE_SUFFIXES) and not lowered.endswith(("ський", "цький")):
            yield _Candidate(first, end, "LOC", 0)
        elif lowered.endswith(PERSON_SUFFIXES):
            yield _Candidate(first, end, "PER", 0)
        elif info is not None and info.adjective and not info.noun:
            return
        else:
            # A lone capitalised word no list, pattern or cue explains is most often a
            # person named by surname (counted on ner-uk and SlavicNER: ~5 to 1 over ORG).
            yield _Candidate(first, end, "PER", 0)
        return
    # Several capitalised words with no name tag: led by an adjective, a place (Західною
    # Галичиною); otherwise most often a person (Шейлеш Вара, Угур Шахін).
    led_by_adjective = _adjective(word_infos[0]) and not _is_latin(texts[0])
    yield _Candidate(first, end, "LOC" if led_by_adjective else "PER", 0)


def _dictionary_type(info: WordInfo | None) -> Label | None:
    """LOC or ORG where the dictionary tags the word a place or an organisation name."""
    if info is None or not (info.place or info.organisation):
        return None
    return "LOC" if info.place else "ORG"


def _junk_at_start(token: Token, info: WordInfo | None, run_length: int) -> bool:
    if info is None or not info.known:
        return False
    if info.function_word or (info.adjective and info.name_kind is None):
        return True
    if info.name_kind is not None and not info.common:
        return False
    return info.common and (run_length == 1 or info.name_kind is None)


# --------------------------------------------------------------------------- canonical names


def _canonicalise(text: str, found: Sequence[_Found], resources: EntityResources) -> list[Mention]:
    lexicon = resources.lexicon
    base: list[tuple[_Found, str]] = []
    for item in found:
        words = _mention_words(item)
        opener = _opening_mark(words)
        if item.label in ("ORG", "MISC") and opener:
            # «Всеукраїнського товариства «Просвіта»»: the words before the quoted name
            # decline, the name in quotes does not
            nominative = _join_words(
                [lexicon.nominative(words[:opener], item.label), *words[opener:]]
            )
        elif item.label in ("ORG", "MISC") and _is_quoted_or_foreign(item):
            nominative = _join_words(words)
        else:
            nominative = lexicon.nominative(words, item.label)
        base.append((item, nominative))

    full_people = _people_of_text(base, lexicon)
    abbreviations = _abbreviation_links(text, base, lexicon)
    not_organisations = [
        _lemma_key(_mention_words(item), lexicon)
        for item, _ in base
        if item.label in ("LOC", "PER") and not item.weak
    ]
    organisations = _organisation_names(base, not_organisations, resources)
    # the text links a short form to the full name it gives: «ТОВ «Укргеоекологія»» and then
    # «Укргеоекології» are one organisation
    named_organisations = [
        (name, _lemma_key(_name_words(name), lexicon)) for name in organisations.values()
    ]
    firm_labels = {
        nominative.lower(): item.label
        for item, nominative in base
        if not item.weak and len(item.tokens) == 1 and item.label != "MISC"
    }

    mentions: list[Mention] = []
    for item, nominative in base:
        first, last = item.tokens[0], item.tokens[-1]
        canonical = nominative
        label = item.label
        if item.weak and len(item.tokens) == 1:
            written_key = _surname_key(item.tokens[0].text)
            if written_key in full_people or _surname_key(nominative) in full_people:
                label = "PER"  # «Сторі» after «Джеймс Сторі» is the same person
                nominative = item.tokens[0].text
            elif nominative.lower() in firm_labels:
                label = firm_labels[nominative.lower()]  # as the text's surer mentions say
        short_form = None
        lone_word = len(item.tokens) == 1 and _surname_key(nominative) not in full_people
        if item.entry is None and (label == "ORG" or item.weak or (label == "PER" and lone_word)):
            # a lone word the text names as a company is the company, even where the
            # dictionary also knows it as a surname (Ромашко)
            short_form = _short_form_of(item, named_organisations, lexicon)
        if item.entry is not None:
            canonical = item.entry.name
        elif id(item) in organisations:
            canonical = organisations[id(item)]
        elif short_form is not None:
            if label != "ORG":
                nominative = lexicon.nominative(_mention_words(item), "ORG")
            canonical, label = short_form, "ORG"
        elif label == "PER":
            namesakes = full_people.get(_surname_key(nominative), [])
            canonical = _same_person(nominative, first.start, namesakes, lexicon) or nominative
        elif nominative in abbreviations:
            canonical, label = abbreviations[nominative]
        role = _role(item, lexicon) if label == "PER" else None
        mentions.append(
            Mention(
                text=text[first.start : last.end],
                start=first.start,
                end=last.end,
                label=label,
                canonical=canonical,
                role=role,
                nominative=nominative,
            )
        )
    return mentions


def _people_of_text(
    base: Sequence[tuple[_Found, str]], lexicon: Lexicon
) -> dict[str, list[tuple[int, str]]]:
    """The text's full names by surname key, each with its position, for short and inflected
    mentions to resolve to. Names whose given name reads only as a nominative are taken
    first, so that «Валентина Вітера» resolves to the «Валентин Вітер» the text also writes."""
    people: dict[str, list[tuple[int, str]]] = {}
    full = [
        (item, nominative)
        for item, nominative in base
        if item.label == "PER" and (item.entry is not None or len(item.tokens) >= 2)
    ]
    full.sort(key=lambda pair: not lexicon.nominative_given_name(pair[1].split()[0]))
    for item, nominative in full:
        position = item.tokens[0].start
        if item.entry is not None:
            people.setdefault(_surname_key(item.entry.name), []).append((position, item.entry.name))
            continue
        # one person, one name: the first full form, without a patronymic (the text may
        # give it once, other texts name the person without it)
        name = lexicon.without_patronymic(_prefer_written(item, nominative))
        namesakes = people.setdefault(_surname_key(nominative), [])
        namesakes.append((position, _same_person(name, position, namesakes, lexicon) or name))
    for namesakes in people.values():
        namesakes.sort()
    return people


def _same_person(
    name: str, start: int, namesakes: Sequence[tuple[int, str]], lexicon: Lexicon
) -> str | None:
    """The full name a person mention refers to, among those with its surname: a given
    name must match (Олександр Тулуб is not Зінаїда Тулуб; «В. Путін» is Володимир), as
    written or, where the surname's own form shows an oblique case, as the base form of
    the given name (Валентина Вітера is Валентин Вітер; Олександра Тулуб is a woman); a
    bare surname is the namesake named last before it, else the first named after it; one
    written exactly alike goes first (Захарова is Марія Захарова, not Олександр Захаров)."""
    parts = name.split()
    if len(parts) >= 2:
        given = parts[0].rstrip(".").lower()
        for _, full in namesakes:
            full_given = full.split()[0].lower()
            initial = len(given) == 1 and full_given.startswith(given)
            if full_given == given or initial:
                return full
        base_forms = lexicon.given_name_lemmas(parts[0])
        for _, full in namesakes:
            full_given, full_surname = full.split()[0].lower(), full.split()[-1].lower()
            if full_given in base_forms and parts[-1].lower() != full_surname:
                return full
        return None
    alike = [(p, full) for p, full in namesakes if full.split()[-1].lower() == name.lower()]
    namesakes = alike or namesakes
    before = [full for position, full in namesakes if position < start]
    if before:
        return before[-1]
    return namesakes[0][1] if namesakes else None


def _mention_words(item: _Found) -> list[str]:
    return [t.text for t in item.tokens]


def _opening_mark(words: Sequence[str]) -> int | None:
    """Where the quoted name inside a mention opens («ТОВ «Ромашка»» → 1), if it has one."""
    return next((i for i, word in enumerate(words) if word in _OPEN_QUOTES), None)


def _organisation_names(
    base: Sequence[tuple[_Found, str]],
    not_organisations: Sequence[tuple[frozenset[str], ...]],
    resources: EntityResources,
) -> dict[int, str]:
    """The organisation each quoted ORG mention names, by the mention's id().

    A listed name in quotes is the listed organisation, whatever stands before it
    («НАК «Нафтогаз України»», «ПАТ «Укрзалізниця»»); an unlisted one led by a legal form
    is the name without it (ТОВ «Ромашка» → Ромашка): the form of ownership is no part of
    the name and changes over the years (ВАТ, ПАТ, АТ), the name stays. A company named
    after a place or a person (listed, or named so in the text: `not_organisations`) keeps
    its legal form, so that it does not read as the place.
    """
    names: dict[int, str] = {}
    for item, _ in base:
        words = _mention_words(item)
        opener = _opening_mark(words)
        if item.label != "ORG" or not opener:
            continue
        inner = item.tokens[opener + 1 :]
        if inner and inner[-1].text in _CLOSE_QUOTES and not _closes_inner_quote(inner):
            inner = inner[:-1]
        if not inner:
            continue
        match = resources.gazetteer.match(inner, 0)
        listed = match[1] if match is not None and match[0] == len(inner) else None
        bare = [t.text for t in inner]
        if listed is not None and listed.label == "ORG":
            names[id(item)] = listed.name
        elif (
            listed is None
            and opener == 1
            and words[0] in LEGAL_FORMS
            and not any(
                _same_name(key, _lemma_key(bare, resources.lexicon)) for key in not_organisations
            )
        ):
            names[id(item)] = _join_words(bare)
    return names


def _closes_inner_quote(inner: Sequence[Token]) -> bool:
    """The last mark closes a quote opened inside the name («БВК «Компанія Федорченко»)."""
    body = [t.text for t in inner[:-1]]
    if inner[-1].text == '"':
        return body.count('"') % 2 == 1
    return sum(t in "«„" for t in body) > sum(t in "»”“" for t in body)


def _name_words(name: str) -> list[str]:
    return [t.text for t in _word_tokens(name)]


def _lemma_key(words: Sequence[str], lexicon: Lexicon) -> tuple[frozenset[str], ...]:
    return tuple(lexicon.info(word).lemmas for word in words)


def _short_form_of(
    item: _Found,
    organisations: Sequence[tuple[str, tuple[frozenset[str], ...]]],
    lexicon: Lexicon,
) -> str | None:
    """The organisation of the text a mention names in another case form («Ромашки» after
    «ТОВ «Ромашка»»): each word shares a lemma, or an unknown word's stem, with the name."""
    words = [w for w in _mention_words(item) if w not in _OPEN_QUOTES | _CLOSE_QUOTES]
    key = _lemma_key(words, lexicon)
    return next((name for name, name_key in organisations if _same_name(key, name_key)), None)


def _same_name(key: tuple[frozenset[str], ...], other: tuple[frozenset[str], ...]) -> bool:
    """Word by word, the two names share a lemma (or an unknown word's stem)."""
    return len(key) == len(other) and all(a & b for a, b in zip(key, other, strict=True))


def _is_quoted_or_foreign(item: _Found) -> bool:
    texts = [t.text for t in item.tokens]
    return (
        any(t in _OPEN_QUOTES or t in _CLOSE_QUOTES for t in texts)
        or _is_latin(texts[0])
        or (len(texts) == 1 and _is_all_caps(texts[0]))
    )


def _surname_key(name: str) -> str:
    """The surname's stem, one key for all its case forms (Маас, Мааса; Вітер, Вітеру)."""
    parts = name.split()
    return _stem_key(_apostrophes(parts[-1].lower())) if parts else ""


def _prefer_written(item: _Found, nominative: str) -> str:
    """The full mention's own form, if it is already nominative (keeps unknown names intact)."""
    written = " ".join(t.text for t in item.tokens)
    return written if written.lower() == nominative.lower() else nominative


def _abbreviation_links(
    text: str, base: Sequence[tuple[_Found, str]], lexicon: Lexicon
) -> dict[str, tuple[str, Label]]:
    """The full name each unlisted abbreviation of the text stands for, with its label, by
    the abbreviation's nominative: the name the text defines it by in brackets
    («Національне антикорупційне бюро (НАБУ)»), else the one name of the text that spells it
    out (`_spells_out`). Nothing in the text defines it: no link, no guess."""
    links: dict[str, tuple[str, Label]] = {}
    for position, (item, nominative) in enumerate(base):
        if len(item.tokens) < 2 or position + 1 >= len(base):
            continue
        nxt, nxt_nominative = base[position + 1]
        between = text[item.tokens[-1].end : nxt.tokens[0].start].strip()
        short = nxt.tokens[0].text
        if (
            between == "("
            and len(nxt.tokens) == 1
            and _is_all_caps(short)
            and _defined_in_brackets(short, item, text)
        ):
            links.setdefault(nxt_nominative, (_listed_or(item, nominative), item.label))
    names = {
        _listed_or(item, nominative): (item.label, _mention_words(item))
        for item, nominative in base
        if len(item.tokens) >= 2 and item.label != "PER"
    }
    abbreviations = {
        nominative: _mention_words(item)
        for item, nominative in base
        # a listed abbreviation (ЄС, США) is its entry
        if item.entry is None and _is_all_caps(item.tokens[-1].text) and nominative not in links
    }
    for nominative, words in abbreviations.items():
        spelt = [
            (name, label)
            for name, (label, full) in names.items()
            if _spells_out(full, words, lexicon)
        ]
        if len(spelt) == 1:  # two names that spell it: the text does not say which
            links[nominative] = spelt[0]
    return links


def _defined_in_brackets(short: str, item: _Found, text: str) -> bool:
    """Whether «name (ABBREVIATION)» defines the abbreviation: its letters are the name's in
    order (`_letters_in_order`); a Latin one after a Cyrillic name that no list knows is the
    translated name's original (Європейське медичне агентство (EMA)), while a listed name
    lists its own (not EUAM for «…місія Європейського Союзу (EUAM)»). A person is no
    abbreviation's name: «Олександр Драбинко (ПЦУ)» names his church."""
    full = text[item.tokens[0].start : item.tokens[-1].end]
    if item.label == "PER":
        return False
    if _is_latin(short) and not _is_latin(full):
        return item.entry is None
    return _letters_in_order(short, full)  # not «Wintershall AG (ФРГ)»: its country


def _letters_in_order(short: str, full: str) -> bool:
    """Schwartz and Hearst's (2003) test of a definition in brackets: read from the end, each
    letter of the abbreviation is found in the name in turn, its first at a word's start
    («Національне агентство з питань запобігання корупції (НАЗК)»; not a person's
    affiliation, «Олександр Драбинко (ПЦУ)»)."""
    full = full.lower()
    position = len(full)
    for index, letter in reversed(list(enumerate(short.lower()))):
        if not letter.isalnum():
            continue
        position = full.rfind(letter, 0, position)
        while index == 0 and position > 0 and full[position - 1].isalnum():
            position = full.rfind(letter, 0, position)
        if position < 0:
            return False
    return True


def _listed_or(item: _Found, nominative: str) -> str:
    return item.entry.name if item.entry is not None else nominative


def _spells_out(full: Sequence[str], short: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether a name is the full form of an abbreviation and the words before it, after
    Schwartz and Hearst (2003) but stricter, as no brackets tie the two: the same words
    first, then words whose initials are its letters in order, each part of a hyphenated
    word giving one, prepositions and conjunctions none («Одеська ОВА»: Одеська обласна
    військова адміністрація; ОБСЄ: Організація з безпеки і співробітництва в Європі)."""
    *before, abbreviation = short
    tail = full[len(before) :]
    if (
        len(tail) < 2
        or _connective(tail[-1], lexicon)  # «Федеральная служба по»: a name cut short
        or not _same_name(_lemma_key(before, lexicon), _lemma_key(full[: len(before)], lexicon))
    ):
        return False
    initials: list[str] = []
    for word in tail:
        if not word.replace("-", "").replace("'", "").replace("’", "").isalpha():
            return False
        if _is_all_caps(word):
            return False  # an abbreviation inside the name spells no letters of its own
        if not _connective(word, lexicon):
            initials.extend(part[:1] for part in word.split("-") if part)
    return "".join(initials).upper() == abbreviation.upper()


def _connective(word: str, lexicon: Lexicon) -> bool:
    """A preposition or conjunction (з, і, та, в), which abbreviations leave out."""
    return word.islower() and any(p.tag.POS in ("PREP", "CONJ") for p in lexicon.parses(word))


def _role(item: _Found, lexicon: Lexicon) -> str | None:
    """The role cue right before a person: «президент США Дональд Трамп» → «президент США»."""
    tokens = item.sentence_tokens
    first = item.first
    for cue in range(first - 1, max(-1, first - 7), -1):
        token = tokens[cue]
        if token.kind != "word":
            if token.text in (",", "-", "—"):
                continue
            return None
        info = lexicon.info(token.text)
        if info.lemmas.isdisjoint(ROLE_CUES):
            continue
        begin = cue
        while begin > 0 and tokens[begin - 1].kind == "word":
            prev = lexicon.info(tokens[begin - 1].text)
            if (prev.adjective and not prev.function_word) or not prev.lemmas.isdisjoint(
                ROLE_MODIFIERS
            ):
                begin -= 1
            else:
                break
        words = [t.text for t in tokens[begin:first] if t.text not in (",", "-", "—")]
        if not words:
            return None
        phrase = _join_words(lexicon._phrase_nominative(words))  # голові КНР → голова КНР
        return phrase[:1].lower() + phrase[1:]
    return None
