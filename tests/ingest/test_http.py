"""The HTTP client against a loopback server that misbehaves on purpose."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from strichka.errors import (
    BlockedAddress,
    HttpStatusError,
    NetworkError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    UnsupportedEncoding,
)
from strichka.ingest.http import (
    Fetched,
    FetchPolicy,
    HttpClient,
    is_public_address,
    retry_after_seconds,
)

from .conftest import Reply, Request, Server


def fetch(policy: FetchPolicy, url: str, server: Server | None = None, **kwargs: Any) -> Fetched:
    allow = frozenset({"127.0.0.1"}) if server else frozenset()

    async def go() -> Fetched:
        async with HttpClient(policy) as client:
            return await client.fetch(url, allow_hosts=kwargs.pop("allow_hosts", allow), **kwargs)

    return asyncio.run(go())


def test_500s_then_success_is_retried(server: Server, policy: FetchPolicy) -> None:
    replies = iter([Reply(500), Reply(503), Reply(200, b"finally")])
    server.routes["/flaky"] = lambda _: next(replies)
    fetched = fetch(policy, server.url("/flaky"), server)
    assert fetched.body == b"finally"
    assert server.hits["/flaky"] == 3


def test_persistent_500_gives_up_after_the_retries(server: Server, policy: FetchPolicy) -> None:
    server.routes["/down"] = Reply(502)
    with pytest.raises(HttpStatusError) as caught:
        fetch(policy, server.url("/down"), server)
    assert caught.value.status == 502 and caught.value.code == "E405"
    assert server.hits["/down"] == policy.retries + 1


def test_429_waits_for_retry_after(server: Server, policy: FetchPolicy) -> None:
    replies = iter([Reply(429, headers={"Retry-After": "1"}), Reply(200, b"ok")])
    server.routes["/busy"] = lambda _: next(replies)
    start = time.monotonic()
    assert fetch(policy, server.url("/busy"), server).body == b"ok"
    assert time.monotonic() - start >= 0.95
    assert server.hits["/busy"] == 2


def test_429_with_a_too_long_retry_after_gives_up_at_once(
    server: Server, policy: FetchPolicy
) -> None:
    server.routes["/later"] = Reply(429, headers={"Retry-After": "3600"})
    with pytest.raises(HttpStatusError) as caught:
        fetch(policy, server.url("/later"), server)
    assert caught.value.retry_after == 3600
    assert server.hits["/later"] == 1


def test_a_404_is_not_retried(server: Server, policy: FetchPolicy) -> None:
    with pytest.raises(HttpStatusError) as caught:
        fetch(policy, server.url("/missing"), server)
    assert caught.value.status == 404 and not caught.value.retryable
    assert server.hits["/missing"] == 1


def test_a_stalled_response_times_out(server: Server, policy: FetchPolicy) -> None:
    def stalled() -> Iterator[bytes]:
        yield b"<html>"
        time.sleep(3)
        yield b"</html>"

    server.routes["/stall"] = Reply(200, stalled(), headers={"Content-Length": "13"})
    server.routes["/stall-head"] = Reply(200, b"late", stall=3)
    quick = replace(policy, retries=0)
    start = time.monotonic()
    with pytest.raises(NetworkError, match="timed out"):
        fetch(quick, server.url("/stall"), server)
    with pytest.raises(NetworkError, match="timed out"):
        fetch(quick, server.url("/stall-head"), server)
    assert time.monotonic() - start < 2.5


def test_total_timeout_stops_a_slow_drip(server: Server, policy: FetchPolicy) -> None:
    def drip() -> Iterator[bytes]:
        for _ in range(40):
            time.sleep(0.1)
            yield b"x"

    server.routes["/drip"] = Reply(200, drip())
    quick = replace(policy, retries=0, total_timeout=1.0)
    start = time.monotonic()
    with pytest.raises(NetworkError, match="no complete response within 1 s"):
        fetch(quick, server.url("/drip"), server)
    assert time.monotonic() - start < 2.0


def _fifty_megabytes() -> Iterator[bytes]:
    chunk = b"<p>" + b"x" * (1024 * 1024 - 3)
    for _ in range(50):
        yield chunk


def test_a_50_mb_page_is_refused_by_its_content_length(server: Server, policy: FetchPolicy) -> None:
    server.routes["/huge"] = Reply(
        200, _fifty_megabytes(), headers={"Content-Length": str(50 * 1024 * 1024)}
    )
    with pytest.raises(TooLarge, match="Content-Length"):
        fetch(policy, server.url("/huge"), server)
    assert server.sent["/huge"] < 50 * 1024 * 1024


def test_a_50_mb_chunked_page_is_cut_at_the_cap(server: Server, policy: FetchPolicy) -> None:
    server.routes["/huge"] = Reply(200, _fifty_megabytes())
    with pytest.raises(TooLarge, match="on the wire"):
        fetch(policy, server.url("/huge"), server)
    # The server could push only what the socket buffers took before we hung up.
    assert server.sent["/huge"] < 20 * 1024 * 1024


def test_a_gzip_bomb_is_defused(server: Server, policy: FetchPolicy) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < policy.max_bytes
    server.routes["/bomb"] = Reply(200, bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge, match="bomb|decompresses"):
        fetch(policy, server.url("/bomb"), server)


def test_gzip_is_decoded(server: Server, policy: FetchPolicy) -> None:
    page = "<html><body><p>Привіт</p></body></html>".encode()
    server.routes["/gz"] = Reply(200, gzip.compress(page), headers={"Content-Encoding": "gzip"})
    assert fetch(policy, server.url("/gz"), server).body == page


def test_a_gzip_body_of_several_members_is_decoded_whole(
    server: Server, policy: FetchPolicy
) -> None:
    """Only the first member was read: a feed compressed in parts lost all but its head."""
    head = "<rss><channel><title>Стрічка</title>".encode()
    tail = "<item><title>Друга частина</title></item></channel></rss>".encode()
    body = gzip.compress(head) + gzip.compress(tail)
    server.routes["/parts"] = Reply(200, body, headers={"Content-Encoding": "gzip"})
    assert fetch(policy, server.url("/parts"), server).body == head + tail


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br", "x-compress"])
def test_an_encoding_we_cannot_decode_is_named_and_not_retried(
    server: Server, policy: FetchPolicy, encoding: str
) -> None:
    """A Brotli body was the generic E400, which the poller retries: the same bytes again."""
    server.routes["/br"] = Reply(
        200, b"\x1b\x03\x00\xf8\x8d\x94\x6e\xde", {"Content-Encoding": encoding}
    )
    with pytest.raises(UnsupportedEncoding) as caught:
        fetch(policy, server.url("/br"), server)
    assert caught.value.code == "E408" and not caught.value.retryable
    assert caught.value.encoding == encoding and repr(encoding) in caught.value.reason
    assert server.hits["/br"] == 1


def test_a_redirect_loop_is_detected(server: Server, policy: FetchPolicy) -> None:
    server.routes["/a"] = Reply(302, headers={"Location": "/b"})
    server.routes["/b"] = Reply(301, headers={"Location": server.url("/a?utm_source=x")})
    with pytest.raises(TooManyRedirects, match="loop"):
        fetch(policy, server.url("/a"), server)
    assert server.hits["/a"] == 1 and server.hits["/b"] == 1


def test_a_long_redirect_chain_is_cut(server: Server, policy: FetchPolicy) -> None:
    for n in range(10):
        server.routes[f"/r{n}"] = Reply(302, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(TooManyRedirects, match="more than 5"):
        fetch(policy, server.url("/r0"), server)
    server.routes["/r3"] = Reply(200, b"here")
    fetched = fetch(policy, server.url("/r0"), server)
    assert fetched.body == b"here" and fetched.final_url == server.url("/r3")


def test_etag_and_last_modified_give_304(server: Server, policy: FetchPolicy) -> None:
    def conditional(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(200, b"feed", headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024"})

    server.routes["/feed"] = conditional
    first = fetch(policy, server.url("/feed"), server)
    assert first.etag == '"v1"' and first.last_modified == "Mon, 01 Jan 2024"
    second = fetch(policy, server.url("/feed"), server, etag=first.etag)
    assert second.not_modified and second.body == b""
    assert server.requests[-1].headers["if-none-match"] == '"v1"'


def test_robots_txt_is_obeyed_and_fetched_once(server: Server, policy: FetchPolicy) -> None:
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private\n")
    server.routes["/private/page"] = Reply(200, b"secret")
    server.routes["/public"] = Reply(200, b"hello")

    async def go() -> None:
        async with HttpClient(policy) as client:
            allow = frozenset({"127.0.0.1"})
            assert (await client.fetch(server.url("/public"), allow_hosts=allow)).body == b"hello"
            with pytest.raises(RobotsDisallowed):
                await client.fetch(server.url("/private/page"), allow_hosts=allow)
            await client.fetch(server.url("/public"), allow_hosts=allow)

    asyncio.run(go())
    assert server.hits["/private/page"] == 0
    assert server.hits["/robots.txt"] == 1


def test_a_robots_txt_that_cannot_be_read_is_named_as_such(
    server: Server, policy: FetchPolicy
) -> None:
    """Staying out is right either way; the error must say why, not that the path is barred."""
    server.routes["/robots.txt"] = Reply(503)
    with pytest.raises(NetworkError, match=r"robots\.txt answered 503") as trouble:
        fetch(policy, server.url("/news"), server)
    assert trouble.value.retryable  # the site is in trouble, not saying no: poll again later
    unreachable = "http://127.0.0.1:9/feed.xml"  # the discard port: nothing listens
    with pytest.raises(NetworkError, match=r"127\.0\.0\.1:9/robots\.txt could not be read"):
        fetch(policy, unreachable, allow_hosts=frozenset({"127.0.0.1"}))


def test_user_agent_names_strichka_and_a_contact(server: Server, policy: FetchPolicy) -> None:
    server.routes["/ua"] = Reply(200, b"ok")
    fetch(policy, server.url("/ua"), server)
    agent = server.requests[-1].headers["user-agent"]
    assert agent.startswith("strichka/") and "https://example.org/contact" in agent


def test_the_header_charset_is_used_when_it_fits(server: Server, policy: FetchPolicy) -> None:
    page = "<html><body><p>Київ, Львів і Харків</p></body></html>".encode("cp1251")
    server.routes["/cp"] = Reply(200, page, headers={"Content-Type": "text/html; charset=cp1251"})
    fetched = fetch(policy, server.url("/cp"), server)
    assert fetched.charset == "cp1251"
    assert "Київ, Львів і Харків" in fetched.text()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://224.0.0.1/",
        "file:///etc/passwd",
        "ftp://example.org/",
    ],
)
def test_non_public_and_non_http_targets_are_refused(url: str, policy: FetchPolicy) -> None:
    with pytest.raises(BlockedAddress):
        fetch(policy, url)


def test_allow_local_admits_only_the_sources_own_host(server: Server, policy: FetchPolicy) -> None:
    server.routes["/to-metadata"] = Reply(
        302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    server.routes["/to-file"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(BlockedAddress, match="169.254.169.254"):
        fetch(policy, server.url("/to-metadata"), server)
    with pytest.raises(BlockedAddress, match="scheme"):
        fetch(policy, server.url("/to-file"), server)
    with pytest.raises(BlockedAddress):
        fetch(policy, server.url("/to-metadata"), allow_hosts=frozenset({"localhost"}))


@pytest.mark.parametrize(
    ("location", "reason"),
    [("javascript:alert(1)", "scheme 'javascript'"), ("http://[::1", "not a valid URL")],
)
def test_a_location_that_is_no_web_address_is_refused_at_once(
    server: Server, policy: FetchPolicy, location: str, reason: str
) -> None:
    """httpx reads a redirect's Location even when it follows none: «javascript:…» raised
    its InvalidURL (a traceback from `strichka source add`, E999 for a polled item), and
    «http://[::1» a protocol error taken for the network's, so retried."""
    server.routes["/moved"] = Reply(302, headers={"Location": location})
    with pytest.raises(BlockedAddress, match=reason) as refused:
        fetch(policy, server.url("/moved"), server)
    assert refused.value.url == server.url("/moved") and location in refused.value.reason
    assert server.hits["/moved"] == 1


