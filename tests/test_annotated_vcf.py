"""The annotated copy of each sample's ROS1 records: valid VCF, the input lines kept, one INFO entry per allele."""

from __future__ import annotations

import gzip

import pysam
import pytest

from conftest import record, write_vcf
from ros1trace.reference.transcript import transcript
from ros1trace.synthetic.variants import protein_change_alleles
from ros1trace.variants.samples import INFO_ID, sample_variants

TX = transcript("GRCh38")
CONFIG = {"min_alt_reads": 3, "filter_policy": "pass_only", "accepted_filters": [], "phase_vaf_alpha": 0.01,
          "min_base_quality": 20, "min_mapping_quality": 20}
SAMPLE = {"patient_id": "P1", "sample_id": "S1", "timepoint": "progression", "sample_type": "tissue"}


def annotate_file(tmp_path, vcf, locus, annotator):
    out = tmp_path / "out" / "S1.ros1.vcf.gz"
    rows = sample_variants({**SAMPLE, "vcf": str(vcf)}, CONFIG, TX, locus, annotator, "", out)
    return rows, out


def info_entries(path) -> dict[int, list[list[str]]]:
    """POS -> the ROS1TRACE entries of that record, each split on '|'."""
    found = {}
    with pysam.VariantFile(str(path)) as vcf:
        assert INFO_ID in vcf.header.info
        for rec in vcf:
            if INFO_ID in rec.info:
                found[rec.pos] = [entry.split("|") for entry in rec.info[INFO_ID]]
    return found


def test_every_allele_gets_its_annotation_and_pysam_reads_the_file(tmp_path, locus38, annotator38):
    [(pos, ref, alt)] = protein_change_alleles("G2032R", TX, locus38)
    other = pos + 40
    vcf = write_vcf(tmp_path / "a.vcf", [record(pos, ref, alt), record(other, locus38.seq(other, other), "A,C",
                                                                          "1/2:50,20,30:0.2,0.3:100")])
    rows, out = annotate_file(tmp_path, vcf, locus38, annotator38)
    entries = info_entries(out)
    [g2032r] = entries[pos]
    assert g2032r[:4] == [f"{pos}:{ref}>{alt}", "G2032R", "c.6094G>A", "p.Gly2032Arg"]
    assert g2032r[7:9] == ["true", "true"]  # kinase domain, known resistance
    assert [e[0] for e in entries[other]] == [f"{other}:{locus38.seq(other, other)}>{a}" for a in ("A", "C")]
    assert pysam.TabixFile(str(out)).fetch("chr6", pos - 1, pos)  # indexed next to it
    assert len(rows) == 3


def test_input_lines_are_kept_byte_for_byte_apart_from_info(tmp_path, locus38, annotator38):
    [(pos, ref, alt)] = protein_change_alleles("G2032R", TX, locus38)
    line = record(pos, ref, alt, info="DP=120;CALLER_NOTE=caf\u00e9")
    vcf = write_vcf(tmp_path / "k.vcf", [line])
    _, out = annotate_file(tmp_path, vcf, locus38, annotator38)
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        [written] = [x.rstrip("\n") for x in handle if not x.startswith("#")]
    before, after = line.split("\t"), written.split("\t")
    assert after[:7] == before[:7] and after[8:] == before[8:]
    assert after[7].startswith("DP=120;CALLER_NOTE=caf\u00e9;ROS1TRACE=")


def test_merged_codon_components_carry_the_merged_change(tmp_path, locus38, annotator38):
    (p1, r1, a1), (p2, r2, a2) = sorted(protein_change_alleles("G2032K", TX, locus38))
    vcf = write_vcf(tmp_path / "k.vcf", [record(p1, r1, a1, "0/1:80,20:0.2:100"), record(p2, r2, a2, "0/1:82,18:0.18:100")])
    rows, out = annotate_file(tmp_path, vcf, locus38, annotator38)
    assert [r["protein_change"] for r in rows] == ["G2032K"]
    entries = info_entries(out)
    merged = f"{p1}:{locus38.seq(p1, p2)}>{a1}{a2}"
    assert [entries[p1][0][1], entries[p1][0][9]] == ["G2032K", merged]
    assert [entries[p2][0][1], entries[p2][0][9]] == ["G2032K", merged]


