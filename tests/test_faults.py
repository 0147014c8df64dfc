"""Faults a user meets on the first day, through snakemake: one line on stderr, exit 1, no
traceback, nothing written."""

from __future__ import annotations

import pytest

from conftest import REPO, run_snakemake

EXAMPLE = REPO / "resources" / "example"


def _sheet(tmp_path, edit=lambda text: text, encoding="utf-8"):
    text = (EXAMPLE / "samples.tsv").read_text().replace("data/", f"{EXAMPLE}/data/")
    sheet = tmp_path / "samples.tsv"
    sheet.write_bytes(edit(text).encode(encoding))
    return sheet


@pytest.mark.parametrize("problem, sheet_edit, encoding, extra, said", [
    ("sheet in Latin-1", lambda t: t + "# Müller\n", "latin-1", [],
     "samples.tsv line 22: byte"),
    ("header and no rows", lambda t: t.split("\n", 1)[0] + "\n", "utf-8", [],
     "samples.tsv: the sheet has a header and no rows"),
    ("outdir is the root", lambda t: t, "utf-8", ["outdir=/"], "config: outdir '/' is the filesystem root"),
    ("fractional batch size", lambda t: t, "utf-8", ["batch_size=50.5"],
     "config: key batch_size = 50.5 is not allowed; use a whole number"),
])
def test_a_fault_stops_the_run_with_one_line_and_writes_nothing(tmp_path, problem, sheet_edit, encoding, extra, said):
    sheet = _sheet(tmp_path, sheet_edit, encoding)
    outdir = tmp_path / "out"
    config = [f"samples={sheet}", f"patients={EXAMPLE / 'patients.tsv'}", f"reference_fasta={tmp_path / 'user.fa'}",
              f"outdir={outdir}", *extra]
    result = run_snakemake("--config", *config, check=False)
    assert result.returncode == 1
    assert said in result.stderr, result.stderr[-2000:]
    assert sum(said in line for line in result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not outdir.exists()


@pytest.mark.parametrize("name, content, said", [
    ("calls.tsv", b"gene5\tgene3\tchrom5\tpos5\tchrom3\tpos3\nCD74\tROS1\t5\t1\t6\t\xff\xfe\n",
     "calls.tsv: not a text file, VCF or BCF"),
    ("calls.vcf.gz", b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00", "calls.vcf.gz"),
])
def test_a_damaged_fusion_file_stops_the_run_with_one_line(tmp_path, name, content, said):
    from real_data import run_cohort

    calls = tmp_path / name
    calls.write_bytes(content)
    result, outdir = run_cohort(tmp_path, [{"patient_id": "F1", "sample_id": "F1-P", "fusions": calls}], "GRCh38",
                                check=False)
    text = result.stdout + result.stderr
    assert result.returncode == 1 and said in text and "Traceback" not in text
    assert not (outdir / "fusions.tsv").exists()
