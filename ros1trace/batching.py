"""How many patients a batch job gets when ``batch_size`` is ``auto`` (the default).

The per-batch rules cost a fixed ~0.15 s CPU per job (interpreter, imports, manifest) and Snakemake's
own scheduling cost grows with jobs x inputs per job, while a patient costs ~7 ms: so a run wants as
few jobs as still keep every core (or every cluster slot) busy.  Locally that is a few batches per
core -- several, not one, so that one batch's emergence overlaps another's variants and a slow batch
does not leave a core idle at the end.  On a cluster it is one batch per queued job (``--jobs``).
Either way a batch has at least ``MIN_PATIENTS`` patients, so a small cohort stays one or few jobs.
"""

from __future__ import annotations

import math
import os

MIN_PATIENTS = 100  # below this a batch job is mostly fixed cost
BATCHES_PER_CORE = 4


def slots(cores: int | None, jobs: int | None, local: bool) -> int:
    """The number of batch jobs that can usefully run side by side."""
    if local:  # cores unknown: the machine's, as --cores all would give
        return BATCHES_PER_CORE * max(1, cores or os.cpu_count() or 1)
    return max(1, jobs or 1)


def auto_batch_size(patients: int, slots: int) -> int:
    """Patients per batch: ``patients`` spread over at most ``slots`` batches of >= MIN_PATIENTS."""
    batches = max(1, min(slots, patients // MIN_PATIENTS))
    return max(1, math.ceil(patients / batches))


def resolve_batch_size(setting: int | str, patients: int, slots: int) -> int:
    """The config's ``batch_size`` (an integer override, or ``auto``) as a number of patients."""
    return auto_batch_size(patients, slots) if setting == "auto" else int(setting)
