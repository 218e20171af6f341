"""Every bundled letter, rendered as its recipients will read it, keeps the house rules (issues 10 and 11).

Generic over whatever is in letters/: each variant is rendered for a real recipient it suits from the bundled
data (and, for letters to lawmakers, for copies of a real member who holds each office a chamber can hold),
with the sample sender and no personal paragraph. Each must stay within 300 words, name one ask in one sentence,
end by asking for a reply, and cite FACTS.md rows by id, at least one of them dated 2020 or later.

FACTS.md sits beside the clone (../shared/FACTS.md, or $ADVOCATE_FACTS): CI has it, a user's clone may not, and
the tests that need it skip cleanly without it.
"""

import copy
import os
import re
from functools import cache
from pathlib import Path

import pytest

from advocate.drafts import draft as drafts
from advocate.lookup import people as reps
from advocate.templates import letters as templates
from advocate.templates import render
from tests.helpers import ROOT
from tests.ministries import ministry

LETTERS = sorted((ROOT / "letters").glob("*.j2"))
FACTS = Path(os.environ.get("ADVOCATE_FACTS", ROOT.parent / "shared" / "FACTS.md"))
MAX_WORDS = 300

# A reply request, in the words a letter may use (a letter to a foreign state asks for a public answer).
REPLY = {
    "en": r"\breply\b|\bresponse\b|\banswer\b|acknowledg|let me know|public statement",
    "de": r"Antwort|antworten|Stellungnahme|Rückmeldung|mitteilen|Mitteilung|auf dem Laufenden|unterrichten|"
    r"informiert (zu )?(werden|halten)",
    "fr": r"réponse|répondre|accuser réception|faire savoir|faire part|m'informer|m'indiquer|tenir informée?",
}
NO_WRITTEN_QUESTION = r"written question|schriftliche\w* Frage|question\w* écrite"
ATTRIBUTION_OPENERS = r"(According to|Laut|Nach Angaben|Selon|D'après)\b"

# The offices held by members of each chamber (README "Template context"), with a title as the data gives it.
OFFICES = {
    "GB": {"head_of_government": "Prime Minister", "foreign_minister": "Foreign Secretary",
           "interior_minister": "Home Secretary", "presiding_officer": "Speaker of the House of Commons"},
    "DE": {"head_of_government": "Bundeskanzler", "foreign_minister": "Bundesminister des Auswärtigen",
           "interior_minister": "Bundesminister des Innern",
           "presiding_officer": "Präsidentin des Deutschen Bundestages"},
    "FR": {"presiding_officer": "Présidente de l'Assemblée nationale"},
    "US": {"presiding_officer": "Speaker of the House of Representatives"},
}  # fmt: skip
CUSTOM_NAMES = {"en": "Embassy of the Republic of Lithuania", "de": "Botschaft der Republik Litauen",
                "fr": "Ambassade de la République de Lituanie"}  # fmt: skip


def letter(path: Path) -> templates.Letter:
    return templates.read(path, "bundled")


@cache
def everyone() -> tuple[dict, ...]:
    return tuple(reps.all_people())


def fitting(lt: templates.Letter) -> list[tuple[str, dict]]:
    """(label, recipient) pairs this variant is written for: one real person per suits rule, plus office-holders."""
    out: list[tuple[str, dict]] = []
    for rule in lt.meta["suits"]:
        if rule.get("custom"):
            out.append(("custom", drafts.custom_recipient(CUSTOM_NAMES[lt.language])))
            continue
        found = next((p for p in everyone() if templates.suits(lt, p) and all(
            str(p.get(k, "")).upper() == str(v).upper() for k, v in rule.items())), None)  # fmt: skip
        if found is None and rule.get("office") in ("foreign_ministry", "interior_ministry"):
            found = ministry(str(rule["country"]).upper(), str(rule["office"]))  # not in the bundled data yet
        if found is None:  # a recipient kind the bundled data does not have yet: a real person, re-filed
            base = next(p for p in everyone() if p["country"] == str(rule.get("country", "")).upper())
            found = copy.deepcopy(base) | {str(k): v for k, v in rule.items()}
            found.setdefault("office_title", str(rule.get("office", "")).replace("_", " ").title())
        out.append((found["id"], found))
        if "chamber" in rule:
            for office, title in OFFICES.get(str(rule["country"]).upper(), {}).items():
                holder = copy.deepcopy(found) | {"office": office, "office_title": title}
                out.append((f"{found['id']} as {office}", holder))
    return out


CASES = [(p, label, who) for p in LETTERS for label, who in fitting(letter(p))]


def rendered(path: Path, recipient: dict, personal: str = "") -> tuple[dict, str, str, str]:
    lt = letter(path)
    ctx = render.context(lt, recipient, render.sender_context(**render.SAMPLE_SENDER), personal)
    subject, body = render.render(lt, ctx)
    return ctx, subject, body, render.render_field(lt, ctx, "ask")


def between_salutation_and_closing(ctx: dict, body: str) -> str:
    """The letter from its salutation to its closing, without the signature and address block."""
    lines = body.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == ctx["recipient"]["salutation"])
    end = max(i for i, line in enumerate(lines) if line.strip() == ctx["sender"]["name"])
    return "\n".join(lines[start:end]).strip()


def words(text: str) -> int:
    return sum(1 for w in text.split() if re.search(r"\w", w))


