"""The local record through the CLI: write and batch record letters, `advocate log`, `advocate followup`."""

import csv
import email
import email.policy
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT, SAMPLE, one_error_line

GB = ("write", "-c", "GB", "--constituency", "Holborn and St Pancras", "-t", "crackdown", "--name", "Alex Doe")
DE = ("write", "-c", "DE", "--postcode", "10117", "-t", "crackdown", "--name", "Alex Doe")
US = ("write", "-c", "US", "--zip", "10001", "--district", "12", "-t", "asylum", "--name", "Alex Doe")


def log_json(cli, *args):
    r = cli("log", "--json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def db_bytes(home):
    return b"".join(p.read_bytes() for p in sorted(home.glob("letters.sqlite3*")))


def test_three_writes_a_reply_and_a_followup_eml_naming_the_first_date(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli(*GB, "--format", "eml", "--out", "drafts").exit_code == 0
    assert cli(*DE, "--format", "letter").exit_code == 0
    assert cli(*US).exit_code == 0
    rows = log_json(cli)
    assert len(rows) >= 3
    assert rows[-1]["recipient_id"] == "gb-4514" and rows[-1]["channel"] == "email-draft"
    assert rows[-1]["file"] == str((tmp_path / "drafts" / "crackdown-gb-4514-sir-keir-starmer.eml").resolve())
    assert {r["recipient_id"][:2] for r in rows} == {"gb", "de", "us"}
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)  # newest first
    us = [r for r in rows if r["recipient_id"].startswith("us-")]
    reply = cli("log", "reply", str(us[0]["id"]), "--date", "2026-11-30")
    assert reply.exit_code == 0 and "replied 2026-11-30" in reply.stdout
    answered = cli("followup", str(us[0]["id"]), "--name", "Alex Doe", "--no-log")
    assert answered.exit_code == 0 and "was answered on 2026-11-30; `--template thanks-reply`" in answered.stderr
    thanks = cli("followup", str(us[0]["id"]), "--name", "Alex Doe", "--no-log", "--template", "thanks-reply")
    assert thanks.exit_code == 0 and "November 24, 2026" in thanks.stdout and not thanks.stderr.startswith("Note")

    monkeypatch.setenv("ADVOCATE_TODAY", "2026-12-09")  # 15 days later
    due = cli("followup")
    assert due.exit_code == 0, due.output
    listed = {line.split()[0] for line in due.stdout.splitlines()}
    assert listed == {str(r["id"]) for r in rows if r["id"] != us[0]["id"]}
    assert cli("followup", "--days", "16").stderr.startswith("No letters are due")

    first = rows[-1]["id"]
    r = cli("followup", str(first), "--format", "eml", "--name", "Alex Doe", "--out", "followups")
    assert r.exit_code == 0, r.output
    path = tmp_path / "followups" / "reminder-gb-4514-sir-keir-starmer.eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    earlier = email.message_from_bytes((tmp_path / "drafts" / "crackdown-gb-4514-sir-keir-starmer.eml").read_bytes(),
                                       policy=email.policy.default)  # fmt: skip
    assert msg["Subject"] == f"Follow-up to my letter of 24 November 2026: {earlier['Subject']}"
    body = msg.get_body().get_content()
    assert "I wrote to you on 24 November 2026 under the subject" in body
    assert "Alex Doe" in body
    reminder = log_json(cli, "--template", "reminder")[0]  # the follow-up is recorded, as following the first
    assert (reminder["recipient_id"], reminder["follows"]) == ("gb-4514", first)
    assert f"reminder (en)  Sir Keir Starmer [gb-4514]  email-draft  follows {first}" in cli("log").stdout
    still = json.loads(cli("followup", "--json").stdout)  # the first letter no longer waits; its reminder is new
    assert {r["id"] for r in still} == {int(x) for x in listed} - {first}
    monkeypatch.setenv("ADVOCATE_TODAY", "2026-12-24")
    assert reminder["id"] in {r["id"] for r in json.loads(cli("followup", "--json").stdout)}
    one_error_line(cli("followup", str(first), "--json"), "--json lists the letters due")


