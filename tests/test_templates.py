"""The letters: `advocate templates list|show|preview|check|new`, user overrides, the sandbox, every bundled letter."""

import json
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.ministries import NEUTRAL, all_ministries

LETTERS = ROOT / "letters"
BUNDLED = sorted(LETTERS.glob("*.j2"))
NAMES = sorted({p.name.split(".")[0] for p in BUNDLED})
PERSONAL = "My brother's friend fled Chechnya in 2017, and I still think of him every day."


def one_line_per_problem(r, count: int = 1) -> list[str]:
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.output
    lines = r.stderr.splitlines()
    assert len(lines) == count, r.stderr
    return lines


def copy_with(tmp_path: Path, source: str, old: str, new: str, folder: str = "mine") -> tuple[Path, int]:
    """A copy of a bundled letter with `old` replaced once by `new`; returns the path and the changed line."""
    text = (LETTERS / source).read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    lines = text.splitlines(keepends=True)
    line = next(i for i, x in enumerate(lines, 1) if old in x)
    target = tmp_path / folder / source
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target, line


def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "home" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_bundled_letters_are_all_there():
    assert {"asylum", "crackdown", "embassy", "icc", "thanks-canada", "thanks-lithuania", "un-sogi"} <= set(NAMES)
    variants = {p.name.removesuffix(".j2") for p in BUNDLED}
    for name in ("asylum", "crackdown"):
        assert {f"{name}.en-us", f"{name}.en-gb", f"{name}.de", f"{name}.fr"} <= variants
    assert {"icc.en", "icc.fr", "un-sogi.en", "un-sogi.fr", "embassy.en", "embassy.de"} <= variants
    thanks = {
        "thanks-lithuania.en",
        "thanks-lithuania.de",
        "thanks-lithuania.fr",
        "thanks-canada.en",
        "thanks-canada.fr",
    }
    assert thanks <= variants


# ---------------------------------------------------------------- list / show


def test_list_shows_every_bundled_letter(cli):
    r = cli("templates", "list")
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert [line.split()[0] for line in lines] == NAMES
    assert "(yours)" not in r.stdout
    crackdown = next(line for line in lines if line.startswith("crackdown "))
    assert "de, en-gb, en-us, fr" in crackdown and "Sanctions over the persecution in Chechnya" in crackdown
    assert crackdown.endswith(" — for lawmakers (DE bundestag, GB commons, US senate, US house, FR assemblee)")
    assert next(line for line in lines if line.startswith("icc ")).endswith(" — for icc-otp")


def test_list_json_has_every_file(cli):
    r = cli("templates", "list", "--json")
    assert r.exit_code == 0
    docs = json.loads(r.stdout)
    assert sorted(d["variant"] for d in docs) == sorted(p.name.removesuffix(".j2") for p in BUNDLED)
    for d in docs:
        assert set(d) == {"name", "variant", "language", "origin", "title", "description", "suits", "path"}
        assert d["origin"] == "bundled" and d["language"] in ("en", "de", "fr") and d["title"] and d["suits"]
        assert Path(d["path"]).is_file() and d["variant"].startswith(d["name"] + ".")


def test_show_prints_the_files_as_they_are(cli):
    r = cli("templates", "show", "crackdown")
    assert r.exit_code == 0
    files = sorted(LETTERS.glob("crackdown.*.j2"))
    assert len(files) == 4
    assert r.stdout == "".join(p.read_text(encoding="utf-8") for p in files)
    assert r.stderr == "".join(f"# {p}\n" for p in files)  # the paths go to stderr
    one = cli("templates", "show", "crackdown.de")
    assert one.exit_code == 0 and one.stdout == (LETTERS / "crackdown.de.j2").read_text(encoding="utf-8")


def test_a_shown_letter_redirected_to_a_file_passes_check(cli, tmp_path):
    r = cli("templates", "show", "icc.en")
    copy = tmp_path / "icc.en.j2"
    copy.write_text(r.stdout, encoding="utf-8")
    checked = cli("templates", "check", str(copy))
    assert checked.exit_code == 0, checked.stderr


