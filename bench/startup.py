"""Whole-process time of `advocate reps lookup` (and `write`, when present) against the Typer floor.

    python bench/startup.py [--runs 15]

The floor is a two-command Typer app whose command only prints, run by this venv's Python;
`mailmerge --help` (pip package mailmerge 2.3.0, `pip install -e '.[bench]'`) is measured beside it.
All commands run alternately in one loop; medians are printed with the ratios to the floor.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import alternate, bin_dir, floor_command  # noqa: E402

TARGETS = {
    "reps lookup": (["reps", "lookup", "--country", "US", "--zip", "10001", "--json"], 1.25, 0.200),
    "write": (
        ["write", "--country", "US", "--zip", "10001", "--district", "12", "--template", "asylum",
         "--name", "Alex Doe", "--format", "text"],
        1.5,
        0.250,
    ),
    "write --no-log": (
        ["write", "--country", "US", "--zip", "10001", "--district", "12", "--template", "asylum",
         "--name", "Alex Doe", "--format", "text", "--no-log"],
        1.5,
        0.250,
    ),
}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    advocate = str(bin_dir() / "advocate")
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        os.environ["ADVOCATE_HOME"] = str(cwd / "home")  # `write` records its letters there, not in your record
        commands = {"typer floor": floor_command(cwd)}
        help_text = __import__("subprocess").run([advocate, "--help"], capture_output=True, text=True).stdout
        write_help = __import__("subprocess").run([advocate, "write", "--help"], capture_output=True, text=True).stdout
        for name, (argv, _, _) in TARGETS.items():
            if name.split()[0] in help_text and (not name.endswith("--no-log") or "--no-log" in write_help):
                commands[name] = [advocate, *argv]
        mailmerge = shutil.which("mailmerge", path=str(bin_dir()))
        if mailmerge:
            commands["mailmerge --help"] = [mailmerge, "--help"]
        medians = alternate(commands, args.runs, cwd)
    floor = medians["typer floor"]
    print(f"{'command':<20} {'median ms':>10} {'× floor':>8}  target")
    ok = True
    for name, median in medians.items():
        target = ""
        if name in TARGETS:
            ratio_max, abs_max = TARGETS[name][1], TARGETS[name][2]
            passed = median <= ratio_max * floor and median <= abs_max
            ok &= passed
            target = f"≤ {ratio_max}× and ≤ {abs_max * 1000:.0f} ms: {'ok' if passed else 'MISSED'}"
        print(f"{name:<20} {median * 1000:>10.1f} {median / floor:>8.2f}  {target}")
    print(f"({args.runs} alternating runs each, after 2 warm-up rounds; Python {sys.version.split()[0]})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
