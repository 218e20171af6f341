"""The letters to our own governments (sanctions, protection) and the follow-ups (thanks-reply, reminder).

Each is rendered through the real renderer for a recipient it is meant for: the ministries as CONTRACT.md
describes them (inline: the curated government file is another branch's), real people from advocate/data for
the follow-ups. The rules are LETTERS.md's: <= 300 words from the salutation to the closing, one ask, a reply
request, FACTS ids that exist, a fact dated 2020 or later, the French place-and-date line.
"""

import os
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.ministries import MINISTRIES, NEUTRAL, ministry

LETTERS = ROOT / "letters"
NEW = ["sanctions", "protection", "thanks-reply", "reminder"]
FILES = sorted(p for name in NEW for p in LETTERS.glob(f"{name}.*.j2"))
FACTS = Path(os.environ.get("ADVOCATE_FACTS", ROOT.parent / "shared" / "FACTS.md"))
PERSONAL = "My brother's friend fled Chechnya in 2017, and I still think of him every day."
EARLIER = {
    "en": {"date": "16 November 2026", "subject": "Please press for a safe route", "template": "asylum.en-gb"},
    "de": {"date": "16. November 2026", "subject": "Humanitäre Visa", "template": "asylum.de"},
    "fr": {"date": "16 novembre 2026", "subject": "Une voie d'accueil sûre", "template": "asylum.fr"},
}
REPLY = {  # the reply request, in the last paragraphs before the closing
    "en": r"grateful for a reply|let me know",
    "de": r"Für eine Antwort|auf dem Laufenden",
    "fr": r"réponse|répondre|m'indiquer|m'informer",
}
LAWMAKER_COPY = {"en": "a copy of", "de": "der Bundesregierung", "fr": "Gouvernement"}
CLOSING = {"en": r"\n(Sincerely|Yours sincerely|Yours faithfully),\n", "de": r"\nMit freundlichen Grüßen\n",
           "fr": r"l'expression de ma (haute considération|considération distinguée)\.\n"}  # fmt: skip

# Real recipients for the follow-ups: (id, language asked for or None) -> the variant that must be picked.
FOLLOW_UP_PICKS = [
    ("gb-185", None, "en"),
    ("us-S000148", None, "en"),
    ("us-N000002", None, "en"),
    ("de-1043330", None, "de"),
    ("fr-PA1008", None, "fr"),
    ("icc-otp", None, "en"),
    ("icc-otp", "fr", "fr"),
    ("un-ie-sogi", "fr", "fr"),
    ("ru-embassy-us", None, "en"),
    ("ru-embassy-uk", None, "en"),
    ("ru-embassy-de", None, "de"),
]


def person(rid: str) -> dict:
    from advocate.lookup import people as reps

    return reps.show(rid)


def custom(name: str = "Gabrielius Landsbergis") -> dict:
    from advocate.drafts.draft import custom_recipient

    return custom_recipient(name)


def letter_of(path: Path):
    from advocate.templates import letters as templates

    return templates.read(path, "bundled")


def render(letter, recipient: dict, personal: str = "", earlier: dict | None = None) -> tuple[str, str, str, dict]:
    """(subject, body, ask, recipient context) through advocate.render, with the sample sender."""
    from advocate.templates import render as r

    rc = r.recipient_context(recipient, letter.language)
    if recipient.get("chamber") == "government" and not rc["salutation"].startswith(NEUTRAL[letter.language]):
        # salute.py has no rule for ministries yet (see test_ministries_are_greeted_as_offices below).
        rc.update(salutation=NEUTRAL[letter.language] + ",", salutation_plain=NEUTRAL[letter.language])
    ctx = r.context(letter, recipient, r.sender_context(**r.SAMPLE_SENDER), personal, recipient_ctx=rc, earlier=earlier)
    subject, body = r.render(letter, ctx)
    return subject, body, r.render_field(letter, ctx, "ask"), ctx["recipient"]


def fitting_recipients(letter) -> list[dict]:
    """The recipients each new letter is rendered for: its ministry, or every real recipient it suits."""
    from advocate.templates import letters as templates

    if letter.name in ("sanctions", "protection"):
        rule = letter.meta["suits"][0]
        return [ministry(rule["country"], rule["office"])]
    people = [person(rid) for rid, _, _ in FOLLOW_UP_PICKS] + [custom(), custom("Embassy of the Republic of Lithuania")]
    people += [ministry(c, o) for c, o in MINISTRIES]
    return [p for p in people if templates.suits(letter, p)]


def letter_part(body: str, salutation: str) -> str:
    """From the salutation to the closing: what LETTERS.md counts (not the place-and-date line, not the signature)."""
    start = body.index(salutation)
    end = body.rindex("\nAlex Doe\n")
    return body[start:end]


