"""The bundled letters stay clear of FACTS.md's "Claims to avoid": a wrong claim in a letter is a bug.

Each pattern is one of the sheet's avoided claims (A1–A23) in the words a letter would use, in English, German
and French. A new letter, or an edit, that brings one back fails here before it reaches an office.
"""

import re

import pytest

from tests.helpers import ROOT

LETTERS = sorted((ROOT / "letters").glob("*.j2"))
AVOID = {
    "A1 Russia leaving the ICC's jurisdiction": r"(leave|verlässt|quitter)\w* .{0,40}"
    r"(jurisdiction|Gerichtsbarkeit|compétence)",
    "A2 'every applicant turned away'": r"turned away every|every .{0,30}(turned away|rejected)|"
    r"jeden .{0,30}abgewiesen",
    "A3 'US denied visas to 40'": r"denied visas|verweigert\w* .{0,20}Visa|refusé .{0,20}visas",
    "A4 Novaya Gazeta in March 2017": r"(Novaya Gazeta|Nowaja Gaseta|Novaïa Gazeta)[^.]{0,60}(March|März|mars) 2017",
    "A5 'concentration camps' and unsourced counts": r"concentration camp|Konzentrationslager|camps? de concentration|"
    r"\b(200|26|56) (men|gay|Männer|hommes)|six prisons|at least six",
    "A6 '27 gay men executed'": r"27 (gay|schwul|homosex)",
    "A7 'by Ramadan'": r"Ramadan",
    "A9 Lithuania granted asylum / was the first": r"(Lithuania|Litauen|Lituanie)[^.]{0,60}"
    r"(granted asylum|gewährte Asyl|accordé l'asile|the first country|das erste Land|le premier pays)",
    "A10 Germany granted asylum": r"humanitäres Asyl|(Germany|Deutschland|Allemagne)[^.]{0,40}"
    r"(granted asylum|Asyl gewährt|accordé l'asile)",
    "A11 the ICC is investigating": r"ICC is investigating|(Court|Cour|Gerichtshof)[^.]{0,30}(is investigating|"
    r"enquête actuellement|ermittelt)|complaint is pending",
    "A13 'ten killed in 2019'": r"\b(ten|10|zehn|dix) (people|Menschen|personnes)[^.]{0,30}(killed|getötet|tués)",
    "A14 'the High Commissioner condemned'": r"High Commissioner|Hochkommissar|Haut-Commissaire",
    "A15 why the US sanctioned Kadyrov": r"(Kadyrov[^.]{0,80}(sanction|barred|Einreise|interdit)|"
    r"(sanction|barred|Einreise|interdit)\w*[^.]{0,40}Kadyrov)[^.]{0,80}(LGBT|gay|schwul|homosex|LSBTIQ)",
    "A17 the extremist ruling 'in May'": r"(Supreme Court|Oberste\w* Gericht|Cour suprême)[^.]{0,80}\b(May|Mai|mai)\b",
    "A19 'seven men detained'": r"\b(seven|7|sieben|sept) (men|Männer|hommes)[^.]{0,40}(detained|festgenommen|arrêtés)",
    "A20 a 120-day refugee pause": r"120 (days|Tage|jours)",
    "A21 'Germany ended humanitarian visas'": r"(ended|beendet|mis fin|eingestellt)[^.]{0,60}"
    r"(humanitarian visas|humanitäre\w* Visa|visas humanitaires)",
    "A22 'the ECtHR bars returns'": r"(bars|verbietet|interdit)[^.]{0,40}(return|Rückführung|Abschiebung|renvoi)",
    "A23 the 2025 sanctions on Kadyrov's mother": r"(mother|Mutter|mère)[^.]{0,80}sanction|"
    r"sanction[^.]{0,80}(mother|Mutter|mère)",
}  # fmt: skip


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_no_letter_makes_a_claim_to_avoid(path):
    text = " ".join(path.read_text(encoding="utf-8").split())
    found = {claim: m.group(0) for claim, pattern in AVOID.items() if (m := re.search(pattern, text, re.IGNORECASE))}
    assert not found, found


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_no_letter_claims_icc_jurisdiction_or_calls_genocide_a_fact(path):
    text = " ".join(path.read_text(encoding="utf-8").split("---", 2)[2].split())  # the letter, not its sources
    assert not re.search(r"(has|a) (jurisdiction|compétence) over", text, re.IGNORECASE)
    for match in re.finditer(r"g[ée]nocide", text, re.IGNORECASE):  # only ever as the complainants' word
        around = text[max(0, match.start() - 120) : match.end() + 120]
        assert re.search(r"accus|characteri|qualifi|allégation|allegation|selon eux|their", around, re.I), around


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name)
def test_every_letter_lists_its_sources(path):
    front = path.read_text(encoding="utf-8").split("---", 2)[1]
    assert re.search(r"^sources:\n(\s+- .+\n)+", front, re.M), path.name
