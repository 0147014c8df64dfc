# Validation (JSON schemas via ros1trace.sheets), the run manifest, input functions.
import hashlib
import json
import os
import shlex
import sys

from ros1trace.batching import slots
from ros1trace.cohort.figure_list import FIGURES
from ros1trace.errors import InputError
from ros1trace.manifest import manifest_for_job, prepare_run


def _resource(name):
    resource = workflow.global_resources.get(name)
    return getattr(resource, "value", resource)


# Batch jobs that can run side by side: --cores locally, --jobs on a cluster (batch_size: auto).
SLOTS = slots(_resource("_cores"), _resource("_nodes"), workflow.local_exec)

# A job process (e.g. on a cluster node) re-parses this file with its own --cores: it must keep the
# batch layout of the run that started it, which the main process hands down in the environment
# (local jobs inherit it; the SLURM plugin submits with --export=ALL).
_JOB_BATCH_SIZE = None if workflow.is_main_process else os.environ.get("ROS1TRACE_BATCH_SIZE")

try:
    # A job on a cluster node re-parses this file: it reuses the manifest the run already wrote
    # instead of validating every sheet row and the reference again.
    MANIFEST = None if workflow.is_main_process else manifest_for_job(config)
    MANIFEST = MANIFEST or prepare_run(
        config, ".", slots=SLOTS, batch_size=_JOB_BATCH_SIZE and int(_JOB_BATCH_SIZE)
    )
except InputError as error:
    raise WorkflowError(str(error))

if workflow.is_main_process:
    os.environ.update(ROS1TRACE_BATCH_SIZE=str(MANIFEST["batch_size"]))


# Declared (after it is set) so that Snakemake also hands it to jobs on remote executors.
envvars:
    "ROS1TRACE_BATCH_SIZE",


if workflow.is_main_process:
    for _warning in MANIFEST["warnings"]:
        print(f"ros1trace: warning: {_warning}", file=sys.stderr)

CONFIG = MANIFEST["config"]
OUT = CONFIG["outdir"].rstrip("/")
BATCHES = sorted(MANIFEST["batches"])
# How jobs run the workflow's own package: under --sdm conda, the python of the job's environment
# (first on PATH once Snakemake activates it) with the checkout on PYTHONPATH, so no environment
# installs the package; otherwise the interpreter that runs Snakemake (the venv).
USES_CONDA = "CONDA" in {method.name for method in workflow.deployment_settings.deployment_method}
PY = shlex.quote(sys.executable)
ROS1TRACE = (
    f"PYTHONPATH={shlex.quote(workflow.basedir)} python -m ros1trace.cli"
    if USES_CONDA
    else f"{PY} -m ros1trace.cli"
)
# The figures: names, order and captions come from ros1trace/cohort/figure_list.py, a module without
# imports, so parsing the Snakefile does not load matplotlib.
FIGURE_NAMES = list(FIGURES)


_BATCH_OF_PATIENT = {p: batch for batch, patients in MANIFEST["batches"].items() for p in patients}
SAMPLES_OF_BATCH = {batch: [] for batch in BATCHES}
for _sample in MANIFEST["samples"]:
    SAMPLES_OF_BATCH[_BATCH_OF_PATIENT[_sample["patient_id"]]].append(_sample)


def batch_files_state(*columns):
    """Params function: path, size and mtime of every file in `columns` of a batch's samples.

    It stands in for listing those files as inputs.  Snakemake stats every input of every ready job
    in every scheduling round (JobScheduler.update_input_sizes) and builds per-input DAG state: with
    a cohort's thousands of VCFs that cost more CPU than the jobs themselves.  The sheets already
    checked that every file exists; a changed file changes this value, and Snakemake's params
    rerun trigger then redoes that batch (and what depends on it) only.
    """

    def state(wildcards):
        digest = hashlib.sha256()
        for sample in SAMPLES_OF_BATCH[wildcards.batch]:
            for column in columns:
                if sample.get(column):
                    stat = os.stat(sample[column])
                    digest.update(f"{sample[column]}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()

    return state


def final_outputs():
    tables = ["variants.tsv", "fusions.tsv", "emergence.tsv", "patients.tsv", "variants.maf"]
    stats = ["comparisons.tsv", "comparisons_rxc.tsv", "table1.tsv", "mutation_distribution.tsv"]
    return (
        [f"{OUT}/{name}" for name in tables]
        + [f"{OUT}/stats/{name}" for name in stats]
        + [f"{OUT}/figures/.done", f"{OUT}/patients", f"{OUT}/report.html"]
    )