@pytest.mark.parametrize(("name", "needle"), [("nope", "no letter called 'nope'"), ("crackdown.xx", "crackdown.xx.j2")])
def test_show_unknown_is_one_line(cli, name, needle):
    r = cli("templates", "show", name)
    [line] = one_line_per_problem(r)
    assert needle in line and r.stdout == ""


# ---------------------------------------------------------------- preview


def preview_heads(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("# ")]


def test_preview_with_a_sample_recipient(cli):
    r = cli("templates", "preview", "crackdown")
    assert r.exit_code == 0, r.output
    heads = preview_heads(r.stdout)
    assert [h.split(" → ")[0] for h in heads] == [
        "# crackdown.de",
        "# crackdown.en-gb",
        "# crackdown.en-us",
        "# crackdown.fr",
    ]
    assert "Alex Doe" in r.stdout and "{{" not in r.stdout and "{%" not in r.stdout
    assert "\nSehr geehrte Frau Abdi,\n" in r.stdout and "\nDear Sir Keir,\n" in r.stdout
    assert "\nMonsieur le Député,\n" in r.stdout


def test_preview_for_a_real_place_and_a_real_id(cli):
    r = cli("templates", "preview", "crackdown", "--country", "US", "--zip", "10001", "--district", "12")
    assert r.exit_code == 0, r.output
    assert preview_heads(r.stdout) == [
        "# crackdown.en-us → Charles E. Schumer",
        "# crackdown.en-us → Kirsten E. Gillibrand",
        "# crackdown.en-us → Jerrold Nadler",
    ]
    r = cli("templates", "preview", "crackdown", "--rep", "gb-4514", "--personal", PERSONAL)
    assert r.exit_code == 0
    assert preview_heads(r.stdout) == ["# crackdown.en-gb → Sir Keir Starmer"]
    assert r.stdout.count(PERSONAL) == 1


@pytest.mark.parametrize("name", NAMES)
def test_preview_every_letter(cli, name):
    r = cli("templates", "preview", name)
    assert r.exit_code == 0, r.output
    assert len(preview_heads(r.stdout)) == len(list(LETTERS.glob(f"{name}.*.j2")))
    assert "{{" not in r.stdout and "None" not in r.stdout


def test_preview_for_recipients_the_letter_does_not_suit(cli):
    r = cli("templates", "preview", "icc", "--country", "US", "--zip", "10001", "--district", "12")
    [line] = one_line_per_problem(r)
    assert "not meant for the recipients found" in line and "--rep" in line


# ---------------------------------------------------------------- check


def test_check_every_letter_in_use(cli):
    r = cli("templates", "check")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == f"{len(BUNDLED)} letter(s) OK\n"


def test_check_every_bundled_file_by_path(cli):
    r = cli("templates", "check", *map(str, BUNDLED))
    assert r.exit_code == 0 and r.stdout == f"{len(BUNDLED)} letter(s) OK\n"


@pytest.mark.parametrize(
    ("source", "old", "new", "needle"),
    [
        ("crackdown.en-gb.j2", "{{ recipient.salutation }}", "{{ recipient.nmae }}", "'recipient.nmae' is unknown"),
        ("crackdown.en-gb.j2", "{{ sender.name }}", "{{ sender.nmae }}", "'sender.nmae' is unknown"),
        ("asylum.de.j2", "{{ sender.name }}", "{{ sendr.name }}", "'sendr' is not a letter variable"),
        ("icc.fr.j2", "{{ recipient.salutation }}", "{{ destinataire }}", "'destinataire' is not a letter variable"),
        ("asylum.en-us.j2", "{% if personal %}", "{% if persnal %}", "'persnal' is not a letter variable"),
    ],
)
def test_check_names_the_file_and_line_of_an_unknown_variable(cli, tmp_path, source, old, new, needle):
    path, line = copy_with(tmp_path, source, old, new)
    r = cli("templates", "check", str(path))
    [problem] = one_line_per_problem(r)
    assert problem.startswith(f"{path}:{line}: ") and needle in problem, (problem, line)
    assert r.stdout == ""


