"""`advocate batch` as an organiser meets it: the sample, the letters on disk, the manifest, every CSV
oddity, the printable file in a real browser, and a batch killed part-way and run again."""

import csv
import email.parser
import email.policy
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import ROOT, SAMPLE, TODAY, one_error_line

CRACKDOWN = ("--template", "crackdown")
# NNNNN-<attendee slug>-<recipient id>.txt|.eml
LETTER = re.compile(r"^(\d{5})-([a-z0-9]+(?:-[a-z0-9]+)*)-((us|gb|de|fr)-[A-Za-z0-9]+)\.(txt|eml)$")
MANIFEST_HEADER = ["row", "attendee", "recipient_id", "recipient_name", "channel", "file", "sha256", "page"]
STATE = ".advocate-batch.json"
HEADER = "name,country,zip,district,personal\n"
ALEX = "Alex Doe,US,10001,12,\n"  # 3 letters: Schumer, Gillibrand, Nadler
SAM = "Sam Taylor,US,20001,,\n"  # 1 letter: the DC delegate


# ---------------------------------------------------------------- helpers


def put(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """A file with exactly these characters: no newline translation."""
    path.write_bytes(text.encode(encoding))
    return path


def batch(cli, csv_file: Path, out: Path | None, *more: str):
    return cli("batch", str(csv_file), *CRACKDOWN, *(("--out", str(out)) if out else ()), *more)


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def letter_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if LETTER.match(p.name))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (dot files too) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def checked_manifest(out: Path) -> list[dict[str, str]]:
    """manifest.csv, with every row's file there, named after the row and recipient, and its SHA-256 right."""
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == MANIFEST_HEADER
    rows = table(out / "manifest.csv")
    for row in rows:
        data = (out / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row
        m = LETTER.match(row["file"])
        assert m and int(m[1]) == int(row["row"]) and m[3] == row["recipient_id"], row
        assert row["channel"] == ("email" if m[5] == "eml" else "post")
    assert sorted(r["file"] for r in rows) == letter_files(out)
    return rows


def attendees_module():
    """bench/attendees.py, the deterministic generator of attendee CSVs."""
    spec = importlib.util.spec_from_file_location("batch_bench_attendees", ROOT / "bench" / "attendees.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "attendees.csv"
    shutil.copyfile(SAMPLE, path)
    return path


# ---------------------------------------------------------------- 1. the shipped sample


def test_sample_is_written_once_and_never_overwritten(cli, tmp_path):
    target = tmp_path / "attendees.csv"
    r = cli("batch", "--sample", str(target))
    assert r.exit_code == 0 and r.stdout == f"{target}\n" and r.stderr == ""
    assert target.read_bytes() == SAMPLE.read_bytes()
    assert len(table(target)) == 5
    target.write_text("name\nMy own list\n", encoding="utf-8")
    one_error_line(cli("batch", "--sample", str(target)), str(target), "already exists")
    assert target.read_text(encoding="utf-8") == "name\nMy own list\n"
    r = cli("batch", "--sample", str(target), "--force")  # the error line offers --force: it must work
    assert r.exit_code == 0 and target.read_bytes() == SAMPLE.read_bytes()


def test_sample_batch_writes_a_letter_per_lawmaker_and_a_manifest(cli, sample, tmp_path):
    out = tmp_path / "letters-out"
    r = batch(cli, sample, out)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert f"5 of 5 attendees done; 9 letters written in {out}.\n" in r.stderr
    assert "By country: DE: 3 post; FR: 1 post; GB: 1 post; US: 4 post.\n" in r.stderr
    names = letter_files(out)
    assert Counter(LETTER.match(n)[4] for n in names) == {"us": 4, "gb": 1, "de": 3, "fr": 1}
    assert Counter((LETTER.match(n)[1], LETTER.match(n)[2]) for n in names) == {
        ("00002", "alex-doe"): 3,
        ("00003", "sam-taylor"): 1,
        ("00004", "jana-muller"): 3,
        ("00005", "eloise-martin"): 1,
        ("00006", "chris-park"): 1,
    }
    assert {p.name for p in out.iterdir()} == {*names, "manifest.csv", STATE}  # no errors.csv, no .part
    rows = checked_manifest(out)
    assert [r["row"] for r in rows] == ["2"] * 3 + ["3"] + ["4"] * 3 + ["5", "6"]
    assert {r["attendee"] for r in rows} == {"Alex Doe", "Sam Taylor", "Jana Müller", "Éloïse Martin", "Chris Park"}
    by_id = {r["recipient_id"]: r for r in rows}
    nadler = (out / by_id["us-N000002"]["file"]).read_text(encoding="utf-8")
    assert by_id["us-N000002"]["recipient_name"] == "Jerrold Nadler"
    assert "Dear Representative Nadler," in nadler and "I march every June" in nadler
    assert nadler.startswith("Alex Doe\n") and "November 24, 2026" in nadler
    for row in rows:  # each letter is addressed to the lawmaker the manifest names
        assert row["recipient_name"].split()[-1] in (out / row["file"]).read_text(encoding="utf-8")


# ---------------------------------------------------------------- 2. printable HTML in a real browser


def chromium() -> str:
    """Headless Chromium (and pdfinfo, to read the pages back), or a skip naming what to install."""
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo is not installed (Debian: apt-get install poppler-utils; .ci/run installs it)")
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")


def print_to_pdf(browser: str, html: Path, tmp_path: Path) -> tuple[int, str]:
    """(pages, page size line) of the file printed by headless Chromium."""
    pdf = html.with_suffix(".pdf")
    profile = tmp_path / f"chromium-profile-{html.parent.name}"
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()]  # fmt: skip
    done = subprocess.run(args, capture_output=True, timeout=120)
    assert pdf.is_file() and pdf.stat().st_size, done.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    return pages, re.search(r"^Page size:.*$", info, re.M)[0]


def us_attendees(path: Path, n: int = 20) -> Path:
    """n US attendees at real, unambiguous ZIPs with their district, some with an address and a paragraph."""
    pool = attendees_module().places()["US"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "country", "zip", "district", "address", "city", "personal"])
        for i, place in enumerate(pool[:n]):
            name = "Kim <Lee> & Co" if i == 0 else f"Attendee {i} Ñúñez"
            address = f"{i + 1} Main Street\nApt {i + 2}" if i % 2 else ""
            personal = "I march every June, and I think of the men who cannot." if i % 3 else ""
            w.writerow([name, "US", place["zip"], place["district"], address, "Springfield", personal])
    return path


