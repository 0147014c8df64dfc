"""The run manifest: everything a job needs to know about the cohort, validated once.

``prepare_run`` is called by the Snakefile at parse time: it validates the config and both sheets,
refuses the bundled synthetic locus for a user's sheets, and checks that ``reference_fasta``
encodes P08922 on ``genome_build``.  Any problem is one ``InputError`` line and nothing is written.
The ``manifest`` rule then writes the same facts to ``work/manifest.json`` for the jobs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import InputError
from .reference.transcript import resources_dir

EXAMPLE_DIR = resources_dir() / "example"
PAPER_DIR = resources_dir() / "paper"  # the paper example (synthetic too, on the same locus)
SYNTHETIC_DIR = resources_dir() / "synthetic"


def _resolve(path: str, workdir: Path) -> Path:
    return (workdir / path).resolve()


def check_reference_choice(config: dict, workdir: Path) -> Path:
    """The FASTA to use; the bundled synthetic locus only ever serves the bundled example sheets
    (resources/example and the paper example, resources/paper)."""
    fasta = config.get("reference_fasta")
    sheets = [_resolve(config[key], workdir) for key in ("samples", "patients")]
    is_example = any(all(sheet.is_relative_to(folder) for sheet in sheets) for folder in (EXAMPLE_DIR, PAPER_DIR))
    if not fasta:
        raise InputError("config: reference_fasta is not set; name the faidx-indexed "
                         f"{config['genome_build']} FASTA your VCFs were called against")
    path = _resolve(fasta, workdir)
    if path.is_relative_to(SYNTHETIC_DIR) and not is_example:
        raise InputError(f"config: reference_fasta is the bundled SYNTHETIC locus ({fasta}), which serves only "
                         "the bundled example sheets; set reference_fasta to the "
                         f"{config['genome_build']} FASTA your VCFs were called against")
    return path


def check_reference_sequence(fasta: Path, build: str, allow_mismatch: bool) -> list[str]:
    """Splice and translate the ROS1 CDS; error (or warnings when allowed) on a mismatch."""
    from .reference.genome import check_protein, load_locus
    from .reference.transcript import transcript

    tx = transcript(build)
    problems = check_protein(load_locus(fasta, tx), tx, f"reference_fasta {fasta}")
    if problems and not allow_mismatch:
        raise InputError(problems[0] + " (set allow_reference_mismatch: true only if your FASTA differs "
                         "from P08922 for a documented reason)")
    return problems


SAMPLE_FILES = ("vcf", "fusions", "bam", "cnv")


def check_outdir(config: dict, workdir: Path, inputs: list) -> None:
    """Refuse an ``outdir`` whose results would land among what the run reads or where it lives:
    the filesystem root, the working directory or a folder above it, the repository, or a folder
    holding an input (``snakemake --delete-all-output`` or a user's ``rm -r`` of the results would
    take those with it)."""
    outdir = Path(os.path.normpath(workdir / config["outdir"]))
    repository = resources_dir().parent
    problem = None
    if outdir == Path(outdir.anchor):
        problem = "is the filesystem root"
    elif workdir.is_relative_to(outdir):
        problem = f"is the working directory {workdir} or a folder above it"
    elif outdir == repository or repository.is_relative_to(outdir):
        problem = f"holds the ros1trace repository {repository}"
    else:
        inside = next((str(f) for f in inputs if Path(os.path.normpath(f)).is_relative_to(outdir)), None)
        if inside:
            problem = f"holds an input of this run ({inside})"
    if problem:
        raise InputError(f"config: outdir {config['outdir']!r} {problem}; set outdir to a new folder for the results "
                         "(e.g. results)")


def prepare_run(config: dict, workdir: Path | str = ".", check_sequence: bool = True,
                slots: int | None = None, batch_size: int | None = None) -> dict:
    """Validate everything the run depends on; return the manifest (JSON-ready dict).

    ``batch_size`` (patients per batch) overrides the config's; otherwise ``auto`` spreads the cohort
    over ``slots`` batch jobs (default: a few per local core, see ros1trace.batching).
    """
    from .batching import resolve_batch_size
    from .batching import slots as local_slots
    from .sheets import load_cohort, validate_config  # jsonschema: only where sheets are validated

    workdir = Path(workdir).resolve()
    config = validate_config(config)
    fasta = check_reference_choice(config, workdir)
    cohort = load_cohort(_resolve(config["samples"], workdir), _resolve(config["patients"], workdir))
    check_outdir(config, workdir, [_resolve(config["samples"], workdir), _resolve(config["patients"], workdir), fasta,
                                   *(getattr(s, c) for s in cohort.samples for c in SAMPLE_FILES if getattr(s, c))])
    warnings = list(cohort.warnings)
    encodes_p08922 = False  # unknown unless checked
    if check_sequence:
        problems = check_reference_sequence(fasta, config["genome_build"], config["allow_reference_mismatch"])
        warnings += problems
        encodes_p08922 = not problems
    if batch_size is None:
        slots = slots or local_slots(os.cpu_count(), None, local=True)
        batch_size = resolve_batch_size(config["batch_size"], len(cohort.patients), slots)
    return {
        "config": config,
        "build": config["genome_build"],
        "reference_fasta": str(fasta),
        # The CDS spliced from reference_fasta translates to P08922: jobs need not translate it again.
        "reference_encodes_p08922": encodes_p08922,
        "samples_sheet": str(_resolve(config["samples"], workdir)),
        "patients_sheet": str(_resolve(config["patients"], workdir)),
        # vars, not dataclasses.asdict: the same fields without a deep copy of every row
        "samples": [dict(vars(s)) for s in sorted(cohort.samples, key=lambda s: (s.patient_id, s.sample_id))],
        "patients": [dict(vars(p)) for p in sorted(cohort.patients, key=lambda p: p.patient_id)],
        "batch_size": batch_size,
        "batches": cohort.batches(batch_size),
        "warnings": warnings,
    }


def manifest_for_job(config: dict) -> dict | None:
    """The manifest this run wrote, for a job process re-parsing the workflow on a cluster node.

    None (validate afresh) when there is none yet, or when it was written for another config: a
    stale manifest from an earlier run must never decide a job's inputs.
    """
    from .sheets import validate_config

    try:
        current = validate_config(config)
    except InputError:
        return None
    path = Path(current["outdir"]) / "work" / "manifest.json"
    if not path.is_file():
        return None
    manifest = load(path)
    fresh = manifest.get("config") == json.loads(json.dumps(current)) and "batch_size" in manifest
    return manifest if fresh else None


def load(path: Path | str) -> dict:
    with open(path) as handle:
        return json.load(handle)


def batch_samples(manifest: dict, batch: str) -> list[dict]:
    patients = set(manifest["batches"][batch])
    return [s for s in manifest["samples"] if s["patient_id"] in patients]


def batch_patients(manifest: dict, batch: str) -> list[dict]:
    patients = set(manifest["batches"][batch])
    return [p for p in manifest["patients"] if p["patient_id"] in patients]