@pytest.mark.parametrize(
    ("new", "needle"),
    [
        ("{{ recipient.nmae }}", "'recipient.nmae' is unknown"),
        ("{{ recipient.name ", "ask: "),
        ("{{ recipient.name.__class__ }}", "unsafe"),
    ],
    ids=["typo", "syntax", "sandbox"],
)
def test_check_covers_the_ask_in_the_front_matter_as_write_does(cli, tmp_path, new, needle):
    # The phone script's `ask:` is rendered by `write`; a letter that passes `check` must not fail there.
    path, line = copy_with(tmp_path, "crackdown.en-gb.j2", "{{ recipient.name }} to ask", f"{new} to ask")
    [problem] = one_line_per_problem(cli("templates", "check", str(path)))
    assert problem.startswith(f"{path}:{line}: ") and needle in problem, problem  # the line of `ask:`
    assert "<class" not in problem


def test_check_reports_each_problem_and_passes_the_good_files(cli, tmp_path):
    bad, line = copy_with(tmp_path, "crackdown.en-us.j2", "{{ sender.name }}", "{{ sender.nmae }} {{ oops }}")
    r = cli("templates", "check", str(LETTERS / "crackdown.de.j2"), str(bad))
    lines = one_line_per_problem(r, 2)
    assert all(x.startswith(f"{bad}:{line}: ") for x in lines)
    assert any("'oops'" in x for x in lines) and any("sender.nmae" in x for x in lines)


def test_check_a_syntax_error_names_its_line(cli, tmp_path):
    path, line = copy_with(tmp_path, "crackdown.en-gb.j2", "{% if personal %}", "{% if %}")
    [problem] = one_line_per_problem(cli("templates", "check", str(path)))
    assert problem.startswith(f"{path}:{line}: ") and "{% %}" in problem
    path, line = copy_with(tmp_path, "asylum.fr.j2", "{{ sender.name }}", "{{ sender.name | }}", "other")
    [problem] = one_line_per_problem(cli("templates", "check", str(path)))
    assert problem.startswith(f"{path}:{line}: ")


def test_check_an_unclosed_block_says_which_block(cli, tmp_path):
    # The first {% endif %} closes the {% if recipient.district %} on the same line.
    path, opened = copy_with(tmp_path, "crackdown.en-gb.j2", "{% endif %}", "")
    [problem] = one_line_per_problem(cli("templates", "check", str(path)))
    # Jinja finds out at the end of the file; the line named is where the block left open began.
    assert problem.startswith(f"{path}:{opened}: ")
    assert "'if'" in problem and "endif" in problem


