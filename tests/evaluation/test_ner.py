"""NER evaluation: the two corpus readers, exact-span scoring, and a short real run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from strichka.errors import UnrecognisedFormat
from strichka.evaluation.ner import (
    GoldMention,
    Scorer,
    detect_format,
    document_folds,
    evaluate_ner,
    read_ner_uk,
    read_slavicner,
    score_documents,
)


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    label: str
    canonical: str = ""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


@pytest.fixture
def ner_uk_dir(tmp_path: Path) -> Path:
    text = "Петро Порошенко приїхав до Львова .\nТОВ «Ромашка» виграло тендер .\n"
    _write(tmp_path / "ng" / "a.txt", text)
    _write(
        tmp_path / "ng" / "a.ann",
        "T1\tPERS\t0\t15\tПетро Порошенко\n"
        "T2\tLOC\t27\t33\tЛьвова\n"
        "T3\tORG\t36\t49\tТОВ «Ромашка»\n"
        "T4\tDATE\t50\t55\tвигра\n"
        "T5\tART\t0\t11\tПетро\nПорош\n",  # a surface that crosses a line
    )
    return tmp_path


@pytest.fixture
def slavic_dir(tmp_path: Path) -> Path:
    text = "Брексіт\n\nТерезі Мей довелося піти. ЄС чекає.\r\nКінець"
    _write(tmp_path / "raw" / "brexit" / "uk" / "doc_1.txt", text)
    _write(
        tmp_path / "ner" / "brexit" / "uk" / "doc_1.tsv",
        "0\t7\tБрексіт\tБрексіт\tEVT\tEVT-Brexit\n"
        "9\t19\tТерезі Мей\tТереза Мей\tPER\tPER-Theresa-May\n"
        "35\t37\tЄС\tЄС\tORG\tORG-European-Union\n",
    )
    _write(tmp_path / "raw" / "brexit" / "ru" / "doc_1.txt", "Мэй")
    return tmp_path


def test_ner_uk_reader_maps_labels_and_keeps_offsets(ner_uk_dir: Path) -> None:
    assert detect_format(ner_uk_dir) == "ner-uk"
    (doc,) = read_ner_uk(ner_uk_dir)
    assert doc.doc_id == "ng/a"
    assert [(m.label, m.text) for m in doc.mentions] == [
        ("PER", "Петро Порошенко"),
        ("LOC", "Львова"),
        ("ORG", "ТОВ «Ромашка»"),
    ]


def test_slavicner_reader_keeps_lemmas_and_crlf_offsets(slavic_dir: Path) -> None:
    assert detect_format(slavic_dir) == "slavicner"
    (doc,) = read_slavicner(slavic_dir)
    assert [(m.label, m.text, m.lemma) for m in doc.mentions] == [
        ("PER", "Терезі Мей", "Тереза Мей"),
        ("ORG", "ЄС", "ЄС"),
    ]


def test_unknown_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnrecognisedFormat):
        detect_format(tmp_path)


def test_scores_are_exact_span_and_label() -> None:
    gold = [
        GoldMention(0, 5, "PER", "Петро"),
        GoldMention(10, 16, "LOC", "Львова"),
        GoldMention(20, 24, "ORG", "ООН", "ООН"),
    ]
    predicted = [
        Pred(0, 5, "PER"),  # right
        Pred(10, 15, "LOC"),  # wrong boundary: one FP and one FN
        Pred(20, 24, "LOC", "ООН"),  # wrong label: LOC FP, ORG FN; canonical still right
        Pred(30, 33, "MISC"),  # not scored
    ]
    scorer = Scorer.new()
    scorer.add(gold, predicted)
    report = scorer.report()
    assert report["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert report["LOC"]["precision"] == 0.0 and report["LOC"]["support"] == 1
    assert report["ORG"]["recall"] == 0.0
    assert report["overall"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["overall"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["canonical_accuracy"] == 1.0


def test_score_documents_runs_the_recogniser_on_the_raw_text(slavic_dir: Path) -> None:
    seen: list[str] = []

    def recogniser(text: str) -> list[Pred]:
        seen.append(text)
        return [Pred(9, 19, "PER", "Тереза Мей")]

    docs = list(read_slavicner(slavic_dir))
    report = score_documents(docs, recogniser)
    assert seen == [docs[0].text]
    assert report["PER"]["f1"] == 1.0
    assert report["canonical_accuracy"] == 1.0


def test_folds_split_by_document(ner_uk_dir: Path) -> None:
    docs = list(read_ner_uk(ner_uk_dir)) * 3
    folds = document_folds(docs, 2)
    assert sum(len(f) for f in folds) == 3


def test_short_run_on_shared_corpora(shared_data: Path, tmp_path: Path) -> None:
    import pymorphy3

    from strichka.nlp.entities import EntityResources, recognise
    from strichka.nlp.morph import Morphology

    resources = EntityResources.load(morph=Morphology(pymorphy3.MorphAnalyzer(lang="uk")))
    sample = tmp_path / "ner-uk"
    for name in sorted((shared_data / "ner-uk-v2-dev" / "ng").glob("*.ann"))[:5]:
        for suffix in (".ann", ".txt"):
            source = name.with_suffix(suffix)
            _write(sample / source.name, source.read_text(encoding="utf-8"))
    report = evaluate_ner(sample, recogniser=lambda text: recognise(text, resources=resources))
    assert report["format"] == "ner-uk" and report["documents"] == 5
    assert report["overall"]["support"] > 0
    assert report["overall"]["f1"] > 0.3


def test_crf_trains_tags_and_cross_validates(tmp_path: Path) -> None:
    import pymorphy3

    from strichka.evaluation.ner import cross_validate_crf
    from strichka.nlp.entities import EntityResources, recognise
    from strichka.nlp.morph import Morphology
    from strichka.nlp.ner_crf import decode, train_crf

    corpus = tmp_path / "corpus"
    lines = [
        ("Петро Коваль приїхав до Львова .", [("PERS", 0, 12), ("LOC", 24, 30)]),
        ("ТОВ «Ромашка» виграло тендер у Києві .", [("ORG", 0, 13), ("LOC", 31, 36)]),
        ("Олена Бондар працює в Одесі .", [("PERS", 0, 12), ("LOC", 22, 27)]),
        ("ПАТ «Сонях» купило землю під Харковом .", [("ORG", 0, 11), ("LOC", 29, 37)]),
    ]
    for number, (text, spans) in enumerate(lines):
        _write(corpus / f"d{number}.txt", text + "\n")
        ann = "".join(
            f"T{i}\t{label}\t{a}\t{b}\t{text[a:b]}\n" for i, (label, a, b) in enumerate(spans)
        )
        _write(corpus / f"d{number}.ann", ann)
    resources = EntityResources.load(morph=Morphology(pymorphy3.MorphAnalyzer(lang="uk")))
    model = train_crf(corpus, tmp_path / "data" / "ner.crf", resources=resources)
    assert model.is_file()
    trained = EntityResources.load(
        morph=Morphology(pymorphy3.MorphAnalyzer(lang="uk")), model_path=model
    )
    assert trained.tagger is not None
    text = "Петро Коваль приїхав до Львова ."
    for mention in recognise(text, resources=trained):
        assert text[mention.start : mention.end] == mention.text
    report = cross_validate_crf(corpus, resources=resources, work_dir=tmp_path / "cv", k=2)
    assert report["folds"] == 2 and report["documents"] == 4
    assert decode(["B-PER", "I-PER", "O", "I-LOC", "B-ORG"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
    ]


def test_cli_trains_into_the_data_folder_and_analysis_uses_it(
    tmp_path: Path, private_data_dir: Path
) -> None:
    from click.testing import CliRunner

    from strichka.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sentences = [
        ("Петро Порошенко приїхав до Львова .", [("PERS", "Петро Порошенко"), ("LOC", "Львова")]),
        ("Юлія Тимошенко виступила в Харкові .", [("PERS", "Юлія Тимошенко"), ("LOC", "Харкові")]),
    ]
    for number, (text, spans) in enumerate(sentences * 3):
        (corpus / f"d{number}.txt").write_text(text, encoding="utf-8")
        rows = []
        for index, (label, surface) in enumerate(spans, start=1):
            start = text.index(surface)
            rows.append(f"T{index}\t{label}\t{start}\t{start + len(surface)}\t{surface}")
        (corpus / f"d{number}.ann").write_text("\n".join(rows) + "\n", encoding="utf-8")

    trained = CliRunner().invoke(main, ["ner", "train", str(corpus)], catch_exceptions=False)
    assert trained.exit_code == 0, trained.output
    assert (private_data_dir / "ner-crf.model").is_file()
    from strichka.config import load_settings
    from strichka.nlp.analysis import LanguageResources

    settings = load_settings()
    assert LanguageResources.load(ner_model=settings.ner_model_path).entities.tagger is not None
    scored = CliRunner().invoke(main, ["eval", "ner", str(corpus), "--json"])
    assert json.loads(scored.output)["PER"]["f1"] > 0.5