@pytest.mark.slow
@pytest.mark.needs_chromium
def test_html_prints_one_page_per_letter_on_a4_and_letter(cli, tmp_path):
    browser = chromium()
    people = us_attendees(tmp_path / "us.csv")
    for paper, size in (("A4", "(A4)"), ("Letter", "(letter)")):
        out = tmp_path / f"html-{paper}"
        r = batch(cli, people, out, "--format", "html", "--paper", paper)
        assert r.exit_code == 0, r.output
        assert {p.name for p in out.iterdir()} == {"letters.html", "manifest.csv", STATE}
        rows = table(out / "manifest.csv")
        assert len(rows) >= 20 * 3 and {r["file"] for r in rows} == {"letters.html"}
        assert {r["channel"] for r in rows} == {"html"} and len({r["row"] for r in rows}) == 20
        html = (out / "letters.html").read_text(encoding="utf-8")
        articles = re.findall(r'<article class="letter".*?</article>\n', html, flags=re.S)
        assert [hashlib.sha256(a.encode()).hexdigest() for a in articles] == [r["sha256"] for r in rows]
        assert "Kim &lt;Lee&gt; &amp; Co" in html and "<Lee>" not in html
        pages, page_size = print_to_pdf(browser, out / "letters.html", tmp_path)
        assert pages == len(rows), f"{pages} pages for {len(rows)} letters on {paper}"
        assert size in page_size, page_size


# ---------------------------------------------------------------- 3. killed part-way, run again


BIG = 1000  # enough letters (~2,200) that a kill after 20 lands mid-run; more only costs disk time


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """1,000 generated attendees and the folder an uninterrupted run (--jobs 1) writes from them."""
    base = tmp_path_factory.mktemp("big")
    env = {**os.environ, "ADVOCATE_HOME": str(base / "home"), "ADVOCATE_TODAY": TODAY, "NO_COLOR": "1"}
    path = base / "attendees.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        attendees_module().write(BIG, f)
    reference = base / "B"
    done = run_batch(path, reference, env, "--jobs", "1")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    return path, reference, env