@cache
def facts() -> dict[str, str]:
    """FACTS.md row id → the row's date column."""
    if not FACTS.is_file():
        pytest.skip(f"FACTS.md not found at {FACTS} (set ADVOCATE_FACTS); CI has it beside the clone")
    rows = {}
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and re.fullmatch(r"\d+\.\d+", cells[1]):
            rows[cells[1]] = cells[3]
    assert len(rows) > 50, "FACTS.md has no rows I can read; has its table layout changed?"
    return rows


def ids(path: Path):
    return [str(x) for x in letter(path).meta.get("sources") or []]


# ---------------------------------------------------------------- every variant, every recipient kind


def test_every_letter_has_a_recipient_to_render_for():
    assert LETTERS
    for path in LETTERS:
        assert fitting(letter(path)), path.name


@pytest.mark.parametrize(("path", "label", "recipient"), CASES, ids=[f"{p.name}-{label}" for p, label, _ in CASES])
def test_letter_as_its_recipient_reads_it(path, label, recipient):
    lt = letter(path)
    ctx, subject, body, ask = rendered(path, recipient)
    text = between_salutation_and_closing(ctx, body)
    assert words(text) <= MAX_WORDS, f"{path.name} for {label}: {words(text)} words"
    assert subject and "{" not in body and "None" not in body

    assert ask, f"{path.name}: no `ask:` in the front matter"
    plain = ask
    for known in (recipient["name"], ctx["recipient"]["office_title"], ctx["recipient"]["title"]):
        if known:
            plain = plain.replace(known, "X")  # "Charles E. Schumer", "Dr." are not sentence ends
    assert re.search(r"[.?!]$", plain) and not re.search(r"[.?!]\s+\S", plain), f"{path.name}: not one sentence: {ask}"

    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    tail = " ".join(paragraphs[-3:])
    assert re.search(REPLY[lt.language], tail), f"{path.name} for {label}: no reply request at the end"
    assert not re.search(NO_WRITTEN_QUESTION, body + ask, re.I)


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_the_personal_paragraph_goes_in_once(path):
    label, recipient = fitting(letter(path))[0]
    mine = "A paragraph of my own about why this matters to me."
    ctx, _, body, _ = rendered(path, recipient, mine)
    assert body.count(mine) == 1
    assert between_salutation_and_closing(ctx, body).index(mine) > 0


# ---------------------------------------------------------------- the files themselves


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_front_matter_names_topic_ask_and_facts_ids(path):
    meta = letter(path).meta
    assert str(meta.get("topic") or "").strip(), f"{path.name}: no topic"
    assert str(meta.get("ask") or "").strip(), f"{path.name}: no ask"
    sources = ids(path)
    assert sources, f"{path.name}: no sources"
    bad = [s for s in sources if not re.fullmatch(r"\d+\.\d+", s)]
    assert not bad, f"{path.name}: sources are FACTS.md row ids like '11.10', not {bad}"


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_sources_exist_in_facts_and_one_is_from_2020_on(path):
    rows = facts()
    missing = [s for s in ids(path) if s not in rows]
    assert not missing, f"{path.name}: not in FACTS.md: {missing}"
    years = {s: [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", rows[s])] for s in ids(path)}
    assert any(y and max(y) >= 2020 for y in years.values()), f"{path.name}: no fact dated 2020 or later: {years}"


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_no_written_question_anywhere(path):
    assert not re.search(NO_WRITTEN_QUESTION, path.read_text(encoding="utf-8"), re.I)


def is_follow_up(lt: templates.Letter) -> bool:
    """A follow-up (reminder, thanks-reply) answers an earlier letter, so it suits every kind of recipient."""
    return "earlier." in lt.path.read_text(encoding="utf-8")


def test_the_follow_ups_are_the_only_letters_for_every_recipient_kind():
    assert {letter(p).name for p in LETTERS if is_follow_up(letter(p))} == {"reminder", "thanks-reply"}


@pytest.mark.parametrize("path", [p for p in LETTERS if not is_follow_up(letter(p))], ids=lambda p: p.name)
def test_lawmaker_letters_suit_by_chamber(path):
    for rule in letter(path).meta["suits"]:
        if str(rule.get("country", "")).upper() in ("US", "GB", "DE", "FR"):
            assert "chamber" in rule or "office" in rule, f"{path.name}: {rule} would match a ministry too"


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_attribution_is_varied(path):
    body = " ".join(letter(path).body.split())
    sentences = re.split(r"(?<=[.!?])\s+", body)
    run = longest = 0
    for s in sentences:
        run = run + 1 if re.match(ATTRIBUTION_OPENERS, s) else 0
        longest = max(longest, run)
    assert longest < 4, f"{path.name}: {longest} sentences in a row open with an attribution formula"


@pytest.mark.parametrize("path", [p for p in LETTERS if letter(p).language == "fr"], ids=lambda p: p.name)
def test_french_letters_open_with_place_and_date(path):
    label, recipient = fitting(letter(path))[0]
    ctx, _, body, _ = rendered(path, recipient)
    assert body.splitlines()[0] == f"Springfield, le {ctx['date']}"


@pytest.mark.parametrize("path", [p for p in LETTERS if p.name.startswith("un-sogi.")], ids=lambda p: p.name)
def test_un_sogi_is_not_an_urgent_appeal_and_names_the_mandate(path):
    lt = letter(path)
    assert not re.search(r"urgen", path.read_text(encoding="utf-8"), re.I)
    assert re.search(r"Independent Expert|Expert indépendant", str(lt.meta["subject"]))
