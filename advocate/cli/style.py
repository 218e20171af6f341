"""The conventions every command follows in --help: readable metavars (TEXT, FILE, N, ID …) instead of
Python types, and the whole one-line summary of each command (Click would cut it at 45 characters)."""

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

# By parameter name first (what the value is), then by type (what it looks like).
NAMES = {
    "country": "CC", "countries": "CC", "zip_code": "ZIP", "state": "STATE", "district": "N", "wahlkreis": "N",
    "circo": "N", "constituency": "NAME", "council": "NAME", "postcode": "CODE", "sender_postcode": "CODE",
    "department": "CODE", "template": "NAME", "name": "NAME", "to_name": "NAME", "email": "EMAIL",
    "to_email": "EMAIL", "personal_file": "FILE", "to": "ID", "rep": "ID", "person_id": "ID", "language": "LANG",
    "fmt": "FORMAT", "out": "PATH", "limit": "N", "jobs": "N", "encoding": "CODEC", "ambiguous": "MODE",
    "paper": "SIZE", "csv_file": "CSV_FILE", "paths": "FILE", "source": "NAME",
}  # fmt: skip
TYPES = {"<str>": "TEXT", "<int>": "N", "<int range>": "N", "<path>": "PATH", "<FileText>": "FILE"}


class Command(TyperCommand):
    """A Typer command whose options and arguments show metavars people read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is not None or getattr(param, "is_flag", False):
                continue
            if isinstance(param, TyperOption | TyperArgument):
                param.metavar = NAMES.get(param.name or "") or TYPES.get(_display(param), "TEXT")
            if isinstance(param, TyperArgument):
                param.display_type_rich = _no_type  # type: ignore[method-assign]  # the metavar says it


def _no_type(ctx: Any = None) -> None:
    return None


def _display(param: Any) -> str:
    try:
        return str(param.display_type(None))
    except Exception:  # noqa: BLE001 - a type Typer cannot name: the fallback is TEXT
        return "<str>"


def _summary(help_text: str | None) -> str | None:
    """The first sentence of a help text, whole."""
    doc = " ".join((help_text or "").split())
    return doc.split(". ")[0].rstrip(".") + "." if doc else None


def conventions(app: typer.Typer) -> None:
    """Apply the conventions to every command of ``app`` and of its groups, however deep."""
    for info in app.registered_commands:
        info.cls = Command
        info.short_help = info.short_help or _summary(info.help or getattr(info.callback, "__doc__", None))
    for group in app.registered_groups:
        if group.typer_instance is not None:
            group.short_help = group.short_help or _summary(group.help or group.typer_instance.info.help)
            conventions(group.typer_instance)
