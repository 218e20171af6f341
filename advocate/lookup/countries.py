"""The one table of country rules: for each dataset, the place options that belong to it, the flag and
question that ask for a place, the flag that narrows several districts to one, and the attendee CSV columns
each option is read from. The lookups themselves are in advocate.lookup.people (``lookup_us`` …)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FLAG = {"zip_code": "--zip"}  # an option's flag, where it is not "--" + the option
NUMBERS = ("district", "wahlkreis", "circo")  # options that take a number


@dataclass(frozen=True)
class Country:
    key: str  # the dataset, advocate/data/<key>.json
    code: str  # as results name it: US, GB, DE, FR, INTL
    options: tuple[str, ...] = ()  # lookup options, in the order the lookup function takes them
    ask: str | None = None  # the flag `write` asks for when no place is given …
    question: str | None = None  # … and its question on a terminal
    narrow: str | None = None  # the flag that picks one of several districts
    narrow_by_number: bool = True  # the districts are chosen by number (GB: by name)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # option → CSV columns, first non-empty
    row_needs: str | None = None  # what an attendee row of this country must have, when zip is not enough

    def finder(self) -> Callable[..., Any]:
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
        "de", "DE", ("postcode", "wahlkreis"), "--postcode", "Ihre Postleitzahl (PLZ)?", "--wahlkreis",
        columns={"postcode": ("zip",), "wahlkreis": ("wahlkreis", "district")},
    ),
    "fr": Country(
        "fr", "FR", ("postcode", "department", "circo"), "--postcode", "Votre code postal (ou --department)?",
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
