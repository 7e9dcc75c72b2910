"""The one HTTP client: polite to every host, and safe against what a hostile feed can send.

Politeness: robots.txt is obeyed (cached per origin, Crawl-delay honoured), requests to one
host are limited in number and spaced out, responses are revalidated with ETag and
Last-Modified, and 429/5xx back off exponentially with jitter, honouring Retry-After.

Safety: only http and https are fetched; every hop of a redirect chain is resolved and
refused when it lands on a private, loopback, link-local, multicast or reserved address (a
feed must not make us read 169.254.169.254 or an intranet), unless that exact host was
allowed for a local source. The check is made again where the socket opens, on the very
addresses the socket is then opened to (`_PinnedBackend`): a host whose DNS answers a public
address to the check and 127.0.0.1 to the connection (DNS rebinding) gets nowhere. Bodies
are capped while they stream, before and after decompression, so a 50 MB page or a gzip bomb
costs us at most the cap.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import time
import urllib.robotparser
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from strichka import __version__
from strichka.config import Settings
from strichka.errors import (
    BlockedAddress,
    FetchError,
    HttpStatusError,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    UnsupportedEncoding,
)
from strichka.extract.decode import decode_document
from strichka.ingest.inflate import CappedInflater, Corrupt, Overflow
from strichka.ingest.urls import ALLOWED_SCHEMES, canonical_url, host_of

ROBOTS_AGENT = "strichka"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Where a redirect's Location is kept away from httpx (see `_set_location_aside`).
_LOCATION = "x-strichka-location"
_ROBOTS_MAX_BYTES = 512 * 1024
_ROBOTS_TTL_S = 3600.0
_ROBOTS_ERROR_TTL_S = 300.0
_MAX_CRAWL_DELAY_S = 30.0
_MAX_BACKOFF_S = 60.0
# Decoded bytes below this are never called a bomb: short repetitive pages compress well.
_BOMB_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024

Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class _Hop:
    """The request being sent: what the connection layer needs to vet its socket."""

    url: str
    allow_hosts: frozenset[str]


_HOP: ContextVar[_Hop | None] = ContextVar("strichka_http_hop", default=None)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Every limit the client applies; built from Settings, or directly in tests."""

    user_agent: str
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    max_ratio: int = 200
    max_redirects: int = 5
    retries: int = 3
    retry_base: float = 0.5
    max_retry_after: float = 120.0
    concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay: float = 0.25

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(
            user_agent=user_agent(settings.contact_url),
            connect_timeout=float(settings.connect_timeout_s),
            read_timeout=float(settings.read_timeout_s),
            total_timeout=float(settings.total_timeout_s),
            max_bytes=settings.max_fetch_bytes,
            max_ratio=settings.max_compression_ratio,
            max_redirects=settings.max_redirects,
            retries=settings.fetch_retries,
            retry_base=settings.retry_base_ms / 1000,
            max_retry_after=float(settings.max_retry_after_s),
            concurrency=settings.fetch_concurrency,
            per_host_concurrency=settings.per_host_concurrency,
            per_host_delay=settings.per_host_delay_ms / 1000,
        )


def user_agent(contact_url: str) -> str:
    return f"{ROBOTS_AGENT}/{__version__} (+{contact_url})"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response we accepted: final URL after redirects, decoded-transfer body, validators."""

    url: str
    final_url: str
    status: int
    body: bytes
    media_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: BOM, then the header's charset if it fits, then detection."""
        return decode_document(self.body, source=self.final_url, declared=self.charset)


@dataclass(slots=True)
class _HostGate:
    """Per-host limits: how many requests at once, and the earliest start of the next one."""

    slots: asyncio.Semaphore
    delay: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


@dataclass(slots=True)
class _Robots:
    parser: urllib.robotparser.RobotFileParser
    expires: float
    refusal: tuple[type[FetchError], str] | None = None
    """Why the whole site is off limits when robots.txt could not be read, not its rules."""


