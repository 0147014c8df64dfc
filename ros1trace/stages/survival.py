"""Stage ``survival``: PFS/OS Kaplan-Meier, log-rank and Cox hazard ratios (``stats/survival.tsv``)
and, with ``--figures``, the Kaplan-Meier figures (see :mod:`ros1trace.cohort.survival`)."""

from __future__ import annotations

from ..cohort.survival import SURVIVAL_COLUMNS, survival_rows
from ..manifest import load
from ..tsv import read_tsv, write_tsv


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True, help="work/manifest.json (the patient sheet's columns)")
    parser.add_argument("--patients", required=True, help="patients.tsv of the cohort (the groups)")
    parser.add_argument("--out", required=True, help="stats/survival.tsv")
    parser.add_argument("--figures", help="folder for the Kaplan-Meier figures (PNG + SVG)")


def run(args) -> None:
    clinical = load(args.manifest).get("patients", [])
    patients = read_tsv(args.patients)
    write_tsv(args.out, SURVIVAL_COLUMNS, survival_rows(patients, clinical))
    if args.figures:
        from ..cohort.survival_plots import draw_all

        draw_all(patients, clinical, args.figures)