def _fetch_with(resolver: Any, policy: FetchPolicy, url: str, **kwargs: Any) -> Fetched:
    async def go() -> Fetched:
        async with HttpClient(policy, resolver=resolver) as client:
            return await client.fetch(url, **kwargs)

    return asyncio.run(go())


def test_dns_rebinding_to_loopback_never_reaches_the_socket(
    server: Server, policy: FetchPolicy
) -> None:
    """A host that answers a public address to the check and 127.0.0.1 when the connection
    opens must be refused at the connection, and our loopback server must see nothing."""
    server.routes["/secret"] = Reply(200, body=b"intranet")
    answers = iter([["93.184.216.34"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers, ["127.0.0.1"])

    with pytest.raises(BlockedAddress, match="127.0.0.1"):
        _fetch_with(
            rebinding, policy, f"http://news.example:{server.port}/secret", check_robots=False
        )
    assert server.requests == []


def test_the_socket_opens_to_the_address_that_was_vetted(
    server: Server, policy: FetchPolicy
) -> None:
    """Connections go to our resolver's answer, not to a second lookup: a name no DNS knows
    reaches the local server it was resolved to (the source was allowed to be local)."""
    server.routes["/robots.txt"] = Reply(404)
    server.routes["/page"] = Reply(200, body=b"pinned")

    async def local(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "feed.invalid" else []

    url = f"http://feed.invalid:{server.port}/page"
    fetched = _fetch_with(local, policy, url, allow_hosts=frozenset({"feed.invalid"}))
    assert fetched.body == b"pinned"
    assert server.requests[-1].headers["host"] == f"feed.invalid:{server.port}"


def test_address_classes() -> None:
    assert is_public_address("93.184.216.34")
    assert is_public_address("2606:2800:220:1:248:1893:25c8:1946")
    for address in ("169.254.169.254", "192.168.1.1", "100.64.0.1", "0.0.0.0", "fe80::1", "::1"):
        assert not is_public_address(address), address


def test_retry_after_forms() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 60) == 60.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
