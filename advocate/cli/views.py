"""What the CLI draws on a terminal: people (the core's text views, fitted to the width), and with Rich
the batch summary and progress bars.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

Report = Callable[[str, int, int | None], None]


def show(text: str) -> None:
    """Text on a terminal: long lines broken at spaces to fit it (never inside an e-mail address or URL)."""
    import shutil
    import sys

    from advocate.text import wrap

    sys.stdout.write(wrap(text, shutil.get_terminal_size().columns))


def console(stderr: bool = True) -> "Console":
    """A Rich console; NO_COLOR (https://no-color.org) turns off every style, bold and italic too."""
    import os

    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    return Console(stderr=stderr, color_system=None if plain else "auto", no_color=plain)


def summary_table(rows: list[tuple[str, str]]) -> None:
    """Label/value rows as a small table on stderr (the batch summary)."""
    from rich.table import Table

    table = Table(title="Batch", title_justify="left", show_header=False)
    table.add_column()
    table.add_column()
    for label, value in rows:
        table.add_row(label, value)
    console().print(table)


def rows_bar(total: int | None) -> tuple[AbstractContextManager[Any], Callable[[int], None]]:
    """A Rich progress bar on stderr for rows done of ``total``, and the callback that advances it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("rows"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console(),
        transient=True,
    )
    task = bar.add_task("rows", total=total, rate="")

    def advance(n: int) -> None:
        bar.advance(task, n)
        speed = bar.tasks[0].speed
        if speed:
            bar.update(task, rate=f"{speed:,.0f} rows/s")

    return bar, advance


def download_bar() -> tuple[AbstractContextManager[Any], Report]:
    """A Rich progress bar on stderr, and the callback that feeds it."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TransferSpeedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console(),
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def report(name: str, received: int, total: int | None) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=received, total=total)

    return bar, report
