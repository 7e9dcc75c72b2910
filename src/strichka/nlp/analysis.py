"""All language layers over one article, in the order each needs the last.

Ukrainian articles get everything. Other languages get language, sentences and entities
(Russian names are read with the Russian dictionary, in their Russian nominative; other
languages' names are found by capitalisation and the gazetteers), but no keywords, dates,
citations, quotes or claims: those rules read Ukrainian.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pymorphy3

from strichka.nlp.claims import analyse_attribution
from strichka.nlp.entities import EntityResources, recognise
from strichka.nlp.keywords import keywords
from strichka.nlp.language import detect_language, detect_paragraph_languages
from strichka.nlp.morph import Morphology
from strichka.nlp.tokens import split_sentences
from strichka.records import Analysis, Article

KEYWORDS = 10
DETECTED = frozenset({"uk", "ru", "en"})


@dataclass(frozen=True, slots=True)
class LanguageResources:
    """Dictionaries, gazetteers and an optional trained model: loaded once, passed in.

    `entities` reads Ukrainian (and any other language); `russian_entities` reads Russian
    names with the Russian dictionary, which knows their case forms and tags place and
    organisation names. The trained model is Ukrainian, so only `entities` gets it.
    """

    morph: Morphology
    entities: EntityResources
    russian_entities: EntityResources
    russian_morph: Morphology

    @classmethod
    def load(cls, *, ner_model: Path | None = None) -> LanguageResources:
        morph = Morphology(pymorphy3.MorphAnalyzer(lang="uk"))
        russian = Morphology(pymorphy3.MorphAnalyzer(lang="ru"))
        return cls(
            morph,
            EntityResources.load(morph=morph, model_path=ner_model),
            EntityResources.load(morph=russian, language="ru"),
            russian,
        )

    def entities_for(self, language: str) -> EntityResources:
        """The recogniser's resources for text in `language`."""
        return self.russian_entities if language == "ru" else self.entities


def analyse(
    article: Article, *, resources: LanguageResources, reference_date: date | None = None
) -> Analysis:
    """The article's analysis; relative dates resolve against `reference_date`, else the
    article's own publication day, else stay unresolved."""
    text = article.analysis_text
    paragraphs = [article.title, *([article.lead] if article.lead else []), *article.paragraphs]
    language = detect_language(text)
    sentences = split_sentences(text)
    mentions = recognise(text, resources=resources.entities_for(language))
    if reference_date is None and article.published_at is not None:
        reference_date = article.published_at.date()
    analysis = Analysis(
        language=language,
        paragraph_languages=tuple(detect_paragraph_languages(paragraphs)),
        sentences=tuple((s.start, s.end) for s in sentences),
        entities=tuple(mentions),
        reference_date=reference_date,
    )
    if language != "uk":
        return analysis
    attribution = analyse_attribution(
        text,
        mentions=mentions,
        sentences=sentences,
        reference_date=reference_date,
        resources=resources.entities,
    )
    return replace(
        analysis,
        keywords=tuple(keywords(text, morph=resources.morph, limit=KEYWORDS)),
        dates=attribution.dates,
        citations=attribution.citations,
        quotes=attribution.quotes,
        claims=attribution.claims,
        roles=attribution.roles,
    )


def with_analysis(
    article: Article, *, resources: LanguageResources, reference_date: date | None = None
) -> Article:
    """The article carrying its analysis and language.

    A detected uk/ru/en beats a declared language: page templates often declare the wrong one.
    """
    analysis = analyse(article, resources=resources, reference_date=reference_date)
    detected = analysis.language in DETECTED
    language = analysis.language if detected else (article.language or analysis.language)
    return article.with_changes(analysis=analysis, language=language)
