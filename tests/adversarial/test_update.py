"""`advocate data update` against faulty and tampered servers on loopback (issue 12, "Data integrity").

Every fault: one line, exit 1, the installed data byte-identical and the lookups answering as before
(``update_fails`` from tests/test_update.py); no `.download` file left behind.
"""

import copy
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from advocate.opendata import contacts, store
from tests import rawfiles
from tests.helpers import ROOT
from tests.test_update import (
    GB_PATH,
    answers,
    bundled,
    files,
    loopback_only,
    serve_gb,
    server,
    update_fails,
    user_files,
)

__all__ = ["bundled", "files", "loopback_only", "server"]  # the fixtures, used by name
pytestmark = [pytest.mark.adversarial, pytest.mark.slow]
TODAY = "2026-11-24"


def gb_with(bundled, **emails):
    """mp_lookup.csv with some MPs' e-mail addresses changed: gb_with(bundled, **{"gb-4359": "x@y"})."""
    people = copy.deepcopy(bundled["gb"]["people"])
    for p in people:
        if p["id"] in emails:
            p["channels"]["email"] = {"address": emails[p["id"]], "confirmed": True}
    return rawfiles.gb_mp_lookup(people, bundled["gb"]["geo"]["councils"])


# ---------------------------------------------------------------- the allow-lists


def test_the_allow_lists_accept_the_bundled_data_as_it_is():
    from advocate.importer.build import load_sources

    for key, spec in load_sources().items():
        people = json.loads(store.paths(key)[1].read_bytes())["people"]
        assert spec.get("contacts") is not None, f"{key} has no allow-list in sources.yaml"
        assert contacts.changes(people, people, contacts.AllowList.of(spec)) == [], key


def test_an_allow_list_holds_domains_subdomains_and_https_forms():
    allow = contacts.AllowList(("parliament.uk",), ("house.gov",), frozenset({"me@own.example"}))
    assert allow.allows("email", "a.mp@parliament.uk") and allow.allows("email", "x@sub.parliament.uk")
    assert allow.allows("email", "ME@own.example")
    assert not allow.allows("email", "a@parliament.uk.evil.example") and not allow.allows("email", "a@notparliament.uk")
    assert not allow.allows("email", "parliament.uk") and not allow.allows("email", "other@own.example")
    assert allow.allows("contact_form", "https://pelosi.house.gov/contact")
    assert not allow.allows("contact_form", "http://pelosi.house.gov/contact")
    assert not allow.allows("contact_form", "https://house.gov.evil.example/")
    assert allow.allows("postal", "anything")


# ---------------------------------------------------------------- changed contacts


def test_an_email_changed_to_another_domain_refuses_the_update(cli, server, bundled):
    evil = gb_with(bundled, **{"gb-4359": "stephen.kinnock@evil.example"})
    line = update_fails(cli, *serve_gb(server, evil))
    assert line.startswith("Error: gb: 1 contact outside the allow-list in sources.yaml (Stephen Kinnock [gb-4359] ")
    assert "stephen.kinnock.mp@parliament.uk → stephen.kinnock@evil.example" in line and "--accept-changes" in line

    r = cli("data", "update", "--dry-run", *serve_gb(server, evil))
    assert r.exit_code == 0, r.output
    assert "  1 contact changed (1 outside the allow-list in sources.yaml):" in r.stdout
    assert (
        "  changed: Stephen Kinnock [gb-4359] e-mail: stephen.kinnock.mp@parliament.uk → "
        "stephen.kinnock@evil.example — outside the allow-list" in r.stdout
    )
    assert user_files() == {}

    r = cli("data", "update", "--accept-changes", "--json", *serve_gb(server, evil))
    assert r.exit_code == 0, r.output
    (out,) = json.loads(r.stdout)
    assert out["status"] == "updated" and [c["new"] for c in out["outside"]] == ["stephen.kinnock@evil.example"]
    store.load.cache_clear()
    assert store.load("gb")["people"][0]["channels"]["email"]["address"] == "stephen.kinnock@evil.example"


