"""The roles a text gives people, and people found again by a role.

News names a person once with a role («президент США Дональд Трамп») and later refers to
them by the role alone, or by another name for the same office («глава Білого дому»). So:

- `find_roles` reads the role phrase right before each person mention: optional modifiers
  and adjectives, a role noun (ROLE_CUES of the entity layer), and its complement
  («транспорту Венесуели», «США у Венесуелі»). The phrase is given in the nominative: the
  form the text writes in the nominative where it has one, else the written form with the
  role noun and its adjectives inflected (голові КНР → голова КНР).
- `person_by_role` finds, in a clause, a role that a person of this text holds, directly or
  through a small hand-written table of equivalent offices.
- `person_by_pronoun` finds the person «він» or «вона» stands for: the last one named whose
  name the morphology allows that gender (Валентин is a man, Тереза a woman).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from strichka.nlp.entities import ROLE_CUES, ROLE_MODIFIERS, EntityResources, Lexicon
from strichka.nlp.tokens import Sentence, Token
from strichka.records import Mention, Role

# Offices news names by a seat or a building; both sides are lowercase nominative role
# phrases. Only offices with one holder at a time are listed.
ROLE_EQUIVALENTS: dict[str, str] = {
    "глава білого дому": "президент сша",
    "господар білого дому": "президент сша",
    "очільник білого дому": "президент сша",
    "американський президент": "президент сша",
    "американський лідер": "президент сша",
    "глава кремля": "президент росії",
    "господар кремля": "президент росії",
    "очільник кремля": "президент росії",
    "російський президент": "президент росії",
    "глава держдепу": "державний секретар сша",
    "очільник держдепу": "державний секретар сша",
    "держсекретар сша": "державний секретар сша",
    "глава пентагону": "міністр оборони сша",
    "очільник пентагону": "міністр оборони сша",
    "глава єлисейського палацу": "президент франції",
    "французький президент": "президент франції",
    "господар даунінг-стріт": "прем'єр-міністр великої британії",
    "британський прем'єр": "прем'єр-міністр великої британії",
    "український президент": "президент україни",
    "глава мзс україни": "міністр закордонних справ україни",
    "генсек нато": "генеральний секретар нато",
    "генсекретар нато": "генеральний секретар нато",
    "голова кнр": "президент китаю",
    "китайський лідер": "президент китаю",
}

_MAX_ROLE_TOKENS = 8
"""No role phrase before a name is longer; it bounds the backward scan."""

_COMPLEMENT_PREPOSITIONS = frozenset({"у", "в", "при", "з"})


def find_roles(
    text: str,
    *,
    mentions: Sequence[Mention],
    sentences: Sequence[Sentence],
    resources: EntityResources,
) -> list[Role]:
    """Every role phrase right before a person mention, in text order (nominative)."""
    starts: dict[int, tuple[Sentence, int]] = {}
    for sentence in sentences:
        for index, token in enumerate(sentence.tokens):
            starts[token.start] = (sentence, index)
    roles: list[Role] = []
    for mention in mentions:
        if mention.label != "PER" or mention.start not in starts:
            continue
        sentence, index = starts[mention.start]
        found = _role_before(sentence.tokens, index, resources)
        if found is not None:
            first, phrase = found
            begin = sentence.tokens[first].start
            end = sentence.tokens[index - 1].end
            roles.append(Role(mention.canonical, phrase, begin, end))
    return roles


def best_roles(roles: Sequence[Role], text: str) -> dict[str, str]:
    """One role per person: the first one the text writes in the nominative, else the first."""
    chosen: dict[str, str] = {}
    written_nominative: set[str] = set()
    for role in roles:
        as_written = _lower_first(text[role.start : role.end])
        if role.person in written_nominative:
            continue
        if as_written == role.role:
            chosen[role.person] = role.role
            written_nominative.add(role.person)
        else:
            chosen.setdefault(role.person, role.role)
    return chosen


def person_by_role(clause: str, roles: Sequence[Role]) -> str | None:
    """The person whose role (or an equivalent office) the clause names first, if any."""
    lowered = clause.lower().replace("’", "'")
    by_role: dict[str, str] = {}
    for role in roles:
        by_role.setdefault(role.role.lower(), role.person)
        by_role.setdefault(ROLE_EQUIVALENTS.get(role.role.lower(), role.role.lower()), role.person)
    best: tuple[int, str] | None = None
    for phrase, person in (
        *by_role.items(),
        *(
            (alias, by_role[office])
            for alias, office in ROLE_EQUIVALENTS.items()
            if office in by_role
        ),
    ):
        found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered)
        if found is not None and (best is None or found.start() < best[0]):
            best = (found.start(), person)
    return best[1] if best else None


def person_by_pronoun(pronoun: str, persons: Sequence[str], lexicon: Lexicon) -> str | None:
    """The last of `persons` (canonical names, in text order) the personal pronoun can
    stand for: one whose name allows the pronoun's gender."""
    genders = marked_genders(pronoun, lexicon)
    return next((name for name in reversed(persons) if name_allows(name, genders, lexicon)), None)


