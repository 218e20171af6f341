"""A draft: one rendered letter to one recipient, and the rules `write` and `batch` share to make it —
the sender's details, what a letter to a foreign state's embassy leaves out, and the letter as JSON.

Nothing here sends anything: it returns text and bytes for the CLI to print or write.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advocate.errors import InputProblem
from advocate.records import Person
from advocate.templates import letters as templates
from advocate.templates import render
from advocate.templates.letters import Letter

RE = {"en": "Re: ", "de": "", "fr": "Objet : "}
EMBASSY_PREFIX = "ru-embassy-"
EMBASSY_WARNING = (
    "Warning: this letter goes to a Russian embassy — to the state it is about. Your address, town, "
    "postcode and e-mail were left out; the embassy letter needs no more than your name."
)


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
    return str(p.get("id", "")).startswith(EMBASSY_PREFIX)


def sender_for(person: Person, sender: dict[str, str]) -> dict[str, str]:
    """What a letter to ``person`` may say about its sender: a foreign state's embassy gets the name only."""
    if is_embassy(person):
        return {**dict.fromkeys(sender, ""), "name": sender["name"]}
    return sender


def embassy_warning(recipients: list[Person], *given: str | None) -> str | None:
    """The warning to show when an embassy letter leaves out details the sender gave (``given``)."""
    return EMBASSY_WARNING if any(given) and any(is_embassy(p) for p in recipients) else None


def custom_recipient(name: str, email: str | None = None, address: str | None = None) -> Person:
    """Someone who is not in the data (Lithuania's embassy, a minister), given by --to-name/--to-email/--to-address."""
    from advocate.drafts import eml as compose

    clean = compose.clean_header_text(name)
    if not clean:
        raise InputProblem("--to-name is empty; give the recipient's name or office")
    return {
        "id": "custom",
        "name": clean,
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
    recipients: list[Person], template: str, sender: dict[str, str], personal: str = "", language: str | None = None
) -> list[Draft]:
    drafts = []
    for person in recipients:
        letter = templates.pick(template, person, language)
        who = sender_for(person, sender)
        ctx = render.context(letter, person, who, personal)
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
