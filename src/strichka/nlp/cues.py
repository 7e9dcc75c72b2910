"""Words that attribute information: speech verbs, reporting cues, stance cues.

Shared by quotes, citations and claims so that all three read attribution the same way.
Stems rather than lemmas: a cue is one regex search over a clause, far cheaper than
lemmatising every word, and Ukrainian reporting verbs are regular enough for stems.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from strichka.nlp.tokens import Token

_APOSTROPHE = "['’ʼ]"

# Nouns and participles share the speech verbs' stems (повідомлення, відповідь, відповідно,
# зазначений, відповідальність): a cue is a verb form, so words ending like these are not.
_NOT_VERB_ENDINGS = (
    "ння", "нні", "нню", "нням", "ннями", "ннях", "нь", "дь", "ді", "ддю", "дно", "ість",
    "ості", "істю", "ний", "на", "не", "ні", "ного", "ному", "ним", "них", "ними", "ною", "ну",
)  # fmt: skip
_VERB_FORM = "".join(f"(?<!{ending})" for ending in _NOT_VERB_ENDINGS)

# Stems of the verbs (any person, tense, gender) that introduce what someone said or reported.
_SPEECH_STEMS = (
    r"(?:заяв(?:ив|ила|или|ило|ля\w*)|сказа\w*|каже|кажуть|казав\w*|казал[аио]|зазнач\w*|наголос\w*"
    r"|наголошу\w*|підкресл\w*|поясн\w*|дода(?:в|ла|ли|ло|є|ють)|звер(?:нув|нула|нули|нуло"
    r"|тає|тають)\s+увагу|повідом\w*|відпові\w*|розпові\w*|написа\w*|пише|пишуть|писав\w*"
    r"|вважа\w*|запевн\w*|визна(?:в|ла|ли|ло|є|ють)|нагада\w*|уточн\w*|зауваж\w*|констату\w*"
    r"|говори\w*|попереди\w*|спросту\w*|запереч\w*|підтверд\w*|цитує|процитува\w*"
    r"|стверджу\w*|переда(?:є|ють|в|ла|ло|ли)|інформу\w*|дізна(?:вся|лася|лися|лося|ється|ються)"
    rf"|з{_APOSTROPHE}ясува\w*|опублікува\w*|оприлюдни\w*|відзнач\w*|резюму\w*|пообіця\w*"
    r"|запита\w*|спита\w*|висловив\w*|висловила\w*|зізна\w*|поцікави\w*"
    r"|(?:по)?скарж(?:иться|аться|ився|илася|илися|илось))"
)
SPEECH_VERB = _SPEECH_STEMS + _VERB_FORM
SPEECH_VERB_RE = re.compile(rf"\b{SPEECH_VERB}(?![\w'’ʼ])", re.IGNORECASE)
# Before a colon their nouns introduce speech too: «з'явилося повідомлення: "…"».
SPEECH_WORD_RE = re.compile(rf"\b{_SPEECH_STEMS}(?![\w'’ʼ])", re.IGNORECASE)

# Impersonal cues: «у документах ідеться», «як зазначається», «за даними».
IMPERSONAL = (
    r"(?:ідеться|йдеться|ішлося|йшлося|зазначається|повідомляється|вказується|сказано"
    r"|вказано|зазначено|говориться|стверджується|пишеться)"
)
ACCORDING_TO = (
    r"(?:з\s+посиланням\s+на|посилаючись\s+на|за\s+даними|за\s+інформацією|згідно\s+з(?:і)?"
    r"|відповідно\s+до|за\s+словами|на\s+думку|як\s+пише|як\s+повідомля\w*|як\s+зазнача\w*"
    rf"|в\s+інтерв{_APOSTROPHE}ю|у\s+матеріалі|в\s+ефірі|у\s+ефірі)"
)
# A quote that is nothing but a refusal is a denial: «"Ні", - сказала …».
BARE_NEGATION_RE = re.compile(
    r"\s*(?:ні|ні,\s*ні|ніколи|неправда|це\s+неправда|ні\s+в\s+якому\s+разі|no)[.!…]*\s*",
    re.IGNORECASE,
)

# Token-level versions of the cues above, for whole texts: one pass over a sentence's tokens
# with str.startswith is several times cheaper than the big alternations run over the text.
_SPEECH_PREFIXES = (
    "заявив",
    "заявил",
    "заявля",
    "сказа",
    "казав",
    "казал",
    "зазнач",
    "наголос",
    "наголошу",
    "підкресл",
    "поясни",
    "поясню",
    "повідом",
    "відповів",
    "відповіла",
    "відповіли",
    "відповіда",
    "розпові",
    "написа",
    "писав",
    "вважа",
    "запевн",
    "нагада",
    "уточни",
    "уточню",
    "зауваж",
    "констату",
    "говори",
    "попереди",
    "спросту",
    "запереч",
    "підтверд",
    "процитува",
    "стверджу",
    "інформу",
    "опублікува",
    "оприлюдни",
    "відзнач",
    "резюму",
    "пообіця",
    "запита",
    "спита",
    "висловив",
    "висловила",
    "зізна",
    "поцікави",
    "скаржи",
    "скаржа",
    "поскаржи",
    "з'ясува",
    "з’ясува",
)
_SPEECH_WORDS = frozenset(
    [
        "каже",
        "кажуть",
        "додав",
        "додала",
        "додали",
        "додало",
        "додає",
        "додають",
        "визнав",
        "визнала",
        "визнали",
        "визнало",
        "визнає",
        "визнають",
        "пише",
        "пишуть",
        "цитує",
        "передає",
        "передають",
        "передав",
        "передала",
        "передало",
        "передали",
        "дізнався",
        "дізналася",
        "дізналися",
        "дізналося",
    ]
)
_ATTENTION_VERBS = ("зверну", "зверта", "звернув", "звернул")
_IMPERSONAL_WORDS = frozenset(
    [
        "ідеться",
        "йдеться",
        "ішлося",
        "йшлося",
        "зазначається",
        "повідомляється",
        "вказується",
        "сказано",
        "вказано",
        "зазначено",
        "говориться",
        "стверджується",
        "пишеться",
    ]
)
_ACCORDING_PAIRS = frozenset(
    {
        ("за", "даними"),
        ("за", "інформацією"),
        ("за", "словами"),
        ("згідно", "з"),
        ("згідно", "із"),
        ("згідно", "зі"),
        ("посиланням", "на"),
        ("посилаючись", "на"),
        ("на", "думку"),
    }
)
_DENIAL_PREFIXES = ("спросту", "спростув", "запереч", "відкину", "відкинув", "відкинул", "відкида")
_FALSEHOOD_PREFIXES = ("неправд", "фейк", "брех", "вигадк", "дезінформац")
_CONFIRMATION_WORDS = frozenset(["визнав", "визнала", "визнали", "визнало", "визнає", "визнають"])


@dataclass(frozen=True, slots=True)
class SentenceCues:
    """What a sentence's tokens say about attribution: speech verbs, every word that
    attributes (the verbs, «йдеться», «за даними»), the stance."""

    verbs: tuple[Token, ...]
    words: tuple[Token, ...]
    denies: bool
    confirms: bool

    @property
    def has_cue(self) -> bool:
        return bool(self.words)


def read_cues(tokens: Sequence[Token]) -> SentenceCues:
    """Attribution cues of one sentence, in one pass over its tokens."""
    verbs: list[Token] = []
    cue_words: list[Token] = []
    denies = confirms = False
    words = [t.text.lower() if t.kind == "word" else "" for t in tokens]
    for index, word in enumerate(words):
        if not word:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        attention = word.startswith(_ATTENTION_VERBS) and following == "увагу"
        speech = word.startswith(_SPEECH_PREFIXES) and not word.endswith(_NOT_VERB_ENDINGS)
        if attention or word in _SPEECH_WORDS or speech:
            verbs.append(tokens[index])
            cue_words.extend(tokens[index : index + 2] if attention else tokens[index : index + 1])
        elif word in _IMPERSONAL_WORDS:
            cue_words.append(tokens[index])
        elif (word, following) in _ACCORDING_PAIRS:
            cue_words.extend(tokens[index : index + 2])
        if word.startswith(_DENIAL_PREFIXES) or (
            word.startswith("назва")
            and any(w.startswith(_FALSEHOOD_PREFIXES) for w in words[index + 1 : index + 4])
        ):
            denies = True
        elif word.startswith("підтверд") or word in _CONFIRMATION_WORDS:
            confirms = True
    return SentenceCues(tuple(verbs), tuple(cue_words), denies, confirms)