@pytest.mark.parametrize(
    ("change", "line", "needle"),
    [
        (lambda t: t.replace('subject: "', 'subjekt: "', 1), 2, "front matter lacks subject"),
        (lambda t: t.replace("topic: the", "topic: the: x", 1), 6, "front matter is not valid YAML"),
        (lambda t: t.replace("\n---\n", "\n", 1), 1, "no closing '---'"),
        (lambda t: t.removeprefix("---\n"), 1, "starts with front matter"),
        (lambda t: t.replace("language: en", "language: es", 1), 2, "language 'es' is not one of"),
        (
            lambda t: t.replace("name: crackdown", "name: other", 1),
            2,
            "must be lowercase-dashed and begin the file name",
        ),
        (lambda t: t.replace("  - country: GB\n    chamber: commons", "  - GB", 1), 2, "suits must be a list"),
    ],
    ids=["no-subject", "bad-yaml", "unclosed", "no-front-matter", "language", "name", "suits"],
)
def test_check_bad_front_matter_names_file_and_line(cli, tmp_path, change, line, needle):
    text = (LETTERS / "crackdown.en-gb.j2").read_text(encoding="utf-8")
    path = tmp_path / "fm" / "crackdown.en-gb.j2"
    path.parent.mkdir()
    path.write_text(change(text), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text
    [problem] = one_line_per_problem(cli("templates", "check", str(path)))
    assert problem.startswith(f"{path}:{line}: ") and needle in problem, problem


def test_bad_yaml_line_is_the_files_line(cli, tmp_path):
    text = (LETTERS / "icc.en.j2").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    index = next(i for i, x in enumerate(lines) if x.startswith("title:"))
    lines[index] = "title: : : [\n"
    path = tmp_path / "y" / "icc.en.j2"
    path.parent.mkdir()
    path.write_text("".join(lines), encoding="utf-8")
    [problem] = one_line_per_problem(cli("templates", "check", str(path)))
    assert problem.startswith(f"{path}:{index + 1}: ") or problem.startswith(f"{path}:{index + 2}: "), problem


def test_check_unreadable_or_not_utf8(cli, tmp_path):
    missing = tmp_path / "nope.en.j2"
    [problem] = one_line_per_problem(cli("templates", "check", str(missing)))
    assert problem.startswith(f"{missing}: cannot read")
    latin = tmp_path / "latin.en.j2"
    latin.write_bytes("---\nname: latin\n---\nÉté\n".encode("latin-1"))
    [problem] = one_line_per_problem(cli("templates", "check", str(latin)))
    assert problem.startswith(f"{latin}: not UTF-8")


def test_check_without_paths_includes_the_users_letters(cli, tmp_path):
    copy_with(tmp_path / "home", "crackdown.en-us.j2", "{{ sender.name }}", "{{ sender.nmae }}", "letters")
    r = cli("templates", "check")
    [problem] = one_line_per_problem(r)
    assert "letters/crackdown.en-us.j2:" in problem and "sender.nmae" in problem


# ---------------------------------------------------------------- new and user overrides


def test_new_copies_every_variant_and_never_overwrites(cli, tmp_path):
    r = cli("templates", "new", "my-letter", "--from", "crackdown")
    assert r.exit_code == 0, r.output
    folder = tmp_path / "home" / "letters"
    made = sorted(folder.iterdir())
    assert [p.name for p in made] == ["my-letter.de.j2", "my-letter.en-gb.j2", "my-letter.en-us.j2", "my-letter.fr.j2"]
    assert r.stdout.splitlines() == [str(p) for p in made]
    for path in made:
        original = (LETTERS / path.name.replace("my-letter", "crackdown")).read_text(encoding="utf-8")
        copy = path.read_text(encoding="utf-8")
        assert copy == original.replace("\nname: crackdown\n", "\nname: my-letter\n", 1)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in made}
    again = cli("templates", "new", "my-letter", "--from", "crackdown")
    [line] = one_line_per_problem(again)
    assert "already exists" in line
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())} == before
    listed = cli("templates", "list").stdout
    assert any(x.startswith("my-letter ") and x.endswith("(yours)") for x in listed.splitlines())
    assert cli("templates", "check").exit_code == 0
    letter = cli("write", "-c", "GB", "--constituency", "Holborn and St Pancras", "-t", "my-letter", "--name", "A B")
    assert letter.exit_code == 0 and "\nDear Sir Keir,\n" in letter.stdout


def test_new_without_from_copies_under_the_same_name(cli, tmp_path):
    r = cli("templates", "new", "icc")
    assert r.exit_code == 0
    folder = tmp_path / "home" / "letters"
    assert sorted(p.name for p in folder.iterdir()) == ["icc.en.j2", "icc.fr.j2"]
    assert (folder / "icc.en.j2").read_bytes() == (LETTERS / "icc.en.j2").read_bytes()
    assert "(yours)" in next(x for x in cli("templates", "list").stdout.splitlines() if x.startswith("icc "))