def test_the_followup_subject_is_the_earlier_letters_in_its_language(cli):
    assert cli(*DE, "--format", "text").exit_code == 0
    subject = next(line for line in cli(*DE, "--no-log").stdout.splitlines() if line.startswith("Subject: "))
    first = log_json(cli)[-1]
    r = cli("followup", str(first["id"]), "--name", "Alex Doe")
    assert r.exit_code == 0, r.output
    assert f"Subject: Nachfrage zu meinem Schreiben vom 24. November 2026: {subject[9:]}\n" in r.stdout


def test_log_filters_sent_export_and_forget(cli, tmp_path):
    assert cli(*US, "--format", "letter").exit_code == 0
    assert cli(*GB).exit_code == 0
    assert len(log_json(cli)) == 4
    assert [r["recipient_id"] for r in log_json(cli, "--to", "gb-4514")] == ["gb-4514"]
    assert len(log_json(cli, "--template", "asylum")) == 3
    assert log_json(cli, "--since", "2026-11-25") == []
    sent = cli("log", "sent", "1", "--date", "2026-11-25")
    assert sent.exit_code == 0 and "sent 2026-11-25" in sent.stdout
    assert cli("log").stdout.splitlines()[-1].startswith("   1  2026-11-24  asylum (en)  Charles E. Schumer")
    out = tmp_path / "log.csv"
    assert cli("log", "export", str(out)).exit_code == 0
    table = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [r["id"] for r in table] == ["1", "2", "3", "4"] and table[0]["sent_on"] == "2026-11-25"
    assert cli("log", "export").stdout == out.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert cli("log", "forget", "2", "3").stdout == "Forgot 2 letters.\n"
    assert cli("log", "forget", "--before", "2026-11-25").stdout == "Forgot 2 letters.\n"
    assert cli("log").stderr.startswith("No letters recorded in ")


@pytest.mark.parametrize("args", [("log", "forget"), ("log", "forget", "1", "--before", "2026-11-25")])
def test_forget_takes_ids_or_before_not_both_or_neither(cli, args):
    assert cli(*GB).exit_code == 0
    assert cli(*args).exit_code == 2
    assert len(log_json(cli)) == 1


def test_reading_or_marking_a_record_that_does_not_exist_creates_no_file(cli, home):
    db = str(home / "letters.sqlite3")
    assert cli("log").output == f"No letters recorded in {db}.\n"
    assert cli("log", "--json").stdout.strip() == "[]"
    assert cli("log", "export").stdout.startswith("id,written_at,")
    assert cli("log", "forget", "--before", "2026-01-01").exit_code == 0
    for args in (("log", "sent", "9"), ("log", "reply", "9"), ("log", "forget", "9"), ("followup", "9", "--name", "A")):
        one_error_line(cli(*args), "no letter with id 9", db, "advocate log")
    one_error_line(cli("log", "forget", "--before", "soon"), "'soon' is not a date")
    assert not home.exists() or not list(home.glob("letters.sqlite3*"))


def test_bad_input_is_one_line(cli, home):
    assert cli(*GB).exit_code == 0
    one_error_line(cli("log", "reply", "99"), "no letter with id 99", str(home / "letters.sqlite3"), "advocate log")
    one_error_line(cli("followup", "99", "--name", "A"), "no letter with id 99")
    one_error_line(cli("log", "sent", "1", "--date", "next week"), "'next week' is not a date", "YYYY-MM-DD")
    one_error_line(cli("log", "--since", "2026-13-01"), "is not a date")
    one_error_line(cli("followup", "1"), "--name")
    assert cli("followup", "1", "--name", "A", "--format", "mailto").exit_code == 2


