"""The questions `write` asks on a terminal, each answer checked as soon as it is typed.

A wrong answer (a country not known, a postcode not in the table, a letter name with a typo, a district
that is not one of the candidates) is said in one line and asked again, up to ``TRIES`` times; then it is
the error it would have been as a flag. Questions and hints go to stderr, so stdout holds only letters
(`advocate write > letter.txt` gives a clean file).
"""

import difflib
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from advocate.cli.common import err
from advocate.errors import AdvocateError, InputProblem
from advocate.records import Person

T = TypeVar("T")
TRIES = 3
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def line(question: str) -> str:
    """One answer, the question on stderr (its trailing space too: none reaches a redirected stdout)."""
    sys.stderr.write(question + " ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        raise InputProblem(f"no answer to {question!r} (input ended)")
    return answer.strip()


def ask(question: str, check: Callable[[str], T], tries: int = TRIES) -> T:
    """Ask until ``check`` accepts the answer (it raises an AdvocateError to refuse it), at most ``tries`` times."""
    for attempt in range(1, tries + 1):
        answer = line(question)
        try:
            return check(answer)
        except AdvocateError as problem:
            if attempt == tries:
                raise InputProblem(f"{problem} (asked {tries} times)") from None
            err(f"  {problem}")
    raise AssertionError("unreachable")


def optional(question: str, check: Callable[[str], str] | None = None) -> str | None:
    """An answer that may be skipped with Enter (None)."""

    def checked(answer: str) -> str | None:
        if not answer:
            return None
        return check(answer) if check else answer

    return ask(question + " (Enter to skip):", checked)


def country() -> str:
    from advocate.lookup.countries import country_code

    def check(answer: str) -> str:
        code = country_code(answer)
        if code is None:
            raise InputProblem(f"{answer!r} is not a country in the data; answer US, GB, DE, FR or INTL (or its name)")
        return code

    return ask("Which country are your lawmakers in? [US/GB/DE/FR/INTL]", check)


def place(country_code: str, area: dict[str, Any]) -> list[Person]:
    """The lawmakers for the place given or asked for; ``area`` gets the answers (the ZIP signs the letter)."""
    from advocate.drafts.recipients import lawmakers
    from advocate.lookup import countries, lookup
    from advocate.opendata import store

    rules = countries.COUNTRIES[store.dataset_for(country_code)]
    if not any(v is not None for v in area.values()) and rules.ask:
        option = countries.option_for(rules.ask) or ""

        def check(answer: str) -> Any:
            if not answer:
                raise InputProblem("an answer is needed to find your lawmakers")
            value = countries.answer_for(option, answer)
            if rules.key == "gb" and countries.looks_like_uk_postcode(answer):
                raise InputProblem(countries.GB_POSTCODE)
            return value, lookup(country_code, **{**area, option: value})

        area[option], result = ask(rules.question or "Which place?", check)
    else:
        result = lookup(country_code, **area)
    change = getattr(result, "map_changed", None)
    if change and not change["district_given"] and area.get("zip_code") is not None:
        area["district"] = new_map_district(country_code, area, change["house_finder"])
    elif result.ambiguous and rules.narrow:
        option = countries.option_for(rules.narrow) or ""
        area[option] = district(result.districts, rules.narrow_by_number, option)
    return lawmakers(country_code, area)


def new_map_district(country_code: str, area: dict[str, Any], finder: str) -> int:
    """The House district under a new map, which the ZIP table cannot tell: checked against the member data."""
    from advocate.drafts.recipients import lawmakers

    def check(answer: str) -> int:
        if not answer.strip().isdigit():
            raise InputProblem(f"{answer!r} is not a district number; find yours at {finder}")
        number = int(answer)
        lawmakers(country_code, {**area, "district": number})  # refuses a district the state does not have
        return number

    return ask(f"The district map changed; your House district number (find it at {finder})?", check)


def district(candidates: list[dict[str, str]], by_number: bool, option: str) -> Any:
    """One of the candidate districts, by number (US, DE, FR) or name (GB); never anything else."""
    from advocate.text import fold

    choices = [d["id"].split("-")[-1].lstrip("0") or "0" if by_number else d["name"] for d in candidates]
    err("Several districts match; yours is one of:")
    for choice, d in zip(choices, candidates, strict=True):
        err(f"  {choice} = {d['name']}" if by_number else f"  {choice}")

    def check(answer: str) -> Any:
        for choice in choices:
            if fold(answer) == fold(choice) or (by_number and answer.lstrip("0") == choice):
                return int(choice) if by_number else choice
        raise InputProblem(f"{answer!r} is not one of them; answer {', '.join(choices)}")

    shown = "/".join(choices) if len(choices) <= 12 else f"{choices[0]}…{choices[-1]}"
    return ask(f"Which one is yours? [{shown}]", check)


def letter(recipients: list[Person], *, any_one: bool = False) -> str:
    """A letter by number or name from a numbered list with titles: those meant for all ``recipients``
    (``any_one``: for any one of them, as INTL letters are)."""
    from advocate.templates import letters as templates

    found, problems = templates.readable_letters()
    for problem in problems:
        err(f"Warning: skipped a broken letter: {problem}")
    families = templates.families(found)
    fitting = [
        name
        for name, variants in families.items()
        if (any if any_one else all)(any(templates.suits(x, p) for x in variants) for p in recipients)
    ] or list(families)
    err("The letters:")
    for number, name in enumerate(fitting, start=1):
        err(f"  {number}. {name} — {families[name][0].meta['title']}")

    def check(answer: str) -> str:
        wanted = answer.strip().lower()
        if wanted.isdigit() and 1 <= int(wanted) <= len(fitting):
            return fitting[int(wanted) - 1]
        if wanted in fitting:
            return wanted
        if wanted in families:
            raise InputProblem(f"letter {wanted!r} is not meant for these recipients; choose one of the list")
        close = difflib.get_close_matches(wanted, fitting, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}? " if close else ""
        raise InputProblem(f"no letter called {answer!r}; {hint}answer a number from 1 to {len(fitting)} or a name")

    return ask("Which letter? (number or name)", check)


def name() -> str:
    def check(answer: str) -> str:
        if not answer:
            raise InputProblem("your name is needed: it signs the letter")
        return answer

    return ask("Your name (it signs the letter)?", check)


def email(answer: str) -> str:
    if not _EMAIL.fullmatch(answer):
        raise InputProblem(f"{answer!r} is not an e-mail address (like name@example.org)")
    return answer


def who_and_what(
    country_code: str | None,
    template: str | None,
    signer: str | None,
    area: dict[str, Any],
    to: list[str],
    custom: Callable[[], Person] | None,
) -> tuple[list[Person], str, str]:
    """Recipients, letter and signer, asking in the order a person thinks of them: country, place, letter, name."""
    from advocate.drafts.recipients import find_recipients
    from advocate.lookup import people as reps
    from advocate.opendata import store

    if custom is not None:
        recipients = [custom()]
    elif to:
        recipients = find_recipients(None, to, template or "")
    else:
        code = country_code or country()
        if store.dataset_for(code) == "intl":
            template = template or letter(reps.lookup_intl().people, any_one=True)
            recipients = find_recipients(code, [], template)
        else:
            recipients = place(code, area)
    template = template or letter(recipients)
    return recipients, template, (signer or "").strip() or name()


def details(given: dict[str, str | None], area: dict[str, Any], recipients: list[Person]) -> dict[str, str | None]:
    """The sender's address, town, postcode and e-mail: those not given are asked (Enter skips each).

    Not asked when every recipient is an embassy, whose letter carries the name only."""
    from advocate.drafts.draft import is_embassy

    if all(is_embassy(p) for p in recipients):
        return given
    out = dict(given)
    if out["address"] is None:
        out["address"] = optional("Your street address (offices check it)")
    if out["city"] is None:
        out["city"] = optional("Your town or city")
    if out["postcode"] is None and not (area.get("zip_code") or area.get("postcode")):
        out["postcode"] = optional("Your postcode")
    if out["email"] is None:
        out["email"] = optional("Your e-mail, for a reply", email)
    return out


def paragraph() -> str:
    return optional("Your own paragraph — why this matters to you") or ""
