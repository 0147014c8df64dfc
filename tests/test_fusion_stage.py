"""The ``fusions`` workflow stage: a batch of samples -> fusions.tsv (and nothing on bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from ros1trace import columns
from ros1trace.errors import InputError
from ros1trace.fusions.genes import breakpoint_in
from ros1trace.fusions.summary import summarise_patient
from ros1trace.stages.fusions import run
from ros1trace.synthetic.fusion_files import FusionEvent, write_fusion_file
from ros1trace.tsv import read_tsv

ROOT = Path(__file__).resolve().parents[1]


def event(gene5, gene3, build="GRCh38", support=10, ros1_intron=33):
    partner = gene3 if gene5 == "ROS1" else gene5
    ends = {"ROS1": breakpoint_in("ROS1", build, intron=ros1_intron), partner: breakpoint_in(partner, build, intron=2)}
    return FusionEvent(gene5, gene3, *ends[gene5], *ends[gene3], support)


def sample(patient, sample_id, timepoint, path=None, fmt=None):
    return {"patient_id": patient, "sample_id": sample_id, "timepoint": timepoint, "sample_type": "tissue",
            "fusions": str(path) if path else None, "fusion_format": fmt, "vcf": None, "tumor_sample": None}


def write_manifest(tmp_path, samples, build="GRCh38"):
    manifest = {"build": build, "config": {"filter_policy": "pass_only", "accepted_filters": []},
                "batches": {"b0001": sorted({s["patient_id"] for s in samples})}, "samples": samples}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    return path


def run_stage(tmp_path, samples, build="GRCh38"):
    table = tmp_path / "out" / "fusions.tsv"
    run(Namespace(manifest=str(write_manifest(tmp_path, samples, build)), batch="b0001", table=str(table)))
    return table


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_batch_table_has_contract_columns_sorted_rows_and_events_across_samples(tmp_path, build):
    base = write_fusion_file(tmp_path / "P1_base.vcf", "vcf",
                             [event("CD74", "ROS1", build, 30), event("ROS1", "MRAS", build, 4)], build)
    prog = write_fusion_file(tmp_path / "P1_prog.tsv", "arriba", [event("CD74", "ROS1", build, 6)], build)
    other = write_fusion_file(tmp_path / "P2.tsv", "star-fusion", [event("GOPC", "ROS1", build, 9, 35)], build)
    table = run_stage(tmp_path, [sample("P2", "P2-b", "baseline", other), sample("P1", "P1-p", "progression", prog),
                                 sample("P1", "P1-b", "baseline", base), sample("P1", "P1-v", "baseline")], build)
    header = table.read_text().splitlines()[0].split("\t")
    assert header == columns.FUSIONS
    rows = read_tsv(table)
    assert [(r["sample_id"], r["event_id"], r["fusion_class"], r["support"]) for r in rows] == [
        ("P1-b", "CD74::ROS1", "canonical", "30"), ("P1-b", "ROS1::MRAS", "five_prime_ros1", "4"),
        ("P1-p", "CD74::ROS1", "canonical", "6"), ("P2-b", "GOPC::ROS1", "canonical", "9")]
    assert rows[0]["source_record"].startswith("P1_base.vcf lines ")
    assert rows[0]["kinase_retained"] == "true" and rows[3]["ros1_breakpoint"] == "intron 35"
    summary = summarise_patient([r for r in rows if r["patient_id"] == "P1"])
    assert (summary["fusion_partner"], summary["multiple_fusions"], summary["five_prime_ros1_partners"],
            summary["fusion_status"]) == ("CD74", True, "MRAS", "both")


def test_batch_without_fusion_files_writes_the_header_only(tmp_path):
    table = run_stage(tmp_path, [sample("P1", "S1", "baseline")])
    assert table.read_text() == "\t".join(columns.FUSIONS) + "\n"


def test_rerun_gives_a_byte_identical_table(tmp_path):
    calls = write_fusion_file(tmp_path / "c.vcf", "vcf", [event("SDC4", "ROS1"), event("ROS1", "PUM1")], "GRCh38")
    first = run_stage(tmp_path, [sample("P1", "S1", "baseline", calls)]).read_bytes()
    assert run_stage(tmp_path, [sample("P1", "S1", "baseline", calls)]).read_bytes() == first


def test_bad_input_writes_no_table(tmp_path):
    good = write_fusion_file(tmp_path / "good.tsv", "tsv", [event("CD74", "ROS1")], "GRCh38")
    bad = tmp_path / "bad.tsv"
    bad.write_text("gene5\tgene3\tchrom5\tpos5\tchrom3\tpos3\nCD74\tROS1\tchr5\t1\tchrZ\t2\n")
    with pytest.raises(InputError, match="bad.tsv line 2"):
        run_stage(tmp_path, [sample("P1", "S1", "baseline", good), sample("P2", "S2", "baseline", bad)])
    assert not (tmp_path / "out" / "fusions.tsv").exists()


def test_cli_prints_one_line_and_exits_1_on_bad_input(tmp_path):
    bad = tmp_path / "bad.vcf"
    bad.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                   "chr6\t117325319\tb1\tN\tN[chrQ:150403996[\t.\tPASS\tSVTYPE=BND\n")
    manifest = write_manifest(tmp_path, [sample("P1", "S1", "baseline", bad, "vcf")])
    table = tmp_path / "fusions.tsv"
    done = subprocess.run([sys.executable, "-m", "ros1trace.cli", "fusions", "--manifest", str(manifest),
                           "--batch", "b0001", "--table", str(table), "--log", str(tmp_path / "log")],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and not table.exists()
    errors = [line for line in done.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "bad.vcf line 3, ALT N[chrQ:150403996[: unknown chromosome 'chrQ'" in errors[0]
    assert "Traceback" not in done.stderr


def test_intragenic_ros1_rearrangements_give_one_warning_per_file_and_no_row(tmp_path, caplog):
    start = breakpoint_in("ROS1", "GRCh38", intron=30)[1]
    deletions = "".join(f"chr6\t{start + 1000 * i}\td{i}\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END={start + 1000 * i + 300}\n"
                        for i in range(4))
    path = tmp_path / "lumpy.vcf"
    path.write_text("##fileformat=VCFv4.2\n##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"x\">\n"
                    "##INFO=<ID=END,Number=1,Type=Integer,Description=\"x\">\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + deletions)
    table = run_stage(tmp_path, [sample("P1", "S1", "baseline", path)])
    assert len(table.read_text().splitlines()) == 1
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning == (f"{path}: 4 calls with both breakends in ROS1 (intragenic rearrangements, not fusions) "
                       "skipped; the first: line 5 (ID d0)")