def test_new_copies_the_bundled_variant_even_when_one_is_overridden(cli, tmp_path):
    folder = user_dir(tmp_path)
    override = folder / "crackdown.en-us.j2"
    override.write_text((LETTERS / "crackdown.en-us.j2").read_text(encoding="utf-8") + "MINE\n", encoding="utf-8")
    r = cli("templates", "new", "fresh", "--from", "crackdown")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.glob("fresh.*")) == [
        "fresh.de.j2",
        "fresh.en-gb.j2",
        "fresh.en-us.j2",
        "fresh.fr.j2",
    ]
    assert "MINE" not in (folder / "fresh.en-us.j2").read_text(encoding="utf-8")
    # Copying crackdown onto itself would overwrite the user's file: refused, and nothing else written.
    before = sorted(folder.iterdir())
    [line] = one_line_per_problem(cli("templates", "new", "crackdown"))
    assert str(override) in line and "already exists" in line
    assert sorted(folder.iterdir()) == before and override.read_text(encoding="utf-8").endswith("MINE\n")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("Bad_Name",), "is not a letter name"),
        (("x", "--from", "nope"), "no letter called 'nope'"),
        (("../escape", "--from", "icc"), "is not a letter name"),
    ],
)
def test_new_errors_are_one_line(cli, tmp_path, args, needle):
    [line] = one_line_per_problem(cli("templates", "new", *args))
    assert needle in line
    assert not (tmp_path / "home" / "letters").exists() or not any((tmp_path / "home" / "letters").iterdir())


def test_user_file_overrides_the_bundled_one(cli, tmp_path):
    folder = user_dir(tmp_path)
    text = (LETTERS / "crackdown.en-us.j2").read_text(encoding="utf-8")
    marked = text.replace("{{ recipient.salutation }}", "{{ recipient.salutation }}\n\nOVERRIDDEN BY ME.", 1)
    (folder / "crackdown.en-us.j2").write_text(marked, encoding="utf-8")
    r = cli("write", "-c", "US", "--zip", "10001", "--district", "12", "-t", "crackdown", "--name", "A B")
    assert r.exit_code == 0 and r.stdout.count("\nOVERRIDDEN BY ME.\n") == 3
    listed = cli("templates", "list").stdout.splitlines()
    assert next(x for x in listed if x.startswith("crackdown ")).endswith("(yours)")
    assert not next(x for x in listed if x.startswith("asylum ")).endswith("(yours)")
    docs = {d["variant"]: d for d in json.loads(cli("templates", "list", "--json").stdout)}
    assert docs["crackdown.en-us"]["origin"] == "user" and docs["crackdown.en-us"]["path"] == str(
        folder / "crackdown.en-us.j2"
    )
    assert docs["crackdown.de"]["origin"] == "bundled"
    # The other variants still come from the bundle.
    gb = cli("write", "-c", "GB", "--constituency", "Holborn and St Pancras", "-t", "crackdown", "--name", "A B")
    assert gb.exit_code == 0 and "OVERRIDDEN" not in gb.stdout


def test_broken_user_override_fails_write_with_one_line(cli, tmp_path):
    folder = user_dir(tmp_path)
    text = (LETTERS / "asylum.en-us.j2").read_text(encoding="utf-8").replace("{{ sender.name }}", "{{ sender.nmae }}")
    (folder / "asylum.en-us.j2").write_text(text, encoding="utf-8")
    r = cli("write", "-c", "US", "--zip", "10001", "--district", "12", "-t", "asylum", "--name", "A B")
    [line] = one_line_per_problem(r)
    assert line.startswith(f"Error: {folder / 'asylum.en-us.j2'}:") and "nmae" in line and r.stdout == ""


# ---------------------------------------------------------------- the sandbox

EVIL = """\
---
name: evil
title: Evil
description: Tries to reach Python internals.
language: en
suits:
  - custom: true
subject: "Hello"
---
{{{{ recipient.salutation }}}}

{payload}
"""

PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ self.__init__.__globals__ }}",
    "{{ recipient.__class__.__mro__ }}",
    "{{ sender.items.__self__.__class__ }}",
    "{{ ''.format.__globals__ }}",
    "{{ '{0.__class__.__mro__}'.format(sender) }}",
    "{{ sender | attr('__class__') }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
    "{% set x = ''.__class__ %}{{ x }}",
]
INTERNALS = ("<class", "<module", "<function", "<built-in", "__builtins__", "subprocess", "uid=", "Traceback")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sandbox_keeps_user_letters_away_from_python_internals(cli, tmp_path, payload):
    path = user_dir(tmp_path) / "evil.en.j2"
    path.write_text(EVIL.format(payload=payload), encoding="utf-8")
    runs = [
        cli("write", "--to-name", "Bob Example", "-t", "evil", "--name", "A B", "--personal", "Mine."),
        cli("write", "--to-name", "Bob Example", "-t", "evil", "--name", "A B", "-f", "json"),
        cli("templates", "preview", "evil"),
        cli("templates", "check", str(path)),
        cli("templates", "check"),
    ]
    for r in runs:
        assert r.exit_code == 1, (payload, r.stdout, r.stderr)
        assert r.stdout == ""
        assert r.stderr.count("\n") == 1 and str(path) in r.stderr, r.stderr
        for internal in INTERNALS:
            assert internal not in r.output, (payload, r.output)


# ---------------------------------------------------------------- every bundled letter, rendered


def recipients() -> list[dict]:
    from advocate.drafts.draft import custom_recipient
    from advocate.lookup import people as reps

    ids = ["us-N000002", "us-S000148", "gb-4514", "gb-185", "de-1043330", "fr-PA1008", "fr-PA841701"]
    ids += ["icc-otp", "un-ie-sogi", "ru-embassy-us", "ru-embassy-uk", "ru-embassy-de"]
    people = [reps.show(i) for i in ids]
    people += [
        custom_recipient("Embassy of the Republic of Lithuania", "info@lt.example"),
        custom_recipient("Gabrielius Landsbergis"),
    ]
    return people + all_ministries()  # no ministry in the bundled data yet: CONTRACT.md's shape


GREETINGS = {
    "de": ("Guten Tag ", "Sehr geehrte Damen und Herren,", "Sehr geehrte Frau ", "Sehr geehrter Herr ", "Exzellenz,"),
    "fr": ("Madame la Députée,", "Monsieur le Député,", "Madame, Monsieur", "Monsieur l'Expert indépendant,"),
    "en": ("Dear ", "Your Excellency,"),
}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_letter_renders_cleanly(path):
    from advocate.templates import letters as templates
    from advocate.templates import render

    letter = templates.read(path, "bundled")
    fitting = [p for p in recipients() if templates.suits(letter, p)]
    assert fitting, f"no sample recipient suits {path.name}"
    sender = render.sender_context(**render.SAMPLE_SENDER)
    for person in fitting:
        texts = {}
        for personal in ("", PERSONAL):
            ctx = render.context(letter, person, sender, personal)
            subject, body = render.render(letter, ctx)
            ask = render.render_field(letter, ctx, "ask")
            where = f"{path.name} for {person['id']} ({'with' if personal else 'without'} personal)"
            for text in (subject, body, ask):
                assert "{{" not in text and "{%" not in text and "}}" not in text, where
                assert "None" not in text and "Undefined" not in text, where
            assert subject.strip() == subject and "\n" not in subject and subject, where
            assert "\n\n\n" not in body, where
            assert body.endswith("\n") and not body.endswith("\n\n"), where
            if letter.language == "fr":  # a French letter opens with a place-and-date line
                dated = f"Springfield, le {ctx['date']}\n\n"
                assert body.startswith(dated), where
                body = body.removeprefix(dated)
            assert body.startswith(ctx["recipient"]["salutation"] + "\n\n"), where
            if person.get("chamber") != "government":  # ministries: test_ministries_get_a_neutral_greeting
                assert body.split("\n")[0].startswith(GREETINGS[letter.language]), where
            assert "Alex Doe" in body, where
            texts[personal] = body
        assert len(texts[""].split()) <= 350, (path.name, len(texts[""].split()))
        assert PERSONAL not in texts[""]
        assert texts[PERSONAL].count(PERSONAL) == 1
        assert f"\n\n{PERSONAL}\n\n" in texts[PERSONAL]  # a paragraph of its own
        assert texts[PERSONAL].replace(f"{PERSONAL}\n\n", "", 1) == texts[""]


