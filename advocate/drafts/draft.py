"""A draft: one rendered letter to one recipient, and the rules `write` and `batch` share to make it —
the sender's details, what a letter to a foreign state's embassy leaves out, and the letter as JSON.

Nothing here sends anything: it returns text and bytes for the CLI to print or write.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advocate.errors import InputProblem
from advocate.records import Person
from advocate.templates import greeting, render
from advocate.templates import letters as templates
from advocate.templates.letters import Letter

RE = {"en": "Re: ", "de": "", "fr": "Objet\u00a0: "}  # a no-break space before the colon, as in French text
EMBASSY_WARNING = (
    "Warning: this letter goes to a Russian embassy — to the state it is about. Your address, town, "
    "postcode and e-mail were left out; the embassy letter needs no more than your name."
)
PERSONAL_LEFT_OUT = (
    "Warning: your own paragraph was left out of the letter to {name}: it goes to the state the letter is about, "
    "and a personal detail may identify relatives or people who fled. Pass --include-personal to keep it."
)
# Shown instead of the --personal hint for a letter to a foreign state.
FOREIGN_STATE_HINT = "Do not name or describe relatives or people who have fled."


@dataclass
class Draft:
    recipient: Person
    letter: Letter
    subject: str
    body: str
    sender: dict[str, str]
    ask: str = ""

    @property
    def email(self) -> str | None:
        email = (self.recipient.get("channels") or {}).get("email")
        return str(email["address"]) if email else None

    @property
    def language(self) -> str:
        return self.letter.language

    @property
    def us(self) -> bool:
        """Written US style (dates, the sender's town before the ZIP)."""
        return self.letter.us


# ---------------------------------------------------------------- the sender


def sender(
    name: str | None,
    address: str | None = None,
    city: str | None = None,
    email: str | None = None,
    postcode: str | None = None,
    area: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The sender block's fields; without a postcode of their own, the ZIP or postcode they looked up with."""
    place = area or {}
    postcode = postcode or place.get("zip_code") or place.get("postcode")
    return render.sender_context(name=name, address=address, city=city, email=email, postcode=postcode)


def is_embassy(p: Person | Mapping[str, Any]) -> bool:
    return greeting.is_embassy(p)


def is_foreign_state(p: Person | Mapping[str, Any]) -> bool:
    """A letter to the state it is about (the Russian embassies): the one test the rules below use."""
    return greeting.is_embassy(p)


# ---------------------------------------------------------------- what a letter to a foreign state leaves out
# The one rule, applied by `write`, `batch` and `templates preview` alike: a foreign state's embassy learns the
# sender's name only, and the sender's own paragraph only when they pass --include-personal.


def sender_for(person: Person | Mapping[str, Any], sender: dict[str, str]) -> dict[str, str]:
    """What a letter to ``person`` may say about its sender: a foreign state's embassy gets the name only;
    a US letter writes the town with its state ("New York, NY"), as a US address does."""
    if is_foreign_state(person):
        return {**dict.fromkeys(sender, ""), "name": sender["name"]}
    state = person.get("state")
    city = sender.get("city") or ""
    if person.get("country") == "US" and state and city and not city.endswith(f", {state}"):
        return {**sender, "city": f"{city}, {state}"}
    return sender


def personal_for(person: Person | Mapping[str, Any], personal: str, include_personal: bool = False) -> str:
    """The sender's own paragraph as a letter to ``person`` may carry it: none to a foreign state unless asked."""
    return "" if is_foreign_state(person) and not include_personal else personal


def embassy_warning(recipients: list[Person], *given: str | None) -> str | None:
    """The warning to show when an embassy letter leaves out details the sender gave (``given``)."""
    return EMBASSY_WARNING if any(given) and any(is_foreign_state(p) for p in recipients) else None


def foreign_state_notes(recipients: list[Person], personal: str, include_personal: bool = False) -> list[str]:
    """The lines for stderr about a letter to a foreign state: why the sender's paragraph was left out."""
    if not personal.strip() or include_personal:
        return []
    return [PERSONAL_LEFT_OUT.format(name=p["name"]) for p in recipients if is_foreign_state(p)]


def hint(recipients: list[Person], personal: str) -> str | None:
    """The line after the letters: the --personal hint, or for a foreign state the warning that replaces it."""
    if any(is_foreign_state(p) for p in recipients):
        return FOREIGN_STATE_HINT
    return None if personal.strip() else PERSONAL_HINT


PERSONAL_HINT = (
    "Hint: offices weigh a personal letter far more than an identical one — add a line of your own with --personal."
)


def custom_recipient(
    name: str, email: str | None = None, address: str | None = None, salutation: str | None = None
) -> Person:
    """Someone who is not in the data (Lithuania's embassy, a minister), given by --to-name/--to-email/--to-address."""
    from advocate.drafts import eml as compose

    clean = compose.clean_header_text(name)
    if not clean:
        raise InputProblem("--to-name is empty; give the recipient's name or office")
    greeting = compose.clean_header_text(salutation or "").rstrip(",").strip()
    return {
        "id": "custom",
        "name": clean,
        "salutation": greeting or None,
        "country": "CUSTOM",
        "role": "",
        "body": "",
        "channels": {
            "email": {"address": compose.check_address(email), "confirmed": True} if email else None,
            "postal": [clean] + [line.strip() for line in (address or "").splitlines() if line.strip()],
        },
    }


# ---------------------------------------------------------------- making drafts


def make(
    recipients: list[Person],
    template: str,
    sender: dict[str, str],
    personal: str = "",
    language: str | None = None,
    include_personal: bool = False,
) -> list[Draft]:
    drafts = []
    for person in recipients:
        letter = templates.pick(template, person, language)
        who = sender_for(person, sender)
        ctx = render.context(letter, person, who, personal_for(person, personal, include_personal))
        subject, body = render.render(letter, ctx)
        drafts.append(Draft(person, letter, subject, body, who, render.render_field(letter, ctx, "ask")))
    return drafts


def as_json(d: Draft, *, brief: bool = False) -> dict[str, Any]:
    """The letter as JSON (`write --format json`); ``brief``: the recipient's channels only (batch jsonl)."""
    r = d.recipient
    ch = r.get("channels") or {}
    recipient: Any = r
    if brief:
        recipient = {"id": r["id"], "name": r["name"], "country": r["country"], "email": d.email,
                     "contact_form": ch.get("contact_form"), "phone": ch.get("phone"),
                     "postal": ch.get("postal")}  # fmt: skip
    return {
        "recipient": recipient,
        "template": d.letter.name,
        "variant": d.letter.variant,
        "language": d.language,
        "subject": d.subject,
        "body": d.body,
        "sources": d.letter.meta.get("sources", []),
    }
