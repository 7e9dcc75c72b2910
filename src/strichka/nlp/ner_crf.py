"""The trained path: a CRF (python-crfsuite) over morphological, gazetteer and rule features.

The model is trained by the user on a corpus they have (`strichka ner train CORPUS_DIR`) and
written to strichka's user data directory (`Settings.ner_model_path`), never into the
package: the Ukrainian NER corpora are CC BY-NC-SA, so a model learnt from them cannot ship.
Tokens come from `strichka.nlp.tokens` run on the raw text, as at analysis time; gold spans
are projected onto those tokens (BIO), so the model learns the boundaries it will really see.

The rule recogniser's own decision is one of the features: the CRF learns when to trust the
gazetteers and patterns and where the corpus's conventions differ from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from strichka.nlp.entities import DocumentContext, document_context, entity_sentences
from strichka.nlp.tokens import Sentence, Token

if TYPE_CHECKING:
    from strichka.evaluation.ner import GoldDocument
    from strichka.nlp.entities import EntityResources
    from strichka.records import Label

TRAINED_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC")


def _shape(word: str) -> str:
    out: list[str] = []
    for char in word[:6]:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def sentence_features(
    tokens: Sequence[Token],
    resources: EntityResources,
    context: DocumentContext | None = None,
) -> list[list[str]]:
    """One feature list per token (crfsuite string features)."""
    from strichka.nlp.entities import (
        LOC_HEADS,
        ORG_HEADS,
        PLACE_CUES,
        ROLE_CUES,
        _rule_candidates,
    )

    lexicon = resources.lexicon
    sentence = Sentence(tokens[0].start, tokens[-1].end, tuple(tokens))
    rule_tags = ["O"] * len(tokens)
    gaz_tags = ["O"] * len(tokens)
    for cand in _rule_candidates(sentence, resources):
        for i in range(cand.first, cand.last):
            prefix = "B" if i == cand.first else "I"
            rule_tags[i] = f"{prefix}-{cand.label}"
            if cand.entry is not None:
                gaz_tags[i] = f"{prefix}-{cand.entry.kind}"
    base: list[list[str]] = []
    lemmas: list[str] = []
    quoted = False
    for index, token in enumerate(tokens):
        word = token.text
        lower = word.lower()
        if word in '«»"„“”':
            quoted = word != "»" and not (quoted and word in '"”“')
        lemmas.append(lower)
        feats = [
            "bias",
            f"w={lower}",
            f"s2={lower[-2:]}",
            f"s3={lower[-3:]}",
            f"s4={lower[-4:]}",
            f"p3={lower[:3]}",
            f"shape={_shape(word)}",
            f"kind={token.kind}",
            f"rule={rule_tags[index]}",
            f"gaz={gaz_tags[index]}",
        ]
        if index == 0:
            feats.append("first")
        if quoted:
            feats.append("quoted")
        if context is not None and token.kind == "word" and word[:1].isupper():
            if lower in context.capitalised:
                feats.append("doc-capitalised")
            if lower in context.lowercase:
                feats.append("doc-lowercase")
        if token.kind == "word":
            info = lexicon.info(word)
            lemma = min(info.lemmas, key=len) if info.lemmas else lower
            feats.append(f"lemma={lemma}")
            lemmas[index] = lemma
            if info.name_kind:
                feats.append(f"name={info.name_kind}")
            if not info.known:
                feats.append("unknown")
            if info.common:
                feats.append("common")
            if info.function_word:
                feats.append("function")
            if info.adjective:
                feats.append("adj")
            if info.noun:
                feats.append("noun")
            if info.genitive:
                feats.append("gent")
            if not info.lemmas.isdisjoint(ORG_HEADS):
                feats.append("orghead")
            if not info.lemmas.isdisjoint(LOC_HEADS):
                feats.append("lochead")
            if not info.lemmas.isdisjoint(ROLE_CUES):
                feats.append("role")
            if not info.lemmas.isdisjoint(PLACE_CUES):
                feats.append("placecue")
        base.append(feats)
    features: list[list[str]] = []
    for index in range(len(tokens)):
        feats = list(base[index])
        for offset in (-2, -1, 1, 2):
            j = index + offset
            if 0 <= j < len(tokens):
                feats.append(f"{offset}:w={tokens[j].text.lower()}")
                feats.append(f"{offset}:lemma={lemmas[j]}")
                feats.append(f"{offset}:shape={_shape(tokens[j].text)}")
                feats.append(f"{offset}:rule={rule_tags[j]}")
                for extra in base[j][10:]:
                    if offset in (-1, 1):
                        feats.append(f"{offset}:{extra}")
            else:
                feats.append(f"{offset}:none")
        features.append(feats)
    return features


def bio_tags(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Project character spans onto tokens: B- on the first token a span touches, I- after."""
    tags = ["O"] * len(tokens)
    for start, end, label in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if label not in TRAINED_LABELS:
            continue
        inside = [i for i, t in enumerate(tokens) if t.start < end and t.end > start]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        for position, i in enumerate(inside):
            tags[i] = f"{'B' if position == 0 else 'I'}-{label}"
    return tags


def decode(tags: Sequence[str]) -> list[tuple[int, int, Label]]:
    """BIO tags → (first token, end token, label); a stray I- opens a span."""
    spans: list[tuple[int, int, Label]] = []
    first: int | None = None
    label: str | None = None
    for index, tag in enumerate([*tags, "O"]):
        kind, _, name = tag.partition("-")
        if first is not None and (kind != "I" or name != label):
            spans.append((first, index, label))  # type: ignore[arg-type]
            first = label = None
        if kind == "B" or (kind == "I" and first is None):
            first, label = index, name
    return spans


def training_sequences(
    docs: Iterable[GoldDocument], resources: EntityResources
) -> Iterable[tuple[list[list[str]], list[str]]]:
    for doc in docs:
        spans = [(m.start, m.end, m.label) for m in doc.mentions]
        sentences = list(entity_sentences(doc.text))
        context = document_context(sentences)
        for sentence in sentences:
            tokens = sentence.tokens
            if not tokens:
                continue
            local = [s for s in spans if s[0] < sentence.end and s[1] > sentence.start]
            yield sentence_features(tokens, resources, context), bio_tags(tokens, local)


def train_on_documents(
    docs: Sequence[GoldDocument],
    model_path: Path,
    *,
    resources: EntityResources,
    max_iterations: int = 400,
) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in training_sequences(docs, resources.without_model()):
        trainer.append(features, tags)
    trainer.set_params(
        {
            # chosen on one fold of ner-uk among a few settings; sparser models generalise better
            "c1": 0.1,
            "c2": 0.05,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
        }
    )
    model_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model_path))
    return model_path


def train_crf(corpus_dir: Path, model_path: Path, *, resources: EntityResources) -> Path:
    """Train on every document of a ner-uk or SlavicNER corpus; returns the model path."""
    from strichka.evaluation.ner import read_corpus

    _, docs = read_corpus(corpus_dir)
    return train_on_documents(docs, model_path, resources=resources)


class CrfTagger:
    """A trained model, opened once; `spans` tags one sentence's tokens."""

    def __init__(self, model_path: Path) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    def spans(
        self,
        tokens: Sequence[Token],
        resources: EntityResources,
        context: DocumentContext | None = None,
    ) -> list[tuple[int, int, Label]]:
        tags = self._tagger.tag(sentence_features(tokens, resources, context))
        return decode(tags)
