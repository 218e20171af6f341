"""The local letter record (advocate.record): real SQLite files, real processes."""

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from advocate.errors import AdvocateError, InputProblem, LookupFailed, RecordProblem
from advocate.record import COLUMNS, Entry, batch_key, open_log, schema_version, sha256_text, stamp
from advocate.record import log as record_log

ROOT = Path(__file__).resolve().parent.parent


def entry(n=0, written_at="2026-11-20T10:00:00", **kw):
    values = {
        "written_at": written_at,
        "template": "chechnya",
        "language": "en",
        "recipient_id": f"gb-mp-{n}",
        "recipient_name": f"Member {n}",
        "channel": "email-draft",
        "file": f"/tmp/letter-{n}.eml",
        "sha256": sha256_text(f"letter {n}"),
    }
    return Entry(**{**values, **kw})


def db_bytes(path):
    """Every byte SQLite keeps for the record: the file and its -wal and -shm companions."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def sql(path, query):
    """Run one statement on the file with a plain sqlite3 connection; its rows."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(query).fetchall()
        db.commit()
        return rows
    finally:
        db.close()


def one_line(err):
    assert "\n" not in str(err), str(err)
    return str(err)


def test_default_path_is_in_advocate_home_and_opened_lazily(tmp_path):
    log = open_log()
    assert log.path == tmp_path / "home" / "letters.sqlite3"
    assert not log.path.exists()  # nothing touched until the first use
    assert log.list() == [] and log.due() == [] and log.forget(before="2026-01-01") == 0
    assert not log.path.exists()  # nor by reading a record that is not there
    assert log.record([entry(1)]) == 1
    assert log.path.stat().st_mode & 0o777 == 0o600
    assert sql(log.path, "PRAGMA journal_mode") == [("wal",)]
    assert sql(log.path, "PRAGMA user_version") == [(schema_version(),)] == [(2,)]


def test_migrates_an_empty_version_0_file(tmp_path):
    path = tmp_path / "old.sqlite3"
    sql(path, "CREATE TABLE unrelated (x)")
    with open_log(path) as log:
        assert log.record([entry(1)]) == 1
    assert sql(path, "PRAGMA user_version") == [(schema_version(),)]


def test_migrates_a_version_1_file_written_by_an_older_advocate(tmp_path):
    path = tmp_path / "v1.sqlite3"
    for statement in (*record_log.MIGRATIONS[0], "PRAGMA user_version = 1"):
        sql(path, statement)
    sql(path, "INSERT INTO letters (written_at, template, language, recipient_id, recipient_name, channel, file, "
              f"sha256, reply_on) VALUES ('2026-11-01T10:00:00', 'asylum', 'en', 'gb-1', 'A', 'postal', '', "
              f"'{'a' * 64}', '2026-11-20')")  # fmt: skip
    with open_log(path) as log:
        [row] = log.list()
        assert (row.recipient_id, row.reply_on, row.follows) == ("gb-1", "2026-11-20", None)
        assert log.record([entry(2, follows=row.id)]) == 1
        assert log.list()[0].follows == row.id
    assert sql(path, "PRAGMA user_version") == [(2,)]


def test_migrates_a_file_keeping_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "v2.sqlite3"
    with open_log(path) as log:
        log.record([entry(1)])
    step = ("ALTER TABLE letters ADD COLUMN note TEXT", "UPDATE letters SET note = 'migrated'")
    monkeypatch.setattr(record_log, "MIGRATIONS", [*record_log.MIGRATIONS, step])
    with open_log(path) as log:
        [row] = log.list()
        assert row.recipient_id == "gb-mp-1"
    assert sql(path, "PRAGMA user_version") == [(3,)]
    assert sql(path, "SELECT note FROM letters") == [("migrated",)]


def test_a_file_from_a_newer_advocate_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    sql(path, "PRAGMA user_version = 99")
    with pytest.raises(RecordProblem, match="newer advocate") as err:
        open_log(path).list()
    assert str(path) in one_line(err.value)


