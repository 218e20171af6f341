"""The one table of country rules: for each dataset, the place options that belong to it, the flag and
question that ask for a place, the flag that narrows several districts to one, and the attendee CSV columns
each option is read from. The lookups themselves are in advocate.lookup.people (``lookup_us`` …)."""

from collections.abc import Callable
from typing import Any

FLAG = {"zip_code": "--zip"}  # an option's flag, where it is not "--" + the option
NUMBERS = ("district", "wahlkreis", "circo")  # options that take a number


class Country:
    """One country's rules (a plain class: a dataclass would cost start-up time for nothing)."""

    __slots__ = ("key", "code", "options", "ask", "question", "narrow", "narrow_by_number", "columns", "row_needs")

    def __init__(
        self,
        key: str,
        code: str,
        options: tuple[str, ...] = (),
        ask: str | None = None,
        question: str | None = None,
        narrow: str | None = None,
        *,
        narrow_by_number: bool = True,
        columns: dict[str, tuple[str, ...]] | None = None,
        row_needs: str | None = None,
    ) -> None:
        self.key = key  # the dataset, advocate/data/<key>.json
        self.code = code  # as results name it: US, GB, DE, FR, INTL
        self.options = options  # lookup options, in the order the lookup function takes them
        self.ask = ask  # the flag `write` asks for when no place is given …
        self.question = question  # … and its question on a terminal
        self.narrow = narrow  # the flag that picks one of several districts
        self.narrow_by_number = narrow_by_number  # the districts are chosen by number (GB: by name)
        self.columns = columns or {}  # option → attendee CSV columns it is read from, first non-empty
        self.row_needs = row_needs  # what an attendee row of this country must have, when zip is not enough

    def finder(self) -> Callable[..., Any]:
        """The lookup function: advocate.lookup.people.lookup_<key>, taking ``options`` in order."""
        from advocate.lookup import people

        found: Callable[..., Any] = getattr(people, f"lookup_{self.key}")
        return found


COUNTRIES = {
    "us": Country(
        "us", "US", ("zip_code", "district", "state"), "--zip", "Your ZIP code?", "--district",
        columns={"zip_code": ("zip",), "district": ("district",), "state": ("state",)},
    ),
    "gb": Country(
        "gb", "GB", ("constituency", "council"), "--constituency", "Your constituency (or give --council)?",
        "--constituency", narrow_by_number=False,
        columns={"constituency": ("constituency",), "council": ("council",)},
        row_needs="UK rows need a constituency (or council) column: there is no postcode table",
    ),
    "de": Country(
        "de", "DE", ("postcode", "wahlkreis"), "--postcode", "Your postcode (PLZ)?", "--wahlkreis",
        columns={"postcode": ("zip",), "wahlkreis": ("wahlkreis", "district")},
    ),
    "fr": Country(
        "fr", "FR", ("postcode", "department", "circo"), "--postcode", "Your postcode (code postal)?",
        "--circo", columns={"postcode": ("zip",), "department": ("department",), "circo": ("circo", "district")},
    ),
    "intl": Country("intl", "INTL"),
}  # fmt: skip
BY_CODE = {c.code: c for c in COUNTRIES.values()}


def flag(option: str) -> str:
    return FLAG.get(option, "--" + option)


def option_for(flag_name: str) -> str | None:
    """The lookup option a place flag sets (``--zip`` → ``zip_code``); None for a flag that is no place."""
    option = next((o for o, f in FLAG.items() if f == flag_name), flag_name.removeprefix("--"))
    return option if any(option in c.options for c in COUNTRIES.values()) else None


def answer_for(option: str, answer: str) -> str | int:
    """A typed answer as the value of ``option``: a number for the numbered ones."""
    return int(answer) if option in NUMBERS and answer.strip().isdigit() else answer


# Country names as people type them, in English, German and French (folded: case and accents don't matter).
NAMES = {
    "US": ("us", "usa", "united states", "united states of america", "america", "vereinigte staaten", "etats unis",
           "amerika", "amerique"),
    "GB": ("gb", "uk", "united kingdom", "great britain", "britain", "england", "scotland", "wales",
           "northern ireland", "vereinigtes konigreich", "grossbritannien", "royaume uni", "grande bretagne"),
    "DE": ("de", "germany", "deutschland", "allemagne"),
    "FR": ("fr", "france", "frankreich"),
    "INTL": ("intl", "international", "un", "icc", "embassy"),
}  # fmt: skip


def country_code(answer: str) -> str | None:
    """The country code for a typed answer (``Germany``, ``Deutschland``, ``de``), or None."""
    from advocate.text import fold

    key = fold(answer)
    return next((code for code, names in NAMES.items() if key in names), None)


GB_POSTCODE = (
    "there is no open UK postcode → constituency table small enough to bundle; find your constituency at "
    "https://members.parliament.uk/constituencies and give --constituency NAME (or --council NAME)"
)


def looks_like_uk_postcode(text: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}", text.strip()) is not None
