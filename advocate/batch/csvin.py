"""Read an attendee CSV safely: encoding checked up front, delimiter from the header line only.

A sniffer may change quoting rules and silently corrupt ``""`` escapes, so the delimiter is the
one of comma, semicolon and tab that the header line uses most (outside quotes), and nothing else
about the dialect is guessed.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from advocate.errors import InputProblem

DELIMITERS = (",", ";", "\t")
CHUNK = 1 << 16


@dataclass
class Row:
    number: int  # the row as a spreadsheet shows it: the header is row 1
    line: int  # the file line where the row starts
    fields: list[str]
    problem: str | None = None  # a malformed quoted field: the row is an error, its text kept as one field


@dataclass
class Table:
    path: Path
    header: list[str]
    delimiter: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def check_encoding(path: Path, encoding: str) -> None:
    """Decode the whole file once (C speed, constant memory); a bad byte is one error naming its line."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
    except LookupError:
        raise InputProblem(f"unknown encoding {encoding!r}; try utf-8, cp1252 or latin-1") from None
    line = 1
    shown = "UTF-8" if encoding == "utf-8-sig" else encoding
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    at = line + chunk[: err.start].count(b"\n")
                    bad = chunk[err.start : err.start + 1].hex()
                    hint = " (saved by Excel? try --encoding cp1252)" if encoding.startswith("utf") else ""
                    raise InputProblem(
                        f"{path}:{at}: byte 0x{bad} is not {shown}; give the file's encoding with --encoding{hint}"
                    ) from None
                line += chunk.count(b"\n")
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputProblem(f"{path}: the file ends in the middle of a character; is it {shown}?") from None
    except OSError as err:
        raise InputProblem(f"cannot read {path}: {err.strerror}") from None


def pick_delimiter(header_line: str) -> str:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def open_table(path: Path, encoding: str | None = None) -> tuple[Table, Iterator[Row]]:
    """The header and an iterator over the rows, streamed (memory does not grow with the file)."""
    enc = encoding or "utf-8-sig"
    if _is_utf8(enc):
        enc = "utf-8-sig"  # UTF-8 with or without BOM: a BOM must not become part of the first column's name
    if not path.is_file():
        raise InputProblem(f"{path}: no such file; give the attendee CSV (advocate batch --sample writes one)")
    check_encoding(path, enc)
    with path.open("r", encoding=enc, newline="") as stream:
        first = stream.readline()
        if not first.strip():
            raise InputProblem(f"{path}:1: the file is empty; the first line must be a header such as name,country,zip")
        delimiter = pick_delimiter(first)
        stream.seek(0)  # the decoder is reset too, so a BOM is skipped again
        header = next(csv.reader(stream, delimiter=delimiter))
    table = Table(path, header, delimiter, enc)

    def rows() -> Iterator[Row]:
        # Opened only when the rows are read, so a run that stops before them leaves no file open.
        # strict: a quote in the wrong place is an error of that row, never repaired into another value
        # (the lenient reader turns `"b"c` into `bc`); the reader goes on at the next line.
        with path.open("r", encoding=enc, newline="") as stream:
            seen: list[str] = []  # the lines of the record being read, for errors.csv

            def lines() -> Iterator[str]:
                for text in stream:
                    seen.append(text)
                    yield text

            reader = csv.reader(lines(), delimiter=delimiter, strict=True)
            next(reader)
            number, start = 1, reader.line_num + 1
            while True:
                seen.clear()
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as err:
                    number += 1
                    yield Row(
                        number, start, ["".join(seen).rstrip("\r\n")], _quote_problem(str(err), start, reader.line_num)
                    )
                    start = reader.line_num + 1
                    continue
                number += 1
                if any(f.strip() for f in fields):  # blank rows are skipped but still counted
                    yield Row(number, start, fields)
                start = reader.line_num + 1

    return table, rows()


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False  # check_encoding names the unknown encoding


def _quote_problem(err: str, start: int, end: int) -> str:
    if "unexpected end of data" in err:
        return f"a quote opened on line {start} is never closed (lines {start}-{end} were read as one cell)"
    if "expected after" in err:
        return f'a quoted cell goes on after its closing quote on line {end} (write "" for a quote inside a cell)'
    return f"line {end}: {err}; check the quotes on that line"


def as_csv_line(values: list[str]) -> str:
    """One CSV line ending in \\n; a cell holding \\r or \\n is quoted (the writer quotes only the
    characters of its line terminator, so it is given \\r\\n, and the line then ends in \\n)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()[:-2] + "\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_line(values: list[str]) -> str:
    """A CSV line for a spreadsheet: a cell starting with = + - @ TAB or CR gets a leading ' (OWASP's
    CSV-injection advice), so `=HYPERLINK(…)` stays text in Excel and LibreOffice."""
    return as_csv_line([f"'{v}" if v.startswith(_FORMULA) else v for v in values])
