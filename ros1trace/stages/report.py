"""Stage ``report``: ``report.html``, one self-contained page of the run's results
(see :mod:`ros1trace.cohort.report`)."""

from __future__ import annotations

import datetime
from pathlib import Path

from .. import __version__
from ..cohort.report import build_html, load_tables
from ..manifest import load
from ..tsv import atomic_path


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", required=True, help="work/manifest.json")
    parser.add_argument("--tables-dir", required=True,
                        help="the run's outdir (patients.tsv, stats/, figures/)")
    parser.add_argument("--out", required=True, help="report.html")


def run(args) -> None:
    tables_dir = Path(args.tables_dir)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    page = build_html(load(args.manifest), load_tables(tables_dir), tables_dir / "figures",
                      f"Generated {now} by ros1trace {__version__}")
    with atomic_path(args.out) as temporary:
        temporary.write_text(page, encoding="utf-8")
