"""Keywords of an article: lemmatised content words ranked by weighted term frequency.

Only nouns, adjectives and proper names (people, places, organisations, brands, acronyms)
count; function words and the generic vocabulary of news (рік, заява, інформація ...) are
dropped by a hand-written stop list. The weight needs no corpus statistics (nothing derived
from a corpus ships), only two facts about news writing:

* an occurrence in the first sentence (the title or lead: news is written as an inverted
  pyramid) counts twice;
* a proper name counts one and a half times: who and where identify a story better than
  common nouns do.

Ties go to the word seen first. Common words come out as lowercase lemmas (ракет → ракета),
proper names as their lemma in the writer's capitalisation (Путіна → Путін, США).
"""

from __future__ import annotations

from dataclasses import dataclass

from strichka.nlp.morph import Morphology, with_case_of
from strichka.nlp.tokens import split_sentences

_FIRST_SENTENCE_WEIGHT = 2.0
_PROPER_WEIGHT = 1.5
_CONTENT_POS = frozenset({"NOUN", "ADJF"})
_NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})

# Lemmas that are never keywords: pronoun-like adjectives and nouns, and words every news
# item uses regardless of its subject (including dates: they belong to date extraction).
_STOP_LEMMAS_TEXT = """
весь всякий інший такий який котрий цей той свій мій твій наш ваш їхній кожний кожен
жодний певний самий сам один перший другий третій останній новий великий головний
можливий різний наступний минулий цілий
рік місяць тиждень день година хвилина час раз тисяча мільйон мільярд відсоток число
частина кількість випадок спосіб приклад кінець початок середина
інформація повідомлення заява новина слово думка питання справа факт річ ряд тема
джерело видання матеріал дані деталь зв'язок увага допомога можливість
січень лютий березень квітень травень червень липень серпень вересень жовтень листопад
грудень понеділок вівторок середа четвер п'ятниця субота неділя
"""
_STOP_LEMMAS = frozenset(_STOP_LEMMAS_TEXT.split())
# Sentence openers the dictionary may not tag as function words, and English function words
# that open names (The Washington Post).
_STOP_WORDS_TEXT = """
також водночас коротко крім окрім натомість зокрема тим однак проте утім втім раніше
нещодавно згодом тоді зараз сьогодні вчора завтра ще вже як так що це
the a an of and in on at for to by with from
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(slots=True)
class _Candidate:
    form: str
    weight: float
    first_seen: int


def keywords(text: str, *, morph: Morphology, limit: int = 10) -> list[str]:
    """The `limit` heaviest content-word lemmas of `text`, heaviest first."""
    candidates: dict[str, _Candidate] = {}
    for number, sentence in enumerate(split_sentences(text)):
        position_weight = _FIRST_SENTENCE_WEIGHT if number == 0 else 1.0
        first_word = True
        for token in sentence.tokens:
            if token.kind != "word":
                continue
            opens_sentence = first_word
            first_word = False
            form = _keyword_form(token.text, morph, opens_sentence=opens_sentence)
            if form is None:
                continue
            proper = form[:1].isupper()
            weight = position_weight * (_PROPER_WEIGHT if proper else 1.0)
            key = form.lower()
            found = candidates.get(key)
            if found is None:
                candidates[key] = _Candidate(form, weight, token.start)
            else:
                found.weight += weight
                if proper and not found.form[:1].isupper():
                    found.form = form
    ranked = sorted(candidates.values(), key=lambda c: (-c.weight, c.first_seen))
    return [c.form for c in ranked[:limit]]


def _keyword_form(word: str, morph: Morphology, *, opens_sentence: bool) -> str | None:
    """The keyword `word` stands for, or None when it is not a content word."""
    if len(word) < 2 or not word[0].isalpha() or word.lower() in _STOP_WORDS:
        return None
    if opens_sentence and not word.isupper():
        # A capital that only marks the sentence start: read the word as if lowercase, so
        # «Музика нагадувала» is music, not the surname Музика; a name stays a name.
        common = morph.reading(word.lower())
        if common is not None and common.tag.grammemes.isdisjoint(_NAME_GRAMMEMES):
            word = word.lower()
    best = morph.reading(word)
    if best is None:  # a capitalised word the dictionary does not know: a name as written
        return None if opens_sentence and not word.isupper() else word
    lemma = str(best.normal_form)
    if best.tag.POS not in _CONTENT_POS or lemma in _STOP_LEMMAS:
        return None
    name = not best.tag.grammemes.isdisjoint(_NAME_GRAMMEMES)
    proper = word.isupper() or name or (word[0].isupper() and not opens_sentence)
    return with_case_of(lemma, word) if proper else lemma
