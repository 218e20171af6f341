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


@dataclass
class Done:
    """What one row produced, sent back from a worker."""

    number: int
    line: int
    fields: list[str]
    name: str = ""
    problem: str | None = None
    entries: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)  # id, name, channel, file, sha, cc
    text: str = ""  # jsonl or html for the single output file
    written: int = 0
    kept: int = 0
    new: list[str] = field(default_factory=list)  # letter files this row wrote (removed if the run fails)
