"""A draft as plain text: with a short header, as a postal letter, or as a 30-second phone script."""

from advocate.drafts.draft import RE, Draft
from advocate.templates.greeting import format_date
from advocate.text import wrap

PRINT_WIDTH = 72  # a postal letter's lines, for printing


def as_text(d: Draft) -> str:
    """A letter with a short header: to whom, and how to reach them."""
    from advocate.lookup.views import contact_summary

    p = d.recipient
    title = f"{p.get('role')} {p['name']}".strip() if p.get("country") in ("US",) else p["name"]
    body = f" ({p['body']})" if p.get("body") else ""
    header = [f"To: {title}{body}"] + [f"   {line}" for line in contact_summary(p)] + [f"Subject: {d.subject}", ""]
    return "\n".join(header) + "\n" + d.body


def sender_lines(d: Draft) -> list[str]:
    """The sender block of a postal letter (text and HTML alike): name, address, then town and postcode."""
    s = d.sender
    town = " ".join(x for x in ((s["city"], s["postcode"]) if d.us else (s["postcode"], s["city"])) if x)
    return [x for x in [s["name"], *s["address"].splitlines(), town] if x]


def postal_lines(d: Draft) -> list[str]:
    """The recipient's postal address (their name alone when the data has none)."""
    return list((d.recipient.get("channels") or {}).get("postal") or []) or [d.recipient["name"]]


def letter_date(d: Draft) -> str:
    """Today, as a postal letter is dated (US style for a US letter)."""
    from advocate.opendata.store import today

    return format_date(today(), d.language, "US" if d.us else None)


def as_postal(d: Draft) -> str:
    """Postal layout: sender block, date, recipient's address, subject, then the letter."""
    parts = [
        "\n".join(sender_lines(d)),
        letter_date(d),
        "\n".join(postal_lines(d)),
        f"{RE.get(d.language, '')}{d.subject}",
        d.body.rstrip("\n"),
    ]
    return wrap("\n\n".join(parts), PRINT_WIDTH) + "\n"


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