class HttpClient:
    """Use as `async with HttpClient(policy) as client: await client.fetch(url)`."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        resolver: Resolver | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy
        self._resolve = resolver or _system_resolver
        self._rng = rng or random.Random()
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(policy.concurrency)
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> HttpClient:
        p = self.policy
        self._client = httpx.AsyncClient(
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(
                connect=p.connect_timeout, read=p.read_timeout, write=p.read_timeout, pool=None
            ),
            follow_redirects=False,
            trust_env=False,
            transport=_pinned_transport(p, self._resolve),
            event_hooks={"response": [_set_location_aside]},
        )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(
        self,
        url: str,
        *,
        allow_hosts: frozenset[str] = frozenset(),
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        check_robots: bool = True,
    ) -> Fetched:
        """GET `url`, following redirects; raise a FetchError subclass on any failure.

        `allow_hosts` are hosts of a source marked local: only they may be private addresses.
        A 304 comes back as a Fetched with `not_modified` set and an empty body.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        cap = min(max_bytes or self.policy.max_bytes, self.policy.max_bytes)
        current = url
        seen = {canonical_url(url)}
        for _ in range(self.policy.max_redirects + 1):
            await self.check_address(current, allow_hosts)
            if check_robots:
                await self._check_robots(current, allow_hosts)
            hop = _HOP.set(_Hop(current, allow_hosts))
            try:
                outcome = await self._with_retries(current, headers, cap)
            finally:
                _HOP.reset(hop)
            if isinstance(outcome, Fetched):
                return Fetched(
                    url=url,
                    final_url=current,
                    status=outcome.status,
                    body=outcome.body,
                    media_type=outcome.media_type,
                    charset=outcome.charset,
                    etag=outcome.etag,
                    last_modified=outcome.last_modified,
                )
            try:
                key = canonical_url(outcome, base=current)
            except BlockedAddress as exc:
                raise BlockedAddress(f"redirected to {outcome!r}: {exc.reason}", url=url) from exc
            target = urljoin(current, outcome.strip())
            if key in seen:
                raise TooManyRedirects(f"redirect loop back to {target}", url=url)
            seen.add(key)
            current = target
        raise TooManyRedirects(f"more than {self.policy.max_redirects} redirects", url=url)

    async def check_address(self, url: str, allow_hosts: frozenset[str] = frozenset()) -> None:
        """Refuse non-http(s) URLs and hosts that resolve to non-public addresses."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ALLOWED_SCHEMES:
            raise BlockedAddress(f"scheme {parts.scheme!r} is not fetched", url=url)
        host = host_of(url)
        if not host:
            raise BlockedAddress("the URL has no host", url=url)
        await vetted_addresses(
            host.strip("[]"), parts.port or 443, self._resolve, _Hop(url, allow_hosts)
        )

    async def _with_retries(self, url: str, headers: Mapping[str, str], cap: int) -> Fetched | str:
        """One request with retries: a Fetched, or the Location of a redirect."""
        policy = self.policy
        attempt = 0
        while True:
            try:
                return await self._request(url, headers, cap)
            except HttpStatusError as exc:
                if not exc.retryable or attempt >= policy.retries:
                    raise
                delay = self._backoff(attempt)
                if exc.retry_after is not None:
                    if exc.retry_after > policy.max_retry_after:
                        raise
                    delay = exc.retry_after
                    # The whole host asked for a pause, not just this URL.
                    self._gate(host_of(url)).next_start = time.monotonic() + delay
            except NetworkError:
                if attempt >= policy.retries:
                    raise
                delay = self._backoff(attempt)
            attempt += 1
            await asyncio.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Exponential, with jitter so that retries from many items do not arrive together."""
        ceiling = min(_MAX_BACKOFF_S, self.policy.retry_base * 2.0**attempt)
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    async def _request(self, url: str, headers: Mapping[str, str], cap: int) -> Fetched | str:
        async with self._slot(host_of(url)):
            try:
                async with asyncio.timeout(self.policy.total_timeout):
                    return await self._stream(url, headers, cap)
            except TimeoutError as exc:
                raise NetworkError(
                    f"no complete response within {self.policy.total_timeout:g} s", url=url
                ) from exc
            except httpx.TimeoutException as exc:
                raise NetworkError(f"timed out: {type(exc).__name__}", url=url) from exc
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise NetworkError(f"{type(exc).__name__}: {exc}", url=url) from exc

    async def _stream(self, url: str, headers: Mapping[str, str], cap: int) -> Fetched | str:
        assert self._client is not None, "HttpClient is used outside `async with`"
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in _REDIRECTS:
                location = str(response.headers.get(_LOCATION, ""))
                if not location:
                    raise HttpStatusError(f"{status} without a Location", url=url, status=status)
                return location
            if status >= 400:
                raise HttpStatusError(
                    f"HTTP {status}",
                    url=url,
                    status=status,
                    retry_after=retry_after_seconds(response.headers.get("retry-after")),
                )
            media_type, charset = parse_content_type(response.headers.get("content-type", ""))
            body = b""
            if status != 304:
                body = await _read_capped(response, url, cap, self.policy.max_ratio)
            return Fetched(
                url=url,
                final_url=url,
                status=status,
                body=body,
                media_type=media_type,
                charset=charset,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )

    @asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        gate = self._gate(host)
        async with self._slots, gate.slots:
            async with gate.lock:
                wait = gate.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                gate.next_start = time.monotonic() + gate.delay
            yield

    def _gate(self, host: str) -> _HostGate:
        gate = self._gates.get(host)
        if gate is None:
            gate = _HostGate(
                asyncio.Semaphore(self.policy.per_host_concurrency), self.policy.per_host_delay
            )
            self._gates[host] = gate
        return gate

    async def _check_robots(self, url: str, allow_hosts: frozenset[str]) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._robots.get(origin)
            if cached is None or cached.expires < time.monotonic():
                cached = await self._load_robots(origin, allow_hosts)
                self._robots[origin] = cached
        if cached.refusal is not None:
            kind, reason = cached.refusal
            raise kind(reason, url=url)
        if not cached.parser.can_fetch(ROBOTS_AGENT, url):
            raise RobotsDisallowed(f"robots.txt of {origin} disallows this path", url=url)

    async def _load_robots(self, origin: str, allow_hosts: frozenset[str]) -> _Robots:
        """4xx means no rules; 401/403, 5xx and network failures mean 'stay out' for a while."""
        robots = origin + "/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots)
        ttl = _ROBOTS_TTL_S
        refusal: tuple[type[FetchError], str] | None = None
        lines: list[str] = []
        try:
            fetched = await self.fetch(
                robots, allow_hosts=allow_hosts, max_bytes=_ROBOTS_MAX_BYTES, check_robots=False
            )
            lines = fetched.body.decode("utf-8", errors="replace").splitlines()
        except HttpStatusError as exc:
            if exc.status in (401, 403):
                refusal = (RobotsDisallowed, f"{robots} answered {exc.status}: staying out")
            if exc.status >= 500:
                # the site is in trouble, not saying no: a later poll may try again
                refusal = (
                    NetworkError,
                    f"{robots} answered {exc.status}: the site is left alone until it answers",
                )
                ttl = _ROBOTS_ERROR_TTL_S
        except (NetworkError, TooLarge, TooManyRedirects, UnsupportedEncoding) as exc:
            # the site is unreachable or misbehaving: say so, not that it forbids the path
            refusal = (type(exc), f"{robots} could not be read ({exc.reason})")
            ttl = _ROBOTS_ERROR_TTL_S
        parser.parse(lines)
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            gate = self._gate(host_of(origin))
            gate.delay = max(gate.delay, min(float(delay), _MAX_CRAWL_DELAY_S))
        return _Robots(parser, time.monotonic() + ttl, refusal)


