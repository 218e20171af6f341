"""python -m advocate.importer --raw ../shared/data: rebuild representatives.yaml and advocate/data/."""

import argparse
import sys
from pathlib import Path

from ..atomic import write_atomic
from ..errors import AdvocateError, error_line
from ..resources import DATA_DIR, PACKAGE_DIR
from .build import build_from_dir, dataset_bytes, representatives_yaml


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m advocate.importer", description=__doc__)
    parser.add_argument("--raw", type=Path, default=PACKAGE_DIR.parent.parent / "shared" / "data",
                        help="folder with the raw files (default: ../shared/data beside the checkout)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=PACKAGE_DIR.parent,
                        help="project root to write representatives.yaml and advocate/data/ into")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        datasets = build_from_dir(args.raw)
        data_dir = args.out / "advocate" / "data" if args.out != PACKAGE_DIR.parent else DATA_DIR
        for key, ds in datasets.items():
            write_atomic(data_dir / f"{key}.json", dataset_bytes(ds), force=True)
        write_atomic(args.out / "representatives.yaml", representatives_yaml(datasets).encode("utf-8"), force=True)
    except AdvocateError as err:
        print(error_line(err), file=sys.stderr)
        return 1
    for key, ds in datasets.items():
        print(f"{key}: {ds['meta']['members']} members, as of {ds['meta']['as_of']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