def test_annotating_an_annotated_file_again_replaces_the_entry(tmp_path, locus38, annotator38):
    [(pos, ref, alt)] = protein_change_alleles("L2026M", TX, locus38)
    vcf = write_vcf(tmp_path / "l.vcf", [record(pos, ref, alt, info="ROS1TRACE=stale|entry;DP=9")])
    _, first = annotate_file(tmp_path, vcf, locus38, annotator38)
    again = tmp_path / "again"
    again.mkdir()
    rows = sample_variants({**SAMPLE, "vcf": str(first)}, CONFIG, TX, locus38, annotator38, "", again / "S1.vcf.gz")
    with gzip.open(again / "S1.vcf.gz", "rt") as handle:
        text = handle.read()
    assert text.count(f"##INFO=<ID={INFO_ID},") == 1 and "stale" not in text
    assert [r["protein_change"] for r in rows] == ["L2026M"]
    assert [e[1] for e in info_entries(again / "S1.vcf.gz")[pos]] == ["L2026M"]


@pytest.mark.parametrize("info", [".", "DP=50"])
def test_records_outside_the_ros1_alleles_keep_their_info(tmp_path, locus38, annotator38, info):
    zero = TX.start + 100
    vcf = write_vcf(tmp_path / "z.vcf", [record(zero, locus38.seq(zero, zero), "T", "0/0:50,0:0:50", info=info)])
    rows, out = annotate_file(tmp_path, vcf, locus38, annotator38)
    with gzip.open(out, "rt") as handle:
        [written] = [x.rstrip("\n") for x in handle if not x.startswith("#")]
    assert written.split("\t")[7] == info and rows == []


def test_a_bcf_input_gives_an_annotated_vcf_too(tmp_path, locus38, annotator38):
    [(pos, ref, alt)] = protein_change_alleles("D2033N", TX, locus38)
    vcf = write_vcf(tmp_path / "b.vcf", [record(pos, ref, alt)])
    with pysam.VariantFile(str(vcf)) as source, pysam.VariantFile(str(tmp_path / "b.bcf"), "wb",
                                                                  header=source.header) as target:
        for rec in source:
            target.write(rec)
    rows, out = annotate_file(tmp_path, tmp_path / "b.bcf", locus38, annotator38)
    assert [r["protein_change"] for r in rows] == ["D2033N"]
    assert [e[1] for e in info_entries(out)[pos]] == ["D2033N"]


def test_a_vcf_that_names_chromosome_6_otherwise_says_so_in_the_log(tmp_path, locus38, annotator38, caplog):
    [(pos, ref, alt)] = protein_change_alleles("G2032R", TX, locus38)
    vcf = write_vcf(tmp_path / "n.vcf", [record(pos, ref, alt, chrom="NC_000006.12")], chrom="NC_000006.12")
    rows, _ = annotate_file(tmp_path, vcf, locus38, annotator38)
    assert rows == []
    assert "no chromosome 6 (named chr6 or 6) in its contig lines or index, only NC_000006.12" in caplog.text
    caplog.clear()
    annotate_file(tmp_path, write_vcf(tmp_path / "c.vcf", [record(pos, ref, alt)]), locus38, annotator38)
    assert "no chromosome 6" not in caplog.text


def test_a_vcf_that_declares_chromosome_6_without_ros1_records_gives_no_rename_warning(
        tmp_path, locus38, annotator38, caplog):
    vcf = write_vcf(tmp_path / "b.vcf", [record(140_753_336, "A", "T", chrom="chr7")])  # declares chr6 and chr7
    rows, _ = annotate_file(tmp_path, vcf, locus38, annotator38)
    assert rows == [] and "no chromosome 6" not in caplog.text


def test_records_out_of_order_in_a_plain_vcf_give_a_sorted_indexed_annotated_copy(tmp_path, locus38, annotator38):
    changes = [protein_change_alleles(name, TX, locus38)[0] for name in ("G2032R", "D2033N")]
    lines = [record(pos, ref, alt) for pos, ref, alt in sorted(changes, reverse=True)]
    vcf = write_vcf(tmp_path / "u.vcf", lines, index=False)
    rows, out = annotate_file(tmp_path, vcf, locus38, annotator38)
    assert sorted(r["protein_change"] for r in rows) == ["D2033N", "G2032R"]
    assert list(info_entries(out)) == sorted(pos for pos, _, _ in changes)
