"""Orientation, class, breakpoints, kinase retention, events and duplicate calls."""

from __future__ import annotations

import pytest

from ros1trace.errors import InputError
from ros1trace.fusions.classify import annotate, assign_events, kinase_exons, merge_duplicates
from ros1trace.fusions.formats import Breakend, Call, read_calls
from ros1trace.fusions.genes import GeneTable, breakpoint_in
from ros1trace.reference.transcript import transcript
from ros1trace.synthetic.fusion_files import FusionEvent, write_fusion_file

GRCH38 = GeneTable("GRCh38")


def tsv_call(gene5, gene3, chrom5, pos5, chrom3, pos3, support=10, where="x.tsv line 2"):
    return Call(Breakend(chrom5, pos5, None, gene5), Breakend(chrom3, pos3, None, gene3), True, support, "tsv", where)


def x_ros1(ros1_pos, partner="CD74", build="GRCh38", support=10):
    chrom, pos, _ = breakpoint_in(partner, build, intron=6)
    return annotate(tsv_call(partner, "ROS1", chrom, pos, "chr6", ros1_pos, support), GeneTable(build))


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_kinase_domain_maps_to_exons_36_to_42_on_both_builds(build):
    kinase = kinase_exons(build)
    assert (kinase.first, kinase.last) == (36, 42)


@pytest.mark.parametrize("where,label,fusion_class", [
    ({"intron": 31}, "intron 31", "canonical"),
    ({"intron": 35}, "intron 35", "canonical"),
    ({"exon": 34}, "exon 34", "canonical"),
    ({"exon": 36}, "exon 36", "other"),  # a DNA break inside exon 36 cuts the kinase's first exon
    ({"intron": 36}, "intron 36", "other"),
    ({"exon": 40}, "exon 40", "other"),
])
def test_ros1_break_position_decides_whether_the_kinase_is_retained(where, label, fusion_class):
    row = x_ros1(breakpoint_in("ROS1", "GRCh38", **where)[1])
    assert (row["ros1_breakpoint"], row["fusion_class"]) == (label, fusion_class)
    assert row["kinase_retained"] is (fusion_class == "canonical")
    if fusion_class == "other":
        assert "kinase not retained" in row["class_reason"]


def test_rna_junction_at_the_first_base_of_exon_36_keeps_the_whole_kinase():
    exon36 = transcript("GRCh38").exons[35]
    row = x_ros1(exon36.end)  # minus strand: the exon's 5' base is its highest coordinate
    assert (row["ros1_breakpoint"], row["fusion_class"], row["kinase_retained"]) == ("exon 36", "canonical", True)
    assert x_ros1(exon36.end - 1)["fusion_class"] == "other"


def test_vcf_partner_outside_the_gene_table_is_named_by_coordinates_or_by_a_gtf(tmp_path):
    ros1 = breakpoint_in("ROS1", "GRCh38", intron=32)[1]
    call = Call(Breakend("chr6", ros1, "left"), Breakend("chr2", 1_500_000, "right"), False, 4, "vcf", "v line 9")
    row = annotate(call, GRCH38)
    assert (row["gene5"], row["gene3"], row["fusion_class"], row["strand5"]) == ("chr2:1500000", "ROS1", "canonical", "")
    assert "oriented by ROS1's side" in row["class_reason"] and "GTF" in row["class_reason"]
    gtf = tmp_path / "genes.gtf"
    gtf.write_text('chr2\tx\tgene\t1400000\t1600000\t.\t-\t.\tgene_id "ENSG1"; gene_name "TPD52L1X";\n')
    named = annotate(call, GeneTable("GRCh38", gtf))
    assert (named["gene5"], named["strand5"], named["fusion_class"], named["class_reason"]) == (
        "TPD52L1X", "-", "canonical", "")
    assert annotate(call, GeneTable("GRCh38", _flip(gtf)))["fusion_class"] == "other"  # + gene keeps its 3' part


