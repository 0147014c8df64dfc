# Validation (JSON schemas via ros1trace.sheets), the run manifest, input functions.
import json
import os
import shlex
import sys

from ros1trace.errors import InputError
from ros1trace.manifest import manifest_for_job, prepare_run

try:
    # A job on a cluster node re-parses this file: it reuses the manifest the run already wrote
    # instead of validating every sheet row and the reference again.
    MANIFEST = None if workflow.is_main_process else manifest_for_job(config)
    MANIFEST = MANIFEST or prepare_run(config, ".")
except InputError as error:
    raise WorkflowError(str(error))

if workflow.is_main_process:
    for _warning in MANIFEST["warnings"]:
        print(f"ros1trace: warning: {_warning}", file=sys.stderr)

CONFIG = MANIFEST["config"]
OUT = CONFIG["outdir"].rstrip("/")
BATCHES = sorted(MANIFEST["batches"])
PY = shlex.quote(sys.executable)
ROS1TRACE = f"{PY} -m ros1trace.cli"
# The figures ros1trace.plots draws (kept equal to plots.FIGURES by a test; not imported here so that
# parsing the Snakefile does not load matplotlib).
FIGURE_NAMES = [
    "mutation_distribution",
    "mutation_rate_by_site",
    "partner_group",
    "lollipop",
    "oncoprint",
    "cohort_flow",
]


SAMPLES_OF_BATCH = {
    batch: [s for s in MANIFEST["samples"] if s["patient_id"] in set(patients)]
    for batch, patients in MANIFEST["batches"].items()
}


def batch_files(column):
    """Input function: the files in `column` of the samples of a batch."""

    def files(wildcards):
        return sorted(s[column] for s in SAMPLES_OF_BATCH[wildcards.batch] if s.get(column))

    return files


def final_outputs():
    tables = ["variants.tsv", "fusions.tsv", "emergence.tsv", "patients.tsv", "variants.maf"]
    stats = ["comparisons.tsv", "comparisons_rxc.tsv", "table1.tsv", "mutation_distribution.tsv"]
    return (
        [f"{OUT}/{name}" for name in tables]
        + [f"{OUT}/stats/{name}" for name in stats]
        + [f"{OUT}/figures/.done", f"{OUT}/report.html"]
    )
