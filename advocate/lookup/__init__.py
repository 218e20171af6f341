"""One entry point for a lookup in any country, with the options that belong to each."""

from typing import Any

from advocate.errors import InputProblem
from advocate.lookup import people as reps
from advocate.opendata import store

# Which options belong to which country, to name a misplaced one instead of ignoring it.
OPTIONS = {
    "us": {"zip_code", "state", "district"},
    "gb": {"constituency", "council"},
    "de": {"postcode", "wahlkreis"},
    "fr": {"postcode", "department", "circo"},
    "intl": set(),
}
FLAG = {"zip_code": "--zip"}
NUMBERS = ("district", "wahlkreis", "circo")  # options that take a number


def option_for(flag: str) -> str | None:
    """The lookup option a place flag sets (``--zip`` → ``zip_code``); None for a flag that is no place."""
    option = next((o for o, f in FLAG.items() if f == flag), flag.removeprefix("--"))
    return option if any(option in opts for opts in OPTIONS.values()) else None


def answer_for(option: str, answer: str) -> str | int:
    """A typed answer as the value of ``option``: a number for the numbered ones."""
    return int(answer) if option in NUMBERS and answer.strip().isdigit() else answer


def lookup(country: str, **options: Any) -> reps.Result:
    key = store.dataset_for(country)
    given = {k for k, v in options.items() if v is not None}
    stray = sorted(given - OPTIONS[key])
    if stray:
        flags = ", ".join(FLAG.get(s, "--" + s) for s in stray)
        raise InputProblem(f"{flags} does not apply to --country {country.upper()}; see `advocate reps lookup --help`")
    if key == "us":
        return reps.lookup_us(options.get("zip_code"), options.get("district"), options.get("state"))
    if key == "gb":
        return reps.lookup_gb(options.get("constituency"), options.get("council"))
    if key == "de":
        return reps.lookup_de(options.get("postcode"), options.get("wahlkreis"))
    if key == "fr":
        return reps.lookup_fr(options.get("postcode"), options.get("department"), options.get("circo"))
    return reps.lookup_intl()
