"""`templates preview`: a letter rendered with a sample sender, for real recipients or a sample one."""

from advocate.drafts.draft import Draft, personal_for, sender_for
from advocate.drafts.text import as_text
from advocate.errors import TemplateProblem
from advocate.records import Person
from advocate.templates import letters as templates
from advocate.templates import render
from advocate.templates.letters import Letter

SAMPLES = {"US": "us-N000002", "GB": "gb-4514", "DE": "de-1043330", "FR": "fr-PA1008"}
SEPARATOR = "\n" + "-" * 72 + "\n\n"


def sample_for(letter: Letter) -> Person:
    """A recipient the letter is meant for: the one its first `suits` rule names, or one of its country."""
    from advocate.lookup import people as reps

    rule = letter.meta["suits"][0] if letter.meta["suits"] else {}
    if rule.get("id"):
        return reps.show(rule["id"])
    if rule.get("custom"):
        return {"id": "custom", "name": "Sam Sample", "country": "CUSTOM", "role": "", "body": "", "channels": {}}
    return reps.show(SAMPLES.get(str(rule.get("country", "")).upper(), "us-N000002"))


def preview(name: str, letters: list[Letter], people: list[Person], personal: str = "") -> str:
    """Each of ``letters`` (the variants of ``name``) for each of ``people`` it suits, or for a sample recipient
    when none are given."""
    sender = render.sender_context(**render.SAMPLE_SENDER)
    chunks = []
    for letter in letters:
        targets = [p for p in people if templates.suits(letter, p)] if people else [sample_for(letter)]
        for person in targets:
            who = sender_for(person, sender)  # the one rule for a foreign state: write and batch apply it too
            ctx = render.context(letter, person, who, personal_for(person, personal))
            subject, body = render.render(letter, ctx)
            d = Draft(person, letter, subject, body, who)
            chunks.append(f"# {letter.variant} → {person['name']}\n" + as_text(d))
    if not chunks:
        raise TemplateProblem(f"letter {name!r} is not meant for the recipients found; try --rep ID")
    return SEPARATOR.join(chunks)