def _flip(gtf):
    flipped = gtf.with_name("plus.gtf")
    flipped.write_text(gtf.read_text().replace("\t-\t", "\t+\t"))
    return flipped


def test_named_ros1_breakpoint_on_another_build_is_an_input_error():
    grch37_ros1 = breakpoint_in("ROS1", "GRCh37", intron=33)[1]
    with pytest.raises(InputError, match=r"x.tsv line 2: the ROS1 breakpoint .* outside ROS1 on GRCh38.*genome_build"):
        x_ros1(grch37_ros1)


def test_intragenic_ros1_rearrangement_is_not_a_fusion(caplog):
    a, b = (breakpoint_in("ROS1", "GRCh38", intron=n)[1] for n in (20, 30))
    call = Call(Breakend("chr6", a, "left"), Breakend("chr6", b, "right"), False, 3, "vcf", "v line 3")
    assert annotate(call, GRCH38) is None
    assert "intragenic" in caplog.text


def test_calls_without_ros1_are_dropped():
    cd74 = breakpoint_in("CD74", "GRCh38", intron=6)
    assert annotate(tsv_call("CD74", "SDC4", cd74[0], cd74[1], "chr20", 45330000), GRCH38) is None


def patient(*rows_and_samples):
    rows = []
    for sample, timepoint, row in rows_and_samples:
        rows.append(dict(row, patient_id="P1", sample_id=sample, timepoint=timepoint))
    assign_events(rows)
    return merge_duplicates(rows)


def test_reciprocal_cd74_ros1_pair_is_one_event_with_the_reciprocal_flagged():
    ros1 = breakpoint_in("ROS1", "GRCh38", intron=33)
    cd74 = breakpoint_in("CD74", "GRCh38", intron=6)
    forward = annotate(tsv_call("CD74", "ROS1", cd74[0], cd74[1], ros1[0], ros1[1]), GRCH38)
    reverse = annotate(tsv_call("ROS1", "CD74", ros1[0], ros1[1] + 1, cd74[0], cd74[1] + 1), GRCH38)
    rows = patient(("S1", "baseline", forward), ("S1", "baseline", reverse))
    assert {r["event_id"] for r in rows} == {"CD74::ROS1"}
    assert sorted(r["fusion_class"] for r in rows) == ["canonical", "five_prime_ros1"]
    (recip,) = [r for r in rows if r["fusion_class"] == "five_prime_ros1"]
    assert "reciprocal junction of CD74::ROS1" in recip["class_reason"]


def test_five_prime_ros1_call_next_to_its_canonical_fusion_is_a_second_event():
    ros1 = breakpoint_in("ROS1", "GRCh38", intron=33)
    cd74 = breakpoint_in("CD74", "GRCh38", intron=6)
    mras = breakpoint_in("MRAS", "GRCh38", intron=1)
    canonical = annotate(tsv_call("CD74", "ROS1", cd74[0], cd74[1], ros1[0], ros1[1]), GRCH38)
    five = annotate(tsv_call("ROS1", "MRAS", ros1[0], ros1[1] + 5, mras[0], mras[1]), GRCH38)
    rows = patient(("S1", "baseline", canonical), ("S1", "baseline", five))
    assert sorted(r["event_id"] for r in rows) == ["CD74::ROS1", "ROS1::MRAS"]
    assert all("reciprocal" not in r["class_reason"] for r in rows)


