"""What a reader sees of a story: headline, «Коротко», who reported first, why it is one story.

Everything is extractive and computed from the stored articles and the story index, so it
is reproducible and never says more than the articles do:
- headline: the title of the article closest to the story's centroid (the most typical
  telling, not the first or the loudest);
- «Коротко»: 2–3 sentences from the original articles' opening paragraphs chosen by maximal marginal
  relevance: each next sentence is the one most about the story and least like the sentences
  already chosen; a sentence that repeats a chosen one in substance (cosine ≥ `REPEAT`) is
  never taken, so two outlets' wordings of one fact appear once, nor is a sentence that
  does not read on its own (a piece of a quotation that runs over several sentences, or
  one that opens by pointing back: «Про це повідомив…», «За його словами…»); dash speech
  that runs over sentences («– Це терор. Світ має діяти, – сказав Зеленський.») is taken
  whole with the author's words, and never in pieces or with a «– додав він»;
- why: the terms and names that most of the story's articles share, shown to the user;
- what each outlet adds: per outlet, the sentence of its reports that tells most that no
  earlier report in the story told (new-word novelty, as in the TREC Novelty track: the
  IDF mass of a sentence's terms that no earlier article used); a sentence mostly made of
  what was already said adds nothing, and an outlet that only repeats is not listed;
- the timeline gives every article a lead: its own, else its first 1–2 sentences
  (`strichka.nlp.leads`, as everywhere a lead is shown);
- top entities, cited outlets, quotes and attributed claims come from each article's stored
  analysis (copies count once: the same words are not more evidence);
- contradictions: see `contradictions` for the rule that pairs a denial with a report.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from strichka.errors import NotFound
from strichka.nlp.cues import ACCORDING_TO, IMPERSONAL, SPEECH_VERB
from strichka.nlp.leads import lead_of
from strichka.nlp.quotes import dash_speech
from strichka.nlp.tokens import split_sentences
from strichka.records import Article, Claim, Entity, Stance, normalise_text
from strichka.store.base import StoryLink, StoryStore
from strichka.stories.features import Analyzer, ArticleFeatures
from strichka.stories.index import StoryIndex

SUMMARY_SENTENCES = 3
REPEAT = 0.5
"""Cosine between two sentences above which the second says the same thing again."""
_MMR_LAMBDA = 0.7
_SENTENCES_PER_ARTICLE = 6
_OPENING_CHARS = 1500
"""Characters of an article's opening paragraphs that «Коротко» reads: room for its first
sentences, so a long article costs no more than a short one."""
TOP_ENTITIES = 8
ADDITIONS = 10
"""Outlets listed under «what each outlet adds», those that add most (a war story has
hundreds of outlets; a reader reads a handful of additions)."""
_NEW_SHARE = 0.5
"""Share of a sentence's term weight that must be new for it to add something: below it a
sentence retells the story with a detail changed."""
_NEW_TERMS = 2
_SHARED_SHOWN = 6
# The words that attribute a claim («повідомляє», «спростував», «згідно з») say nothing
# about what is claimed, so they never make two claims look alike.
_ATTRIBUTION = re.compile(
    rf"(?<![\w'’ʼ])(?:{SPEECH_VERB}|{IMPERSONAL}|{ACCORDING_TO})(?![\w'’ʼ])", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    article_id: str
    title: str
    outlet: str | None
    published_at: datetime | None
    duplicate_of: str | None
    lead: str
    published_day_only: bool = False
    """The source named the day but no time: `published_at` is that day's midnight."""


@dataclass(frozen=True, slots=True)
class Addition:
    """What one outlet told first in the story: the sentence of its reports that is most
    news to a reader of the reports before it."""

    outlet: str | None
    article_id: str
    sentence: str
    published_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }


@dataclass(frozen=True, slots=True)
class RelatedStory:
    """Another story and its headline, as every list shows it (no summary of it is made)."""

    id: str
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class StoryQuote:
    """Quoted speech in one of the story's articles; `speaker` is a canonical person."""

    text: str
    speaker: str | None
    article_id: str
    outlet: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "article_id": self.article_id,
            "outlet": self.outlet,
        }


