"""What one record of a written letter holds, and the values it takes (dates, channels, hashes).

An entry never holds the letter's text or the sender's address: only the SHA-256 of the text. The
dataclass has no field for either, so the API cannot be handed them by mistake.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import InputProblem

CHANNELS = ("email-draft", "postal", "form", "call")
# The names batch.py and the write formats use for the same channels.
CHANNEL_ALIASES = {"email": "email-draft", "eml": "email-draft", "post": "postal", "letter": "postal", "text": "postal"}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_text(text: str | bytes) -> str:
    """The hash to record for a letter: SHA-256 of its UTF-8 text (or of the bytes written)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def today() -> dt.date:
    """advocate's today (``ADVOCATE_TODAY`` pins it)."""
    from advocate.opendata.store import today as store_today

    return store_today()


def stamp() -> str:
    """``written_at`` for a letter written now: advocate's today with the local clock time."""
    return f"{today().isoformat()}T{dt.datetime.now().strftime('%H:%M:%S')}"


def parse_date(value: str | dt.date, what: str = "date") -> dt.date:
    """A calendar date from ``YYYY-MM-DD`` (or a date); anything else is one InputProblem line naming it."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputProblem(f"{what} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01") from None


def batch_key(out: Path | str, row: int | str, recipient_id: str) -> str:
    """The key that makes a re-run of a batch record each letter once: output folder, row, recipient."""
    return f"{Path(out).resolve()}#{row}:{recipient_id}"


@dataclass(frozen=True)
class Entry:
    """One letter written: what ``Log.record`` stores. No text, no sender address."""

    written_at: str  # ISO date-time, e.g. stamp()
    template: str
    language: str
    recipient_id: str
    recipient_name: str
    channel: str  # one of CHANNELS (or an alias in CHANNEL_ALIASES)
    file: str  # the file written, or "" (stdout, a call)
    sha256: str  # sha256_text(letter)
    batch_key: str | None = None  # batch_key(out, row, recipient_id) for a batch, else None
    follows: int | None = None  # the id of the letter this one follows up (`advocate followup ID`)

    def __post_init__(self) -> None:
        channel = CHANNEL_ALIASES.get(self.channel, self.channel)
        if channel not in CHANNELS:
            raise ValueError(f"channel {self.channel!r} is not one of {', '.join(CHANNELS)}")
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"sha256 {self.sha256!r} is not a lowercase SHA-256 hex digest")
        try:
            when = dt.datetime.fromisoformat(self.written_at)
        except (TypeError, ValueError):
            raise ValueError(f"written_at {self.written_at!r} is not an ISO date-time") from None
        if self.follows is not None and (not isinstance(self.follows, int) or self.follows < 1):
            raise ValueError(f"follows must be a letter id, not {self.follows!r}")
        for name in ("template", "language", "recipient_id", "recipient_name", "file"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string, not {getattr(self, name)!r}")
        object.__setattr__(self, "channel", channel)
        object.__setattr__(self, "written_at", when.isoformat(timespec="seconds"))
        object.__setattr__(self, "file", str(self.file))


@dataclass(frozen=True)
class Row(Entry):
    """An entry as the record holds it: with its id and the dates it was sent and answered."""

    id: int = 0
    sent_on: str | None = None  # YYYY-MM-DD
    reply_on: str | None = None

    @property
    def written_on(self) -> dt.date:
        return dt.date.fromisoformat(self.written_at[:10])

    @property
    def since(self) -> dt.date:
        """The date a follow-up counts from: sent, or written if never marked sent."""
        return dt.date.fromisoformat(self.sent_on) if self.sent_on else self.written_on

    def as_dict(self) -> dict[str, Any]:
        """The row for ``--json``, in COLUMNS order (id first)."""
        return {name: getattr(self, name) for name in COLUMNS}


COLUMNS = ("id", *(f.name for f in fields(Entry)), "sent_on", "reply_on")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): leading ' before = + - @ TAB CR."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