async def _set_location_aside(response: httpx.Response) -> None:
    """Move a redirect's Location where httpx does not look: told not to follow redirects,
    it still builds the next request from one, and raises on a Location it cannot read
    («javascript:…», «http://[::1») as an unexpected error, before `fetch` can refuse it."""
    if response.status_code in _REDIRECTS and "location" in response.headers:
        response.headers[_LOCATION] = response.headers["location"]
        del response.headers["location"]


async def _read_capped(response: httpx.Response, url: str, cap: int, max_ratio: int) -> bytes:
    """The body, decompressed by us so that both the wire and the decoded size are capped."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"Content-Length {declared} is over the cap of {cap} bytes", url=url)
    decoder = _Decoder(response.headers.get("content-encoding", ""), url, cap, max_ratio)
    raw = 0
    async for chunk in response.aiter_raw(_CHUNK):
        raw += len(chunk)
        if raw > cap:
            raise TooLarge(f"more than {cap} bytes on the wire", url=url)
        decoder.feed(chunk, raw)
    return decoder.finish()


class _Decoder:
    """The body as its Content-Encoding unpacks, piece by piece, stopped at the cap and at
    a compression ratio no page has (a bomb)."""

    def __init__(self, encoding: str, url: str, cap: int, max_ratio: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnsupportedEncoding(
                f"Content-Encoding {encoding!r} cannot be decoded (only gzip and deflate can)",
                url=url,
                encoding=encoding,
            )
        self._inflate = CappedInflater(cap) if codings else None
        self._parts: list[bytes] = []
        self._size = 0
        self._url, self._cap, self._ratio = url, cap, max_ratio

    def feed(self, chunk: bytes, raw: int) -> None:
        if self._inflate is None:
            self._add(chunk, raw)
            return
        try:
            self._add(self._inflate.feed(chunk), raw)
        except Corrupt as exc:
            raise NetworkError(f"corrupt compressed body: {exc}", url=self._url) from exc
        except Overflow as exc:
            raise TooLarge(f"decompresses to more than {self._cap} bytes", url=self._url) from exc

    def finish(self) -> bytes:
        return b"".join(self._parts)

    def _add(self, data: bytes, raw: int) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise TooLarge(f"decompresses to more than {self._cap} bytes", url=self._url)
        if self._size > _BOMB_FLOOR and self._size > self._ratio * max(raw, 1):
            raise TooLarge(
                f"compression ratio over {self._ratio}:1 (a decompression bomb)", url=self._url
            )
        self._parts.append(data)


def any_reachable(urls: Sequence[str], *, timeout_s: float = 3.0) -> bool:
    """Whether a TCP connection to any of the URLs' hosts opens: a cheap 'are we online?'.

    Asked before a poll round that is optional (the demo), so an offline machine says so in
    one line instead of waiting out every source's retries.
    """
    for url in urls:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            socket.create_connection((parts.hostname or "", port), timeout=timeout_s).close()
        except (OSError, ValueError):
            continue
        return True
    return False


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4-mapped IPv6 unwrapped)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def vetted_addresses(host: str, port: int, resolve: Resolver, hop: _Hop) -> list[str]:
    """The addresses `host` may be reached at for this request; BlockedAddress if any of them
    is not public (a host answering one private address among public ones is refused whole).
    Only a host the source was allowed (`--allow-local`) may be anything."""
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise NetworkError(f"cannot resolve {host}: {exc}", url=hop.url) from exc
    if host in hop.allow_hosts or f"[{host}]" in hop.allow_hosts:
        return addresses
    for address in addresses:
        if not is_public_address(address):
            raise BlockedAddress(
                f"{host} is {address}, not a public address (only sources added with "
                "--allow-local may reach their own local host)",
                url=hop.url,
            )
    return addresses


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens sockets only to addresses vetted for the request in flight, resolving the host
    itself, so no second DNS answer is ever trusted."""

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._sockets = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        hop = _HOP.get()
        if hop is None:
            raise BlockedAddress("a connection outside HttpClient.fetch", url=f"{host}:{port}")
        failure: Exception | None = None
        for address in await vetted_addresses(host, port, self._resolve, hop):
            try:
                return await self._sockets.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} has no address")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("Unix sockets are never fetched", url=path)

    async def sleep(self, seconds: float) -> None:
        await self._sockets.sleep(seconds)


def _pinned_transport(policy: FetchPolicy, resolve: Resolver) -> httpx.AsyncHTTPTransport:
    """httpx's own transport, its connection pool rebuilt over `_PinnedBackend` (httpx has no
    public setting for the network backend; the pool is what the transport sends through)."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=policy.concurrency, max_keepalive_connections=32),
        trust_env=False,
    )
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=policy.concurrency,
        max_keepalive_connections=32,
        keepalive_expiry=5.0,
        network_backend=_PinnedBackend(resolve),
    )
    return transport


async def _system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def parse_content_type(header: str) -> tuple[str, str | None]:
    """('text/html', 'windows-1251') from 'text/html; charset=windows-1251'."""
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media_type.strip().lower(), charset


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None when absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))