def for_ministries() -> list[tuple[Path, dict]]:
    from advocate.templates import letters as templates

    return [(p, m) for p in BUNDLED for m in all_ministries() if templates.suits(templates.read(p, "bundled"), m)]


@pytest.mark.parametrize(("path", "ministry"), for_ministries(), ids=lambda x: getattr(x, "name", None) or x["id"])
def test_ministries_get_a_neutral_greeting(path, ministry):
    from advocate.templates import letters as templates
    from advocate.templates import render

    letter = templates.read(path, "bundled")
    assert render.recipient_context(ministry, letter.language)["salutation"] == NEUTRAL[letter.language] + ","


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_letter_has_complete_front_matter(path):
    from advocate.templates import letters as templates

    letter = templates.read(path, "bundled")
    meta = letter.meta
    assert letter.name == path.name.split(".")[0] and letter.language == path.name.split(".")[1][:2]
    for key in ("title", "description", "topic", "subject", "ask"):
        assert isinstance(meta.get(key), str) and meta[key].strip(), key
    assert meta["sources"] and all(isinstance(s, str) and re.fullmatch(r"\d+\.\d+", s) for s in meta["sources"])


def test_french_and_german_letters_are_greeted_in_their_language(cli):
    for args, greeting in [
        (("-c", "DE", "--postcode", "10117", "-t", "asylum"), "Sehr geehrte Frau "),
        (("-c", "FR", "--department", "75", "--circo", "1", "-t", "asylum"), "Monsieur le Député,"),
        (("-c", "INTL", "--to", "ru-embassy-de", "-t", "embassy"), "Exzellenz,"),
        (("-c", "INTL", "--to", "icc-otp", "-t", "icc", "--lang", "fr"), "Madame, Monsieur,"),
        (("--to-name", "Ministère des Affaires étrangères", "-t", "crackdown", "--lang", "fr"), "Madame, Monsieur,"),
        (("--to-name", "Auswärtiges Amt", "-t", "crackdown", "--lang", "de"), "Sehr geehrte Damen und Herren,"),
    ]:
        r = cli("write", *args, "--name", "Alex Doe", "-f", "json")
        assert r.exit_code == 0, (args, r.output)
        for doc in json.loads(r.stdout):
            body = doc["body"]
            if doc["language"] == "fr":  # after the place-and-date line
                body = body.split("\n\n", 1)[1]
            assert body.startswith(greeting), (args, doc["body"][:60])


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("{{ 'x' * 10**10 }}", "not allowed"),
        ("{{ 2 ** 100000 }}", "not allowed"),
        ("{% for i in range(100000) %}{{ 'x' * 9000 }}{% endfor %}", "grew past 100,000 characters"),
    ],
    ids=["repeat", "power", "loop"],
)
def test_a_letter_cannot_exhaust_memory(cli, tmp_path, body, needle):
    path = tmp_path / "big.en.j2"
    path.write_text(
        f"---\nname: big\ntitle: T\ndescription: d\nlanguage: en\nsuits: [{{custom: true}}]\nsubject: s\n---\n{body}\n",
        encoding="utf-8",
    )
    r = cli("templates", "check", str(path))
    assert r.exit_code == 1 and needle in r.stderr and r.stderr.count("\n") == 1, r.stderr
