"""Every error that stops work is one of these; each carries a stable code for docs and logs.

    StrichkaError
     ├── InputError                (E1xx: the input is bad; names the input)
     │    ├── EmptyInput           E101
     │    ├── InputTooLarge        E102  refused before it is read whole
     │    ├── UndecodableInput     E103  binary garbage, NUL bytes, no text encoding fits
     │    ├── UnrecognisedFormat   E104  text, but no reader knows its shape
     │    ├── MalformedItem        E105  a reader knows the shape, but this item breaks it
     │    ├── MalformedQuery       E106  a search query that cannot be read (strichka.search)
     │    └── UnwritableOutput     E107  an output file (or standard output) that cannot be written
     ├── StoreError                (E2xx: the store cannot do what was asked)
     │    ├── SchemaTooNew         E201  the database was written by a newer strichka
     │    ├── NotFound             E202
     │    ├── PollerBusy           E203  another live `strichka run` holds the database's lease
     │    └── NoDatabase           E204  a command that only reads was pointed at no database
     ├── ConfigError               E301
     │    └── AddressUnavailable   E302  `serve` cannot listen on the host and port it was given
     └── FetchError                (E4xx: the web did not give us the bytes; names the URL)
          ├── BlockedAddress       E401  not http(s), or a private/loopback/link-local address
          ├── RobotsDisallowed     E402  the site's robots.txt forbids the path
          ├── TooLarge             E403  body or decoded body over the cap, or a bomb
          ├── TooManyRedirects     E404  over the redirect limit, or a loop
          ├── HttpStatusError      E405  a status we cannot use (after retries)
          ├── NetworkError         E406  DNS, connect, read or total timeout (after retries)
          ├── MalformedFeed        E407  a feed or sitemap that no parser can read
          └── UnsupportedEncoding  E408  a body in a Content-Encoding we cannot decode (br, zstd)

The API answers with these codes too, and with its own E5xx for what only a request can get
wrong (in the {"error": {"code", "message"}} body, not raised as exceptions):
E501 writes without the right X-API-Key (401), E502 a cursor this API did not give out (400),
E503 a request body over the cap (413), E504 parameters or body that fail validation (422),
E505 no such API path (404), E506 a method the path does not take (405), E500 any other
HTTP error the router raises.

A dropped item inside a batch is not an exception but a value: `records.Rejected`.
"""

from __future__ import annotations


class StrichkaError(Exception):
    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(StrichkaError):
    """Bad input. `source` names the file, URL or line the message is about."""

    code = "E100"

    def __init__(self, message: str, *, source: str = "<input>") -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class EmptyInput(InputError):
    code = "E101"


class InputTooLarge(InputError):
    code = "E102"


class UndecodableInput(InputError):
    code = "E103"


class UnrecognisedFormat(InputError):
    code = "E104"


class MalformedItem(InputError):
    code = "E105"


class UnwritableOutput(InputError):
    """The output path a user gave cannot be written (no such folder, no permission)."""

    code = "E107"


class StoreError(StrichkaError):
    code = "E200"


class SchemaTooNew(StoreError):
    code = "E201"


class NotFound(StoreError):
    code = "E202"


class PollerBusy(StoreError):
    """Another poller holds the database's lease (it is alive, or its lease has not expired).

    `host`, `pid` and `since` (UNIX seconds) name the holder; `expires_at` is when its lease
    runs out unless it renews it.
    """

    code = "E203"

    def __init__(
        self, message: str, *, host: str, pid: int, since: float, expires_at: float
    ) -> None:
        super().__init__(message)
        self.host = host
        self.pid = pid
        self.since = since
        self.expires_at = expires_at


class NoDatabase(StoreError):
    """Reading commands never create a database: an empty new one would hide a mistyped --db."""

    code = "E204"


class ConfigError(StrichkaError):
    code = "E301"


class AddressUnavailable(ConfigError):
    """`serve` cannot listen where it was told: the port is taken, or the host is not ours."""

    code = "E302"


class FetchError(StrichkaError):
    """Fetching a URL failed. `url` names it; `retryable` says whether a later poll may succeed."""

    code = "E400"
    retryable = True

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class BlockedAddress(FetchError):
    code = "E401"
    retryable = False


class RobotsDisallowed(FetchError):
    code = "E402"
    retryable = False


class TooLarge(FetchError):
    code = "E403"
    retryable = False


class TooManyRedirects(FetchError):
    code = "E404"
    retryable = False


class HttpStatusError(FetchError):
    code = "E405"

    def __init__(
        self, message: str, *, url: str, status: int, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after
        self.retryable = status == 429 or status >= 500


class NetworkError(FetchError):
    code = "E406"


class MalformedFeed(FetchError):
    code = "E407"
    retryable = False


class UnsupportedEncoding(FetchError):
    """The body came in a Content-Encoding we did not ask for and cannot decode; asking again
    gets the same bytes, so it is not retried. `encoding` is the header as the server sent it."""

    code = "E408"
    retryable = False

    def __init__(self, message: str, *, url: str, encoding: str) -> None:
        super().__init__(message, url=url)
        self.encoding = encoding
