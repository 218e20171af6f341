"""`advocate batch` under hostile files and processes (issues 12 and 15): an input given as --out, links in
the output folder, letters damaged on disk, --limit over a finished run, two runs at once, a full disk,
SIGKILL of a worker and of the main process, spreadsheet formulas, changed data, and bad quotes."""

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advocate.opendata import store
from tests import rawfiles
from tests.helpers import TODAY, one_error_line
from tests.loopback import LoopbackServer
from tests.test_batch import (  # noqa: F401 - big is a fixture
    ALEX,
    HEADER,
    LETTER,
    SAM,
    STATE,
    batch,
    batch_command,
    big,
    checked_manifest,
    letter_files,
    put,
    run_batch,
    snapshot,
    table,
)
from tests.test_update import GB_PATH, loopback_only, serve_gb  # noqa: F401 - loopback_only is a fixture

pytestmark = pytest.mark.slow  # real processes, kills, locks and full disks: the full suite runs them

LOCK = ".advocate-batch.lock"


@pytest.fixture
def sample(tmp_path) -> Path:
    from tests.helpers import SAMPLE

    path = tmp_path / "attendees.csv"
    path.write_bytes(SAMPLE.read_bytes())
    return path


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "ADVOCATE_HOME": str(home), "ADVOCATE_TODAY": TODAY, "NO_COLOR": "1"}


# ---------------------------------------------------------------- inputs, links, damaged letters


def test_an_input_is_never_the_output(cli, sample, tmp_path):
    before = sample.read_bytes()
    for fmt in ("jsonl", "txt"):
        one_error_line(batch(cli, sample, sample, "--format", fmt, "--force"), "is an input of this batch")
        assert sample.read_bytes() == before
    # a folder holding the CSV (its own folder, or one above it) is refused too, --force or not
    for out in (tmp_path, tmp_path.parent):
        one_error_line(batch(cli, sample, out, "--force"), "holds an input of this batch")
    assert {p.name for p in tmp_path.iterdir()} - {"home"} == {"attendees.csv"}
    # a link to the CSV, and the letter template itself
    link = tmp_path / "link.jsonl"
    link.symlink_to(sample)
    one_error_line(batch(cli, sample, link, "--format", "jsonl", "--force"), "is an input of this batch")
    from advocate.templates import letters

    letter = letters.family("crackdown")[0].path
    one_error_line(batch(cli, sample, letter, "--format", "jsonl", "--force"), "is an input of this batch")
    one_error_line(batch(cli, sample, letter.parent, "--force"), "holds an input of this batch")
    assert sample.read_bytes() == before


def test_links_in_the_output_are_replaced_never_written_through(cli, sample, tmp_path):
    victim = put(tmp_path / "victim.txt", "precious\n")
    # jsonl into a file that is a link: refused
    link = tmp_path / "out.jsonl"
    link.symlink_to(victim)
    one_error_line(batch(cli, sample, link, "--format", "jsonl", "--force"), "symbolic link")
    assert victim.read_text() == "precious\n"
    # a letter of an earlier run replaced by a link: named on the re-run, replaced (not followed) with --force
    out = tmp_path / "out"
    assert batch(cli, sample, out).exit_code == 0
    first = letter_files(out)[0]
    (out / first).unlink()
    (out / first).symlink_to(victim)
    one_error_line(batch(cli, sample, out), first, "no longer match", "--force")
    assert (out / first).is_symlink()
    assert batch(cli, sample, out, "--force").exit_code == 0
    assert not (out / first).is_symlink() and victim.read_text() == "precious\n"
    checked_manifest(out)
    # letters.jsonl of a folder run turned into a link: the next run replaces the link
    jout = tmp_path / "jout"
    jout.mkdir()
    assert batch(cli, sample, jout, "--format", "jsonl").exit_code == 0
    (jout / "letters.jsonl").unlink()
    (jout / "letters.jsonl").symlink_to(victim)
    assert batch(cli, sample, jout, "--format", "jsonl").exit_code == 0
    assert not (jout / "letters.jsonl").is_symlink() and victim.read_text() == "precious\n"