def test_changed_contacts_inside_the_allow_list_are_listed(cli, server, bundled):
    changed = gb_with(bundled, **{"gb-4359": "kinnock.s@parliament.uk", "gb-4382": "daniel.zeichner.mp@parliament.uk"})
    r = cli("data", "update", *serve_gb(server, changed))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == f"gb: updated — 650 members, as of {TODAY}; no one left or joined"
    assert lines[1] == "  2 contacts changed:"
    assert (
        "  changed: Stephen Kinnock [gb-4359] e-mail: stephen.kinnock.mp@parliament.uk → kinnock.s@parliament.uk"
        in lines
    )
    assert (
        "  changed: Daniel Zeichner [gb-4382] e-mail: daniel@danielzeichner.co.uk → daniel.zeichner.mp@parliament.uk"
        in lines
    )


# ---------------------------------------------------------------- faulty servers


def short_by_a_row(body):
    """Announce the whole body, send all but its last row, hang up: a cut that still parses."""

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: body.rstrip(b"\n").rfind(b"\n") + 1])
        handler.wfile.flush()
        handler.close_connection = True

    return route


def redirect(location):
    def route(handler):
        handler.send(302, b"", [("Location", location)])

    return route


def slow_loris(byte_every):
    """Headers at once, then one byte every ``byte_every`` seconds: never silent long enough for a read timeout."""

    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        while not handler.server.stopping.wait(byte_every):
            handler.wfile.write(b"x")
            handler.wfile.flush()

    return route


def test_a_body_short_of_its_content_length_is_refused(cli, server, files):
    line = update_fails(cli, *serve_gb(server, short_by_a_row(files["gb-mps"])))
    assert "gb-mps: the download was cut off after" in line


def test_a_redirect_to_another_host_is_refused(cli, server, files):
    server.routes["/moved.csv"] = files["gb-mps"]
    elsewhere = server.url("/moved.csv").replace("127.0.0.1", "localhost")
    line = update_fails(cli, *serve_gb(server, redirect(elsewhere)))
    assert f"gb-mps: {server.url(GB_PATH)} redirects to another server ({elsewhere}); not following it" in line
    assert server.hits["/moved.csv"] == 0


def test_a_redirect_on_the_same_host_is_followed(cli, server, files):
    server.routes["/moved.csv"] = files["gb-mps"]
    r = cli("data", "update", *serve_gb(server, redirect("/moved.csv")))
    assert r.exit_code == 0, r.output
    assert server.hits["/moved.csv"] == 1


def test_a_slow_loris_server_meets_one_overall_deadline(cli, server, monkeypatch):
    monkeypatch.setenv("ADVOCATE_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("ADVOCATE_HTTP_DEADLINE", "1.5")
    start = time.monotonic()
    line = update_fails(cli, *serve_gb(server, slow_loris(0.2)))
    assert time.monotonic() - start < 8  # ~1.5 s, and the lookups of update_fails
    assert "gb-mps: the download took longer than 1.5 s overall; stopped" in line


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("http://example.org/mp_lookup.csv", "is plain http://, which anyone on the way can change; use https://"),
        ("http://[::1", "is not a usable address (Invalid IPv6 URL)"),
        ("http://127.0.0.1:99999/x", "is not a usable address (Port out of range 0-65535)"),
        ("https:///x", "names no server"),
        ("ftp://127.0.0.1/x", "is not an http:// or https:// address"),
    ],
)
def test_a_bad_or_plain_http_source_is_one_line(cli, url, needle):
    r = cli("data", "update", "--source", f"gb-mps={url}")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.output, r.output
    assert r.stderr.startswith(f"Error: --source gb-mps: {url!r} ") and needle in r.stderr, r.stderr
    assert user_files() == {}


def test_plain_http_in_sources_yaml_is_refused_too(tmp_path):
    from advocate.errors import DataError
    from advocate.opendata import download

    with pytest.raises(DataError, match="gb-mps: 'http://example.org/x' is plain http://"):
        download.download(None, "gb-mps", "http://example.org/x", 10, tmp_path, download.Settings())  # type: ignore[arg-type]
    assert download.address_problem("http://127.0.0.1:8000/x") is None
    assert (
        download.address_problem("http://[::1]:8000/x") is None
        and download.address_problem("http://localhost/x") is None
    )


