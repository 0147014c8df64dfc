"""Shared fixtures: the synthetic locus, annotators per build, small VCF writers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property-based (fuzz) tests: a fixed seed and a bounded budget in `make test` (CI), a far larger,
# random one with `make fuzz` (HYPOTHESIS_PROFILE=fuzz).  Tests scale their budgets with `examples`.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True)
FUZZ_FACTOR = 40 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 1
settings.load_profile("fuzz" if FUZZ_FACTOR > 1 else "ci")


def examples(n: int) -> int:
    """A property test's budget: ``n`` examples in CI, 40 times that under `make fuzz`."""
    return n * FUZZ_FACTOR

from ros1trace.reference.genome import load_locus
from ros1trace.reference.transcript import BUILDS, transcript
from ros1trace.synthetic.locus import bundled_fasta
from ros1trace.variants.annotate import Annotator

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def loci():
    return {build: load_locus(bundled_fasta(build), transcript(build)) for build in BUILDS}


@pytest.fixture(scope="session")
def annotators(loci):
    return {build: Annotator(transcript(build), loci[build]) for build in BUILDS}


@pytest.fixture(scope="session")
def locus38(loci):
    return loci["GRCh38"]


@pytest.fixture(scope="session")
def annotator38(annotators):
    return annotators["GRCh38"]


VCF_HEADER = """##fileformat=VCFv4.2
##contig=<ID={chrom},length=170805979>
##contig=<ID=chr7,length=159345973>
##FILTER=<ID=weak_evidence,Description="weak">
##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">
##INFO=<ID=AF,Number=A,Type=Float,Description="AF">
##INFO=<ID=END,Number=1,Type=Integer,Description="End">
##FORMAT=<ID=GT,Number=1,Type=String,Description="GT">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="AD">
##FORMAT=<ID=AF,Number=A,Type=Float,Description="AF">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="DP">
##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">
##FORMAT=<ID=PGT,Number=1,Type=String,Description="PGT">
##FORMAT=<ID=PID,Number=1,Type=String,Description="PID">
##FORMAT=<ID=AO,Number=A,Type=Integer,Description="AO">
##FORMAT=<ID=RO,Number=1,Type=Integer,Description="RO">
##FORMAT=<ID=AU,Number=2,Type=Integer,Description="AU">
##FORMAT=<ID=CU,Number=2,Type=Integer,Description="CU">
##FORMAT=<ID=GU,Number=2,Type=Integer,Description="GU">
##FORMAT=<ID=TU,Number=2,Type=Integer,Description="TU">
##FORMAT=<ID=TAR,Number=2,Type=Integer,Description="TAR">
##FORMAT=<ID=TIR,Number=2,Type=Integer,Description="TIR">
##FORMAT=<ID=VD,Number=1,Type=Integer,Description="VD">
"""


def write_vcf(path: Path, records: list[str], samples=("TUMOR",), chrom="chr6", extra_header="",
              index: bool = True) -> Path:
    """A small VCF from tab-separated record strings; bgzipped + tabix-indexed when ``index``."""
    import pysam

    header = VCF_HEADER.format(chrom=chrom) + extra_header
    header += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + ("\tFORMAT\t" + "\t".join(samples) if samples else "")
    path = Path(path)
    path.write_text(header + "\n" + "".join(r + "\n" for r in records))
    if index:
        pysam.tabix_index(str(path), preset="vcf", force=True)
        return Path(f"{path}.gz")
    return path


def record(pos, ref, alt, sample="0/1:100,20:0.167:120", fmt="GT:AD:AF:DP", chrom="chr6", filt="PASS", info="."):
    return "\t".join([chrom, str(pos), ".", ref, alt, ".", filt, info, fmt, sample])


def run_snakemake(*args: str, cwd: Path = REPO, check: bool = True, timeout: int = 600):
    """Run snakemake in a subprocess (as a user would) and return the CompletedProcess."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "snakemake", "--cores", "2", "--snakefile", str(REPO / "Snakefile"), *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result


@pytest.fixture(scope="session")
def user_fasta(tmp_path_factory):
    """The synthetic GRCh38 locus copied outside resources/, as a user's own FASTA would be."""
    import shutil

    folder = tmp_path_factory.mktemp("reference")
    for suffix in ("", ".fai", ".gzi"):
        shutil.copy(f"{bundled_fasta('GRCh38')}{suffix}", folder / f"GRCh38.fa.gz{suffix}")
    return folder / "GRCh38.fa.gz"


def run_stages(samples: Path, patients: Path, fasta: Path, out: Path, **config) -> dict:
    """Run the per-batch stages (manifest, variants, fusions, emergence) in-process; return the tables."""
    import json

    from ros1trace.cli import main
    from ros1trace.tsv import read_tsv

    settings = {"samples": str(samples), "patients": str(patients), "reference_fasta": str(fasta), **config}
    manifest = out / "manifest.json"
    assert main(["manifest", "--config-json", json.dumps(settings), "--out", str(manifest)]) == 0
    batches = json.loads(manifest.read_text())["batches"]
    tables = {"variants": [], "fusions": [], "emergence": [], "patients": []}
    for batch in sorted(batches):
        folder = out / batch
        paths = {name: folder / f"{name}.tsv" for name in tables}
        assert main(["variants", "--manifest", str(manifest), "--batch", batch, "--table", str(paths["variants"]),
                     "--vcf-dir", str(folder / "vcf")]) == 0
        assert main(["fusions", "--manifest", str(manifest), "--batch", batch, "--table", str(paths["fusions"])]) == 0
        assert main(["emergence", "--manifest", str(manifest), "--batch", batch, "--variants", str(paths["variants"]),
                     "--fusions", str(paths["fusions"]), "--emergence", str(paths["emergence"]),
                     "--patients", str(paths["patients"])]) == 0
        for name in tables:
            tables[name] += read_tsv(paths[name])
    return tables
