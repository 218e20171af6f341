"""Turn a recipient and a letter into drafts: plain text, a postal letter, .eml, mailto or a call script.

Nothing here sends anything: it returns text and bytes for the CLI to print or write.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advocate.errors import InputProblem, LookupFailed
from advocate.templates import letters as templates
from advocate.templates import render
from advocate.templates.greeting import format_date
from advocate.templates.letters import Letter

Person = dict[str, Any]

RE = {"en": "Re: ", "de": "", "fr": "Objet : "}
EMBASSY_PREFIX = "ru-embassy-"


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


class MissingInput(InputProblem):
    """A required input was not given; on a terminal the CLI asks for it instead of failing."""

    def __init__(self, flag: str, question: str, choices: list[str] | None = None, message: str | None = None) -> None:
        super().__init__(message or f"{flag} is missing ({question.rstrip('?')}); give {flag}")
        self.flag, self.question, self.choices = flag, question, choices or []


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


def is_embassy(p: Person) -> bool:
    return str(p.get("id", "")).startswith(EMBASSY_PREFIX)


def make(
    recipients: list[Person], template: str, sender: dict[str, str], personal: str = "", language: str | None = None
) -> list[Draft]:
    drafts = []
    for person in recipients:
        letter = templates.pick(template, person, language)
        who = dict(sender)
        if is_embassy(person):  # the embassy letter needs no more than a name
            who = {key: (value if key == "name" else "") for key, value in sender.items()}
        ctx = render.context(letter, person, who, personal)
        subject, body = render.render(letter, ctx)
        drafts.append(Draft(person, letter, subject, body, who, render.render_field(letter, ctx, "ask")))
    return drafts


def as_text(d: Draft) -> str:
    """A letter with a short header: to whom, and how to reach them."""
    p = d.recipient
    title = f"{p.get('role')} {p['name']}".strip() if p.get("country") in ("US",) else p["name"]
    body = f" ({p['body']})" if p.get("body") else ""
    from advocate.lookup.views import contact_summary

    header = [f"To: {title}{body}"] + [f"   {line}" for line in contact_summary(p)] + [f"Subject: {d.subject}", ""]
    return "\n".join(header) + "\n" + d.body


def as_postal(d: Draft) -> str:
    """Postal layout: sender block, date, recipient's address, subject, then the letter."""
    from advocate.opendata.store import today

    s = d.sender
    town = " ".join(x for x in ((s["city"], s["postcode"]) if d.letter.variant.endswith("-us") else
                               (s["postcode"], s["city"])) if x)  # fmt: skip
    sender_block = [x for x in [s["name"], *s["address"].splitlines(), town] if x]
    country = "US" if d.letter.variant.endswith("-us") else None
    postal = list((d.recipient.get("channels") or {}).get("postal") or []) or [d.recipient["name"]]
    parts = [
        "\n".join(sender_block),
        format_date(today(), d.language, country),
        "\n".join(postal),
        f"{RE.get(d.language, '')}{d.subject}",
        d.body.rstrip("\n"),
    ]
    return "\n\n".join(parts) + "\n"


CALL = {
    "en": (
        "Hello, my name is {name}{where}. I'm calling about the persecution of gay and bisexual men in Chechnya. "
        "{ask} I'd appreciate a reply{contact}. Thank you for your time."
    ),
    "de": (
        "Guten Tag, mein Name ist {name}{where}. Ich rufe wegen der Verfolgung schwuler und bisexueller Männer in "
        "Tschetschenien an. {ask} Über eine Antwort{contact} würde ich mich freuen. Vielen Dank."
    ),
    "fr": (
        "Bonjour, je m'appelle {name}{where}. J'appelle au sujet de la persécution des hommes homosexuels et "
        "bisexuels en Tchétchénie. {ask} Je souhaiterais une réponse{contact}. Merci de votre attention."
    ),
}
WHERE = {"en": " and I live in {place}", "de": " und ich wohne in {place}", "fr": " et j'habite à {place}"}
CODE = {
    "en": " and my {what} is {code}",
    "de": " und meine Postleitzahl ist {code}",
    "fr": " et mon code postal est le {code}",
}
CONTACT = {"en": " at {email}", "de": " an {email}", "fr": " à {email}"}


def as_call(d: Draft) -> str:
    """A 30-second phone script (about 75 words) with the letter's one ask."""
    s, lang = d.sender, d.language
    what = "ZIP code" if d.recipient.get("country") == "US" else "postcode"
    where = WHERE[lang].format(place=s["city"]) if s["city"] else ""
    if not where and s["postcode"]:
        where = CODE[lang].format(what=what, code=s["postcode"])
    ask = (d.ask or d.subject).strip()
    if not ask.endswith((".", "?", "!")):
        ask += "."
    script = CALL[lang].format(
        name=s["name"],
        where=where,
        ask=ask,
        contact=CONTACT[lang].format(email=s["email"]) if s["email"] else "",
    )
    phone = (d.recipient.get("channels") or {}).get("phone")
    head = f"Call {d.recipient['name']}" + (f" at {phone}" if phone else " (no phone number in the data)")
    return f"{head}:\n\n{script}\n"


def as_eml(d: Draft) -> bytes:
    from advocate.drafts import eml as compose

    if not d.email:
        raise InputProblem(f"{d.recipient['name']} has no e-mail address in the data; use --format letter or call")
    return compose.build_eml([(d.recipient["name"], d.email)], d.subject, d.body)


