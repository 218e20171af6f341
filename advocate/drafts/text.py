"""A draft as plain text: with a short header, as a postal letter, or as a 30-second phone script."""

from typing import Any

from advocate.drafts.draft import RE, Draft, is_foreign_state
from advocate.errors import InputProblem
from advocate.templates.greeting import envelope, format_date, spoken
from advocate.text import wrap

PRINT_WIDTH = 72  # a postal letter's lines, for printing
# A postal block in the letter's language where the office publishes one (the data holds the English one).
POSTAL_IN = {
    # https://www.icc-cpi.int/fr/get-involved/ngos ("Courrier postal : Unité des informations et des éléments de
    # preuve, Bureau du Procureur, Boîte postale 19519, 2500 CM La Haye, Pays-Bas")
    ("icc-otp", "fr"): ["Unité des informations et des éléments de preuve", "Bureau du Procureur",
                        "Boîte postale 19519", "2500 CM La Haye", "Pays-Bas"],
}  # fmt: skip


def as_text(d: Draft) -> str:
    """A letter with a short header: to whom, and how to reach them."""
    from advocate.lookup.views import contact_summary

    p = d.recipient
    title = f"{p.get('role')} {p['name']}".strip() if p.get("country") in ("US",) else p["name"]
    body = f" ({p['body']})" if p.get("body") else ""
    header = [f"To: {title}{body}"] + [f"   {line}" for line in contact_summary(p)] + [f"Subject: {d.subject}", ""]
    return "\n".join(header) + "\n" + d.body


def sender_lines(d: Draft) -> list[str]:
    """The sender block of a postal letter (text and HTML alike): name, address, town and postcode ("New York,
    NY 10001" in the US, "10117 Berlin" elsewhere), then the e-mail for a reply."""
    s = d.sender
    town = " ".join(x for x in ((s["city"], s["postcode"]) if d.us else (s["postcode"], s["city"])) if x)
    return [x for x in [s["name"], *s["address"].splitlines(), town, s.get("email") or ""] if x]


def postal_lines(d: Draft) -> list[str]:
    """The recipient's address block, in the letter's language where the office publishes one; a German
    letter to an MdB starts with "Frau" / "Herrn" on a line of its own."""
    local = POSTAL_IN.get((d.recipient["id"], d.language))
    return list(local) if local else envelope(d.recipient, d.language)


def letter_date(d: Draft) -> str:
    """Today, as a postal letter is dated (US style for a US letter)."""
    from advocate.opendata.store import today

    return format_date(today(), d.language, "US" if d.us else None)


def dates_itself(d: Draft) -> bool:
    """Whether the letter opens with its own place-and-date line ("Paris, le 1er décembre 2026"), so the postal
    layout must not print a second date."""
    first = d.body.lstrip("\n").split("\n", 1)[0]
    return letter_date(d) in first


def dateline(d: Draft) -> tuple[str, str]:
    """(The date line, the body as printed): a letter that opens with its own place-and-date line gives it up to
    the layout, which prints it below the address and above the subject, as French letters have it; and the
    lines under the signed name that the sender block already shows (address, town, e-mail) are left out."""
    body = _signed(d)
    if not dates_itself(d):
        return letter_date(d), body
    first, _, rest = body.lstrip("\n").partition("\n")
    return first.strip(), rest.lstrip("\n")


def _signed(d: Draft) -> str:
    lines = d.body.split("\n")
    name = d.sender["name"].strip()
    at = max((i for i, line in enumerate(lines) if name and line.strip() == name), default=None)
    if at is None:
        return d.body
    shown = {line.strip() for line in sender_lines(d)[1:]}
    after = [line for line in lines[at + 1 :] if line.strip() not in shown]
    return "\n".join(lines[: at + 1] + after)


def as_postal(d: Draft) -> str:
    """Postal layout: sender block, date, recipient's address, subject, then the letter (a French letter:
    sender, address, "Paris, le …", subject)."""
    date, body = dateline(d)
    sender, address = "\n".join(sender_lines(d)), "\n".join(postal_lines(d))
    head = [sender, address, date] if dates_itself(d) else [sender, date, address]
    parts = [*head, f"{RE.get(d.language, '')}{d.subject}", body.rstrip("\n")]
    return wrap("\n\n".join(parts), PRINT_WIDTH) + "\n"


# ---------------------------------------------------------------- the phone script

