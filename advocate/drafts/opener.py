"""Hand a draft (.eml path or mailto: URI) to the desktop's default handler, never via a shell.

See CONVENTIONS.md B7. The target always travels as a single argument, so characters such as
``&``, ``;``, ``"`` or ``$(...)`` in a mailto URI reach the handler unchanged and uninterpreted.
"""

import os
import shutil
import subprocess
import sys


def open_draft(target: str) -> bool:
    """Open ``target`` with the OS handler; return False (never raise) if that is not possible.

    Windows: ``os.startfile``; macOS: ``open``; elsewhere ``xdg-open`` when installed. On
    False the caller should print the path or URI instead.
    """
    if target.startswith("-"):
        # A relative path such as "-h.eml" must not be read as an option by open/xdg-open.
        target = os.path.join(os.curdir, target)
    try:
        if sys.platform == "win32":
            os.startfile(target)  # noqa: S606 - no shell; ShellExecute on the file or URI
            return True
        if sys.platform == "darwin":
            argv = ["open", target]
        elif shutil.which("xdg-open"):
            argv = ["xdg-open", target]
        else:
            return False
        # Detached and silent: a GUI mail client must not be tied to this terminal or write to it.
        handler = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError):  # ValueError: an embedded NUL character
        return False
    return _started(handler)


WAIT = 1.0  # seconds to wait for open/xdg-open to hand over: most return at once, a failing one with an error code


def _started(handler: object) -> bool:
    """False when the opener exits at once with an error (no handler for .eml, a broken desktop setup);
    one still running after ``WAIT`` seconds is taken to have opened the draft."""
    wait = getattr(handler, "wait", None)
    if wait is None:
        return True
    try:
        return bool(wait(timeout=WAIT) == 0)
    except subprocess.TimeoutExpired:
        return True
