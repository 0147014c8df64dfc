"""Every ROS1 fusion call of a sample -> fusions.tsv rows (for stage ``fusions``).

For each sample with a ``fusions`` file: read it (format from the sheet's ``fusion_format`` or the
header), keep the calls involving ROS1, orient and classify them; then, per patient, name the
events (one per partner gene, across samples) and merge repeated calls of one junction.  Calls
not involving ROS1 are not written; intragenic ROS1 rearrangements are skipped with one warning per
file.  A file of the other genome build (by its VCF header, or where its ROS1 breakpoints lie: see
:mod:`.wrong_build`) and any other input error stop the job before the table is written (one line
naming file, line and fix).  ``source_record`` names the file by its base name, so the
table does not depend on where the data live.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .classify import annotate, assign_events, merge_duplicates
from .formats import read_calls
from .genes import GeneTable
from .wrong_build import check_calls

log = logging.getLogger(__name__)


def sample_rows(sample: dict, genes: GeneTable, config: dict) -> list[dict]:
    """fusions.tsv rows of one sample's fusion file (before events are named)."""
    path = Path(sample["fusions"])
    fmt, calls = read_calls(path, sample.get("fusion_format"), sample.get("tumor_sample"),
                            config.get("filter_policy", "pass_only"), config.get("accepted_filters", ()),
                            genes.build)
    check_calls(path, fmt, calls, genes)
    rows, intragenic = [], []
    for call in calls:
        row = annotate(call, genes, intragenic)
        if row is None:
            continue
        row["source_record"] = row["source_record"].replace(str(path), path.name)
        row.update({key: sample[key] for key in ("patient_id", "sample_id", "timepoint")})
        rows.append(row)
    if intragenic:
        log.warning("%s: %d calls with both breakends in ROS1 (intragenic rearrangements, not fusions) "
                    "skipped; the first: %s", path, len(intragenic), intragenic[0].replace(f"{path} ", ""))
    log.info("%s (%s): %d calls, %d involve ROS1", path, fmt, len(calls), len(rows))
    return rows


def patient_rows(rows: list[dict]) -> list[dict]:
    """One patient's rows with events named and repeated calls merged."""
    assign_events(rows)
    return merge_duplicates(rows)


def sort_key(row: dict) -> tuple:
    return (row["patient_id"], row["sample_id"], row["event_id"], row["gene5"], row["gene3"],
            row["chrom5"], row["pos5"], row["chrom3"], row["pos3"], row["source_record"])
