"""`advocate batch` for events, as issue 15 asks: printed pages (in a real browser, with its default settings),
letters to international recipients, and the options and messages an organiser meets."""

import csv
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import SAMPLE
from tests.test_batch import CRACKDOWN, STATE, attendees_module, batch, chromium, put, table


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "attendees.csv"
    shutil.copyfile(SAMPLE, path)
    return path


def pdf_of(browser: str, html: Path, tmp_path: Path) -> Path:
    """The file printed by headless Chromium with its default print settings (no flag for the header)."""
    pdf = html.with_suffix(".pdf")
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}", html.as_uri()]  # fmt: skip
    done = subprocess.run(args, capture_output=True, timeout=120)
    assert pdf.is_file() and pdf.stat().st_size, done.stderr[-2000:]
    return pdf


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def page_text(pdf: Path, page: int | None = None) -> str:
    where = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *where, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def first_word_at(pdf: Path, word: str, page: int = 1) -> tuple[float, float]:
    """(mm from the left, mm from the top) of the first ``word`` on ``page`` (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    m = re.search(rf'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{re.escape(word)}</word>', xml)
    assert m, f"{word!r} not on page {page}"
    return float(m[1]) * 25.4 / 72, float(m[2]) * 25.4 / 72


def ten_letters(path: Path, country: str) -> Path:
    """Attendees of one country whose lawmakers add up to exactly 10 letters."""
    from advocate.lookup import lookup

    pool = attendees_module().places()[country]
    rows, letters = [], 0
    for place in pool:
        if country == "GB":
            n = len(lookup("GB", constituency=place["constituency"]).people)
        elif country == "US":
            n = len(lookup("US", zip_code=place["zip"], district=int(place["district"])).people)
        elif country == "DE":
            n = len(lookup("DE", postcode=place["zip"], wahlkreis=int(place["district"])).people)
        else:
            n = len(lookup("FR", postcode=place["zip"], circo=int(place["district"])).people)
        if letters + n <= 10:
            rows.append(place)
            letters += n
        if letters == 10:
            break
    assert letters == 10
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "country", "zip", "district", "constituency", "address", "city", "personal"])
        for i, p in enumerate(rows):
            w.writerow([f"Attendee {i} Ñúñez", country, p.get("zip", ""), p.get("district", ""),
                        p.get("constituency", ""), f"{i + 1} High Street", "Springfield",
                        "I march every June." if i % 2 else ""])  # fmt: skip
    return path


# ---------------------------------------------------------------- printing


@pytest.mark.slow
@pytest.mark.needs_chromium
@pytest.mark.parametrize("country,language", [("US", "en"), ("GB", "en"), ("DE", "de"), ("FR", "fr")])
def test_ten_letters_print_on_ten_pages_without_the_browsers_header(cli, tmp_path, country, language):
    browser = chromium()
    out = tmp_path / "out"
    r = batch(cli, ten_letters(tmp_path / "a.csv", country), out, "--format", "html")
    assert r.exit_code == 0, r.output
    assert "do not fit one page" not in r.stderr
    pdf = pdf_of(browser, out / "letters.html", tmp_path)
    assert pages_of(pdf) == 10
    text = page_text(pdf)
    assert "file://" not in text and "letters.html" not in text and "Letters" not in text.split()  # no header
    assert [row["page"] for row in table(out / "manifest.csv")] == [str(n) for n in range(1, 11)]
    # the recipient's first line in the window of DIN 5008 form B: 45 mm from the top, 20 mm from the left
    first = table(out / "manifest.csv")[0]
    from advocate.lookup import people
    from advocate.templates.greeting import envelope

    person = people.show(first["recipient_id"])
    postal = envelope(person, person.get("language") or "en")  # a German address starts with "Frau"/"Herrn"
    x, y = first_word_at(pdf, postal[0].split()[0])
    assert 19 <= x <= 22 and 44 <= y <= 47, (x, y)


@pytest.mark.slow
@pytest.mark.needs_chromium
def test_letter_paper_puts_the_address_in_the_us_10_window(cli, tmp_path):
    browser = chromium()
    out = tmp_path / "out"
    r = batch(cli, ten_letters(tmp_path / "a.csv", "US"), out, "--format", "html", "--paper", "Letter")
    assert r.exit_code == 0, r.output
    pdf = pdf_of(browser, out / "letters.html", tmp_path)
    assert pages_of(pdf) == 10 and "file://" not in page_text(pdf)
    x, y = first_word_at(pdf, "The")  # "The Honorable …", 2 1/8 in from the top, 7/8 in from the left
    assert 21 <= x <= 24 and 53 <= y <= 56, (x, y)


@pytest.mark.slow
@pytest.mark.needs_chromium
def test_a_long_personal_paragraph_prints_on_two_pages_headed_with_the_name(cli, tmp_path):
    browser = chromium()
    paragraph = ("My cousin fled Grozny in 2017 and now lives in Vilnius, where he studies. " * 40)[:2500]
    rows = [["name", "country", "zip", "district", "personal"], ["Robin Example", "US", "20001", "", paragraph],
            ["Sam Short", "US", "20001", "", ""]]  # fmt: skip
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "out"
    r = batch(cli, path, out, "--format", "html")
    assert r.exit_code == 0, r.output
    assert "Warning: 1 letter(s) do not fit one page (row 2)" in r.stderr
    pdf = pdf_of(browser, out / "letters.html", tmp_path)
    assert pages_of(pdf) == 3
    second = page_text(pdf, 2).split("\n")
    assert second[0].strip() == "Robin Example" and "page 2/2" in page_text(pdf, 2)
    assert "Sam Short" in page_text(pdf, 3) and "page 2/2" not in page_text(pdf, 3)
    assert [(r["row"], r["page"]) for r in table(out / "manifest.csv")] == [("2", "1"), ("3", "3")]


def test_one_signature_layout_in_every_language(cli, tmp_path):
    """The closing, the line to sign on, then the name and address: in English, German and French alike."""
    text = ("name,country,zip,district,address,constituency\nAlex Doe,US,20001,,1 Main St,\n"
            "Sam Taylor,GB,,,2 High St,Islington North\nJana Müller,DE,10115,,Unter 3,\n"
            "Éloïse Martin,FR,75001,1,4 rue X,\n")  # fmt: skip
    out = tmp_path / "out"
    assert batch(cli, put(tmp_path / "a.csv", text), out, "--format", "html").exit_code == 0
    html = (out / "letters.html").read_text(encoding="utf-8")
    closings = re.findall(r'<div class="closing">\n(.*?)</div>\n</div>', html, flags=re.S)
    assert len(closings) == 6
    for closing in closings:
        m = re.fullmatch(r'<p>([^<]+)</p>\n<div class="signature">\w+</div>\n<p>([^<]+)</p>', closing.strip())
        assert m, closing
        assert m[2].split("\n")[0] in ("Alex Doe", "Sam Taylor", "Jana Müller", "Éloïse Martin"), closing
        assert any(w in m[1] for w in ("Sincerely", "sincerely", "Grüßen", "considération")), closing


def test_split_puts_n_letters_in_each_file_and_the_manifest_names_file_and_page(cli, sample, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, sample, out, "--format", "html", "--split", "4")
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} == {"letters-001.html", "letters-002.html", "letters-003.html",
                                                "manifest.csv", STATE}  # fmt: skip
    rows = table(out / "manifest.csv")
    assert [(r["file"], r["page"]) for r in rows] == [(f"letters-00{i // 4 + 1}.html", str(i % 4 + 1))
                                                      for i in range(9)]  # fmt: skip
    for name in ("letters-001.html", "letters-003.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n")
    assert (out / "letters-003.html").read_text(encoding="utf-8").count('<article class="letter"') == 1


# ---------------------------------------------------------------- international recipients


def attendees(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "email", "address", "city", "zip", "personal", "pronouns"])
        for i in range(n):
            w.writerow([f"Attendee {i}", f"a{i}@example.org", f"{i} Secret Lane", "Hometown", f"SW{i} 1AA",
                        f"My cousin {i} fled Grozny.", "they/them"])  # fmt: skip
    return path


def test_twenty_attendees_to_the_icc_are_twenty_letters(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("batch", str(attendees(tmp_path / "a.csv", 20)), "--to", "icc-otp", "--template", "icc",
            "--out", str(out))  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = table(out / "manifest.csv")
    assert len(rows) == 20 and {r["recipient_id"] for r in rows} == {"icc-otp"}
    assert len({r["row"] for r in rows}) == 20
    letter = (out / rows[3]["file"]).read_text(encoding="utf-8")
    assert "Office of the Prosecutor" in letter and "Attendee 3" in letter and "My cousin 3 fled Grozny." in letter


@pytest.mark.parametrize("fmt", ["txt", "eml", "jsonl", "html"])
def test_letters_to_an_embassy_carry_nothing_about_the_attendee_but_the_name(cli, tmp_path, fmt):
    out = tmp_path / "out"
    r = cli("batch", str(attendees(tmp_path / "a.csv", 5)), "--to", "ru-embassy-de", "--template", "embassy",
            "--format", fmt, "--out", f"{out}/")  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = table(out / "manifest.csv")
    assert len(rows) == 5 and {r["recipient_id"] for r in rows} == {"ru-embassy-de"}
    everything = "".join(p.read_text(encoding="utf-8") for p in out.iterdir() if p.name not in ("manifest.csv", STATE))
    if fmt == "jsonl":
        everything = "".join(json.loads(line)["body"] for line in everything.splitlines())
    for i in range(5):
        assert f"Attendee {i}" in everything
        for secret in (f"a{i}@example.org", f"{i} Secret Lane", f"SW{i} 1AA", f"My cousin {i}"):
            assert secret not in everything, (fmt, secret)
    assert "Hometown" not in everything and "they/them" not in everything


def test_several_to_and_what_to_refuses(cli, tmp_path):
    path = attendees(tmp_path / "a.csv", 2)
    out = tmp_path / "out"
    r = cli("batch", str(path), "--to", "ru-embassy-de", "--to", "ru-embassy-uk", "--template", "embassy",
            "--out", str(out))  # fmt: skip
    assert r.exit_code == 0, r.output
    assert Counter(r["recipient_id"] for r in table(out / "manifest.csv")) == {"ru-embassy-de": 2, "ru-embassy-uk": 2}
    r = cli("batch", str(path), "--to", "us-N000002", "--template", "crackdown", "--out", str(tmp_path / "x"))
    assert r.exit_code == 1 and "--to takes an international recipient" in r.stderr and "Traceback" not in r.output
    r = cli("batch", str(path), "--to", "icc-otp", "--template", "crackdown", "--out", str(tmp_path / "y"))
    assert r.exit_code == 1 and "is not for icc-otp" in r.stderr
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


# ---------------------------------------------------------------- options and messages


def test_out_defaults_to_a_folder_named_after_the_csv(cli, sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("batch", str(sample), *CRACKDOWN)
    assert r.exit_code == 0, r.output
    out = tmp_path / "attendees-letters"
    assert len(table(out / "manifest.csv")) == 9 and f"written in {out}" in r.stderr


@pytest.mark.parametrize("exists", [False, True])
def test_jsonl_into_a_folder_writes_letters_jsonl_inside_it(cli, sample, tmp_path, exists):
    folder = tmp_path / "jdir"
    if exists:
        folder.mkdir()
    given = str(folder) if exists else f"{folder}/"
    r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", given)
    assert r.exit_code == 0, r.output
    assert folder.is_dir() and (folder / "letters.jsonl").is_file()
    lines = (folder / "letters.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9 == len(table(folder / "manifest.csv"))


def test_sample_over_an_existing_file_suggests_what_sample_takes(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("batch", "--sample").exit_code == 0
    r = cli("batch", "--sample")
    assert r.exit_code == 1 and "--out" not in r.stderr
    assert "give --sample another file name" in r.stderr and "--force" in r.stderr


def test_zip_and_postcode_columns_in_one_sheet(cli, tmp_path):
    text = ("Name,Country,ZIP,Postcode,District\nAlex Doe,US,10001,,12\nJana Müller,DE,,10115,\n"
            "Éloïse Martin,FR,,75001,1\nLee Both,US,20001,SW1A 1AA,\n")  # fmt: skip
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "intl.csv", text), out)
    assert r.exit_code == 0, r.output
    by_row = Counter(r["row"] for r in table(out / "manifest.csv"))
    assert by_row == {"2": 3, "3": 3, "4": 1, "5": 1}
    assert "Warning" not in r.stderr.replace("Warning: the Assemblée", "")


def test_summary_counts_empty_and_identical_personal_paragraphs(cli, tmp_path):
    text = ("name,country,zip,district,personal\nA,US,20001,,\nB,US,20001,,Same words.\nC,US,20001,,same  WORDS.\n"
            "D,US,20001,,Mine alone.\nE,US,20001,,\n")  # fmt: skip
    r = batch(cli, put(tmp_path / "a.csv", text), tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert "Personal paragraphs: 2 of 5 left empty, 2 identical to another's" in r.stderr


def test_the_readme_explains_why_identical_letters_count_less():
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "WriteToThem" in readme and "identical" in readme


def test_a_po_box_zip_row_names_a_column_not_a_flag(cli, tmp_path):
    r = batch(cli, put(tmp_path / "a.csv", "name,country,zip\nAlex,US,99999\n"), tmp_path / "out")
    assert r.exit_code == 1
    reason = table(tmp_path / "out" / "errors.csv")[0]["reason"]
    assert "--state" not in reason and "state column" in reason, reason


def test_check_writes_errors_csv_even_when_the_out_folder_is_given(cli, sample, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, sample, out, "--check")
    assert r.exit_code == 0 and not out.exists()
    assert (tmp_path / "errors.csv").read_text(encoding="utf-8").startswith("row,line,reason,")
    assert {"attendees.csv", "errors.csv"} <= set(os.listdir(tmp_path))


@pytest.mark.slow
def test_jsonl_chunks_written_by_the_workers_equal_one_process(cli, tmp_path, monkeypatch):
    """Workers write their chunks' jsonl to part files that the main process appends in order."""
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    rows = ["name,country,zip,district,personal\n"]
    for i in range(900):
        rows.append([f"A{i},US,10001,12,\n", f"B{i},US,20001,,mine {i}\n", "Bad\x01,US,20001,,\n"][i % 3])
    path = put(tmp_path / "many.csv", "".join(rows))
    for where in ("folder", "file"):
        got = {}
        for jobs in ("1", "2"):
            target = tmp_path / f"{where}{jobs}"
            out = f"{target}/" if where == "folder" else f"{target}.jsonl"
            r = cli("batch", str(path), *CRACKDOWN, "--format", "jsonl", "--out", out, "--jobs", jobs)
            assert r.exit_code == 1 and "600 of 900 attendees done" in r.stderr, r.output
            got[jobs] = (target / "letters.jsonl" if where == "folder" else Path(out)).read_bytes()
            if where == "folder":
                assert sorted(os.listdir(target)) == [STATE, "errors.csv", "letters.jsonl", "manifest.csv"]
        assert got["1"] == got["2"] and got["1"].count(b"\n") == 3 * 300 + 300
    assert os.listdir(tmp_path / "tmp") == []  # the workers' part files are gone
