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
        subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, ValueError):  # ValueError: an embedded NUL character
        return False
    return True