def run_batch(path: Path, out: Path, env: dict[str, str], *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(batch_command(path, out, *more), env=env, capture_output=True, text=True, timeout=60)


def batch_command(path: Path, out: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "advocate", "batch", str(path), *CRACKDOWN, "--format", "txt", "--out", str(out),
            *more]  # fmt: skip


@pytest.mark.slow
def test_the_reference_run_is_complete(big):
    """Every generated attendee has letters, except where the data has no lawmaker for the place (a
    Wahlkreis whose winner got no seat): such a row is in errors.csv, and the lookup really finds no one."""
    from advocate.batch.attendees import area_for
    from advocate.drafts.recipients import lawmakers
    from advocate.errors import RowProblem

    path, reference, _ = big
    rows = checked_manifest(reference)
    assert len(rows) == len(letter_files(reference)) > 2 * BIG
    done = {int(r["row"]) for r in rows}
    failed = {int(e["row"]) for e in table(reference / "errors.csv")} if (reference / "errors.csv").exists() else set()
    with path.open(encoding="utf-8", newline="") as f:
        attendees = list(csv.DictReader(f))
    assert len(attendees) == BIG
    without = [n for n in range(2, BIG + 2) if n not in done]
    assert len(without) < BIG // 100
    assert set(without) == failed
    for number in without:
        a = attendees[number - 2]
        values = {"zip": a["zip"], "district": a["district"], "constituency": a["constituency"]}
        with pytest.raises(RowProblem, match="no lawmaker in the data"):
            lawmakers(a["country"], area_for(a["country"], values), row=True)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_killed_batch_run_again_equals_an_uninterrupted_one(big, tmp_path, jobs):
    path, reference, env = big
    out = tmp_path / "A"
    proc = subprocess.Popen(batch_command(path, out, "--jobs", jobs), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline:
            if out.is_dir() and sum(1 for n in os.listdir(out) if LETTER.match(n)) >= 20:
                break
            time.sleep(0.002)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the batch and its worker processes, as kill -9 would
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, "the batch finished before it could be killed"
    there = letter_files(out)
    assert 20 <= len(there) < len(letter_files(reference))
    assert not (out / "manifest.csv").exists()

    again = run_batch(path, out, env, "--jobs", jobs)
    assert again.returncode == 0, again.stderr
    total = len(letter_files(reference))
    assert f"{total} letters written in {out} ({len(there)} were already there from an earlier run)" in again.stderr
    assert snapshot(out) == snapshot(reference)  # same names, same bytes, same manifest, no .part left over

    # Run once more: nothing is written again, and it says so.
    stamps = {n: (out / n).stat().st_ino for n in letter_files(out)}
    third = run_batch(path, out, env, "--jobs", jobs)
    assert third.returncode == 0, third.stderr
    assert f"({total} were already there from an earlier run)" in third.stderr
    assert {n: (out / n).stat().st_ino for n in letter_files(out)} == stamps
    assert snapshot(out) == snapshot(reference)


@pytest.mark.slow
def test_worker_processes_write_the_same_bytes_as_one_process(big, tmp_path):
    path, reference, env = big
    out = tmp_path / "C"
    done = run_batch(path, out, env, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(reference)


@pytest.mark.slow
def test_worker_processes_write_the_same_drafts_and_errors(cli, tmp_path):
    """eml and errors.csv too, over more rows than one worker chunk, in process (fork) this time."""
    rows = [HEADER]
    for i in range(700):
        rows.append([ALEX, SAM, "Bad\x01Name,US,20001,,\n", "Jana Müller,DE,10117,,hi\n", "Kim,GB,,,\n"][i % 5])
    path = put(tmp_path / "many.csv", "".join(rows))
    outs = {}
    for jobs in ("1", "2"):
        outs[jobs] = tmp_path / f"jobs{jobs}"
        r = batch(cli, path, outs[jobs], "--format", "eml", "--jobs", jobs)
        assert r.exit_code == 1, r.output
        assert "420 of 700 attendees done" in r.stderr and "280 row(s) failed" in r.stderr
    assert snapshot(outs["1"]) == snapshot(outs["2"])
    checked_manifest(outs["2"])


def test_changed_csv_letters_or_options_stop_a_rerun_unless_force(cli, sample, tmp_path, home):
    out = tmp_path / "out"
    assert batch(cli, sample, out).exit_code == 0
    before = snapshot(out)
    with sample.open("a", encoding="utf-8", newline="") as f:
        f.write("Robin Hall,US,10001,12,,,,\n")
    one_error_line(batch(cli, sample, out), str(out), "the CSV changed", "--force")
    assert snapshot(out) == before
    r = batch(cli, sample, out, "--force")
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)
    assert [r["row"] for r in rows][-3:] == ["7"] * 3 and len(letter_files(out)) == 12

    one_error_line(batch(cli, sample, out, "--format", "eml"), "the options changed")
    letters = home / "letters"
    letters.mkdir(parents=True)
    bundled = (ROOT / "letters" / "crackdown.en-gb.j2").read_text(encoding="utf-8")
    (letters / "crackdown.en-gb.j2").write_text(bundled.replace("Yours sincerely", "With best wishes"), "utf-8")
    one_error_line(batch(cli, sample, out), "the letter templates changed")


def test_an_interrupted_start_is_not_mistaken_for_a_foreign_folder(cli, sample, tmp_path):
    """Killed between creating the folder and renaming the state file into it: only a temp file is there."""
    out = tmp_path / "out"
    out.mkdir()
    (out / f".{STATE}.x1y2z3.part").write_text("{", encoding="utf-8")  # as write_atomic names it
    r = batch(cli, sample, out)
    assert r.exit_code == 0, r.output
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    checked_manifest(out)


# ---------------------------------------------------------------- 4. CSV edge cases


def test_utf8_with_bom(cli, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "bom.csv", "\ufeff" + HEADER + ALEX), out)
    assert r.exit_code == 0, r.output
    assert "Warning" not in r.stderr.replace("Warning: the Assemblée", "")  # the BOM is not part of 'name'
    assert [r["attendee"] for r in checked_manifest(out)] == ["Alex Doe"] * 3


def test_utf8_with_bom_and_encoding_utf8_given(cli, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "bom.csv", "\ufeff" + HEADER + ALEX), out, "--encoding", "utf-8")
    assert r.exit_code == 0, r.output
    assert len(checked_manifest(out)) == 3


