"""Entity-level NER evaluation on the corpora strichka is measured against.

Two formats, told apart by their files:

* ner-uk (lang-uk): ``<doc>.txt`` beside ``<doc>.ann`` (brat standoff, ``T<n> TYPE start end
  surface``), anywhere under the corpus folder. PERS is scored as PER.
* SlavicNER (BSNLP): ``raw/<topic>/<lang>/<doc>.txt`` and ``ner/<topic>/<lang>/<doc>.tsv``
  (``start end mention lemma TYPE id``). The ``lemma`` column is the gold canonical name.

The recogniser always runs on the raw text, never on a gold tokenisation: tokens split at
the gold boundaries leak the answer. Scores are exact span and label, per PER/ORG/LOC, with a
micro-averaged ``overall``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from strichka.errors import UnrecognisedFormat

if TYPE_CHECKING:
    from strichka.nlp.entities import EntityResources

SCORED_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC")
_NER_UK_LABELS = {"PERS": "PER", "PER": "PER", "ORG": "ORG", "LOC": "LOC"}
_SLAVIC_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}

CorpusFormat = Literal["ner-uk", "slavicner"]


class Span(Protocol):
    """What a recogniser must return per mention (strichka.nlp.entities.Mention fits)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def canonical(self) -> str: ...


Recogniser = Callable[[str], Sequence[Span]]


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    label: str
    text: str
    lemma: str | None = None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated text; `mentions` keeps only the scored labels."""

    doc_id: str
    text: str
    mentions: tuple[GoldMention, ...]


def detect_format(corpus_dir: Path) -> CorpusFormat:
    """SlavicNER has raw/ and ner/ side by side; ner-uk has .ann files."""
    if (corpus_dir / "raw").is_dir() and (corpus_dir / "ner").is_dir():
        return "slavicner"
    if next(corpus_dir.rglob("*.ann"), None) is not None:
        return "ner-uk"
    raise UnrecognisedFormat(
        "neither ner-uk (.txt + .ann) nor SlavicNER (raw/ + ner/)", source=str(corpus_dir)
    )


def _read_text(path: Path) -> str:
    # newline="" keeps "\r\n" as two characters: the corpora count offsets that way.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def read_ner_uk(corpus_dir: Path) -> Iterator[GoldDocument]:
    """Documents of a ner-uk folder, sorted by path.

    The .ann surface column may hold a newline (a span crossing lines), so a line that does not
    start a `T` record is a continuation and is skipped; the text is taken from the offsets.
    """
    for ann in sorted(corpus_dir.rglob("*.ann")):
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            continue
        text = _read_text(txt)
        mentions: set[GoldMention] = set()
        for line in _read_text(ann).splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[0].startswith("T"):
                continue
            # ner-uk writes TYPE, start and end as columns; brat proper joins them by spaces
            fields = parts[1:4] if len(parts) >= 4 and parts[2].isdigit() else parts[1].split()
            if len(fields) != 3 or not (fields[1].isdigit() and fields[2].isdigit()):
                continue  # discontinuous brat spans ("0 5;7 9") are not used by ner-uk
            label = _NER_UK_LABELS.get(fields[0])
            start, end = int(fields[1]), int(fields[2])
            if label is None or not 0 <= start < end <= len(text):
                continue
            mentions.add(GoldMention(start, end, label, text[start:end]))
        doc_id = str(ann.relative_to(corpus_dir).with_suffix(""))
        ordered = tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.label)))
        yield GoldDocument(doc_id, text, ordered)


def read_slavicner(
    corpus_dir: Path, *, languages: Sequence[str] = ("uk",)
) -> Iterator[GoldDocument]:
    """Documents of a SlavicNER folder in the given languages, sorted by path."""
    for lang in languages:
        for raw in sorted((corpus_dir / "raw").glob(f"*/{lang}/*.txt")):
            topic = raw.parent.parent.name
            tsv = corpus_dir / "ner" / topic / lang / (raw.stem + ".tsv")
            if not tsv.is_file():
                continue
            text = _read_text(raw)
            mentions: set[GoldMention] = set()
            for line in _read_text(tsv).splitlines():
                parts = line.split("\t")
                if len(parts) < 5 or not (parts[0].isdigit() and parts[1].isdigit()):
                    continue
                label = _SLAVIC_LABELS.get(parts[4].strip())
                start, end = int(parts[0]), int(parts[1])
                if label is None or not 0 <= start < end <= len(text):
                    continue
                mentions.add(GoldMention(start, end, label, text[start:end], parts[3]))
            ordered = tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.label)))
            yield GoldDocument(f"{topic}/{lang}/{raw.stem}", text, ordered)


def read_corpus(corpus_dir: Path) -> tuple[CorpusFormat, list[GoldDocument]]:
    fmt = detect_format(corpus_dir)
    docs = list(read_ner_uk(corpus_dir) if fmt == "ner-uk" else read_slavicner(corpus_dir))
    return fmt, docs


def normalise_name(name: str) -> str:
    """Canonical names compare after NFC, one apostrophe and collapsed spaces."""
    name = unicodedata.normalize("NFC", name)
    for apostrophe in ("ʼ", "’", "`", "‘"):
        name = name.replace(apostrophe, "'")
    return " ".join(name.split())


@dataclass(slots=True)
class Tally:
    """Running counts for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": self.tp + self.fn,
        }