def test_two_callers_of_one_junction_in_one_sample_give_one_row_with_the_larger_support(tmp_path):
    ros1 = breakpoint_in("ROS1", "GRCh38", intron=34)
    cd74 = breakpoint_in("CD74", "GRCh38", intron=6)
    event = FusionEvent("CD74", "ROS1", *cd74, *ros1, 9)
    arriba = write_fusion_file(tmp_path / "a.tsv", "arriba", [event], "GRCh38")
    vcf = write_fusion_file(tmp_path / "m.vcf", "vcf", [FusionEvent(*list(vars(event).values())[:-1], 30)], "GRCh38")
    rows = []
    for path in (arriba, vcf):
        rows += [dict(annotate(c, GRCH38), patient_id="P1", sample_id="S1", timepoint="baseline")
                 for c in read_calls(path)[1]]
    (row,) = patient(*[(r["sample_id"], r["timepoint"], r) for r in rows])
    assert row["support"] == 30 and row["source_format"] == "vcf"
    assert "a.tsv line 2" in row["source_record"] and "m.vcf lines" in row["source_record"]


def test_same_fusion_at_both_timepoints_shares_its_event_but_keeps_a_row_per_sample():
    row = x_ros1(breakpoint_in("ROS1", "GRCh38", intron=33)[1])
    rows = patient(("B", "baseline", row), ("P", "progression", row))
    assert [(r["sample_id"], r["event_id"]) for r in rows] == [("B", "CD74::ROS1"), ("P", "CD74::ROS1")]


def test_unnamed_partner_breaks_close_together_are_one_event():
    ros1 = breakpoint_in("ROS1", "GRCh38", intron=32)[1]
    calls = [Call(Breakend("chr6", ros1 + k, "left"), Breakend("2", 1_500_000 + 50_000 * k, "right"), False, 4,
                  "vcf", f"v line {k}") for k in (0, 1, 3)]
    rows = patient(*[("S1", "baseline", annotate(c, GRCH38)) for c in calls])
    assert sorted({r["event_id"] for r in rows}) == ["2:1500000::ROS1", "2:1650000::ROS1"]


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
@pytest.mark.parametrize("gene,spliceai_exon,genefuse_label", [("EZR", 1, "exon 2"), ("GOPC", 3, "intron 2")])
def test_partner_numbering_uses_the_named_genefuse_transcript_where_isoforms_differ(build, gene, spliceai_exon,
                                                                                    genefuse_label):
    from ros1trace.reference.transcript import read_tsv, resources_dir

    table = read_tsv(resources_dir() / "reference" / f"partner_exons_{build}.tsv")
    (exon,) = [r for r in table if r["gene"] == gene and r["source"] == "SpliceAI_canonical"
               and r["exon"] == str(spliceai_exon)]
    pos = (int(exon["start"]) + int(exon["end"])) // 2
    genes = GeneTable(build)
    ros1 = breakpoint_in("ROS1", build, intron=33)
    row = annotate(tsv_call(gene, "ROS1", exon["chrom"], pos, ros1[0], ros1[1]), genes)
    named = {r["transcript"] for r in table if r["gene"] == gene and r["source"] == "GeneFuse"}
    assert (row["partner_breakpoint"], {row["partner_transcript"]}) == (genefuse_label, named)


def test_a_breakpoint_inside_ros1_is_ros1_whatever_gene_the_caller_names_there():
    # STAR-Fusion's reference names CD74-ROS1's exon-34 junction "CD74--GOPC" (a GOPC read-through)
    cd74 = breakpoint_in("CD74", "GRCh37", intron=6)
    ros1 = breakpoint_in("ROS1", "GRCh37", exon=34)
    named = tsv_call("CD74^ENSG00000019582.10", "GOPC^ENSG00000047932.9", cd74[0], cd74[1], ros1[0], ros1[1])
    row = annotate(named, GeneTable("GRCh37"))
    assert (row["gene5"], row["gene3"], row["fusion_class"], row["ros1_breakpoint"]) == (
        "CD74", "ROS1", "canonical", "exon 34")
    assert "the caller's GOPC^ENSG00000047932.9 breakpoint lies inside ROS1" in row["class_reason"]
    gopc = breakpoint_in("GOPC", "GRCh37", intron=7)
    assert annotate(tsv_call("CD74", "GOPC", cd74[0], cd74[1], gopc[0], gopc[1]), GeneTable("GRCh37")) is None