def test_semicolon_file_with_commas_in_cells(cli, tmp_path):
    text = 'name;country;zip;district;personal\nDoe, Alex;US;10001;12;"I, too, march; every June."\n'
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "semi.csv", text), out)
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)
    assert [r["attendee"] for r in rows] == ["Doe, Alex"] * 3
    assert "\nI, too, march; every June.\n" in (out / rows[2]["file"]).read_text(encoding="utf-8")


def test_tab_file(cli, tmp_path):
    text = "name\tcountry\tzip\tdistrict\tpersonal\nAlex Doe\tUS\t10001\t12\tCommas, and; semicolons.\n"
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "tab.tsv", text), out)
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)
    assert len(rows) == 3 and "Commas, and; semicolons." in (out / rows[0]["file"]).read_text(encoding="utf-8")


def test_doubled_quotes_past_the_first_kilobyte(cli, tmp_path):
    long = "Plain words without any quote. " * 45  # row 2 alone is well past 1,024 bytes
    text = HEADER + f"Sam Taylor,US,20001,,{long}\n" + '"Alex ""Sasha"" Doe",US,10001,12,"She said ""no"", twice."\n'
    assert text.index('""') > 1024
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "quotes.csv", text), out)
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)
    assert [r["attendee"] for r in rows] == ["Sam Taylor"] + ['Alex "Sasha" Doe'] * 3
    assert rows[1]["file"].startswith("00003-alex-sasha-doe-")
    letter = (out / rows[3]["file"]).read_text(encoding="utf-8")
    assert '\nShe said "no", twice.\n' in letter and 'Alex "Sasha" Doe' in letter


def test_multi_line_cells_and_a_line_break_in_a_name(cli, tmp_path):
    text = (
        HEADER
        + 'Alex Doe,US,10001,12,"First line, with a comma.\r\nSecond line."\r\n'  # rows 2: lines 2-3
        + '"Bad\r\nName",US,10001,12,\r\n'  # row 3: lines 4-5, would land in a header
        + "\r\n"  # row 4: blank, skipped but counted
        + SAM  # row 5, line 7
    )
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "multi.csv", text), out)
    assert r.exit_code == 1, r.output
    assert r.stderr.startswith(f"{tmp_path / 'multi.csv'}:4: row 3: a line break in the name column")
    assert "3 of 4 attendees" not in r.stderr and "2 of 3 attendees done; 4 letters written" in r.stderr
    assert f"1 row(s) failed; see {out / 'errors.csv'}." in r.stderr
    rows = checked_manifest(out)
    assert [(r["row"], r["attendee"]) for r in rows] == [("2", "Alex Doe")] * 3 + [("5", "Sam Taylor")]
    letter = (out / rows[2]["file"]).read_text(encoding="utf-8")
    assert "First line, with a comma.\nSecond line." in letter.replace("\r\n", "\n")
    errors = table(out / "errors.csv")
    assert errors == [
        {
            "row": "3",
            "line": "4",
            "reason": errors[0]["reason"],
            "name": "Bad\r\nName",
            "country": "US",
            "zip": "10001",
            "district": "12",
            "personal": "",
        }  # fmt: skip
    ]
    assert "line break in the name column" in errors[0]["reason"]
    assert not any("Bad" in n for n in os.listdir(out))


