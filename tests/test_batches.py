"""Batch layout: `batch_size: auto` follows the cohort and the cores; a rerun redoes one batch only."""

from __future__ import annotations

import os
import re

import pytest

from conftest import run_snakemake
from ros1trace.batching import MIN_PATIENTS, auto_batch_size, resolve_batch_size, slots
from ros1trace.errors import InputError
from ros1trace.sheets import validate_config


def batch_count(patients: int, size: int) -> int:
    return -(-patients // size)


@pytest.mark.parametrize("patients,cores,batches", [
    (10, 2, 1),          # the example: one job per stage
    (150, 2, 1),         # under 2 x MIN_PATIENTS: still one batch
    (250, 2, 2),
    (1_000, 1, 4),       # a few batches per core
    (1_000, 2, 8),
    (10_000, 2, 8),      # more patients, same jobs: bigger batches
    (10_000, 16, 64),
    (100_000, 2, 8),
])
def test_auto_gives_a_few_batches_per_local_core_of_at_least_min_patients(patients, cores, batches):
    size = auto_batch_size(patients, slots(cores, None, local=True))
    assert batch_count(patients, size) == batches
    assert size >= min(patients, MIN_PATIENTS)


def test_on_a_cluster_auto_fills_the_queued_jobs():
    assert batch_count(100_000, auto_batch_size(100_000, slots(2, 100, local=False))) == 100
    assert batch_count(3_000, auto_batch_size(3_000, slots(2, 100, local=False))) == 30  # MIN_PATIENTS each


def test_an_integer_batch_size_overrides_auto():
    assert resolve_batch_size(50, 10_000, 8) == 50
    assert resolve_batch_size("auto", 10_000, 8) == 1250


def test_config_accepts_auto_or_a_whole_number_and_refuses_anything_else():
    base = {"samples": "s.tsv", "patients": "p.tsv"}
    assert validate_config(base)["batch_size"] == "auto"
    assert validate_config({**base, "batch_size": 7})["batch_size"] == 7
    for bad in (0, "big", 2.5):
        with pytest.raises(InputError, match=r"^config: key batch_size = .* is not allowed; use a whole number >= 1 or auto$"):
            validate_config({**base, "batch_size": bad})


@pytest.fixture(scope="module")
def cohort(tmp_path_factory, user_fasta):
    from ros1trace.synthetic.cohort import CohortWriter, random_cohort

    folder = tmp_path_factory.mktemp("batches")
    CohortWriter(folder / "cohort").write(random_cohort(12, seed=11))
    return folder, folder / "cohort", user_fasta


def config_args(cohort, outdir, *extra: str) -> list[str]:
    _, sheets, fasta = cohort
    return ["--config", f"samples={sheets / 'samples.tsv'}", f"patients={sheets / 'patients.tsv'}",
            f"reference_fasta={fasta}", f"outdir={outdir}", *extra]


def planned_jobs(output: str) -> dict[str, int]:
    table = output[output.index("Job stats:"):].split("\n\n")[0]
    return {rule: int(n) for rule, n in re.findall(r"(?m)^(\w+)\s+(\d+)$", table) if rule != "total"}


def test_a_dry_run_plans_a_few_batches_per_core(tmp_path, user_fasta):
    from ros1trace.synthetic.cohort import CohortWriter, random_cohort

    CohortWriter(tmp_path / "cohort").write(random_cohort(1_000, seed=3))
    cohort = (tmp_path, tmp_path / "cohort", user_fasta)
    for cores, batches in ((1, 4), (2, 8)):
        result = run_snakemake("-n", *config_args(cohort, tmp_path / "out"), "--cores", str(cores))
        assert planned_jobs(result.stdout + result.stderr)["variants"] == batches


BATCH_RULES = ("variants", "fusions", "emergence")


def batch_jobs(planned: dict[str, int]) -> dict[str, int]:
    """The per-batch rules among planned jobs (the cohort rules after them run once whatever changed)."""
    return {rule: count for rule, count in planned.items() if rule in BATCH_RULES}


def edit_header(vcf) -> None:
    """A real change to the file (Snakemake ignores a touch that leaves a small file's checksum alone)."""
    import gzip

    import pysam

    text = gzip.open(vcf, "rt").read().replace("\n#CHROM", "\n##edited=yes\n#CHROM", 1)
    plain = vcf.with_suffix("")
    plain.write_text(text)
    pysam.tabix_index(str(plain), preset="vcf", force=True)  # writes vcf (bgzipped) and its .tbi


def test_a_rerun_after_changing_one_patients_vcf_redoes_only_that_batch(cohort):
    folder, sheets, _ = cohort
    outdir = folder / "out"
    run_snakemake(*config_args(cohort, outdir, "batch_size=5"))  # 12 patients: batches of 5, 5, 2
    assert sorted(p.name for p in (outdir / "work").glob("b*")) == ["b0001", "b0002", "b0003"]
    vcf = sorted((sheets / "data").rglob("*.vcf.gz"))[-1]  # a patient of the last batch
    edit_header(vcf)
    result = run_snakemake("-n", *config_args(cohort, outdir, "batch_size=5"))
    planned = planned_jobs(result.stdout + result.stderr)
    assert batch_jobs(planned) == {"variants": 1, "emergence": 1}
    assert all(count == 1 for count in planned.values())  # each cohort rule once
    assert re.search(r"wildcards: batch=b0003", result.stdout + result.stderr)
    assert not re.search(r"wildcards: batch=b000[12]", result.stdout + result.stderr)


def test_a_newer_fusion_file_reruns_its_batchs_fusions_and_emergence_only(cohort):
    folder, sheets, _ = cohort
    outdir = folder / "out"
    run_snakemake(*config_args(cohort, outdir, "batch_size=5"))  # up to date again
    calls = sorted((sheets / "data").rglob("*fusion*"))[0]  # a patient of the first batch
    stamp = calls.stat().st_mtime + 5
    os.utime(calls, (stamp, stamp))
    result = run_snakemake("-n", *config_args(cohort, outdir, "batch_size=5"))
    text = result.stdout + result.stderr
    planned = planned_jobs(text)
    assert batch_jobs(planned) == {"fusions": 1, "emergence": 1} and all(count == 1 for count in planned.values())
    assert re.search(r"wildcards: batch=b0001", text) and not re.search(r"wildcards: batch=b000[23]", text)
