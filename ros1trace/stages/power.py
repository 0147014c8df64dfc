"""Stage ``power``: ``stats/power.tsv``, the power of each 2 x 2 comparison and the n it needed
(see :mod:`ros1trace.cohort.study_power`)."""

from __future__ import annotations

from ..cohort.study_power import POWER_COLUMNS, power_rows
from ..tsv import read_tsv, write_tsv


def add_arguments(parser) -> None:
    parser.add_argument("--comparisons", required=True, help="stats/comparisons.tsv")
    parser.add_argument("--out", required=True, help="stats/power.tsv")


def run(args) -> None:
    write_tsv(args.out, POWER_COLUMNS, power_rows(read_tsv(args.comparisons)))
