"""Ministries as recipients, in the shape CONTRACT.md gives for advocate/importer/curated/government.yaml.

The curated government file is another branch's, so the bundled data has no ministry yet: the letter tests build
one here to render the ministry letters (sanctions.*, protection.*) and the follow-ups for a ministry.
"""

MINISTRIES = {  # (country, office) -> (id, name, language); the role is the name
    ("US", "foreign_ministry"): ("us-gov-state", "U.S. Department of State", "en"),
    ("US", "interior_ministry"): ("us-gov-dhs", "U.S. Department of Homeland Security", "en"),
    ("GB", "foreign_ministry"): ("gb-gov-fcdo", "Foreign, Commonwealth & Development Office", "en"),
    ("GB", "interior_ministry"): ("gb-gov-home-office", "Home Office", "en"),
    ("DE", "foreign_ministry"): ("de-gov-aa", "Auswärtiges Amt", "de"),
    ("DE", "interior_ministry"): ("de-gov-bmi", "Bundesministerium des Innern", "de"),
    ("FR", "foreign_ministry"): ("fr-gov-meae", "Ministère de l'Europe et des Affaires étrangères", "fr"),
    ("FR", "interior_ministry"): ("fr-gov-interieur", "Ministère de l'Intérieur", "fr"),
}
# The greeting the lead will give chamber "government" (salute.py has no such rule yet).
NEUTRAL = {"en": "Dear Sir or Madam", "de": "Sehr geehrte Damen und Herren", "fr": "Madame, Monsieur"}


def ministry(country: str, office: str) -> dict:
    """A ministry recipient as CONTRACT.md describes it."""
    rid, name, language = MINISTRIES[(country, office)]
    return {
        "id": rid,
        "country": country,
        "chamber": "government",
        "office": office,
        "name": name,
        "body": {"US": "United States Government", "GB": "HM Government", "DE": "Bundesregierung"}.get(
            country, "Gouvernement"
        ),
        "role": name,
        "minister": None,
        "language": language,
        "channels": {"postal": [name], "contact_form": None, "website": None, "phone": None, "email": None},
        "sources": ["https://example.gov/about"],
        "as_of": "2026-12-01",
    }


def all_ministries() -> list[dict]:
    return [ministry(country, office) for country, office in MINISTRIES]