def facts() -> dict[str, str]:
    """FACTS.md row id -> its Date cell."""
    if not FACTS.is_file():
        pytest.skip(f"FACTS.md not found at {FACTS} (set ADVOCATE_FACTS)")
    rows = {}
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and re.fullmatch(r"\d+\.\d+", cells[1]):
            rows[cells[1]] = cells[3]
    return rows


def test_the_new_letters_are_all_there():
    variants = {p.name.removesuffix(".j2") for p in FILES}
    assert variants == {
        "sanctions.en-us", "sanctions.en-gb", "sanctions.de", "sanctions.fr",
        "protection.en-us", "protection.en-gb", "protection.de", "protection.fr",
        "thanks-reply.en", "thanks-reply.de", "thanks-reply.fr",
        "reminder.en", "reminder.de", "reminder.fr",
    }  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_front_matter_names_the_ask_the_topic_and_facts_ids(path):
    letter = letter_of(path)
    meta = letter.meta
    for key in ("title", "description", "topic", "subject", "ask"):
        assert isinstance(meta.get(key), str) and meta[key].strip(), key
    rows = facts()
    sources = meta["sources"]
    assert sources and all(isinstance(s, str) for s in sources)
    assert not [s for s in sources if s not in rows], "sources that are not FACTS.md row ids"
    years = [int(y) for s in sources for y in re.findall(r"\b(?:19|20)\d\d\b", rows[s])]
    assert max(years) >= 2020, "at least one fact dated 2020 or later"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_new_letter_renders_within_the_rules(path):
    letter = letter_of(path)
    language = letter.language
    recipients = fitting_recipients(letter)
    assert recipients, f"no recipient suits {path.name}"
    for recipient in recipients:
        where = f"{path.name} for {recipient['id']} ({recipient['name']})"
        for earlier in (EARLIER[language], None):
            subject, body, ask, rc = render(letter, recipient, earlier=earlier)
            for text in (subject, body, ask):
                assert "{{" not in text and "{%" not in text and "None" not in text, where
                assert "  " not in text and " ," not in text and " ." not in text, (where, text)
            assert subject and "\n" not in subject, where
            assert "\n\n\n" not in body and body.endswith("\n") and not body.endswith("\n\n"), where
            part = letter_part(body, rc["salutation"])
            words = len(part.split())
            assert words <= 300, (where, words)
            # exactly one ask: one sentence
            assert len(re.findall(r"(?<!\d)[.?!](?:\s|$)", ask)) == 1 and ask[-1] in ".?", (where, ask)
            # the reply request comes at the end, before the closing
            closing = re.search(CLOSING[language], body)
            assert closing, where
            tail = "\n\n".join(body[: closing.start()].split("\n\n")[-3:])
            assert re.search(REPLY[language], tail), (where, tail)
            # a fact dated 2020 or later, in the letter itself (not only the earlier letter's date)
            if earlier is None:
                assert re.search(r"\b20[2-9]\d\b", part), where
            if language == "fr":
                assert body.startswith("Springfield, le "), where
                assert body.split("\n\n")[1].startswith(rc["salutation"]), where
            else:
                assert body.startswith(rc["salutation"] + "\n\n"), where
            assert not re.search(r"written question|schriftliche Frage|question écrite", body, re.I), where
        # room for the sender's paragraph, after the opening paragraph, once
        _, with_personal, _, _ = render(letter, recipient, PERSONAL, EARLIER[language])
        _, without, _, _ = render(letter, recipient, "", EARLIER[language])
        assert with_personal.count(f"\n\n{PERSONAL}\n\n") == 1, where
        assert with_personal.replace(f"{PERSONAL}\n\n", "", 1) == without, where


@pytest.mark.parametrize("path", sorted(LETTERS.glob("reminder.*.j2")), ids=lambda p: p.name)
def test_the_reminder_names_the_earlier_letter_or_says_recently(path):
    letter = letter_of(path)
    language = letter.language
    earlier = EARLIER[language]
    subject, body, ask, _ = render(letter, custom(), earlier=earlier)
    for text in (subject, body, ask):
        assert earlier["date"] in text, text
    assert earlier["subject"] in subject and earlier["subject"] in body
    subject, body, ask, _ = render(letter, custom(), earlier={"date": "", "subject": "", "template": ""})
    first = body.split("\n\n")[2 if language == "fr" else 1]
    assert {"en": "I wrote to you recently about", "de": "vor einiger Zeit habe ich Ihnen wegen",
            "fr": "récemment au sujet de"}[language] in first, first  # fmt: skip
    assert "Chechnya" in subject or "Tschetschenien" in subject or "Tchétchénie" in subject, subject


@pytest.mark.parametrize("path", sorted(LETTERS.glob("thanks-reply.*.j2")), ids=lambda p: p.name)
def test_the_thank_you_names_the_earlier_letter_when_given(path):
    letter = letter_of(path)
    earlier = EARLIER[letter.language]
    subject, body, _, _ = render(letter, custom(), earlier=earlier)
    assert earlier["date"] in body and earlier["subject"] in body and earlier["subject"] in subject
    subject, body, _, _ = render(letter, custom())
    assert "()" not in body and "« »" not in body and "„“" not in body