def as_mailto(d: Draft) -> str:
    from advocate.drafts import eml as compose

    if not d.email:
        raise InputProblem(f"{d.recipient['name']} has no e-mail address in the data; use --format letter or call")
    return compose.build_mailto([d.email], d.subject, d.body)


def eml_name(d: Draft) -> str:
    from advocate.drafts import eml as compose

    return compose.draft_filename(d.letter.name, d.recipient["id"], d.recipient["name"])


@dataclass
class Delivery:
    """One letter in the form asked for: text to print, a draft or link to open, a line for stderr."""

    text: str
    target: str | None = None
    note: str | None = None


def deliver(d: Draft, fmt: str, out: Path, force: bool = False) -> Delivery:
    """Render ``d`` as ``fmt`` (text, letter, call, eml, mailto); .eml drafts are written into ``out``."""
    if fmt == "letter":
        return Delivery(as_postal(d))
    if fmt == "call":
        return Delivery(as_call(d))
    if fmt in ("eml", "mailto") and not d.email:
        return Delivery(
            f"{d.recipient['name']} takes no e-mail; send this by their contact form, post or phone "
            f"(--format call gives a phone script).\n\n" + as_text(d)
        )
    if fmt == "mailto":
        from advocate.drafts.eml import mailto_too_long

        uri = as_mailto(d)
        if not mailto_too_long(uri):
            return Delivery(uri + "\n", target=uri)
        path = _write_eml(d, out, force)
        note = (f"The mailto link for {d.recipient['name']} would be {len(uri)} characters, too long for some mail "
                f"programs; wrote {path} instead.")  # fmt: skip
        return Delivery(f"{path}\n", target=str(path.resolve()), note=note)
    if fmt == "eml":
        path = _write_eml(d, out, force)
        return Delivery(f"Draft for {d.recipient['name']}: {path}\n", target=str(path.resolve()))
    return Delivery(as_text(d))


def _write_eml(d: Draft, out: Path, force: bool) -> Path:
    from advocate.atomic import write_atomic

    path = out / eml_name(d)
    write_atomic(path, as_eml(d), force=force)
    return path


def as_json(d: Draft) -> dict[str, Any]:
    return {
        "recipient": d.recipient,
        "template": d.letter.name,
        "variant": d.letter.variant,
        "language": d.language,
        "subject": d.subject,
        "body": d.body,
        "sources": d.letter.meta.get("sources", []),
    }


AREA_FLAG = {"us": "--zip", "gb": "--constituency", "de": "--postcode", "fr": "--postcode"}
AREA_QUESTION = {
    "us": "Your ZIP code?",
    "gb": "Your constituency (or give --council)?",
    "de": "Ihre Postleitzahl (PLZ)?",
    "fr": "Votre code postal (ou --department)?",
}
NARROW_FLAG = {"US": "--district", "DE": "--wahlkreis", "FR": "--circo", "GB": "--constituency"}


def find_recipients(country: str | None, to_ids: list[str], template: str, **options: Any) -> list[Person]:
    """Whom to write to: the --to ids, or the lawmakers for the place given (one district only)."""
    from advocate.lookup import lookup
    from advocate.lookup import people as reps
    from advocate.opendata import store

    if to_ids:
        return [reps.show(i) for i in to_ids]
    if not country:
        raise MissingInput("--country", "Which country are your lawmakers in?", ["US", "GB", "DE", "FR", "INTL"])
    key = store.dataset_for(country)
    if key == "intl":
        letters = templates.family(template)
        fitting = [p for p in reps.lookup_intl().people if any(templates.suits(x, p) for x in letters)]
        if not fitting:
            ids = ", ".join(p["id"] for p in reps.lookup_intl().people)
            raise InputProblem(
                f"letter {template!r} is not for an international recipient; give --to with one of {ids}"
            )
        return fitting
    if not any(v is not None for v in options.values()):
        raise MissingInput(AREA_FLAG[key], AREA_QUESTION[key])
    result = lookup(country, **options)
    if result.ambiguous:
        flag = NARROW_FLAG[result.country]
        choices = [d["id"].split("-")[-1].lstrip("0") or "0" if flag != "--constituency" else d["name"]
                   for d in result.districts]  # fmt: skip
        if len(choices) <= 4:
            names = "; ".join(f"{c} = {d['name']}" for c, d in zip(choices, result.districts, strict=True))
        else:
            names = f"{len(choices)} of them: {', '.join(choices)}"
        label = {"zip": "ZIP", "wahlkreis": "Wahlkreis"}
        where = next(f"{label.get(k, k)} {v}" for k, v in result.query.items() if v is not None)
        raise MissingInput(
            flag,
            f"Several districts match ({names}). Which one is yours?",
            choices,
            f"{where} lies in more than one district ({names}); choose yours with {flag} "
            "(a letter from outside a lawmaker's district is usually set aside)",
        )
    if not result.people:
        where = "; ".join(d["name"] for d in result.districts)
        raise LookupFailed(
            f"no lawmaker in the data for {where} ({'; '.join(result.notes) or 'the seat is vacant'}); "
            "write to someone else with --to ID (advocate reps search NAME)"
        )
    return result.people
