"""What a batch is asked to do (Options), what it did (Summary), and what one row produced (Done)."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("txt", "eml", "html", "jsonl")


@dataclass
class Options:
    template: str
    fmt: str = "txt"
    out: Path | None = None
    country: str | None = None
    ambiguous: str = "error"  # or "all"
    paper: str = "A4"
    limit: int | None = None
    check: bool = False
    dry_run: bool = False
    force: bool = False
    stop_on_error: bool = False
    encoding: str | None = None
    jobs: int = 1
    to: tuple[str, ...] = ()  # --to: these recipients (international ones) for every attendee
    errors: Path | None = None  # --check: where errors.csv goes
    split: int | None = None  # --split N: letters per HTML file


@dataclass
class Summary:
    rows: int = 0
    attendees: int = 0
    letters: int = 0
    written: int = 0
    kept: int = 0  # already there from an interrupted run
    failed: int = 0
    by: Counter[tuple[str, str]] = field(default_factory=Counter)
    countries: set[str] = field(default_factory=set)
    out: Path | None = None
    warnings: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)  # --dry-run: files that would be written
    total: int | None = None  # rows in the file, when --limit stopped early
    files: int = 0  # HTML files
    long_rows: list[int] = field(default_factory=list)  # rows with a letter of more than one page
    no_personal: int = 0  # attendees who left the personal paragraph empty
    personal: Counter[int] = field(default_factory=Counter)  # personal paragraph (normalised, hashed) → attendees

    @property
    def identical(self) -> int:
        """Attendees whose personal paragraph is word for word another attendee's."""
        return sum(n for n in self.personal.values() if n > 1)


@dataclass
class Done:
    """What one row produced, sent back from a worker."""

    number: int
    line: int
    fields: list[str]
    name: str = ""
    problem: str | None = None
    # id, name, channel, file, sha, cc, pages (html: the letter's pages; 1 otherwise)
    entries: list[tuple[str, str, str, str, str, str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # jsonl or html, one per entry, for the one-file formats
    personal: int | None = None  # the personal paragraph, normalised and hashed (None: left empty)
    part: str | None = None  # the last row of a worker's chunk: the file holding the chunk's jsonl text
    written: int = 0
    kept: int = 0
    new: list[str] = field(default_factory=list)  # letter files this row wrote (removed if the run fails)
