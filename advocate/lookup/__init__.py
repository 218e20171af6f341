"""One entry point for a lookup in any country; the options that belong to each are in ``countries``."""

from typing import Any

from advocate.errors import InputProblem
from advocate.lookup import people as reps
from advocate.lookup.countries import COUNTRIES, GB_POSTCODE, flag
from advocate.opendata import store


def lookup(country: str, **options: Any) -> reps.Result:
    key = store.dataset_for(country)
    given = {k for k, v in options.items() if v is not None}
    rules = COUNTRIES[key]
    stray = sorted(given - set(rules.options))
    if stray == ["postcode"] and key == "gb":
        raise InputProblem(GB_POSTCODE)
    if stray:
        flags = ", ".join(flag(s) for s in stray)
        raise InputProblem(f"{flags} does not apply to --country {country.upper()}; see `advocate reps lookup --help`")
    result: reps.Result = rules.finder()(*(options.get(o) for o in rules.options))
    result.as_of = store.meta(key).get("as_of")
    return result
