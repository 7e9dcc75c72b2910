"""Ukrainian text in every encoding it is really served in, and bytes that are not text."""

from __future__ import annotations

import codecs

import pytest

from strichka.errors import EmptyInput, UndecodableInput
from strichka.extract.decode import decode_document

TEXT = (
    "Венесуельський лідер Ніколас Мадуро попросив у Володимира Путіна військову допомогу.\n"
    "Їхні ґанки й подвір'я - це історія, яку пам'ятають і досі.\n"
)


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 with BOM"),
        (TEXT.encode("utf-16"), "utf-16 with BOM"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be with BOM"),
        (TEXT.encode("cp1251"), "cp1251 undeclared"),
        (TEXT.encode("koi8_u"), "koi8-u undeclared"),
    ],
)
def test_encodings_decode_to_the_same_text(data: bytes, label: str) -> None:
    assert decode_document(data, source=label).strip() == TEXT.strip()


def test_wrong_declaration_loses_to_the_bytes() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><p>' + TEXT + "</p></body></html>"
    assert TEXT.strip() in decode_document(html.encode("cp1251"), source="page.html")


def test_declared_koi8_is_used() -> None:
    html = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-u"><p>Ґанок і їжак</p>'
    assert "Ґанок і їжак" in decode_document(html.encode("koi8_u"), source="page.html")


def test_a_true_single_byte_declaration_is_kept() -> None:
    """A lying single-byte declaration is overruled by the Cyrillic code page that reads
    the bytes as natural text; a true one, Latin-1 included, is not."""
    french = "Ça va très bien. Où est la gare? Le café est à côté de l'hôtel, près de l'église."
    for text, encoding in [(french * 3, "iso-8859-1"), (TEXT * 3, "cp1251"), (TEXT, "koi8_u")]:
        html = f'<meta charset="{encoding}"><p>{text}</p>'
        assert text in decode_document(html.encode(encoding), source="page.html")
    lying = f'<meta charset="iso-8859-1"><p>{TEXT}</p>'.encode("cp1251")
    assert TEXT.strip() in decode_document(lying, source="page.html")


@pytest.mark.parametrize("data", [b"", b"   \n\t ", codecs.BOM_UTF8])
def test_empty_input_is_named(data: bytes) -> None:
    with pytest.raises(EmptyInput, match="empty.txt"):
        decode_document(data, source="empty.txt")


def test_nul_bytes_are_refused() -> None:
    with pytest.raises(UndecodableInput, match="NUL"):
        decode_document(b"Title\x00\x00 body text", source="nul.txt")


def test_binary_garbage_is_refused() -> None:
    garbage = bytes(range(256)) * 64
    with pytest.raises(UndecodableInput, match="garbage.bin"):
        decode_document(garbage, source="garbage.bin")