def test_a_corrupt_record_is_moved_aside_in_one_line(cli, home):
    home.mkdir(parents=True)
    (home / "letters.sqlite3").write_bytes(b"this is not a database" * 100)
    line = one_error_line(cli("log"), str(home / "letters.sqlite3"), "corrupt", "moved it to")
    aside = [p for p in home.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].name in line
    assert aside[0].read_bytes().startswith(b"this is not a database")
    assert cli(*GB).exit_code == 0 and len(log_json(cli)) == 1  # a new record from then on


def test_a_locked_record_is_one_line(cli, home, monkeypatch):
    monkeypatch.setattr("advocate.record.log.TIMEOUT", 0.2)
    assert cli(*GB).exit_code == 0
    holder = sqlite3.connect(home / "letters.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        one_error_line(cli("log", "reply", "1"), str(home / "letters.sqlite3"), "locked", "try again")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cli("log", "reply", "1").exit_code == 0


def test_no_log_and_json_to_stdout_record_nothing(cli, home, tmp_path):
    assert cli(*GB, "--no-log").exit_code == 0
    assert cli(*GB, "--format", "json").exit_code == 0
    assert cli("batch", str(SAMPLE), "-t", "crackdown", "--out", str(tmp_path / "b"), "--no-log").exit_code == 0
    assert cli("batch", str(SAMPLE), "-t", "crackdown", "--format", "jsonl").exit_code == 0
    assert not list(home.glob("letters.sqlite3*"))


def test_write_on_a_terminal_says_once_how_many_are_due(cli, monkeypatch):
    monkeypatch.setattr("advocate.cli.log.on_terminal", lambda: True)
    assert cli(*US).exit_code == 0
    assert "due for a follow-up" not in cli(*GB).stderr
    monkeypatch.setenv("ADVOCATE_TODAY", "2026-12-09")
    r = cli(*GB)
    assert r.stderr.count("due for a follow-up") == 1
    assert "4 letters are due for a follow-up (no reply in 14 days): see `advocate followup`.\n" in r.stderr
    monkeypatch.setattr("advocate.cli.log.on_terminal", lambda: False)
    assert "due for a follow-up" not in cli(*GB).stderr


def test_neither_the_letter_text_nor_the_sender_address_is_in_the_database(cli, home):
    sender = ("--address", "17 Quietwater Lane", "--city", "Hebden Bridge", "--my-postcode", "HX7 8AD",
              "--email", "alex.private@example.org", "--personal", "My neighbour Ruslan fled in 2019.")  # fmt: skip
    r = cli(*GB, *sender)
    assert r.exit_code == 0, r.output
    data = db_bytes(home)
    assert b"gb-4514" in data  # the record is there, and readable as bytes
    for secret in ("17 Quietwater Lane", "Hebden Bridge", "HX7 8AD", "alex.private@example.org", "Ruslan"):
        assert secret.encode() not in data
    lines = [line for line in r.stdout.splitlines() if len(line) > 40]
    assert len(lines) >= 3
    for line in lines:  # no sentence of the letter, in either UTF-8 or UTF-16
        assert line.encode() not in data and line.encode("utf-16-le") not in data


def _advocate(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "advocate", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, **kw)  # fmt: skip


def test_two_writes_at_once_both_land(cli, tmp_path):
    go = tmp_path / "go"
    wait = f"import os, time, runpy, sys\nwhile not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
    run = wait + "sys.argv = ['advocate', *sys.argv[1:]]\nrunpy.run_module('advocate', run_name='__main__')"
    procs = [
        subprocess.Popen([sys.executable, "-c", run, *args], cwd=tmp_path, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
        for args in (US, (*GB, "--format", "eml", "--out", "drafts"))
    ]  # fmt: skip
    time.sleep(0.5)
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()
        assert b"locked" not in err
    assert sorted(r["recipient_id"] for r in log_json(cli)) == [
        "gb-4514", "us-G000555", "us-N000002", "us-S000148"
    ]  # fmt: skip


@pytest.mark.slow
def test_a_killed_batch_rerun_records_each_manifest_row_once(cli, home, tmp_path):
    rows = list(csv.reader(SAMPLE.read_text(encoding="utf-8").splitlines()))
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(rows[0])
        for n in range(2000):
            row = list(rows[1 + n % (len(rows) - 1)])
            row[0] = f"Attendee {n}"
            out.writerow(row)
    folder = tmp_path / "out"
    args = ("batch", str(big), "-t", "crackdown", "--out", str(folder), "--jobs", "1")
    first = _advocate(*args)
    db = home / "letters.sqlite3"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:
        if db.exists() and _count(db) >= 600:
            break
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL, "the batch ended before it could be killed"
    assert not (folder / "manifest.csv").exists()
    recorded = _count(db)
    assert 600 <= recorded < 3600, recorded
    rerun = _advocate(*args)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    manifest = list(csv.DictReader((folder / "manifest.csv").read_text(encoding="utf-8").splitlines()))
    assert len(manifest) == 3600  # 5 sample attendees: 9 letters
    with sqlite3.connect(db) as con:
        keys = [k for (k,) in con.execute("SELECT batch_key FROM letters")]
    assert len({k.split("#")[0] for k in keys}) == 1 and keys[0].startswith(f"{folder.resolve()}@")
    wanted = [f"{m['row']}:{m['recipient_id']}" for m in manifest]
    assert sorted(k.split("#")[1] for k in keys) == sorted(
        wanted
    )  # one record per manifest row: none twice, none missing
    assert len(set(keys)) == len(keys)
    shas = {m["sha256"] for m in manifest}
    with sqlite3.connect(db) as con:
        assert {s for (s,) in con.execute("SELECT sha256 FROM letters")} == shas


def test_another_batch_into_the_same_folder_is_recorded_as_a_new_run(cli, tmp_path):
    folder, other = tmp_path / "out", tmp_path / "other.csv"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    other.write_text("".join(lines[:3]), encoding="utf-8")  # the first two attendees
    assert cli("batch", str(SAMPLE), "-t", "crackdown", "--out", str(folder)).exit_code == 0
    assert cli("batch", str(SAMPLE), "-t", "crackdown", "--out", str(folder)).exit_code == 0  # a re-run: kept
    assert len(log_json(cli)) == 9
    assert cli("batch", str(other), "-t", "crackdown", "--out", str(folder), "--force").exit_code == 0
    rows = log_json(cli)
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 9 + len(manifest) - 1 and len(manifest) > 2


def _count(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT count(*) FROM letters").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_the_record_is_not_opened_before_the_letter_is_out(cli, home, monkeypatch):
    """`write` fails before writing (a bad option value): no record file is created."""
    assert cli(*GB, "--format", "nope").exit_code == 2
    assert cli("write", "-c", "GB", "--constituency", "Nowhere", "-t", "crackdown", "--name", "A").exit_code == 1
    assert not list(home.glob("letters.sqlite3*"))
    assert os.environ["ADVOCATE_HOME"] == str(home)


def test_a_batch_whose_record_is_locked_writes_every_letter_then_says_so(cli, home, tmp_path, monkeypatch):
    monkeypatch.setattr("advocate.record.log.TIMEOUT", 0.2)
    assert cli(*GB).exit_code == 0
    holder = sqlite3.connect(home / "letters.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        r = cli("batch", str(SAMPLE), "-t", "crackdown", "--out", str(tmp_path / "b"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    one_error_line(r, str(home / "letters.sqlite3"), "locked")
    assert len((tmp_path / "b" / "manifest.csv").read_text(encoding="utf-8").splitlines()) == 10  # 9 letters
    assert cli("batch", str(SAMPLE), "-t", "crackdown", "--out", str(tmp_path / "b")).exit_code == 0
    assert len(log_json(cli)) == 10  # the re-run recorded them
