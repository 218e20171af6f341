"""The local record of letters written, replies and follow-ups (issue 14). Nothing leaves the machine.

from advocate.record import Entry, open_log, sha256_text, stamp
with open_log() as log:
    log.record([Entry(stamp(), "chechnya", "en", rid, name, "email-draft", str(path), sha256_text(text))])
"""

from .entry import CHANNELS, COLUMNS, Entry, Row, batch_key, csv_cell, parse_date, sha256_text, stamp, today
from .log import FILENAME, MIGRATIONS, Log, default_path, open_log, schema_version

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "FILENAME",
    "MIGRATIONS",
    "Entry",
    "Log",
    "Row",
    "batch_key",
    "csv_cell",
    "default_path",
    "open_log",
    "parse_date",
    "schema_version",
    "sha256_text",
    "stamp",
    "today",
]