def marked_genders(word: str, lexicon: Lexicon) -> set[str]:
    """The genders a personal pronoun or a past-tense verb marks («вона», «сказала»: femn);
    none for «каже», «заявили»."""
    return {
        str(parse.tag.gender)
        for parse in lexicon.parses(word.lower())
        if parse.tag.POS in ("NPRO", "VERB") and parse.tag.gender
    }


def name_allows(name: str, genders: set[str], lexicon: Lexicon) -> bool:
    """Whether the person `name` (nominative) may be of one of `genders`: its given name
    decides (Валентин, Тереза), else any part the dictionary knows as a name; a name the
    dictionary does not know allows either."""
    words = name.split()
    given = _name_genders(words[:1], {"Name"}, lexicon)
    allowed = given or _name_genders(words, {"Name", "Surn"}, lexicon)
    return not genders or not allowed or not allowed.isdisjoint(genders)


def _name_genders(words: Sequence[str], marks: set[str], lexicon: Lexicon) -> set[str]:
    """Genders of the nominative name readings of the words the dictionary knows as names
    (a guessed reading of «Тюреджі» says nothing)."""
    return {
        str(parse.tag.gender)
        for word in words
        if lexicon.info(word).name_kind is not None
        for parse in lexicon.parses(word)
        if parse.tag.case == "nomn"
        and parse.tag.gender
        and not marks.isdisjoint(parse.tag.grammemes)
    }


def _lower_first(phrase: str) -> str:
    return phrase[:1].lower() + phrase[1:]


def _role_before(
    tokens: Sequence[Token], name: int, resources: EntityResources
) -> tuple[int, str] | None:
    """(first token index, nominative phrase) of the role right before `tokens[name]`."""
    lexicon = resources.lexicon
    cue = None
    for index in range(name - 1, max(-1, name - _MAX_ROLE_TOKENS), -1):
        token = tokens[index]
        if token.kind not in ("word", "number") or token.text[:1].isdigit():
            return None
        lemmas = lexicon.info(token.text).lemmas
        cue_case = token.text[:1].islower() or index == 0  # «Президент США …» opens a sentence
        if cue_case and not lemmas.isdisjoint(ROLE_CUES):
            cue = index
            break
        if (
            token.text[:1].islower()
            and token.text not in _COMPLEMENT_PREPOSITIONS
            and not _complement_word(token.text, resources)
        ):
            return None
    if cue is None:
        return None
    first = cue
    while first > 0 and tokens[first - 1].kind == "word" and tokens[first - 1].text[:1].islower():
        previous = tokens[first - 1].text
        info = lexicon.info(previous)
        if (info.adjective and not info.function_word) or not info.lemmas.isdisjoint(
            ROLE_MODIFIERS
        ):
            first -= 1
        else:
            break
    if first > 0 and tokens[first - 1].kind == "word" and tokens[first - 1].text[:1].isupper():
        # «Венесуельський лідер» opens the sentence: keep it; a capitalised name before the
        # role belongs to something else
        previous_info = lexicon.info(tokens[first - 1].text)
        if previous_info.adjective and not previous_info.function_word:
            first -= 1
    words = [t.text for t in tokens[first:name]]
    return first, _lower_first(_nominative(words, cue - first, resources))


def _complement_word(word: str, resources: EntityResources) -> bool:
    """A lowercase word that may stand in a role's complement: транспорту, закордонних справ."""
    info = resources.lexicon.info(word)
    return (info.noun or info.adjective) and info.genitive and not info.function_word


def _nominative(words: Sequence[str], head: int, resources: EntityResources) -> str:
    """The role noun at `head` and the adjectives before it in the nominative; the rest as is."""
    lexicon = resources.lexicon
    parses = [
        p
        for p in lexicon.parses(words[head])
        if p.tag.POS == "NOUN" and p.normal_form.replace("’", "'") in ROLE_CUES
    ]
    if not parses or any(p.tag.case == "nomn" for p in parses):
        return " ".join(words)
    parse = parses[0]
    target = {"nomn", "plur"} if parse.tag.number == "plur" else {"nomn"}
    inflected = parse.inflect(target)
    if inflected is None:
        return " ".join(words)
    result = list(words)
    result[head] = inflected.word
    gender = inflected.tag.gender or "masc"
    for index in range(head):
        for candidate in lexicon.parses(words[index]):
            if candidate.tag.POS not in ("ADJF", "PRTF"):
                continue
            grammemes = {"nomn", "plur"} if parse.tag.number == "plur" else {"nomn", gender}
            agreed = candidate.inflect(grammemes)
            if agreed is not None:
                result[index] = agreed.word
                break
    return " ".join(result)
