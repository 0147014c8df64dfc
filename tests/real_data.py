"""Real files written by real tools (../shared/real-data), for tests that hold the workflow against
the world rather than against its own simulator.

The files come from public repositories and are never copied into the project: tests read them
where they lie and skip, saying why, when the folder is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_snakemake
from ros1trace.synthetic.locus import bundled_fasta
from ros1trace.tsv import read_tsv

REAL_DATA = REPO.parent / "shared" / "real-data"
CALLER_OUTPUTS = REAL_DATA / "caller-outputs" / "files"
ROS1_VARIANTS = REAL_DATA / "ros1-variants"

requires_real_data = pytest.mark.skipif(
    not REAL_DATA.is_dir(), reason=f"real data not found at {REAL_DATA} (it lies beside the project in CI)")


def caller_output(relative: str) -> Path:
    """A file of caller-outputs/files/ by its path there, e.g. ``arriba/test_fusions.tsv``."""
    return CALLER_OUTPUTS / relative


def user_reference(build: str, folder: Path) -> Path:
    """The synthetic locus of ``build`` copied outside resources/, as a user's own FASTA would be."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{build}.fa.gz"
    for suffix in ("", ".fai", ".gzi"):
        shutil.copy(f"{bundled_fasta(build)}{suffix}", f"{target}{suffix}")
    return target


SAMPLE_COLUMNS = ("patient_id", "sample_id", "timepoint", "sample_type", "vcf", "fusions", "tumor_sample",
                  "fusion_format", "depth", "bam", "cnv")


def write_cohort(folder: Path, samples: list[dict], site: str = "extracranial") -> tuple[Path, Path]:
    """samples.tsv and patients.tsv for ``samples`` (dicts of sample-sheet cells; blanks filled)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(SAMPLE_COLUMNS)]
    for sample in samples:
        row = {"timepoint": "progression", "sample_type": "tissue", **sample}
        lines.append("\t".join(str(row.get(c, "")) for c in SAMPLE_COLUMNS))
    (folder / "samples.tsv").write_text("\n".join(lines) + "\n")
    patients = sorted({s["patient_id"] for s in samples})
    (folder / "patients.tsv").write_text("patient_id\tprogression_site\n" + "".join(f"{p}\t{site}\n" for p in patients))
    return folder / "samples.tsv", folder / "patients.tsv"


def run_cohort(folder: Path, samples: list[dict], build: str, *config: str, check: bool = True):
    """Run the whole workflow through snakemake on ``samples``; (result, outdir)."""
    sheet, patients = write_cohort(folder / "sheets", samples)
    fasta = user_reference(build, folder / "reference")
    outdir = folder / "results"
    result = run_snakemake("--config", f"samples={sheet}", f"patients={patients}", f"reference_fasta={fasta}",
                           f"genome_build={build}", f"outdir={outdir}", *config, check=check)
    return result, outdir


def table(outdir: Path, name: str) -> list[dict]:
    return read_tsv(outdir / name)


def run_text(result, outdir: Path, rule: str = "") -> str:
    """What a run said: snakemake's stdout and stderr and the jobs' logs (of one rule, when given)."""
    logs = sorted((outdir / "logs" / rule).rglob("*.log")) if (outdir / "logs").is_dir() else []
    return "\n".join([result.stdout, result.stderr, *(p.read_text() for p in logs)])