def test_damaged_letters_are_named_and_rewritten_only_with_force(cli, sample, tmp_path):
    out = tmp_path / "out"
    assert batch(cli, sample, out).exit_code == 0
    names = letter_files(out)
    empty, cut, edited = names[0], names[3], names[5]
    (out / empty).write_bytes(b"")
    (out / cut).write_bytes((out / cut).read_bytes()[:100])
    (out / edited).write_text((out / edited).read_text(encoding="utf-8") + "PS: by hand\n", encoding="utf-8")
    before = snapshot(out)
    line = one_error_line(batch(cli, sample, out), "3 letter(s) no longer match", "--force")
    assert all(n in line for n in (empty, cut, edited))
    assert snapshot(out) == before  # not overwritten
    for n in names:  # an old, distinctive time: a rewritten file gets a new one (inode numbers can be reused)
        os.utime(out / n, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    r = batch(cli, sample, out, "--force")
    assert r.exit_code == 0, r.output
    assert "(6 were already there from an earlier run)" in r.stderr
    checked_manifest(out)
    rewritten = {n for n in names if (out / n).stat().st_mtime_ns != 1_000_000_000_000_000_000}
    assert rewritten == {empty, cut, edited}  # exactly those


def test_limit_never_shrinks_the_manifest_of_a_finished_run(cli, sample, tmp_path):
    out = tmp_path / "out"
    bad = put(tmp_path / "mixed.csv", sample.read_text(encoding="utf-8") + "Nobody,US,99999,,,,,\n")
    assert batch(cli, bad, out).exit_code == 1
    full = snapshot(out)
    r = batch(cli, bad, out, "--limit", "2")
    assert r.exit_code == 0, r.output
    assert "2 of 6 attendees done (--limit 2: the first 2 rows); 4 letters written" in r.stderr
    assert len(checked_manifest(out)) == 9 and len(table(out / "errors.csv")) == 1
    assert snapshot(out) == full


def test_foreign_file_beside_an_earlier_run_is_named(cli, sample, tmp_path):
    out = tmp_path / "out"
    assert batch(cli, sample, out).exit_code == 0
    put(out / "notes.txt", "mine")
    before = snapshot(out)
    one_error_line(batch(cli, sample, out), "notes.txt", "not from a batch", "--force")
    assert snapshot(out) == before
    r = batch(cli, sample, out, "--force")
    assert r.exit_code == 0 and (out / "notes.txt").read_text() == "mine"


# ---------------------------------------------------------------- one run at a time, a full disk


HOLD = "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)"  # noqa: E501


def test_a_second_run_into_the_same_folder_is_refused_and_a_killed_ones_lock_is_not(cli, sample, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / LOCK)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        one_error_line(batch(cli, sample, out), str(out), "is in use by another batch")
        assert os.listdir(out) == [LOCK]
    finally:
        holder.send_signal(signal.SIGKILL)  # as a killed batch leaves its lock file
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    r = batch(cli, sample, out)
    assert r.exit_code == 0, r.output
    assert len(checked_manifest(out)) == 9 and not (out / LOCK).exists()


def test_two_runs_at_once_one_writes_the_other_says_in_use(sample, tmp_path, home):
    out = tmp_path / "out"
    env = env_for(home)
    command = batch_command(sample, out)
    procs = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.returncode, p.communicate(timeout=60)[1]) for p in procs]
    results = [(p.returncode, err) for p, (_, err) in zip(procs, results, strict=True)]
    assert all("Traceback" not in err for _, err in results), results
    refused = [err for code, err in results if code == 1]
    assert all(e.count("\n") == 1 and "is in use by another batch" in e for e in refused), refused
    assert any(code == 0 for code, _ in results)
    assert len(checked_manifest(out)) == 9