def test_short_and_long_rows_go_to_errors_csv(cli, tmp_path):
    text = HEADER + ALEX + "Short Row,US,10001\n" + "Long Row,US,10001,12,a,b\n" + SAM
    out = tmp_path / "out"
    r = batch(cli, put(tmp_path / "widths.csv", text), out)
    assert r.exit_code == 1, r.output
    assert "2 of 4 attendees done; 4 letters written" in r.stderr and "2 row(s) failed" in r.stderr
    with (out / "errors.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["row", "line", "reason", "name", "country", "zip", "district", "personal"]
    assert rows[1][:2] == ["3", "3"] and "too few fields: 3, the header has 5" in rows[1][2]
    assert rows[1][3:] == ["Short Row", "US", "10001"]
    assert rows[2][:2] == ["4", "4"] and "too many fields: 6, the header has 5" in rows[2][2]
    assert rows[2][3:] == ["Long Row", "US", "10001", "12", "a", "b"]
    assert {r["row"] for r in checked_manifest(out)} == {"2", "5"}


def test_latin1_file_is_one_error_line_and_works_with_encoding(cli, tmp_path):
    path = put(tmp_path / "latin1.csv", "name,country,zip,district\nAlex Doe,US,10001,12\nJürgen Groß,DE,10117,\n",
               "latin-1")  # fmt: skip
    out = tmp_path / "out"
    one_error_line(batch(cli, path, out), f"{path}:3:", "0xfc", "--encoding")
    assert not out.exists()
    r = batch(cli, path, out, "--encoding", "latin-1")
    assert r.exit_code == 0, r.output
    assert {r["attendee"] for r in checked_manifest(out)} == {"Alex Doe", "Jürgen Groß"}
    assert any(n.startswith("00003-jurgen-gross-de-") for n in letter_files(out))


def test_ambiguous_zip_is_an_error_unless_ambiguous_all(cli, tmp_path):
    path = put(tmp_path / "amb.csv", "name,country,zip\nAlex Doe,US,10001\n")
    out = tmp_path / "out"
    r = batch(cli, path, out)
    assert r.exit_code == 1
    # the candidates by name and member, the column to add; batch has no --state or --district flag
    assert (
        "row 2: ZIP 10001 lies in New York's 10th (Goldman) or 12th (Nadler); add a district column (10 or 12)"
        in r.stderr
    )
    assert "--state" not in r.stderr and "--district" not in r.stderr
    assert letter_files(out) == [] and table(out / "manifest.csv") == []
    assert table(out / "errors.csv")[0]["reason"].startswith("ZIP 10001 lies in New York's 10th (Goldman)")
    out2 = tmp_path / "all"
    r = batch(cli, path, out2, "--ambiguous", "all")
    assert r.exit_code == 0, r.output
    ids = {r["recipient_id"] for r in checked_manifest(out2)}
    assert {"us-S000148", "us-G000555", "us-N000002"} < ids and len(ids) == 4  # both representatives
    assert not (out2 / "errors.csv").exists()


def test_header_names_forgiving_case_and_spaces(cli, tmp_path):
    path = put(tmp_path / "hdr.csv", " Name ,Country,ZIP,district\nAlex Doe,US,10001,12\n")
    out = tmp_path / "out"
    r = batch(cli, path, out)
    assert r.exit_code == 0, r.output
    assert "Warning: column ' Name ' is read as 'name'\n" in r.stderr
    assert "ZIP" not in r.stderr and "Country" not in r.stderr  # documented spellings in any case: no warning
    assert "district'" not in r.stderr  # only the forgiven names are warned about
    assert len(checked_manifest(out)) == 3


def test_header_warnings_only_for_real_renames_and_before_the_row_errors(cli, tmp_path):
    text = "name,country,PLZ,E_Mail\nJana,DE,10115,\nNobody,DE,,\n"
    r = batch(cli, put(tmp_path / "de.csv", text), tmp_path / "out", "--ambiguous", "all")
    assert r.exit_code == 1
    assert "PLZ" not in r.stderr  # documented aliases are no renames
    warning = r.stderr.index("Warning: column 'E_Mail' is read as 'email'\n")
    assert warning < r.stderr.index(": row 3: ")


def test_output_folder_that_cannot_be_written(cli, sample, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for out, needle in ((locked, "cannot write into"), (locked / "sub", "cannot create")):
            if os.access(locked, os.W_OK):  # root: chmod does not stop it, so drop that power for the run
                setpriv = shutil.which("setpriv")
                if setpriv is None:
                    pytest.skip("running as root, where chmod does not stop writes, and setpriv is not there")
                args = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *batch_command(sample, out)]
                done = subprocess.run(args, capture_output=True, text=True, timeout=60)
                if "setpriv" in done.stderr:
                    pytest.skip(f"running as root and cannot drop CAP_DAC_OVERRIDE: {done.stderr.strip()}")
                assert done.returncode == 1, done.stderr
                assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"Error: {needle} {out}: ")
            else:
                one_error_line(batch(cli, sample, out), needle, str(out))
            assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_out_that_is_a_file(cli, sample, tmp_path):
    out = put(tmp_path / "letters.txt", "mine")
    one_error_line(batch(cli, sample, out), str(out), "is a file, not a folder")
    assert out.read_text() == "mine"


