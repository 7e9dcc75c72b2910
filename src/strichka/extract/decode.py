"""Bytes → text, trusting evidence in order of strength: BOM, declared charset, UTF-8, detection.

Ukrainian sites still serve cp1251 and koi8-u, often undeclared or declared wrongly, so a
declared charset is only believed when the bytes decode cleanly under it and, where it is a
single-byte one (under which any bytes decode), no Cyrillic code page reads them as clearly
more natural text.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from strichka.errors import EmptyInput, UndecodableInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])"""
    rb"""([A-Za-z0-9_.:-]{1,40})""",
    re.IGNORECASE,
)
# A single-byte declaration that lies cannot fail to decode: cp1251 read as koi8 (or the
# reverse) is other letters, read as Latin-1 no Cyrillic at all. In Ukrainian and Russian
# prose these twelve letters are 57-83% of the Cyrillic ones, in such mojibake 22-59%; read
# right, no text of some 4,500 posts and articles tried scored 5 points below its mojibake.
_FREQUENT = frozenset("оанеиітрсвлк")
_CYRILLIC = re.compile("[а-яёіїєґ]")
_SINGLE_BYTE = frozenset(
    {"cp1251", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic", "iso8859-1", "cp1252", "iso8859-15"}
)
_CYRILLIC_CODECS = ("cp1251", "koi8-u")
_JUDGED_BYTES = 64 * 1024
_MIN_LETTERS = 40
_MIN_CYRILLIC_SHARE = 0.3  # of the letters: a French page read as cp1251 has a few
_CLEARLY_BETTER = 0.05
# Control characters other than tab, newline, carriage return and form feed: text has none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SNIFF_BYTES = 4096
_MAX_CONTROL_SHARE = 0.001


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first bytes, if Python knows it."""
    match = _DECLARED.search(data[:_SNIFF_BYTES])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_document(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode a document, or raise a typed error naming `source`.

    `declared` is a charset from outside the bytes (an HTTP header); it is tried after any BOM.
    """
    if not data.strip():
        raise EmptyInput("the input is empty", source=source)
    text = _decode(data, declared, source)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise EmptyInput("the input holds only white space", source=source)
    if "\x00" in text:
        raise UndecodableInput("the input contains NUL bytes: binary data, not text", source=source)
    controls = len(_CONTROL.findall(text[: _SNIFF_BYTES * 4]))
    if controls > max(1, _MAX_CONTROL_SHARE * min(len(text), _SNIFF_BYTES * 4)):
        raise UndecodableInput(
            f"the input looks binary ({controls} control characters)", source=source
        )
    return text


def _utf8(data: bytes) -> str:
    """UTF-8, also when a download or a copy was cut short inside its last character: what
    comes before is read, if it is UTF-8 with other non-ASCII characters in it (else a last
    cp1251 letter after ASCII text would be dropped instead of detected)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut_short = exc.end == len(data) and exc.reason == "unexpected end of data"
        if not cut_short or data[: exc.start].isascii():
            raise
        return data[: exc.start].decode("utf-8")


def _believed(data: bytes, declared: str) -> str:
    """`data` in its declared charset, unless that is a single-byte one and a Cyrillic code
    page reads the bytes as clearly more natural Cyrillic text: a cp1251 page declared
    koi8-r or Latin-1 decodes without error, into mojibake that would be stored."""
    if declared == "koi8-r":
        # koi8-u is koi8-r with і, ї, є, ґ where koi8-r draws boxes: Ukrainian pages
        # declared koi8-r lost those letters
        declared = "koi8-u"
    if declared not in _SINGLE_BYTE or data.isascii():
        return data.decode(declared)
    sample = data[:_JUDGED_BYTES]
    best, best_score = declared, _cyrillic_score(sample.decode(declared))
    for other in _CYRILLIC_CODECS:
        if other == declared:
            continue
        try:
            score = _cyrillic_score(sample.decode(other))
        except UnicodeDecodeError:
            continue
        if score > best_score + _CLEARLY_BETTER:
            best, best_score = other, score
    return data.decode(best)


def _cyrillic_score(text: str) -> float:
    """How much `text` reads as Cyrillic prose: the share of its Cyrillic letters that are
    the most frequent ones; 0 where too few of its letters are Cyrillic to judge."""
    lowered = text.lower()
    cyrillic = _CYRILLIC.findall(lowered)
    letters = sum(1 for c in lowered if c.isalpha())
    if len(cyrillic) < _MIN_LETTERS or len(cyrillic) < _MIN_CYRILLIC_SHARE * letters:
        return 0.0
    return sum(1 for c in cyrillic if c in _FREQUENT) / len(cyrillic)


def _decode(data: bytes, declared: str | None, source: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableInput(
                    f"broken {encoding} after its BOM: {exc}", source=source
                ) from exc
    # Valid UTF-8 with non-ASCII bytes is near-certain evidence; a declaration is often stale.
    try:
        return _utf8(data)
    except UnicodeDecodeError:
        pass
    for candidate in (declared, declared_charset(data)):
        if candidate:
            try:
                return _believed(data, codecs.lookup(candidate).name)
            except (UnicodeDecodeError, LookupError):
                continue
    best = charset_normalizer.from_bytes(data[: 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise UndecodableInput("no text encoding fits the bytes", source=source)
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UndecodableInput(
            f"detected {best.encoding}, but it does not fit: {exc}", source=source
        ) from exc
