#!/usr/bin/env python3
"""Write the synthetic ROS1 locus FASTAs (bgzip + .fai + .gzi) under resources/synthetic/.

Deterministic: the same seed gives the same bytes.  See ros1trace/synthetic/locus.py for what
the sequence is faithful to.  Usage: scripts/make_synthetic_locus.py [--build GRCh38 ...] [--out DIR]
"""

import argparse
from pathlib import Path

from ros1trace.reference import BUILDS
from ros1trace.synthetic.locus import SEED, bundled_fasta, write_fasta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="append", choices=BUILDS, help="default: both builds")
    parser.add_argument("--out", type=Path, help="output folder (default resources/synthetic)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for build in args.build or BUILDS:
        target = bundled_fasta(build) if args.out is None else args.out / bundled_fasta(build).name
        print(write_fasta(build, target, seed=args.seed))


if __name__ == "__main__":
    main()