@pytest.mark.parametrize("name", ["reminder", "thanks-reply"])
def test_follow_ups_ask_a_lawmaker_for_the_governments_answer_and_nobody_else(name):
    from advocate.templates import letters as templates

    for rid, language in [("gb-185", "en"), ("us-N000002", "en"), ("de-1043330", "de"), ("fr-PA1008", "fr")]:
        recipient = person(rid)
        letter = templates.pick(name, recipient)
        _, body, _, _ = render(letter, recipient, earlier=EARLIER[language])
        assert LAWMAKER_COPY[language] in body, (name, rid)
    others = [person("icc-otp"), person("ru-embassy-de"), custom(), ministry("GB", "foreign_ministry"),
              ministry("DE", "interior_ministry"), ministry("FR", "foreign_ministry")]  # fmt: skip
    for recipient in others:
        letter = templates.pick(name, recipient)
        _, body, _, _ = render(letter, recipient, earlier=EARLIER[letter.language])
        assert "Government" not in body.split("\n\n")[-2] and "Bundesregierung" not in body, (name, recipient["id"])
        assert "interrogé le Gouvernement" not in body and "réponse du Gouvernement" not in body


@pytest.mark.parametrize("name", ["reminder", "thanks-reply"])
@pytest.mark.parametrize(("rid", "language", "variant"), FOLLOW_UP_PICKS)
def test_follow_ups_pick_the_recipients_language(name, rid, language, variant):
    from advocate.templates import letters as templates

    assert templates.pick(name, person(rid), language).variant == f"{name}.{variant}"


@pytest.mark.parametrize("name", ["reminder", "thanks-reply"])
def test_follow_ups_suit_ministries_and_custom_recipients(name):
    from advocate.templates import letters as templates

    for (country, office), (_, _, language) in MINISTRIES.items():
        assert templates.pick(name, ministry(country, office)).language == language
    for language in ("en", "de", "fr"):
        assert templates.pick(name, custom(), language).variant == f"{name}.{language}"
    assert templates.pick(name, custom()).variant == f"{name}.en"


@pytest.mark.parametrize("name", ["sanctions", "protection"])
def test_ministry_letters_go_to_their_ministry_only(name):
    from advocate.errors import TemplateProblem
    from advocate.templates import letters as templates

    office = {"sanctions": "foreign_ministry", "protection": "interior_ministry"}[name]
    other = {"sanctions": "interior_ministry", "protection": "foreign_ministry"}[name]
    for country, variant in [("US", "en-us"), ("GB", "en-gb"), ("DE", "de"), ("FR", "fr")]:
        assert templates.pick(name, ministry(country, office)).variant == f"{name}.{variant}"
        with pytest.raises(TemplateProblem):
            templates.pick(name, ministry(country, other))
    for rid in ("gb-185", "us-S000148", "de-1043330", "fr-PA1008", "icc-otp"):
        with pytest.raises(TemplateProblem, match="not meant for"):
            templates.pick(name, person(rid))


def test_sanctions_letters_ask_about_the_2020_uk_and_2021_eu_listings_and_not_about_kadyrov():
    for path in sorted(LETTERS.glob("sanctions.*.j2")):
        letter = letter_of(path)
        _, body, ask, _ = render(letter, fitting_recipients(letter)[0])
        assert "2020" in body and "2021" in body and "Terek" in ask, path.name
        assert not re.search(r"Kadyrov|Kadyrow", body), path.name  # A15
        assert re.search(r"Daudov|Daudow|Daoudov", ask) and re.search(r"Alaudinov|Alaudinow|Alaoudinov", ask), path.name


def test_protection_letters_fit_each_countrys_situation_today():
    bodies = {}
    for path in sorted(LETTERS.glob("protection.*.j2")):
        letter = letter_of(path)
        bodies[path.name] = render(letter, fitting_recipients(letter)[0])[1]
    assert "7,500" in bodies["protection.en-us.j2"] and "January 27, 2025" in bodies["protection.en-us.j2"]
    assert "June 2025" in bodies["protection.en-gb.j2"] and "North Caucasus" in bodies["protection.en-gb.j2"]
    german = bodies["protection.de.j2"]
    assert "„grundsätzlich ausgesetzt“" in german and "§ 22 Satz 2 AufenthG" in german
    assert not re.search(r"beendet|eingestellt|abgeschafft", german)  # A21: suspended in principle, never ended
    assert "Je vous saurais gré" in bodies["protection.fr.j2"]


def test_ministries_are_greeted_as_offices():
    from advocate.templates import render as r

    for (country, office), (_, _, language) in MINISTRIES.items():
        greeting = r.recipient_context(ministry(country, office), language)["salutation_plain"]
        assert greeting == NEUTRAL[language] or greeting.startswith(
            ("Dear Secretary", "Sehr geehrte", "Madame", "Monsieur")
        )