@pytest.mark.parametrize("name", ["ADVOCATE_HTTP_TIMEOUT", "ADVOCATE_HTTP_BACKOFF", "ADVOCATE_HTTP_DEADLINE"])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "abc", "1e400", "100000"])
def test_a_bad_environment_override_is_one_line(cli, server, files, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    r = cli("data", "update", *serve_gb(server, files["gb-mps"]))
    assert r.exit_code == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.output, r.output
    assert r.stderr.startswith(f"Error: {name}={value!r} is not a number of seconds from "), r.stderr
    assert server.hits[GB_PATH] == 0 and user_files() == {}


# ---------------------------------------------------------------- temp files


def test_download_files_of_dead_runs_are_cleaned_at_start(cli, server, files, home):
    folder = home / "data"
    folder.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = folder / f".gb-mps.{dead.stdout.strip()}.abc123.download"
    old_style = folder / ".gb-mps.xyz789.download"  # before the pid was in the name
    alive = folder / f".gb-mps.{os.getppid()}.keep.download"  # a run still going
    for path in (stale, old_style, alive):
        path.write_bytes(b"half a file")
    r = cli("data", "update", *serve_gb(server, files["gb-mps"]))
    assert r.exit_code == 0, r.output
    assert not stale.exists() and not old_style.exists() and alive.exists()


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_killed_update_leaves_no_download_file(server, files, home, how):
    server.routes[GB_PATH] = slow_loris(0.05)
    env = {
        **os.environ, "ADVOCATE_HOME": str(home), "ADVOCATE_TODAY": TODAY, "PYTHONPATH": str(ROOT),
        "NO_PROXY": "127.0.0.1", "ADVOCATE_HTTP_BACKOFF": "0",
    }  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "advocate", "data", "update", "--source", f"gb-mps={server.url(GB_PATH)}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    folder = home / "data"
    deadline = time.monotonic() + 20
    while not list(folder.glob(".*.download")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(folder.glob(".*.download")), "the download never started"
    proc.send_signal(how)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and err == b"Interrupted.\n", (proc.returncode, err)
    assert list(folder.glob(".*")) == []


# ---------------------------------------------------------------- damaged user copies

LOOKUP_US = ("reps", "lookup", "-c", "US", "--zip", "10001", "--json")
LOOKUP_GB = ("reps", "lookup", "-c", "GB", "--constituency", "Aberafan Maesteg", "--json")


def damaged(key):
    data = json.loads(store.paths(key)[1].read_bytes())
    person = data["people"][0]
    return {
        "not-json": b'{"dataset": "us", "people": [',
        "person-missing-keys": {**data, "people": [{"id": person["id"], "name": person["name"]}, *data["people"][1:]]},
        "no-meta": {k: v for k, v in data.items() if k != "meta"},
        "bad-as-of": {**data, "meta": {**data["meta"], "as_of": "last Tuesday"}},
        "geo-null": {**data, "geo": None},
        "geo-table-missing": {**data, "geo": {}},
        "channels-null": {**data, "people": [{**person, "channels": None}, *data["people"][1:]]},
        "email-a-list": {**data, "people": [{**person, "channels": {**person["channels"], "email": ["x"]}}]},
        "postal-text": {**data, "people": [{**person, "channels": {**person["channels"], "postal": 5}}]},
        "name-null": {**data, "people": [{**person, "name": None}, *data["people"][1:]]},
        "person-a-string": {**data, "people": ["x"]},
    }


CASES = list(damaged("us"))


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_user_copy_is_one_line_and_the_others_keep_working(cli, home, case):
    body = damaged("us")[case]
    path = home / "data" / "us.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(body if isinstance(body, bytes) else json.dumps(body).encode())
    before = path.read_bytes()
    gb = cli(*LOOKUP_GB)
    assert gb.exit_code == 0, gb.output
    for args in (
        LOOKUP_US,
        ("data", "info"),
        ("write", "-c", "US", "--zip", "10001", "-t", "crackdown", "--name", "A B", "-f", "json"),
    ):
        r = cli(*args)
        assert r.exit_code == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.output, (args, r.output)
        assert r.stderr.startswith(f"Error: {path} ") and "advocate data reset" in r.stderr, r.stderr
    assert path.read_bytes() == before  # the user's file as it was
    assert cli(*LOOKUP_GB).stdout == gb.stdout  # the others answer as before
    assert cli("data", "reset", "--country", "US").exit_code == 0
    assert cli(*LOOKUP_US).exit_code == 0


def test_a_damaged_intl_copy_does_not_stop_a_lookup_elsewhere(cli, home):
    path = home / "data" / "intl.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({**json.loads(store.paths("intl")[1].read_bytes()), "geo": None}))
    assert cli(*LOOKUP_GB).exit_code == 0
    assert answers  # the helper stays importable for the other modules