def test_record_list_and_filters(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    assert log.record([]) == 0
    assert log.record([entry(1, "2026-11-01T09:00:00"), entry(2, "2026-11-20T09:00:00", template="asylum")]) == 2
    assert log.record([entry(3, "2026-11-10T09:00:00", recipient_id="gb-mp-1")]) == 1
    assert [r.recipient_name for r in log.list()] == ["Member 2", "Member 3", "Member 1"]  # newest first
    assert [r.id for r in log.list(since="2026-11-10")] == [2, 3]
    assert [r.id for r in log.list(to="gb-mp-1")] == [3, 1]
    assert [r.id for r in log.list(template="asylum")] == [2]
    row = log.get(2)
    assert (row.channel, row.file, row.sent_on, row.reply_on) == ("email-draft", "/tmp/letter-2.eml", None, None)
    assert tuple(row.as_dict()) == COLUMNS and COLUMNS[0] == "id"


def test_a_batch_key_is_recorded_once(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    keys = [batch_key(tmp_path / "out", n, f"gb-mp-{n}") for n in range(5)]
    assert log.record([entry(n, batch_key=k) for n, k in enumerate(keys[:3])]) == 3
    assert log.record([entry(n, batch_key=k) for n, k in enumerate(keys)]) == 2  # the re-run adds the missing two
    assert len(log.list()) == 5


def test_entry_checks_its_values():
    assert entry(channel="email").channel == "email-draft"
    assert entry(channel="post").channel == "postal"
    assert entry(written_at="2026-11-20T10:00:00.123456+01:00").written_at == "2026-11-20T10:00:00+01:00"
    for bad in ({"channel": "fax"}, {"sha256": "abc"}, {"written_at": "soon"}):
        with pytest.raises(ValueError):
            entry(**bad)
    assert stamp().startswith("2026-11-24T")  # ADVOCATE_TODAY


def test_the_api_takes_neither_letter_text_nor_sender_address():
    for field in ("text", "body", "letter", "sender", "sender_address", "from_email"):
        with pytest.raises(TypeError):
            entry(**{field: "x"})


def test_letter_text_and_sender_address_are_nowhere_in_the_file(tmp_path):
    path = tmp_path / "r.sqlite3"
    address = "Robin Quill, 17 Larkspur Mews, Oxford OX9 9ZZ, robin.quill@example.org"
    text = f"{address}\n\nDear Member,\nThe persecution of gay and bisexual men in Chechnya must end.\nRobin Quill\n"
    with open_log(path) as log:
        log.record([entry(1, sha256=sha256_text(text), recipient_name="Forgettable Person")])
        log.record([entry(2, sha256=sha256_text(text.encode()))])
        log.mark_sent(1, "2026-11-21")
        log.export_csv(tmp_path / "out.csv")
        raw = db_bytes(path)
        assert sha256_text(text).encode() in raw  # the right bytes were read
        for secret in (text, address, "Larkspur", "robin.quill", "Chechnya must end", "Robin Quill"):
            assert secret.encode() not in raw, secret
        assert b"Forgettable Person" in raw
        assert log.forget([1]) == 1
        assert b"Forgettable Person" not in db_bytes(path)  # forget leaves no copy in free pages or the WAL


def test_two_processes_writing_at_once_both_land(tmp_path):
    path, go = tmp_path / "shared.sqlite3", tmp_path / "go"
    script = textwrap.dedent(f"""
        import os, sys, time
        from advocate.record import Entry, open_log, sha256_text
        while not os.path.exists({str(go)!r}):
            time.sleep(0.001)
        log = open_log({str(path)!r})
        for n in range(150):  # one transaction each, as separate write commands do
            rid = f"p{{sys.argv[1]}}-{{n}}"
            log.record([Entry("2026-11-20T10:00:00", "t", "en", rid, "N", "postal", "", "0" * 64)])
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(i)], stderr=subprocess.PIPE) for i in range(3)]
    time.sleep(0.3)
    go.touch()
    try:
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, err.decode()
    finally:  # a failure must not leave processes (and their pipes) to later tests
        for p in procs:
            p.kill()
            p.communicate()
    rows = open_log(path).list()
    assert len(rows) == 450
    assert len({r.recipient_id for r in rows}) == 450


def test_a_killed_batch_leaves_a_usable_record_and_the_rerun_completes_it(tmp_path):
    path = tmp_path / "batch.sqlite3"
    script = textwrap.dedent(f"""
        import time
        from advocate.record import Entry, open_log, sha256_text
        log = open_log({str(path)!r})
        rows = [Entry("2026-11-20T10:00:00", "t", "en", f"p{{n}}", "N", "postal", f"{{n}}.txt", sha256_text(str(n)),
                      batch_key=f"out#{{n}}:p{{n}}") for n in range(2000)]
        for start in range(0, 2000, 100):
            log.record(rows[start:start + 100])
            print(start, flush=True)
            time.sleep(0.05)  # rendering the next chunk
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    for _ in range(3):
        proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    assert sql(path, "PRAGMA integrity_check") == [("ok",)]
    log = open_log(path)
    kept = len(log.list())
    assert kept % 100 == 0 and 300 <= kept < 2000, kept  # whole chunks only
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)  # the re-run
    rows = log.list()
    assert len(rows) == 2000 == len({r.batch_key for r in rows})


def test_a_corrupt_file_is_moved_aside_never_deleted(tmp_path):
    path = tmp_path / "letters.sqlite3"
    junk = b"this is not a database " * 300
    path.write_bytes(junk)
    with pytest.raises(RecordProblem, match="corrupt") as err:
        open_log(path).list()
    message = one_line(err.value)
    [aside] = tmp_path.glob("letters.sqlite3.corrupt-*")
    assert str(path) in message and aside.name in message
    assert aside.read_bytes() == junk
    assert open_log(path).list() == []  # the next command starts a new record


def test_a_damaged_page_is_reported_and_moved_aside(tmp_path):
    path = tmp_path / "letters.sqlite3"
    with open_log(path) as log:
        log.record([entry(n, recipient_name="x" * 500) for n in range(100)])
    with path.open("r+b") as f:  # trash every page but the header page
        f.seek(4096)
        f.write(b"\xa5" * (path.stat().st_size - 4096))
    with pytest.raises(RecordProblem, match="corrupt") as err:
        open_log(path).list()
    one_line(err.value)
    assert len(list(tmp_path.glob("letters.sqlite3.corrupt-*"))) == 1


def test_other_sqlite_errors_leave_the_file_in_place(tmp_path):
    path = tmp_path / "letters.sqlite3"
    open_log(path).record([entry(0)])
    sql(path, "CREATE TRIGGER refuse BEFORE INSERT ON letters BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(RecordProblem, match="refused") as err:
        open_log(path).record([entry(1)])
    assert "corrupt" not in one_line(err.value)
    assert path.is_file() and not list(tmp_path.glob("*.corrupt-*"))


def test_a_locked_file_is_one_line(tmp_path):
    path = tmp_path / "letters.sqlite3"
    open_log(path).list()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(RecordProblem, match="locked") as err:
        open_log(path, timeout=0.2).record([entry(1)])
    assert str(path) in one_line(err.value)
    other.execute("ROLLBACK")
    other.close()
    assert open_log(path, timeout=0.2).record([entry(1)]) == 1


def test_marks_and_unknown_ids(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    log.record([entry(1), entry(2)])
    assert log.mark_sent(1).sent_on == "2026-11-24"  # advocate's today
    assert log.mark_reply(1, "2026-11-30").reply_on == "2026-11-30"
    for call in (lambda: log.mark_sent(99), lambda: log.mark_reply(99, "2026-11-30"), lambda: log.get(99)):
        with pytest.raises(LookupFailed, match="no letter with id 99") as err:
            call()
        assert "advocate log" in one_line(err.value)
    with pytest.raises(LookupFailed, match="id 7, 9"):
        log.forget([1, 7, 9])
    assert len(log.list()) == 2  # all or nothing
    assert log.forget([2, 2]) == 1
    assert log.forget([]) == 0
    assert [r.id for r in log.list()] == [1]
    log.record([entry(3)])
    assert log.list()[0].id == 3  # a forgotten id is never handed out again


def test_dates_are_checked(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    log.record([entry(1)])
    calls = {
        "yesterday": lambda: log.mark_sent(1, "yesterday"),
        "2026-02-30": lambda: log.mark_reply(1, "2026-02-30"),
        "24/11/2026": lambda: log.list(since="24/11/2026"),
        "soon": lambda: log.forget(before="soon"),
        "": lambda: log.due(""),
    }
    for value, call in calls.items():
        with pytest.raises(InputProblem, match="is not a date") as err:
            call()
        assert repr(value) in one_line(err.value)
    assert isinstance(err.value, AdvocateError)


def test_forget_before_a_date(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    log.record([entry(1, "2026-10-31T23:59:59"), entry(2, "2026-11-01T00:00:00"), entry(3, "2026-11-02T08:00:00")])
    assert log.forget(before="2026-11-01") == 1
    assert [r.id for r in log.list()] == [3, 2]


def test_due_with_a_pinned_today(tmp_path, monkeypatch):
    log = open_log(tmp_path / "r.sqlite3")
    log.record(
        [
            entry(1, "2026-11-01T10:00:00"),  # written, never marked sent
            entry(2, "2026-11-05T10:00:00"),  # sent later
            entry(3, "2026-11-05T10:00:00"),  # answered
            entry(4, "2026-11-15T10:00:00"),
        ]
    )
    log.mark_sent(2, "2026-11-20")
    log.mark_reply(3, "2026-11-09")
    assert [r.id for r in log.due()] == [1]  # ADVOCATE_TODAY=2026-11-24: 14 days back is 2026-11-10
    assert [r.id for r in log.due(days=9)] == [1, 4]
    monkeypatch.setenv("ADVOCATE_TODAY", "2026-12-04")
    assert [r.id for r in log.due()] == [1, 4, 2]  # oldest first, counted from the date sent
    assert [r.since.isoformat() for r in log.due()] == ["2026-11-01", "2026-11-15", "2026-11-20"]
    assert [r.id for r in log.due("2026-11-15", days=0)] == [1, 4]  # not 2: sent later


def test_a_followed_up_letter_waits_no_more_and_a_reply_anywhere_in_its_chain_ends_the_wait(tmp_path, monkeypatch):
    log = open_log(tmp_path / "r.sqlite3")
    log.record([entry(1, "2026-11-01T10:00:00"), entry(2, "2026-11-01T10:00:00")])
    log.record([entry(1, "2026-11-05T10:00:00", follows=1), entry(2, "2026-11-05T10:00:00", follows=2)])
    log.record([entry(2, "2026-11-08T10:00:00", follows=4)])  # a reminder of the reminder
    assert [(r.id, r.follows) for r in reversed(log.list())] == [(1, None), (2, None), (3, 1), (4, 2), (5, 4)]
    assert [r.id for r in log.due()] == [3, 5]  # the newest letter of each chain, not 1, 2 or 4
    log.mark_reply(2, "2026-11-20")  # the answer came to the first letter: the whole chain is answered
    assert [r.id for r in log.due()] == [3]
    log.forget([1])  # the chain now starts at 3, which still waits
    assert [r.id for r in log.due()] == [3]
    with pytest.raises(ValueError, match="follows must be a letter id"):
        entry(1, follows=0)


def test_a_tampered_chain_of_follow_ups_that_loops_still_lists(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    log.record([entry(1, "2026-11-01T10:00:00"), entry(2, "2026-11-02T10:00:00", follows=1)])
    log.close()
    sql(log.path, "UPDATE letters SET follows = 2 WHERE id = 1")  # 1 → 2 → 1, and 3 follows itself
    log.record([entry(3, "2026-11-03T10:00:00")])
    log.close()
    sql(log.path, "UPDATE letters SET follows = 3 WHERE id = 3")
    assert [r.id for r in log.due()] == []  # every letter is followed by another: none waits
    assert len(log.list()) == 3


def test_export_csv_is_spreadsheet_safe(tmp_path):
    log = open_log(tmp_path / "r.sqlite3")
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "Plain Name"]
    log.record([entry(n, recipient_name=name) for n, name in enumerate(names)])
    stream = io.StringIO()
    assert log.export_csv(stream) == len(names)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0] == list(COLUMNS)
    assert [r[COLUMNS.index("recipient_name")] for r in rows[1:]] == ["'" + n for n in names[:-1]] + ["Plain Name"]
    out = tmp_path / "log.csv"
    assert log.export_csv(out) == len(names)
    assert out.read_bytes().decode("utf-8") == stream.getvalue()
    with pytest.raises(AdvocateError, match="cannot write"):
        log.export_csv(tmp_path / "missing" / "log.csv")


def test_the_record_package_imports_neither_typer_nor_rich():
    code = "import sys, advocate.record; print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer','rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    assert os.path.getsize(ROOT / "advocate" / "record" / "log.py") > 0