def limited(size: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


@pytest.mark.slow
def test_a_full_disk_is_one_line_leaves_no_partial_file_and_a_rerun_completes(big, tmp_path):  # noqa: F811 - the fixture
    path, reference, env = big
    out = tmp_path / "A"
    done = subprocess.run(batch_command(path, out, "--jobs", "1"), env=env, capture_output=True, text=True,
                          timeout=60, preexec_fn=limited(64 * 1024))  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: cannot write "), done.stderr
    assert "File too large" in done.stderr
    names = os.listdir(out)
    assert not [n for n in names if n.endswith(".part")] and "manifest.csv" not in names
    assert STATE in names and LOCK not in names
    for name in letter_files(out):  # every letter there is whole
        assert (out / name).read_bytes() == (reference / name).read_bytes()
    again = run_batch(path, out, env, "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == snapshot(reference)


# ---------------------------------------------------------------- processes


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start_two_workers(path: Path, out: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[int]]:
    proc = subprocess.Popen(batch_command(path, out, "--jobs", "2"), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 20
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        if len(workers) >= 2 and out.is_dir() and sum(1 for n in os.listdir(out) if LETTER.match(n)) >= 20:
            return proc, workers
        time.sleep(0.002)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"the batch never had two workers writing (workers: {workers}, exit {proc.poll()})")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_worker_is_one_line_and_the_run_resumes(big, tmp_path):  # noqa: F811 - the fixture
    path, reference, env = big
    out = tmp_path / "A"
    proc, workers = start_two_workers(path, out, env)
    try:
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 1, err
    assert err.count("\n") == 1 and err.startswith("Error: a worker process died") and "again" in err, err
    assert not [n for n in os.listdir(out) if n.endswith(".part")]
    again = run_batch(path, out, env, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == snapshot(reference)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_main_process_leaves_no_worker_behind(big, tmp_path):  # noqa: F811 - the fixture
    path, reference, env = big
    out = tmp_path / "A"
    proc, workers = start_two_workers(path, out, env)
    try:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        deadline = time.monotonic() + 5
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        orphans = [w for w in workers if alive(w)]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert orphans == []
    again = run_batch(path, out, env, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == snapshot(reference)


# ---------------------------------------------------------------- CSV outputs and inputs


def test_formulas_are_escaped_in_manifest_and_errors_but_not_in_letters(cli, tmp_path):
    text = (
        "name,country,zip,district,note\n"
        '"=HYPERLINK(""http://x.example/"",""click"")",US,20001,,+1\n'
        "@SUM(A1),US,99999,,-2+3\n"
        '-Minus,US,99999,,"\tTab"\n'
        'Plain,US,99999,,"\rCR"\n'
    )
    path = put(tmp_path / "f.csv", text)
    out = tmp_path / "out"
    assert batch(cli, path, out).exit_code == 1
    (row,) = table(out / "manifest.csv")
    assert row["attendee"] == '\'=HYPERLINK("http://x.example/","click")'
    letter = (out / row["file"]).read_text(encoding="utf-8")
    assert '=HYPERLINK("http://x.example/","click")' in letter and "'=HYPERLINK" not in letter
    errors = table(out / "errors.csv")
    assert [(e["name"], e["note"]) for e in errors] == [("'@SUM(A1)", "'-2+3"), ("'-Minus", "'\tTab"),
                                                         ("Plain", "'\rCR")]  # fmt: skip
    checked_manifest(out)  # the SHA-256 is of the letter as written


def test_a_malformed_quoted_field_is_a_row_error_never_repaired(cli, tmp_path):
    text = HEADER + '"Alex" Doe,US,10001,12,\n' + SAM + 'Kim "K" Lee,US,20001,,\n'
    path = put(tmp_path / "q.csv", text)
    out = tmp_path / "out"
    r = batch(cli, path, out)
    assert r.exit_code == 1, r.output
    assert "row 2: a quoted cell goes on after its closing quote" in r.stderr
    assert "2 of 3 attendees done" in r.stderr
    (error,) = table(out / "errors.csv")
    assert error["row"] == "2" and error["name"] == '"Alex" Doe,US,10001,12,'
    assert [m["attendee"] for m in checked_manifest(out)] == ["Sam Taylor", 'Kim "K" Lee']
    # a quote never closed: that row is the error, nothing after it is guessed
    path = put(tmp_path / "open.csv", HEADER + SAM + '"Robin,US,10001,12,\n' + ALEX)
    r = batch(cli, path, tmp_path / "out2")
    assert r.exit_code == 1 and "row 3: a quote opened on line 3 is never closed" in r.stderr, r.stderr
    assert "Traceback" not in r.output


def test_a_failed_run_leaves_nothing_new_behind(cli, sample, tmp_path, monkeypatch):
    from advocate.batch import output
    from advocate.errors import InputProblem

    real_add, rows = output.Output.add, []

    def failing(self, done):
        rows.append(done.number)
        if len(rows) == 3:
            raise InputProblem("the CSV went away")
        real_add(self, done)

    monkeypatch.setattr(output.Output, "add", failing)
    out = tmp_path / "new"
    one_error_line(batch(cli, sample, out), "the CSV went away")
    assert not out.exists(), os.listdir(out)
    # over an earlier run: the folder is as it was
    monkeypatch.setattr(output.Output, "add", real_add)
    earlier = tmp_path / "earlier"
    assert batch(cli, sample, earlier).exit_code == 0
    (earlier / letter_files(earlier)[-1]).unlink()
    before = snapshot(earlier)
    rows.clear()
    monkeypatch.setattr(output.Output, "add", failing)
    one_error_line(batch(cli, sample, earlier), "the CSV went away")
    assert snapshot(earlier) == before


# ---------------------------------------------------------------- data changed since the folder was written

GB_ROWS = (
    "name,country,constituency\n"
    "Ann One,GB,Aldershot\n"
    "Bo Two,GB,Bath\n"
    "Cy Three,GB,Holborn and St Pancras\n"
    "Di Four,GB,Aldershot\n"
)


def update_gb(cli, people, councils) -> str:
    with LoopbackServer() as server:
        r = cli("data", "update", *serve_gb(server, rawfiles.gb_mp_lookup(people, councils)))
    assert r.exit_code == 0, r.output
    store.load.cache_clear()
    return r.stdout


def test_a_rerun_after_a_data_update_names_the_change_and_force_rewrites_exactly_that(cli, tmp_path):
    """Acceptance 1 of issue 15. The first batch is made from an updated copy too (`data update` rebuilds the
    GB data from mp_lookup.csv alone, without the forms of address of the bundled copy)."""
    gb = rawfiles.bundled("gb")
    update_gb(cli, gb["people"], gb["geo"]["councils"])
    path = put(tmp_path / "gb.csv", GB_ROWS)
    out = tmp_path / "out"
    assert batch(cli, path, out).exit_code == 0
    before = snapshot(out)
    (old,) = [p for p in gb["people"] if p["district_name"] == "Aldershot"]
    changed = rawfiles.replace_members(gb["people"], {old["id"]})
    assert "1 left, 1 joined" in update_gb(cli, changed, gb["geo"]["councils"])

    r = batch(cli, path, out)
    assert "GB data: 1 member changed since this folder was written" in r.stderr, r.stderr
    line = one_error_line(r, "--force")
    assert snapshot(out) == before
    print(line)
    r = batch(cli, path, out, "--force")
    assert r.exit_code == 0, r.output
    rows = checked_manifest(out)
    assert len(rows) == 4
    gone = [n for n in before if old["id"] in n]
    assert len(gone) == 2 and not any(old["id"] in n for n in os.listdir(out))
    new = [row["file"] for row in rows if row["recipient_id"] != old["id"] and "Aldershot" not in row["file"]]
    aldershot = [row for row in rows if row["attendee"] in ("Ann One", "Di Four")]
    assert {row["recipient_id"] for row in aldershot} == {"gb-990001"}
    after = snapshot(out)
    for name in set(before) & set(after):
        if LETTER.match(name):
            assert after[name] == before[name], name  # everything else byte-identical
    assert {row["file"] for row in rows} - {row["file"] for row in aldershot} <= set(before)
    assert new  # the letters to Bath and Holborn are still there
    assert hashlib.sha256((out / aldershot[0]["file"]).read_bytes()).hexdigest() == aldershot[0]["sha256"]
    # and once more: nothing changed now
    r = batch(cli, path, out)
    assert r.exit_code == 0 and "(4 were already there" in r.stderr, r.stderr


def test_reading_the_state_of_a_folder_written_before_datasets_were_recorded(cli, sample, tmp_path):
    import json

    out = tmp_path / "out"
    assert batch(cli, sample, out).exit_code == 0
    state = json.loads((out / STATE).read_text(encoding="utf-8"))
    assert set(state["data"]) == {"us", "gb", "de", "fr"} and state["complete"] is True
    assert all(len(v["sha256"]) == 64 and v["as_of"] and v["members"] for v in state["data"].values())
    del state["data"]
    (out / STATE).write_text(json.dumps(state), encoding="utf-8")
    r = batch(cli, sample, out)
    assert r.exit_code == 0 and "(9 were already there" in r.stderr, r.stderr