@dataclass(frozen=True, slots=True)
class StoryClaim:
    """A claim as one article attributes it: to `source`, which may cite `cites`."""

    text: str
    source: str
    stance: Stance
    cites: str | None
    article_id: str
    outlet: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source": self.source,
            "stance": self.stance,
            "cites": self.cites,
            "article_id": self.article_id,
            "outlet": self.outlet,
        }


@dataclass(frozen=True, slots=True)
class Contradiction:
    """One source denies what another reports; `shared` is what both are about (why paired)."""

    denial: StoryClaim
    report: StoryClaim
    shared: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "denial": self.denial.to_dict(),
            "report": self.report.to_dict(),
            "shared": list(self.shared),
        }


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    headline: str
    korotko: tuple[str, ...]
    first_outlet: str | None
    first_at: datetime | None
    outlets: tuple[tuple[str, int], ...]
    article_count: int
    timeline: tuple[TimelineEntry, ...]
    top_entities: tuple[Entity, ...]
    why: tuple[str, ...]
    related: tuple[RelatedStory, ...] = ()
    cited_outlets: tuple[tuple[str, int], ...] = ()
    quotes: tuple[StoryQuote, ...] = ()
    claims: tuple[tuple[str, tuple[StoryClaim, ...]], ...] = ()
    """Grouped by source, the source with most claims first."""
    contradictions: tuple[Contradiction, ...] = ()
    first_day_only: bool = False
    """The first report's source named the day but no time: `first_at` is its midnight."""
    additions: tuple[Addition, ...] = ()
    """What each outlet adds (at most ADDITIONS outlets), in the order they published it."""

    def disputed(self, claim: StoryClaim) -> bool:
        """Whether the claim is either side of a contradiction."""
        return any(claim in (c.denial, c.report) for c in self.contradictions)

    def to_dict(self) -> dict[str, Any]:
        def when(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {
            "id": self.id,
            "headline": self.headline,
            "korotko": list(self.korotko),
            "first_outlet": self.first_outlet,
            "first_at": when(self.first_at),
            "first_day_only": self.first_day_only,
            "outlets": [{"outlet": o, "articles": n} for o, n in self.outlets],
            "article_count": self.article_count,
            "timeline": [
                {
                    "article_id": e.article_id,
                    "title": e.title,
                    "outlet": e.outlet,
                    "published_at": when(e.published_at),
                    "published_day_only": e.published_day_only,
                    "duplicate_of": e.duplicate_of,
                    "lead": e.lead,
                }
                for e in self.timeline
            ],
            "top_entities": [e.to_dict() for e in self.top_entities],
            "why": list(self.why),
            "related": [{"id": r.id, "title": r.title, "score": r.score} for r in self.related],
            "cited_outlets": [{"outlet": o, "citations": n} for o, n in self.cited_outlets],
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [
                {"source": source, "claims": [c.to_dict() for c in claims]}
                for source, claims in self.claims
            ],
            "contradictions": [c.to_dict() for c in self.contradictions],
            "additions": [a.to_dict() for a in self.additions],
        }


def _unit(vector: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {t: w / norm for t, w in vector.items()}


def _cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    return sum(w * second.get(t, 0.0) for t, w in first.items())


def summarise(
    store: StoryStore,
    story_id: str,
    *,
    analyzer: Analyzer,
    index: StoryIndex,
    related: int = 5,
    typical_of: TypicalArticle | None = None,
) -> StorySummary:
    """The full reader's view of one story (by id, prefix or an id merged into it);
    `typical_of` finds the related stories' headlines (a reader that keeps them passes its own)."""
    row = store.get_story(story_id)
    members = store.story_members(row.id)
    articles = [store.get_article(link.article_id) for link, _ in members]
    features = [ArticleFeatures.from_dict(json.loads(data)) for _, data in members]
    links = [link for link, _ in members]
    typical, center = _typical(features, index)
    order = sorted(range(len(articles)), key=lambda i: _time_key(links[i]))
    first = articles[order[0]]
    outlets = Counter(a.publisher or "—" for a in articles)
    unique = [i for i in order if links[i].duplicate_of is None]
    originals = [articles[i] for i in unique]
    claims = _claims(originals)
    # each article's title and opening as words and their terms, read once for «why» and
    # for what each outlet adds
    written = [
        analyzer.written_forms(f"{article.title}\n{_opening(article)}", item.language)
        for article, item in zip(articles, features, strict=True)
    ]
    return StorySummary(
        id=row.id,
        headline=articles[typical].title,
        korotko=_korotko(
            originals,
            [features[i] for i in unique],
            center,
            analyzer=analyzer,
            index=index,
        ),
        first_outlet=first.publisher,
        first_at=first.published_at,
        first_day_only=first.published_day_only,
        outlets=tuple(outlets.most_common()),
        article_count=len(articles),
        timeline=tuple(
            TimelineEntry(
                articles[i].id,
                articles[i].title,
                articles[i].publisher,
                articles[i].published_at,
                links[i].duplicate_of,
                lead_of(articles[i]),
                articles[i].published_day_only,
            )
            for i in order
        ),
        top_entities=tuple(store.story_entities(row.id, limit=TOP_ENTITIES)),
        why=_why(features, index, _written_forms(written, features), analyzer),
        related=tuple(related_stories(store, index, row.id, k=related, typical_of=typical_of)),
        cited_outlets=_cited_outlets(originals),
        quotes=_quotes(originals),
        claims=_by_source(c.claim for c in claims),
        contradictions=contradictions(claims, analyzer=analyzer, index=index),
        additions=_additions(
            [articles[i] for i in order],
            [features[i].language for i in order],
            [{term for term, _ in written[i]} for i in order],
            analyzer=analyzer,
            index=index,
            center=center,
        ),
    )


def _typical(
    features: Sequence[ArticleFeatures], index: StoryIndex
) -> tuple[int, dict[str, float]]:
    """The member closest (cosine) to what all the story's articles share, the first on a
    tie, and that centre: the member whose title is the story's headline."""
    centroid: Counter[str] = Counter()
    for item in features:
        centroid.update(item.terms)
    center = index.weighted(centroid)
    vectors = [index.weighted(item.terms) for item in features]
    return max(range(len(features)), key=lambda i: _cosine(vectors[i], center)), center


TypicalArticle = Callable[[str], Article | None]
"""A story id → the article it is headlined by (`typical_article`, or a reader's kept copy)."""


def typical_article(store: StoryStore, index: StoryIndex, story_id: str) -> Article | None:
    """The article whose title is the story's headline, as `summarise` picks it, from the
    members' stored features and one article (cheap enough for lists); None when the story
    has no stored member."""
    members = store.story_members(story_id)
    if not members:
        return None
    typical, _ = _typical(
        [ArticleFeatures.from_dict(json.loads(data)) for _, data in members], index
    )
    try:
        return store.get_article(members[typical][0].article_id)
    except NotFound:
        return None


def _time_key(link: StoryLink) -> tuple[bool, datetime | None, int]:
    return (link.published_at is None, link.published_at, link.seq)


def _korotko(
    articles: Sequence[Article],
    features: Sequence[ArticleFeatures],
    center: Mapping[str, float],
    *,
    analyzer: Analyzer,
    index: StoryIndex,
) -> tuple[str, ...]:
    candidates: list[tuple[str, dict[str, float]]] = []
    seen: set[str] = set()
    for article, item in zip(articles, features, strict=True):
        for words in _shown_alone(_opening(article)):
            if words in seen:
                continue
            seen.add(words)
            terms = Counter(analyzer.terms(words, item.language))
            vector = _unit({t: (1 + math.log(n)) * index.idf(t) for t, n in terms.items()})
            candidates.append((words, vector))
    chosen: list[tuple[str, dict[str, float]]] = []
    while candidates and len(chosen) < SUMMARY_SENTENCES:

        def gain(item: tuple[str, dict[str, float]]) -> float:
            redundancy = max((_cosine(item[1], c[1]) for c in chosen), default=0.0)
            return _MMR_LAMBDA * _cosine(item[1], center) - (1 - _MMR_LAMBDA) * redundancy

        best = max(candidates, key=gain)
        candidates.remove(best)
        if all(_cosine(best[1], c[1]) < REPEAT for c in chosen):
            chosen.append(best)
    return tuple(words for words, _ in chosen)


def _additions(
    articles: Sequence[Article],
    languages: Sequence[str],
    told: Sequence[set[str]],
    *,
    analyzer: Analyzer,
    index: StoryIndex,
    center: Mapping[str, float],
) -> tuple[Addition, ...]:
    """Per outlet, its sentence with the most news beyond the reports published before it
    (`articles` in time order, `told` the terms of each one's title and opening; the first
    report is the story itself and adds nothing).

    Only sentences about the story count (TREC Novelty's order: relevant first, then new):
    their cosine with the story's centre reaches the floor below which two stories are not
    even related (`RELATED_SHARE` of the threshold); a page's leftover line («Новини по
    темі …», a date and a teaser) is all new words and about nothing in the story. Nor does
    a sentence that says it recalls the past («Нагадаємо, …»)."""
    about = RELATED_SHARE * index.params.threshold
    known: set[str] = set()
    best: dict[str | None, tuple[float, int, Addition]] = {}
    for position, (article, language) in enumerate(zip(articles, languages, strict=True)):
        if position:
            for words in _shown_alone(_opening(article)):
                if _BACKGROUND.match(words):
                    continue
                terms = set(analyzer.terms(words, language))
                new = terms - known
                weights = {t: index.idf(t) for t in terms}
                news = sum(weights[t] for t in new)
                kept = best.get(article.publisher)
                if (
                    len(new) >= _NEW_TERMS
                    and news >= _NEW_SHARE * sum(weights.values())
                    and (kept is None or news > kept[0])
                    and _cosine(_unit(weights), center) >= about
                ):
                    addition = Addition(article.publisher, article.id, words, article.published_at)
                    best[article.publisher] = (news, position, addition)
        known.update(told[position])
    shown = heapq.nlargest(ADDITIONS, best.values(), key=lambda item: item[0])
    return tuple(addition for _, _, addition in sorted(shown, key=lambda item: item[1]))


# Openings that point back to the sentence before («Про це повідомив…», «За його словами…»,
# «Він додав…»): out of their place they say nothing, or something about someone unnamed.
_POINTS_BACK = re.compile(
    r"(?:про це|за (?:його|її|їхніми|їх) (?:словами|даними)|він|вона|воно|вони|це|цей|ця|ці"
    r"|крім того|при цьому|водночас|також|тоді"
    r"|об этом|по (?:его|ее|её|их) (?:словам|данным)|он|она|оно|они|это|этот|эта|эти"
    r"|кроме того|при этом|также"
    r"|he|she|it|they|this|that|these|those|also|meanwhile)(?!\w)",
    re.IGNORECASE,
)


# Openings that announce background, not news («Нагадаємо…», «Як повідомлялося…», «Раніше…»):
# what a report recalls is by its own words not what it adds.
_BACKGROUND = re.compile(
    r"(?:нагадаємо|як (?:повідомлялося|повідомляли|відомо|ми писали)|раніше|до слова"
    r"|напомним|как (?:сообщалось|известно|мы писали)|ранее"
    r"|as (?:previously )?reported|earlier|previously)(?!\w)",
    re.IGNORECASE,
)


def _stands_alone(sentence: str) -> bool:
    """Whether a sentence reads on its own: it does not open by pointing back to the one
    before, and every quotation it opens it also closes (a piece of a quotation that runs
    over several sentences, «"Держава готова до отримання вакцин.», has neither its other
    half nor who said it)."""
    if _POINTS_BACK.match(sentence.lstrip('«"„“ ')):
        return False
    curly = sum(sentence.count(mark) for mark in "„“”")
    return (
        sentence.count("«") == sentence.count("»")
        and sentence.count('"') % 2 == 0
        and curly % 2 == 0
    )


def _shown_alone(text: str) -> Iterator[str]:
    """The sentences of an opening that can be shown on their own, out of their article:
    long enough to say something, reading alone (`_stands_alone`), dash speech whole and
    with its named speaker."""
    speech = _speech(text)
    for start, end in _sentences(text, speech):
        words = text[start:end].strip()
        if len(words) >= 40 and _stands_alone(words) and not _cuts_speech(start, end, speech):
            yield words


_SPEAKER_POINTS_BACK = re.compile(r"(?<!\w)(?:він|вона|воно|вони)(?!\w)", re.IGNORECASE)


def _speech(text: str) -> list[tuple[int, int, bool]]:
    """Each stretch of dash speech with the author's words that attribute it («– Ми
    готові. Чекаємо, – сказав Зеленський.»): where it starts and ends, and whether those
    words name the speaker (not «– додав він», which points back to a sentence before)."""
    return [
        (
            parts[0][0],
            max(parts[-1][1], clause_end),
            not _SPEAKER_POINTS_BACK.search(text, clause_start, clause_end),
        )
        for parts, (clause_start, clause_end) in dash_speech(text)
    ]


def _sentences(text: str, speech: Sequence[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """The first _SENTENCES_PER_ARTICLE sentences of a text, those that one stretch of dash
    speech runs over taken as one («– Це терор. Світ має посилити тиск, – сказав
    Зеленський.»): what the speaker said, with who said it."""
    units: list[tuple[int, int]] = []
    for sentence in split_sentences(text)[:_SENTENCES_PER_ARTICLE]:
        start, end = sentence.start, sentence.end
        if units and any(
            stretch_start < units[-1][1] and units[-1][1] < stretch_end
            for stretch_start, stretch_end, _ in speech
        ):
            start = units.pop()[0]
        units.append((start, end))
    return units


def _cuts_speech(start: int, end: int, speech: Sequence[tuple[int, int, bool]]) -> bool:
    """Whether the sentence at [start, end) holds a piece of dash speech without the rest
    of it or without who said it, as `_stands_alone` asks of a quotation in marks: «– Це
    терор.» alone is nobody's words, «Світ має посилити тиск, – сказав Зеленський.» half of
    them, and «– Чекаємо, – додав він.» is said by someone unnamed."""
    return any(
        start < stretch_end
        and stretch_start < end
        and not (start <= stretch_start and stretch_end <= end and named)
        for stretch_start, stretch_end, named in speech
    )


def _opening(article: Article) -> str:
    """The lead and whole opening paragraphs up to _OPENING_CHARS (a line break ends a
    sentence, so no sentence is cut)."""
    kept: list[str] = []
    size = 0
    for paragraph in (article.lead, *article.paragraphs):
        if not paragraph:
            continue
        kept.append(paragraph)
        size += len(paragraph)
        if size >= _OPENING_CHARS:
            break
    return "\n".join(kept)


def _written_forms(
    written: Sequence[Counter[tuple[str, str]]], features: Sequence[ArticleFeatures]
) -> dict[str, tuple[str, Counter[str]]]:
    """term → (its language, how its articles write it), over what features are made of
    (`written`: each article's title and opening, as `Analyzer.written_forms` counts them)."""
    forms: dict[str, tuple[str, Counter[str]]] = {}
    for counts, item in zip(written, features, strict=True):
        for (term, word), count in counts.items():
            forms.setdefault(term, (item.language, Counter()))[1][word] += count
    return forms


def _why(
    features: Sequence[ArticleFeatures],
    index: StoryIndex,
    forms: Mapping[str, tuple[str, Counter[str]]],
    analyzer: Analyzer,
    limit: int = 10,
) -> tuple[str, ...]:
    """Terms and names in at least half the articles (all, for two), the rarest first,
    written as words."""
    if len(features) < 2:
        return ()
    shared: Counter[str] = Counter()
    for item in features:
        shared.update(item.terms.keys())
    needed = max(2, math.ceil(len(features) / 2))
    common = [t for t, n in shared.items() if n >= needed]
    best = heapq.nlargest(2 * limit, common, key=lambda t: shared[t] * index.idf(t))
    # a name is both a lemma («цуг») and an entity («@Цуг»): show it once, as a name; and
    # a full name («Тереза Мей») is shown without its words again («Тереза», «Мей»)
    shown: dict[str, str] = {}
    for term in best:
        language, written = forms.get(term, ("", Counter()))
        name = analyzer.readable(term, written, language)
        kept = shown.setdefault(name.lower(), name)
        if kept.islower() and not name.islower():
            shown[name.lower()] = name
    named = {
        word
        for term in best
        if term.startswith("@") and len(words := term[1:].lower().split()) > 1
        for word in words
        if term[1:].lower() in shown
    }
    return tuple(name for key, name in shown.items() if key not in named)[:limit]


RELATED_SHARE = 0.25


def related_stories(
    store: StoryStore,
    index: StoryIndex,
    story_id: str,
    *,
    k: int = 5,
    typical_of: TypicalArticle | None = None,
) -> list[RelatedStory]:
    """The k warm stories most like this one (shared terms and names), never itself.

    A related story reaches a quarter of the similarity that would make it the same story
    (`RELATED_SHARE` of the threshold): below that, what two stories share is happenstance
    (one common word, a weekday), and an empty «Інші новини» is better than a random one.
    """
    resolved = store.resolve_story(story_id)
    story = index.stories.get(resolved)
    if story is None:
        members = store.story_members(resolved)
        centroid: Counter[str] = Counter()
        for _, data in members:
            centroid.update(ArticleFeatures.from_dict(json.loads(data)).terms)
        vector = index.weighted(centroid)
    else:
        vector = index.weighted(story.centroid)
    floor = RELATED_SHARE * index.params.threshold
    scored = []
    for other_id in index.candidates(vector, exclude=resolved):
        score = index.similarity(vector, index.stories[other_id].centroid)
        if score >= floor:
            scored.append((score, other_id))
    related = []
    for score, other_id in heapq.nlargest(k, scored):
        headlined = typical_of(other_id) if typical_of else typical_article(store, index, other_id)
        title = headlined.title if headlined else ""
        related.append(RelatedStory(other_id, title, round(score, 3)))
    return related


def _cited_outlets(articles: Sequence[Article]) -> tuple[tuple[str, int], ...]:
    """Outlets the articles attribute information to, with how often, most cited first; an
    outlet naming itself («Про це Суспільному повідомили», «Як повідомляла РБК-Україна» in
    its own article) cites no one."""
    cited: Counter[str] = Counter()
    for article in articles:
        if article.analysis is not None:
            cited.update(
                c.outlet
                for c in article.analysis.citations
                if c.kind == "outlet" and not _is_publisher(article, c.outlet)
            )
    return tuple(cited.most_common())


def _is_publisher(article: Article, name: str) -> bool:
    return name.casefold() == (article.publisher or "").casefold()


def _quotes(articles: Sequence[Article]) -> tuple[StoryQuote, ...]:
    """Each distinct quote once, as the earliest article carries it."""
    seen: set[str] = set()
    quotes: list[StoryQuote] = []
    for article in articles:
        for quote in article.analysis.quotes if article.analysis else ():
            key = normalise_text(quote.text)
            if key and key not in seen:
                seen.add(key)
                quotes.append(StoryQuote(quote.text, quote.speaker, article.id, article.publisher))
    return tuple(quotes)


@dataclass(frozen=True, slots=True)
class ReadClaim:
    """A story's claim with what it is about: `names`, the canonical entities it names (its
    own source aside: who says it is not what is said), and `words`, its text with those
    names and the attributing words cut out, for lemmas."""

    claim: StoryClaim
    article: int
    names: frozenset[str]
    words: str
    language: str

    @property
    def speakers(self) -> frozenset[str]:
        return self.names | {self.claim.source}


def _claims(articles: Sequence[Article]) -> list[ReadClaim]:
    """Every distinct claim (source, stance and words) once, in article and text order; an
    outlet's own report in its own article («Як повідомляла РБК-Україна») is no claim
    attributed to a source."""
    seen: set[tuple[str, str, str]] = set()
    found: list[ReadClaim] = []
    for number, article in enumerate(articles):
        analysis = article.analysis
        if analysis is None:
            continue
        text = article.analysis_text
        for claim in sorted(analysis.claims, key=lambda c: c.start):
            key = (claim.source, claim.stance, normalise_text(claim.text))
            if key in seen or _is_publisher(article, claim.source):
                continue
            seen.add(key)
            inside = [m for m in analysis.entities if claim.start <= m.start and m.end <= claim.end]
            found.append(
                ReadClaim(
                    _story_claim(claim, article),
                    number,
                    frozenset(m.canonical for m in inside) - {claim.source},
                    _ATTRIBUTION.sub(" ", _cut(text, claim.start, claim.end, inside)),
                    analysis.language,
                )
            )
    return found


def _story_claim(claim: Claim, article: Article) -> StoryClaim:
    return StoryClaim(
        claim.text, claim.source, claim.stance, claim.cites, article.id, article.publisher
    )


def _cut(text: str, start: int, end: int, spans: Iterable[Any]) -> str:
    """text[start:end] with each span (start/end in `text`) blanked out."""
    chars = list(text[start:end])
    for span in spans:
        chars[span.start - start : span.end - start] = " " * (span.end - span.start)
    return "".join(chars)


def _by_source(claims: Iterable[StoryClaim]) -> tuple[tuple[str, tuple[StoryClaim, ...]], ...]:
    groups: dict[str, list[StoryClaim]] = {}
    for claim in claims:
        groups.setdefault(claim.source, []).append(claim)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    return tuple((source, tuple(items)) for source, items in ordered)


def contradictions(
    claims: Sequence[ReadClaim], *, analyzer: Analyzer, index: StoryIndex
) -> tuple[Contradiction, ...]:
    """Pairs of a denial and the report it contradicts, within one story.

    The rule:
    1. A denial is a run of consecutive denying claims of one article that name a common
       entity (their sources included): the heading «Трамп заперечує плани…», Bloomberg's
       «Трамп спростував інформацію ЗМІ…» and «"Ні", — сказала…» tell one denial, and only
       together say what is denied (strikes, military objects, Venezuela).
    2. A report it may contradict is any reporting or confirming claim of the story whose
       source is none of the denial's sources (a source contradicting itself is not two
       sources disagreeing) and which shares with the denial at least one canonical entity
       and at least one content lemma: the same actors, and the same thing said of them;
       unless the report negates what it shares («У Газпромі стверджують, що суд не
       відновив арешт» says what Газпром's denial says).
    3. Among those, the denial contradicts the one it shares most with, each shared entity
       and lemma weighted by its IDF over the store (a shared «США» says less than a shared
       «удар»); ties are all kept. Taking the best rather than every overlap keeps the
       background claims that merely name the same country out.
    4. Each denying source of the run is paired with that report once.
    """
    lemmas = [frozenset(analyzer.terms(c.words, c.language)) for c in claims]
    negated = [_negated(c.words, c.language, analyzer) for c in claims]
    found: dict[tuple[str, str, str], Contradiction] = {}
    for run in _denial_runs(claims):
        sources = {claims[i].claim.source for i in run}
        names = frozenset().union(*(claims[i].names for i in run))
        words = frozenset().union(*(lemmas[i] for i in run))
        scored: list[tuple[float, int, tuple[str, ...]]] = []
        for j, other in enumerate(claims):
            if other.claim.stance == "denies" or other.claim.source in sources:
                continue
            shared_names = names & other.names
            shared_words = words & lemmas[j]
            if not shared_names or not shared_words or shared_words & negated[j]:
                continue
            weights = {n: index.idf("@" + n) for n in shared_names}
            weights |= {w: index.idf(w) for w in shared_words - shared_names}
            shared = tuple(sorted(weights, key=lambda t: -weights[t]))[:_SHARED_SHOWN]
            scored.append((sum(weights.values()), j, shared))
        best = max((score for score, _, _ in scored), default=0.0)
        for score, j, shared in scored:
            if score < best - 1e-9:
                continue
            report = claims[j].claim
            for i in run:
                denial = claims[i].claim
                key = (denial.source, report.source, report.text)
                found.setdefault(key, Contradiction(denial, report, shared))
    return tuple(found.values())


_NEGATIONS = frozenset({"не", "ні", "ані", "not", "never"})
_WORD = re.compile(r"\w[\w'’ʼ-]*")


def _negated(text: str, language: str, analyzer: Analyzer) -> frozenset[str]:
    """Lemmas of the words a negation stands right before: «не відновив» → відновити."""
    words = _WORD.findall(text)
    return frozenset(
        lemma
        for before, word in pairwise(words)
        if before.lower() in _NEGATIONS
        for lemma in analyzer.terms(word, language)
    )


def _denial_runs(claims: Sequence[ReadClaim]) -> list[list[int]]:
    runs: list[list[int]] = []
    current: list[int] = []
    about: frozenset[str] = frozenset()
    previous: ReadClaim | None = None
    for i, item in enumerate(claims):
        adjacent = previous is not None and previous.article == item.article
        denies = item.claim.stance == "denies"
        if denies and current and adjacent and about & item.speakers:
            current.append(i)
            about |= item.speakers
        else:
            if current:
                runs.append(current)
            current, about = ([i], item.speakers) if denies else ([], frozenset())
        previous = item
    if current:
        runs.append(current)
    return runs
