"""What the local record keeps of a letter written, and the follow-up letter to a recipient who has not replied.

A record entry holds the hash of the letter, never its text or the sender's address (advocate.record). So
the follow-up does not read the earlier subject back from the record: it renders the earlier letter's
subject again, for the same recipient, language and sender, and writes the earlier date in the letter's
language ("16 November 2026", "16. November 2026", "16 novembre 2026").
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from advocate.drafts.draft import Draft, sender_for
from advocate.errors import InputProblem, LookupFailed
from advocate.records import Person

if TYPE_CHECKING:
    from advocate.drafts.deliver import Delivery
    from advocate.record import Entry, Row

FOLLOWUP = "reminder"  # the letter a follow-up uses (letters/reminder.*.j2)


def entries(written: Iterable[tuple[Draft, "Delivery"]], follows: int | None = None) -> list["Entry"]:
    """One record entry per letter written: when, which letter, to whom, how, where, and its SHA-256;
    ``follows``: the id of the letter these follow up."""
    from advocate.record import Entry, stamp

    when = stamp()
    return [
        Entry(when, d.letter.name, d.language, d.recipient["id"], d.recipient["name"], done.channel, done.file,
              done.sha256, follows=follows)
        for d, done in written
    ]  # fmt: skip


def recipient_of(row: "Row") -> Person:
    """The person a recorded letter went to, from the data as it is now."""
    from advocate.lookup import people

    if row.recipient_id == "custom":
        raise InputProblem(
            f"letter {row.id} went to {row.recipient_name}, who is not in the data; write the follow-up with "
            f"`advocate write --to-name NAME --template {FOLLOWUP} --lang {row.language}`"
        )
    try:
        return people.show(row.recipient_id)
    except LookupFailed:
        raise LookupFailed(
            f"letter {row.id} went to {row.recipient_name} [{row.recipient_id}], who is no longer in the data"
            " (`advocate data update` may have a newer copy); find who holds the seat now with `advocate reps`"
        ) from None


def earlier(row: "Row", person: Person, sender: dict[str, str]) -> dict[str, str]:
    """The ``earlier`` context of a follow-up: the first letter's date, subject and letter name."""
    from advocate.errors import TemplateProblem
    from advocate.templates import greeting, render
    from advocate.templates import letters as templates

    subject = ""
    us = False
    try:
        letter = templates.pick(row.template, person, row.language)
        us = letter.us
        if letter.language == row.language:
            who = sender_for(person, sender)
            subject, _ = render.render(letter, render.context(letter, person, who))
    except TemplateProblem:
        pass  # the earlier letter is gone (a user's own, since deleted): the follow-up says "my letter of …"
    country = "US" if us else (person.get("country") or None)
    return {
        "date": greeting.format_date(row.written_on, row.language, country),
        "subject": subject,
        "template": row.template,
    }


def make(row: "Row", sender: dict[str, str], personal: str = "", template: str = FOLLOWUP) -> Draft:
    """The follow-up letter (``template``) to the recipient of record ``row``, in that letter's language."""
    from advocate.templates import letters as templates
    from advocate.templates import render

    person = recipient_of(row)
    letter = templates.pick(template, person, row.language)
    who = sender_for(person, sender)
    ctx: dict[str, Any] = render.context(letter, person, who, personal, earlier=earlier(row, person, sender))
    subject, body = render.render(letter, ctx)
    return Draft(person, letter, subject, body, who, render.render_field(letter, ctx, "ask"))
