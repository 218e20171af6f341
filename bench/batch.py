"""Batch speed and memory against mailmerge 2.3.0's dry run, on generated attendee CSVs.

    python bench/batch.py [--runs 5] [--rows 10000] [--big 100000] [--out-dir DIR] [--jobs 0]

Needs `pip install -e '.[bench]'` (mailmerge 2.3.0). Prints medians and letters per second, and
the ratios the batch issue asks for: jsonl ≥ 10×, txt ≥ 3×, eml ≥ 5× mailmerge's letters per
second, and peak RSS ≤ 64 MiB for the big file. Output folders go under --out-dir (default: a
temporary folder on disk); every run writes into a fresh folder after a `sync`, and all are
removed at the end, so one run's deletions do not slow the next.

mailmerge reads its CSV with csv.Sniffer, which guesses `doublequote=False` for our file and then
splits rows at `""` escapes and quoted line breaks, so it gets the same rows with those two
features flattened (same names, places, lengths); advocate reads the full file.
"""

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import attendees  # noqa: E402
from common import bench_env, bin_dir  # noqa: E402

ROOT = HERE.parent


def mailmerge_template(path: Path) -> None:
    """The crackdown letter's US text as a one-letter mailmerge template of the same length."""
    text = (ROOT / "letters" / "crackdown.en-us.j2").read_text(encoding="utf-8").split("---", 2)[2]
    text = re.sub(r"\{%.*?%\}", "", text)
    text = re.sub(r"\{\{.*?\}\}", "{{name}}", text)
    path.write_text(
        "TO: {{email}}\nSUBJECT: Chechnya: please speak out against the persecution of gay and bisexual men\n"
        "FROM: {{name}} <{{email}}>\n\n" + text.strip() + "\n",
        encoding="utf-8",
    )


def flatten(src: Path, dst: Path) -> None:
    with src.open(newline="", encoding="utf-8") as f, dst.open("w", newline="", encoding="utf-8") as g:
        writer = csv.writer(g, lineterminator="\r\n")
        for row in csv.reader(f):
            writer.writerow([c.replace("\n", " ").replace('"', "") for c in row])


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB, the largest of the process and its workers) of one run."""
    subprocess.run(["sync"], check=False)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=bench_env())
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return elapsed, usage.ru_maxrss


def letters_in(summary_cmd: list[str], cwd: Path) -> int:
    out = subprocess.run(summary_cmd, cwd=cwd, capture_output=True, text=True).stderr
    match = re.search(r"; (\d+) letters", out)
    if not match:
        raise SystemExit(f"could not count letters:\n{out}")
    return int(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--out-dir", type=Path, default=None)
    parser.add_argument("--jobs", default="0")
    args = parser.parse_args()
    advocate, mailmerge = str(bin_dir() / "advocate"), shutil.which("mailmerge", path=str(bin_dir()))
    if not mailmerge:
        raise SystemExit("mailmerge is not installed: pip install -e '.[bench]'")
    load_before = os.getloadavg()[0]  # the machine may be shared: every number goes with its load
    work = Path(tempfile.mkdtemp(prefix="advocate-bench-", dir=args.out_dir))
    try:
        csv_path, flat, big = work / "attendees.csv", work / "flat.csv", work / "big.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as f:
            attendees.write(args.rows, f)
        flatten(csv_path, flat)
        with big.open("w", newline="", encoding="utf-8") as f:
            attendees.write(args.big, f)
        template, conf = work / "template.txt", work / "server.conf"
        mailmerge_template(template)
        conf.write_text("[smtp_server]\nhost = localhost\nport = 25\n", encoding="utf-8")
        batch = [advocate, "batch", str(csv_path), "--template", "crackdown", "--jobs", args.jobs]
        letters = letters_in(batch + ["--check"], work)
        commands = {
            "mailmerge dry run": [mailmerge, "--template", str(template), "--database", str(flat),
                                  "--config", str(conf), "--dry-run", "--no-limit", "--output-format", "text"],
            "jsonl to /dev/null": batch + ["--format", "jsonl", "--out", "/dev/null"],
            "txt into a folder": batch + ["--format", "txt", "--out"],
            "eml into a folder": batch + ["--format", "eml", "--out"],
        }  # fmt: skip
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs + 1):  # the first round warms caches and is not counted
            for name, cmd in commands.items():
                if cmd[-1] == "--out":
                    cmd = cmd + [str(work / f"out-{name.split()[0]}-{run}")]
                elapsed, _ = timed(cmd, work)
                if run:
                    samples[name].append(elapsed)
        _, rss = timed([advocate, "batch", str(big), "--template", "crackdown", "--format", "jsonl", "--out",
                        "/dev/null", "--jobs", args.jobs], work)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mm = args.rows / statistics.median(samples["mailmerge dry run"])
    targets = {"jsonl to /dev/null": 10, "txt into a folder": 3, "eml into a folder": 5}
    print(f"{args.rows:,} attendees → {letters:,} letters (mailmerge: {args.rows:,} messages); medians of {args.runs}")
    print(f"{'command':<22} {'median s':>9} {'letters/s':>10} {'× mailmerge':>12}  target")
    ok = True
    for name, values in samples.items():
        median = statistics.median(values)
        rate = (args.rows if name.startswith("mailmerge") else letters) / median
        target = targets.get(name)
        verdict = ""
        if target:
            ok &= rate / mm >= target
            verdict = f"≥ {target}×: {'ok' if rate / mm >= target else 'MISSED'}"
        print(f"{name:<22} {median:>9.2f} {rate:>10,.0f} {rate / mm:>12.1f}  {verdict}")
    mib = rss / 1024
    ok &= mib <= 64
    print(f"peak RSS, {args.big:,} attendees, jsonl: {mib:.1f} MiB (≤ 64 MiB: {'ok' if mib <= 64 else 'MISSED'})")
    print(f"(jobs={args.jobs}, {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
