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
