"""Open States contact forms for Congress: the archive parser, the rule that picks one form, and the count."""

import io
import tarfile

import pytest

from advocate.errors import DataError
from advocate.importer.openstates import choose_form, parse_openstates
from advocate.opendata import store


def _archive(records: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, text in records.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"openstates-people-us-legislature/data/us/legislature/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


MEMBER = """id: ocd-person/x
name: {name}
email: {email}
other_identifiers:
- scheme: govtrack
  identifier: '1'
- scheme: bioguide
  identifier: {bioguide}
"""


def test_parse_keys_by_bioguide_and_reads_the_top_level_email_as_the_form():
    raw = _archive(
        {
            "A.yml": MEMBER.format(
                name="Chuck Schumer", email="https://www.schumer.senate.gov/contact/message-chuck", bioguide="S000148"
            ),  # fmt: skip
            "B.yml": "name: Abe Hamadeh\nother_identifiers:\n- scheme: bioguide\n  identifier: H001098\n",
        }
    )
    forms = parse_openstates(raw, minimum=1)
    assert forms == {"S000148": "https://www.schumer.senate.gov/contact/message-chuck", "H001098": None}


def test_a_member_without_exactly_one_bioguide_and_a_non_archive_are_clear_errors():
    with pytest.raises(DataError, match="B.yml has 0 bioguide identifiers"):
        parse_openstates(_archive({"B.yml": "name: X\nemail: https://x.house.gov/\n"}), minimum=1)
    with pytest.raises(DataError, match="not a tar archive"):
        parse_openstates(b"<html>Not found</html>")
    with pytest.raises(DataError, match="refusing this file"):
        parse_openstates(_archive({"A.yml": MEMBER.format(name="A", email="https://a.house.gov/c", bioguide="A1")}))


@pytest.mark.parametrize(
    ("legislators", "openstates", "chosen"),
    [
        # Open States, the newer source, where both are forms on the member's own host.
        ("https://www.cruz.senate.gov/?p=form&id=16", "https://www.cruz.senate.gov/contact/write-ted",
         "https://www.cruz.senate.gov/contact/write-ted"),
        # A malformed URL never wins ("hhttps://", congress-legislators' Fine).
        ("hhttps://fine.house.gov/address_authentication?form=/contact/email-me", "https://fine.house.gov/contact/",
         "https://fine.house.gov/contact/"),
        # A home page loses to a form; an archived page loses to the live one.
        ("https://mccormick.senate.gov/", "https://www.mccormick.senate.gov/contact/contact-dave/",
         "https://www.mccormick.senate.gov/contact/contact-dave/"),
        ("https://www.tuberville.senate.gov/contact/contact-form/",
         "https://www.tuberville.senate.gov/contact-old/contact-form/",
         "https://www.tuberville.senate.gov/contact/contact-form/"),
        # Both home pages: still a way to reach the office (Open States' first).
        ("https://alsobrooks.senate.gov/", "https://www.alsobrooks.senate.gov/", "https://www.alsobrooks.senate.gov/"),
        # Off a congressional host: not the member's own office.
        (None, "https://example.com/contact", None),
        ("https://jones.house.gov/contact", None, "https://jones.house.gov/contact"),
        (None, None, None),
    ],
)  # fmt: skip
def test_the_rule_that_picks_one_form(legislators, openstates, chosen):
    assert choose_form(legislators, openstates) == chosen


def test_at_least_520_members_of_congress_have_a_contact_form():
    people = store.load("us")["people"]
    with_form = [p for p in people if p["channels"]["contact_form"]]
    assert len(with_form) >= 520
    assert len(with_form) == 533
    for p in with_form:
        assert p["channels"]["contact_form"].startswith("https://")
    sources = {s["name"]: s for s in store.load("us")["meta"]["sources"]}
    assert "Open States" in sources["us-openstates"]["credit"] and sources["us-openstates"]["licence"].startswith("CC0")
