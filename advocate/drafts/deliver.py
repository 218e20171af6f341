"""A draft in the form asked for: text to print, an .eml file written, a mailto link, a call script."""

from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from advocate.drafts.draft import Draft
from advocate.drafts.text import as_call, as_postal, as_text
from advocate.errors import InputProblem


def as_eml(d: Draft) -> bytes:
    from advocate.drafts import eml as compose

    if not d.email:
        raise InputProblem(f"{d.recipient['name']} has no e-mail address in the data; use --format letter or call")
    return compose.build_eml([(d.recipient["name"], d.email)], d.subject, d.body)


def as_mailto(d: Draft) -> str:
    from advocate.drafts import eml as compose

    if not d.email:
        raise InputProblem(f"{d.recipient['name']} has no e-mail address in the data; use --format letter or call")
    return compose.build_mailto([d.email], d.subject, d.body)


def eml_name(d: Draft) -> str:
    from advocate.drafts import eml as compose

    return compose.draft_filename(d.letter.name, d.recipient["id"], d.recipient["name"])


@dataclass
class Delivery:
    """One letter in the form asked for: text to print, a draft or link to open, a line for stderr."""

    text: str
    target: str | None = None
    note: str | None = None
    channel: str = ""  # for the record: email-draft, postal, form or call
    file: str = ""  # the file written, if any
    sha256: str = ""  # of the file written, else of the text


def deliver(d: Draft, fmt: str, out: Path, force: bool = False) -> Delivery:
    """Render ``d`` as ``fmt`` (text, letter, call, eml, mailto); .eml drafts are written into ``out``."""
    done = _deliver(d, fmt, out, force)
    done.channel = {"letter": "postal", "call": "call"}.get(fmt) or (
        "email-draft" if d.email else "form" if (d.recipient.get("channels") or {}).get("contact_form") else "postal"
    )
    done.sha256 = done.sha256 or sha256(done.text.encode("utf-8")).hexdigest()
    return done


def _deliver(d: Draft, fmt: str, out: Path, force: bool) -> Delivery:
    if fmt == "letter":
        return Delivery(as_postal(d))
    if fmt == "call":
        return Delivery(as_call(d))
    if fmt in ("eml", "mailto") and not d.email:
        return Delivery(
            f"{d.recipient['name']} takes no e-mail; send this by their contact form, post or phone "
            f"(--format call gives a phone script).\n\n" + as_text(d)
        )
    if fmt == "mailto":
        from advocate.drafts.eml import mailto_too_long

        uri = as_mailto(d)
        if not mailto_too_long(uri):
            return Delivery(uri + "\n", target=uri)
        path, sha = _write_eml(d, out, force)
        note = (f"The mailto link for {d.recipient['name']} would be {len(uri)} characters, too long for some mail "
                f"programs; wrote {path} instead.")  # fmt: skip
        return Delivery(f"{path}\n", target=str(path.resolve()), note=note, file=str(path.resolve()), sha256=sha)
    if fmt == "eml":
        path, sha = _write_eml(d, out, force)
        where = str(path.resolve())
        return Delivery(f"Draft for {d.recipient['name']}: {path}\n", target=where, file=where, sha256=sha)
    return Delivery(as_text(d))


def _write_eml(d: Draft, out: Path, force: bool) -> tuple[Path, str]:
    from advocate.atomic import write_atomic

    path, data = out / eml_name(d), as_eml(d)
    write_atomic(path, data, force=force)
    return path, sha256(data).hexdigest()