MAX_CALL_WORDS = 75  # about 30 seconds read aloud
CALL = {
    "en": ("Hello, my name is {name}.", "I'm a constituent of {who}{where}, {code_name} {code}.",
           "I'm calling about {topic}.", "It matters to me, and I hope you can help.",
           "I'd appreciate a reply{contact}.", "Thank you."),
    "de": ("Guten Tag, mein Name ist {name}.", "Ich wohne im Wahlkreis von {who}{where}, Postleitzahl {code}.",
           "Mein Anliegen betrifft {topic}.", "Das Anliegen ist mir wichtig.",
           "Über eine Antwort{contact} würde ich mich freuen.", "Vielen Dank."),
    "fr": ("Bonjour, je m'appelle {name}.", "Je souhaite laisser un message pour {who}. "
           "J'habite dans sa circonscription{where}, code postal {code}.",
           "Mon appel concerne {topic}.", "Ce sujet me tient à cœur.",
           "Je souhaiterais une réponse{contact}.", "Merci de votre attention."),
}  # fmt: skip
# A call to an office that is not the caller's representative (a ministry, the UN): no constituency.
CALL_OFFICE = {
    "en": ("I live in {city}, {code_name} {code}.", "My {code_name} is {code}."),
    "de": ("Ich wohne in {city}, Postleitzahl {code}.", "Meine Postleitzahl ist {code}."),
    "fr": ("J'habite à {city}, code postal {code}.", "Mon code postal est le {code}."),
}
WHERE = {"en": " in {place}", "de": " in {place}", "fr": " à {place}"}
CONTACT = {"en": " at {email}", "de": " an {email}", "fr": " à {email}"}


def no_call(d: Draft) -> str | None:
    """Why there is no phone script for this recipient (and what to do instead), or None."""
    p = d.recipient
    ch: dict[str, Any] = dict(p.get("channels") or {})
    if "not possible to submit a communication by telephone" in (p.get("notes") or ""):
        return f"{p['name']} takes no calls: send the letter by post instead (--format letter)."
    if not ch.get("phone"):
        ways = [w for w, ok in (("by e-mail (--format eml)", (ch.get("email") or {}).get("address")),
                                ("through the contact form", ch.get("contact_form")),
                                ("by post (--format letter)", ch.get("postal"))) if ok]  # fmt: skip
        instead = " or ".join(ways) if ways else f"through {ch.get('website') or 'their website'}"
        return f"No phone number in the data for {p['name']}: send the letter {instead} instead."
    return None


def as_call(d: Draft) -> str:
    """A 30-second phone script (at most 75 words): who calls and from where (ZIP or postcode always), the
    letter's topic, one reason, its one ask; a letter to a foreign state asks for no reply."""
    why = no_call(d)
    if why:
        return why + "\n"
    p, s, lang = d.recipient, d.sender, d.language
    if lang not in CALL:
        lang = "en"
    hello, constituent, about, reason, reply, thanks = CALL[lang]
    foreign = is_foreign_state(p)
    code_name = "ZIP code" if p.get("country") == "US" else "postcode"
    if not s["postcode"] and not foreign:
        raise InputProblem(
            f"a call script says where you live: give your {code_name} with --my-postcode (or --zip/--postcode)"
        )
    who = spoken(p, lang)
    place = WHERE[lang].format(place=s["city"]) if s["city"] else ""
    if foreign:
        where = ""  # a foreign state's embassy learns nothing of where the caller lives
    elif p.get("chamber") == "government" or p.get("country") in ("INTL", "CUSTOM"):
        where = CALL_OFFICE[lang][0 if s["city"] else 1].format(city=s["city"], code_name=code_name, code=s["postcode"])
    else:
        where = constituent.format(who=who, where=place, code_name=code_name, code=s["postcode"])
    ask = (d.ask or d.subject).strip()
    if not ask.endswith((".", "?", "!")):
        ask += "."
    topic = str(d.letter.meta.get("topic") or d.subject).strip().rstrip(".")
    parts = [hello.format(name=s["name"]), where, about.format(topic=topic), reason, ask]
    if not foreign:
        parts.append(reply.format(contact=CONTACT[lang].format(email=s["email"]) if s["email"] else ""))
    parts.append(thanks)
    # Past 75 words the extras go, one by one, the reason first; the ask, the topic and the postcode stay.
    shorter = [reason, reply.format(contact=""), ""]
    script = " ".join(x for x in parts if x)
    while len(script.split()) > MAX_CALL_WORDS and shorter:
        cut = shorter.pop(0)
        if cut == reason:
            parts.remove(reason)
        elif cut and not foreign:
            parts[-2] = cut  # the reply request without the e-mail address
        elif not cut:
            parts.pop()  # the thanks
        script = " ".join(x for x in parts if x)
    head = f"Call {p['name']} at {(p.get('channels') or {}).get('phone')}"
    return f"{head}:\n\n{script}\n"
