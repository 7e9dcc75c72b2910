"""Canonical URLs: one article is one id however it is linked.

Outlets and aggregators link the same page with different host case, default ports,
fragments and tracking parameters; all of those are dropped or normalised here, and what is
left is sorted so that parameter order does not matter either.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urljoin, urlsplit, urlunsplit

from strichka.errors import BlockedAddress
from strichka.records import url_id

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_TRACKING_NAMES = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "ysclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ocid",
        "cmpid",
        "spm",
    }
)
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_DOT_SEGMENTS = re.compile(r"(^|/)\.\.?(?=/|$)")
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_NAMES or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str, *, base: str | None = None) -> str:
    """The canonical form of an absolute http(s) URL (relative ones are resolved on `base`).

    Raises BlockedAddress for any other scheme and for a URL without a host: those are never
    fetched, so they never become ids either.
    """
    raw = url.strip()
    try:
        parts = urlsplit(urljoin(base, raw) if base else raw)
        port = parts.port
    except ValueError as exc:
        raise BlockedAddress(f"not a valid URL: {exc}", url=raw) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BlockedAddress(f"scheme {scheme or '(none)'!r} is not fetched", url=raw)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedAddress("the URL has no host", url=raw)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError as exc:
        raise BlockedAddress(f"host {host!r} is not a valid name", url=raw) from exc
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _ESCAPE.sub(_upper, quote(_remove_dot_segments(parts.path), safe=_PATH_SAFE)) or "/"
    return urlunsplit((scheme, netloc, path, _canonical_query(parts.query), ""))


def _canonical_query(query: str) -> str:
    """The parameters without trackers, sorted, each re-encoded; a bare key (`?id`, `?amp`)
    stays bare: `?id=` is another request, which a server may answer with another page."""
    fields: list[tuple[str, str, bool]] = []
    for field in query.split("&"):
        for name, value in parse_qsl(field, keep_blank_values=True):
            if not is_tracking_parameter(name):
                fields.append((name, value, "=" not in field))
    return "&".join(
        quote_plus(name, safe="") if bare else urlencode([(name, value)])
        for name, value, bare in sorted(fields, key=lambda f: (f[0], f[1], not f[2]))
    )


def article_id_for(url: str) -> str:
    """The Article id of a fetched page: derived from its canonical URL."""
    return url_id(canonical_url(url))


def host_of(url: str) -> str:
    """Lower-case host of an absolute URL, without port ('' when it has none)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def _upper(match: re.Match[str]) -> str:
    return match.group(0).upper()


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, so that /a/./b/../c and /a/c are one page."""
    if not _DOT_SEGMENTS.search(path):
        return path
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(output) > 1:
                output.pop()
        elif segment != ".":
            output.append(segment)
    result = "/".join(output)
    if path.endswith(("/.", "/..")):
        result += "/"
    return result if result.startswith("/") else "/" + result