def test_non_empty_folder_that_is_not_a_batch_needs_force(cli, sample, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    put(out / "notes.txt", "mine")
    one_error_line(batch(cli, sample, out), str(out), "not empty", "--force")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    r = batch(cli, sample, out, "--force")
    assert r.exit_code == 0, r.output
    assert (out / "notes.txt").read_text() == "mine" and len(checked_manifest(out)) == 9


# ---------------------------------------------------------------- 5. options and formats

MIXED = HEADER + ALEX + '"Bad\nName",US,10001,12,\n' + "Nobody,US,99999,,\n" + SAM


def test_check_writes_nothing_and_reports_failing_rows(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = put(tmp_path / "mixed.csv", MIXED)
    out = tmp_path / "out"
    r = batch(cli, path, out, "--check")
    assert r.exit_code == 1
    assert f"{path}:3: row 3: a line break in the name column" in r.stderr
    assert f"{path}:5: row 4: " in r.stderr
    assert "2 of 4 attendees done; 4 letters checked.\n" in r.stderr
    assert f"2 row(s) failed; see {tmp_path / 'errors.csv'}.\n" in r.stderr
    # errors.csv beside the CSV, to fix the sheet from, and nothing else
    assert r.stdout == "" and not out.exists() and sorted(os.listdir(tmp_path)) == ["errors.csv", "mixed.csv"]
    assert [(e["row"], e["name"]) for e in table(tmp_path / "errors.csv")] == [("3", "Bad\nName"), ("4", "Nobody")]
    good = put(tmp_path / "good.csv", HEADER + ALEX)
    mine = tmp_path / "sheet-errors.csv"
    r = batch(cli, good, out, "--check", "--errors", str(mine))
    assert r.exit_code == 0 and "1 of 1 attendees done; 3 letters checked." in r.stderr and not out.exists()
    assert table(mine) == [] and mine.read_text().startswith("row,line,reason,name,")


def test_check_with_jsonl_to_a_file_leaves_the_file_alone(cli, sample, tmp_path):
    target = put(tmp_path / "letters.jsonl", "earlier output\n")
    for flag in ("--check", "--dry-run"):
        r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", str(target), flag)
        assert r.exit_code == 0, r.output
        assert target.read_text(encoding="utf-8") == "earlier output\n", flag


def test_jsonl_never_overwrites_a_file_without_force(cli, sample, tmp_path):
    target = put(tmp_path / "letters.jsonl", "earlier output\n")
    one_error_line(cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", str(target)), str(target))
    assert target.read_text(encoding="utf-8") == "earlier output\n"
    r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", str(target), "--force")
    assert r.exit_code == 0 and len(target.read_text(encoding="utf-8").splitlines()) == 9
    new = tmp_path / "new.jsonl"
    r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", str(new))
    assert r.exit_code == 0 and len(new.read_text(encoding="utf-8").splitlines()) == 9
    bad = put(tmp_path / "latin1.csv", "name,country\nJürgen,DE\n", "latin-1")
    fresh = tmp_path / "fresh.jsonl"
    one_error_line(cli("batch", str(bad), *CRACKDOWN, "--format", "jsonl", "--out", str(fresh)), "--encoding")
    assert not fresh.exists()  # a bad input writes nothing, not even an empty file


def test_ctrl_c_during_a_jsonl_batch_cleans_up_like_an_error(cli, sample, tmp_path, monkeypatch):
    """A KeyboardInterrupt mid-run removes the jsonl file the run created, as an error does; exit 130."""
    from advocate.batch import folder

    rows = []

    def interrupted(self, done):
        rows.append(done.number)
        if len(rows) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(folder.Output, "add", interrupted)
    fresh = tmp_path / "fresh.jsonl"
    r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", str(fresh))
    assert r.exit_code == 130, r.stderr
    assert r.stderr == "Interrupted. Run the same command to finish: the letters written so far are kept.\n"
    assert len(rows) == 3 and not fresh.exists()
    kept = put(tmp_path / "kept.jsonl", "earlier output\n")  # not this run's file: --force overwrote it, it stays
    rows.clear()
    r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl", "--out", str(kept), "--force")
    assert r.exit_code == 130 and kept.exists()


def test_the_jsonl_context_manager_removes_only_a_file_it_created(tmp_path):
    from advocate.batch.folder import jsonl_file
    from advocate.errors import RowProblem

    for problem in (KeyboardInterrupt(), RowProblem("x")):
        path = tmp_path / "new.jsonl"
        with pytest.raises(type(problem)), jsonl_file(path, force=False) as stream:
            assert stream is not None and path.exists()
            stream.write("half a line")
            raise problem
        assert not path.exists()
    with jsonl_file(None, force=False) as stream:
        assert stream is None


def test_dry_run_prints_the_files_and_writes_nothing(cli, sample, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, sample, out, "--dry-run")
    assert r.exit_code == 0, r.output
    assert not out.exists()
    assert "9 letters would be written." in r.stderr
    real = tmp_path / "real"
    assert batch(cli, sample, real).exit_code == 0
    assert r.stdout.splitlines() == [row["file"] for row in checked_manifest(real)]


def test_limit_renders_only_the_first_rows(cli, sample, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, sample, out, "--limit", "2")
    assert r.exit_code == 0, r.output
    assert "2 of 5 attendees done (--limit 2: the first 2 rows); 4 letters written" in r.stderr
    assert {row["row"] for row in checked_manifest(out)} == {"2", "3"}


def test_stop_on_error_stops_at_the_first_bad_row(cli, tmp_path):
    path = put(tmp_path / "mixed.csv", MIXED)
    out = tmp_path / "out"
    r = batch(cli, path, out, "--stop-on-error")
    assert r.exit_code == 1
    assert r.stderr.count(": row ") == 1 and "row 3: a line break" in r.stderr
    assert "1 of 2 attendees done; 3 letters written" in r.stderr
    assert f"see {out / 'errors.csv'}" in r.stderr
    assert [e["row"] for e in table(out / "errors.csv")] == ["3"]  # the file the summary points to is there
    assert {row["row"] for row in checked_manifest(out)} == {"2"}  # nothing after the bad row
    assert not [n for n in os.listdir(out) if n.endswith(".part")]


def test_jsonl_to_stdout_is_one_object_per_letter(cli, sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("batch", str(sample), *CRACKDOWN, "--format", "jsonl")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 9 and r.stdout.endswith("\n")
    objects = [json.loads(line) for line in lines]
    for o in objects:
        assert {"row", "attendee", "recipient", "subject", "body"} <= set(o)
        assert {"id", "name", "country"} <= set(o["recipient"]) and o["subject"] and o["body"]
    nadler = next(o for o in objects if o["recipient"]["id"] == "us-N000002")
    assert nadler["attendee"] == "Alex Doe" and nadler["row"] == 2
    assert nadler["body"].startswith("Dear Representative Nadler,") and "I march every June" in nadler["body"]
    jana = [o for o in objects if o["attendee"] == "Jana Müller"]
    assert len(jana) == 3 and all(o["language"] == "de" for o in jana)
    assert os.listdir(tmp_path) == [sample.name]  # nothing written beside stdout


def test_eml_drafts_from_the_attendee_and_postal_letters_for_congress(cli, sample, tmp_path):
    out = tmp_path / "out"
    r = batch(cli, sample, out, "--format", "eml")
    assert r.exit_code == 0, r.output
    assert "By country: DE: 3 email; FR: 1 email; GB: 1 email; US: 4 post." in r.stderr
    rows = checked_manifest(out)
    assert {row["file"].rsplit(".", 1)[1] for row in rows if row["recipient_id"].startswith("us-")} == {"txt"}
    drafts = {row["attendee"]: [] for row in rows}
    for row in rows:
        if row["file"].endswith(".eml"):
            msg = email.parser.BytesParser(policy=email.policy.default).parsebytes((out / row["file"]).read_bytes())
            drafts[row["attendee"]].append(msg)
            assert msg["X-Unsent"] == "1" and row["recipient_name"] in str(msg["To"])
    assert [str(m["From"]) for m in drafts["Sam Taylor"]] == ["Sam Taylor <sam.taylor@example.org>"]
    assert [str(m["From"]) for m in drafts["Éloïse Martin"]] == ["Éloïse Martin <eloise.martin@example.org>"]
    assert len(drafts["Jana Müller"]) == 3 and all(m["From"] is None for m in drafts["Jana Müller"])
    assert "Ich habe Freunde" in drafts["Jana Müller"][0].get_content()
    assert drafts["Alex Doe"] == [] and drafts["Chris Park"] == []


def test_extra_columns_reach_a_user_template(cli, tmp_path, home):
    letters = home / "letters"
    letters.mkdir(parents=True)
    bundled = (ROOT / "letters" / "crackdown.en-us.j2").read_text(encoding="utf-8")
    assert bundled.count("\nSincerely,\n") == 1
    mine = bundled.replace("\nSincerely,\n", '\nWe met at table {{ attendee["Table"] }}.\n\nSincerely,\n')
    (letters / "crackdown.en-us.j2").write_text(mine, encoding="utf-8")
    path = put(tmp_path / "extra.csv", "name,country,zip,district, Table \nAlex Doe,US,10001,12,7\nSam,US,20001,,\n")
    out = tmp_path / "out"
    r = batch(cli, path, out)
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)
    assert len(rows) == 4
    for row in rows:
        text = (out / row["file"]).read_text(encoding="utf-8")
        assert ("We met at table 7.\n" if row["row"] == "2" else "We met at table .\n") in text
    # A CSV without the column: the column is empty, as in write, preview and check (README).
    other = put(tmp_path / "plain.csv", HEADER + ALEX)
    r = batch(cli, other, tmp_path / "out2")
    assert r.exit_code == 0, r.stderr
    assert all("We met at table .\n" in (tmp_path / "out2" / row["file"]).read_text(encoding="utf-8")
               for row in checked_manifest(tmp_path / "out2"))  # fmt: skip


def test_names_without_latin_letters_or_with_slashes_give_safe_file_names(cli, tmp_path):
    path = put(tmp_path / "odd.csv", "name,country,zip,district\n李小龍,US,10001,12\n../../etc/passwd,US,20001,\n")
    out = tmp_path / "out"
    r = batch(cli, path, out)
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)  # every file matches NNNNN-<slug>-<id>.txt and lies in the folder
    assert [row["attendee"] for row in rows] == ["李小龍"] * 3 + ["../../etc/passwd"]
    assert set(os.listdir(tmp_path)) <= {"home", "odd.csv", "out"}  # nothing outside the folder


def test_force_over_an_earlier_run_leaves_only_the_new_letters(cli, sample, tmp_path):
    out = tmp_path / "out"
    assert batch(cli, sample, out).exit_code == 0
    (out / "notes-of-the-organiser.txt").write_text("keep me", encoding="utf-8")
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    sample.write_text(lines[0] + lines[2], encoding="utf-8")  # only Sam Taylor (GB) is left
    r = batch(cli, sample, out, "--force")
    assert r.exit_code == 0, r.output
    assert letter_files(out) == ["00002-sam-taylor-gb-4514.txt"]
    assert (out / "notes-of-the-organiser.txt").read_text(encoding="utf-8") == "keep me"
    assert [row["file"] for row in checked_manifest(out)] == ["00002-sam-taylor-gb-4514.txt"]
