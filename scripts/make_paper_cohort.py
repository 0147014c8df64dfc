#!/usr/bin/env python3
"""Write the paper example (SYNTHETIC): the cohort whose tables reproduce Zhang et al.'s counts.

    scripts/make_paper_cohort.py                 # rewrites resources/paper (sheets, data/, truth)
    scripts/make_paper_cohort.py --out /tmp/p    # anywhere else

Deterministic: the same bytes every time (tests/test_paper_example.py checks it).  The hand-written
files of resources/paper (config.yaml, reported.yaml, NOTES.md) are not touched.
"""

import argparse
import sys
from pathlib import Path

from ros1trace.synthetic.paper import write

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "resources" / "paper"))
    counts = write(Path(parser.parse_args().out))
    print(f"wrote {counts['patients']} patients, {counts['samples']} samples", file=sys.stderr)
