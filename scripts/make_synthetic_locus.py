#!/usr/bin/env python3
"""Write the synthetic ROS1 locus FASTAs (bgzip + .fai + .gzi) under resources/synthetic/.

Deterministic: the same seed and inputs give the same bytes.  See ros1trace/synthetic/locus.py for
what the sequence is faithful to.  It keeps the real bases of resources/reference/ros1_real_bases.tsv
and makes the published changes of the real-data folder beside the project
(ros1-variants/ros1_external_variants.tsv, never copied into the project) annotate as published.

    scripts/make_synthetic_locus.py                        # both builds, into resources/synthetic
    scripts/make_synthetic_locus.py --refresh-real-bases   # first remake ros1_real_bases.tsv
    scripts/make_synthetic_locus.py --build GRCh38 --out DIR --real-data PATH
"""

import argparse
import sys
from pathlib import Path

from ros1trace.reference.transcript import BUILDS
from ros1trace.synthetic.locus import FLANK, SEED, bundled_fasta, write_fasta
from ros1trace.synthetic.published import read_published
from ros1trace.synthetic.real_bases import collect, merge, write_table

REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "real-data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="append", choices=BUILDS, help="default: both builds")
    parser.add_argument("--out", type=Path, help="output folder (default resources/synthetic)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--real-data", type=Path, default=REAL_DATA, help=f"default {REAL_DATA}")
    parser.add_argument("--refresh-real-bases", action="store_true",
                        help="rewrite resources/reference/ros1_real_bases.tsv from the real records first")
    args = parser.parse_args()
    published = args.real_data / "ros1-variants" / "ros1_external_variants.tsv"
    if not published.exists():
        print(f"error: {published} not found: the published changes the locus must make come from there "
              "(pass --real-data)", file=sys.stderr)
        return 2
    if args.refresh_real_bases:
        print(write_table(merge(collect(args.real_data, FLANK))))
    changes = read_published(published)
    for build in args.build or BUILDS:
        target = bundled_fasta(build) if args.out is None else args.out / bundled_fasta(build).name
        print(write_fasta(build, target, changes, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