@dataclass(slots=True)
class Scorer:
    """Accumulates exact-match counts per label and canonical-name agreement."""

    tallies: dict[str, Tally]
    canonical_total: int = 0
    canonical_right: int = 0
    resolved_right: int = 0

    @classmethod
    def new(cls) -> Scorer:
        return cls({label: Tally() for label in SCORED_LABELS})

    def add(self, gold: Sequence[GoldMention], predicted: Sequence[Span]) -> None:
        gold_keys = {(m.start, m.end, m.label) for m in gold}
        pred_keys = {(p.start, p.end, p.label) for p in predicted if p.label in self.tallies}
        for label, tally in self.tallies.items():
            g = {k for k in gold_keys if k[2] == label}
            p = {k for k in pred_keys if k[2] == label}
            tally.tp += len(g & p)
            tally.fp += len(p - g)
            tally.fn += len(g - p)
        lemmas = {(m.start, m.end): m.lemma for m in gold if m.lemma is not None}
        for mention in predicted:
            lemma = lemmas.get((mention.start, mention.end))
            if lemma is None:
                continue
            # The gold lemma is the mention's own base form (Британію → Британія), so a
            # recogniser that also resolves entities is judged on its `nominative`.
            own = getattr(mention, "nominative", "") or mention.canonical
            self.canonical_total += 1
            self.canonical_right += normalise_name(own) == normalise_name(lemma)
            self.resolved_right += normalise_name(mention.canonical) == normalise_name(lemma)

    def report(self) -> dict[str, Any]:
        result: dict[str, Any] = {label: t.scores() for label, t in self.tallies.items()}
        overall = Tally(
            sum(t.tp for t in self.tallies.values()),
            sum(t.fp for t in self.tallies.values()),
            sum(t.fn for t in self.tallies.values()),
        )
        result["overall"] = overall.scores()
        if self.canonical_total:
            result["canonical_accuracy"] = round(self.canonical_right / self.canonical_total, 4)
            result["canonical_checked"] = self.canonical_total
            result["resolved_equals_lemma"] = round(self.resolved_right / self.canonical_total, 4)
        return result


def score_documents(docs: Sequence[GoldDocument], recogniser: Recogniser) -> dict[str, Any]:
    scorer = Scorer.new()
    for doc in docs:
        scorer.add(doc.mentions, recogniser(doc.text))
    report = scorer.report()
    report["documents"] = len(docs)
    return report


def evaluate_ner(corpus_dir: Path, *, recogniser: Recogniser) -> dict[str, Any]:
    """P/R/F1 per PER/ORG/LOC and micro overall; `canonical_accuracy` where gold lemmas exist.

    `canonical_accuracy` is the share of predicted mentions whose span matches a gold span
    exactly (any label) and whose canonical name equals the gold lemma.
    """
    fmt, docs = read_corpus(corpus_dir)
    report = score_documents(docs, recogniser)
    report["format"] = fmt
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{'':8} {'P':>6} {'R':>6} {'F1':>6}"]
    for label in ("PER", "ORG", "LOC", "overall"):
        scores = report[label]
        lines.append(
            f"{label:8} {scores['precision']:6.3f} {scores['recall']:6.3f} {scores['f1']:6.3f}"
        )
    if "canonical_accuracy" in report:
        lines.append(f"canonical accuracy {report['canonical_accuracy']:.3f}")
    return "\n".join(lines)


def document_folds(docs: Sequence[GoldDocument], k: int) -> list[list[GoldDocument]]:
    """Deterministic k folds by document (round robin over the sorted ids)."""
    folds: list[list[GoldDocument]] = [[] for _ in range(k)]
    for index, doc in enumerate(sorted(docs, key=lambda d: d.doc_id)):
        folds[index % k].append(doc)
    return folds


def cross_validate_crf(
    corpus_dir: Path, *, resources: EntityResources, work_dir: Path, k: int = 5
) -> dict[str, Any]:
    """k-fold cross-validation by document of the trained path, run from the raw text.

    Each fold's model trains on the other folds and is written under `work_dir` (a scratch
    folder: these models are learnt from the corpus and must not be shipped).
    """
    from strichka.nlp.entities import EntityResources, recognise
    from strichka.nlp.ner_crf import CrfTagger, train_on_documents

    fmt, docs = read_corpus(corpus_dir)
    folds = document_folds(docs, k)
    scorer = Scorer.new()
    base = resources.without_model()
    for index, test in enumerate(folds):
        train = [doc for j, fold in enumerate(folds) if j != index for doc in fold]
        model = train_on_documents(train, work_dir / f"fold-{index}.crf", resources=base)
        fold_resources = EntityResources(base.lexicon, base.gazetteer, CrfTagger(model))
        for doc in test:
            scorer.add(doc.mentions, recognise(doc.text, resources=fold_resources))
    report = scorer.report()
    report.update({"documents": len(docs), "format": fmt, "folds": k})
    return report
