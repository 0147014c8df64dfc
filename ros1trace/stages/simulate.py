"""Command ``simulate``: write a synthetic cohort (sheets, VCFs, fusion calls, BAMs, truth; see
:mod:`ros1trace.synthetic.cohort`).  Not a rule: the bundled example and the tests are made with it."""

from __future__ import annotations

import logging
from pathlib import Path

from ..synthetic.cohort import CohortWriter, example_cohort, random_cohort

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--out", required=True, help="folder for the cohort (sheets, data/, truth)")
    parser.add_argument("--build", default="GRCh38", choices=("GRCh38", "GRCh37"))
    parser.add_argument("--fasta", help="reference FASTA to draw bases from (default: the synthetic locus)")
    parser.add_argument("--patients", type=int, help="a random cohort of this size (default: the bundled example)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bams", action="store_true", help="random cohorts: give some baselines a BAM")


def run(args) -> None:
    patients = example_cohort() if args.patients is None else random_cohort(args.patients, args.seed, args.bams)
    counts = CohortWriter(Path(args.out), args.build, args.fasta).write(patients)
    log.info("wrote %(patients)d patients, %(samples)d samples", counts)
