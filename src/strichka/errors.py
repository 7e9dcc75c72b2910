"""Every error that stops work is one of these; each carries a stable code for docs and logs.

    StrichkaError
     ├── InputError                (E1xx: the input is bad; names the input)
     │    ├── EmptyInput           E101
     │    ├── InputTooLarge        E102  refused before it is read whole
     │    ├── UndecodableInput     E103  binary garbage, NUL bytes, no text encoding fits
     │    ├── UnrecognisedFormat   E104  text, but no reader knows its shape
     │    └── MalformedItem        E105  a reader knows the shape, but this item breaks it
     ├── StoreError                (E2xx: the store cannot do what was asked)
     │    ├── SchemaTooNew         E201  the database was written by a newer strichka
     │    └── NotFound             E202
     └── ConfigError               E301

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


class StoreError(StrichkaError):
    code = "E200"


class SchemaTooNew(StoreError):
    code = "E201"


class NotFound(StoreError):
    code = "E202"


class ConfigError(StrichkaError):
    code = "E301"
