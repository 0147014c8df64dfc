"""Fusion file formats: detection, parsing of real callers' notations, and write -> parse round trips."""

from __future__ import annotations

import itertools

import pysam
import pytest
from cyvcf2 import VCF

from ros1trace.fusions.classify import annotate
from ros1trace.fusions.formats import FORMATS, detect_format, parse_bracket_alt, read_calls
from ros1trace.fusions.genes import GeneTable, breakpoint_in, norm_chrom
from ros1trace.synthetic.fusion_files import FusionEvent, bracket_alt, write_fusion_file

BUILDS = ("GRCh38", "GRCh37")
# (orientation, ROS1 break, expected class): the partner is the 5' gene unless ROS1 is.
ORIENTATIONS = {
    "canonical": ({"intron": 33}, "canonical"),
    "five_prime_ros1": ({"intron": 33}, "five_prime_ros1"),
    "kinase_lost": ({"intron": 37}, "other"),
}
PARTNERS = {"+": ("SLC34A2", 4), "-": ("CD74", 6)}  # partner on each strand, intron of its break


def make_event(build: str, orientation: str, strand: str, support: int = 17) -> FusionEvent:
    partner, intron = PARTNERS[strand]
    ros1 = breakpoint_in("ROS1", build, **ORIENTATIONS[orientation][0])
    other = breakpoint_in(partner, build, intron=intron)
    if orientation == "five_prime_ros1":
        return FusionEvent("ROS1", partner, *ros1, *other, support)
    return FusionEvent(partner, "ROS1", *other, *ros1, support)


def rows_of(path, build, fmt=None, **options):
    fmt, calls = read_calls(path, fmt, **options)
    genes = GeneTable(build)
    return [row for row in (annotate(call, genes) for call in calls) if row]


def as_event(row: dict) -> FusionEvent:
    return FusionEvent(row["gene5"], row["gene3"], "chr" + norm_chrom(row["chrom5"]), row["pos5"], row["strand5"],
                       "chr" + norm_chrom(row["chrom3"]), row["pos3"], row["strand3"], row["support"])


@pytest.mark.parametrize("fmt,orientation,strand,build",
                         list(itertools.product(FORMATS, ORIENTATIONS, PARTNERS, BUILDS)))
def test_round_trip_gives_the_same_event_and_the_intended_class(tmp_path, fmt, orientation, strand, build):
    event = make_event(build, orientation, strand)
    path = write_fusion_file(tmp_path / f"calls.{fmt}", fmt, [event], build)
    assert detect_format(path) == fmt
    rows = rows_of(path, build)
    assert [as_event(r) for r in rows] == [event]
    assert rows[0]["fusion_class"] == ORIENTATIONS[orientation][1]
    assert rows[0]["ros1_breakpoint"] == "intron {}".format(ORIENTATIONS[orientation][0]["intron"])
    assert rows[0]["partner_breakpoint"] == f"intron {PARTNERS[strand][1]}"


@pytest.mark.parametrize("build", BUILDS)
def test_vcf_writer_output_is_valid_for_pysam_and_cyvcf2(tmp_path, build):
    events = [make_event(build, o, s) for o, s in itertools.product(ORIENTATIONS, PARTNERS)]
    path = write_fusion_file(tmp_path / "calls.vcf", "vcf", events, build)
    with pysam.VariantFile(str(path)) as vcf:
        records = list(vcf)
    assert len(records) == 2 * len(events)
    assert {r.info["SVTYPE"] for r in records} == {"BND"}
    by_id = {r.id: r for r in records}
    assert all(by_id[r.info["MATEID"][0]].info["MATEID"][0] == r.id for r in records)
    assert [v.ID for v in VCF(str(path))] == [r.id for r in records]


@pytest.mark.parametrize("build", BUILDS)
def test_intrachromosomal_gopc_ros1_is_written_and_read_as_a_deletion(tmp_path, build):
    gopc = breakpoint_in("GOPC", build, intron=7)
    ros1 = breakpoint_in("ROS1", build, intron=34)
    event = FusionEvent("GOPC", "ROS1", *gopc, *ros1, 12)
    path = write_fusion_file(tmp_path / "del.vcf", "vcf", [event], build)
    (record,) = list(pysam.VariantFile(str(path)))
    assert (record.info["SVTYPE"], record.pos, record.stop) == ("DEL", ros1[1], gopc[1] - 1)
    (row,) = rows_of(path, build)
    assert as_event(row) == event
    assert (row["fusion_class"], row["ros1_breakpoint"], row["partner_transcript"]) == (
        "canonical", "intron 34", GeneTable(build).exon_model("GOPC").transcript_id)


@pytest.mark.parametrize("gene5,gene3,svtype", [("EZR", "ROS1", "DEL"), ("ROS1", "GOPC", "DUP")])
def test_other_chr6_shapes_are_symbolic_and_round_trip(tmp_path, gene5, gene3, svtype):
    ends = {"ROS1": breakpoint_in("ROS1", "GRCh38", intron=32), "EZR": breakpoint_in("EZR", "GRCh38", intron=10),
            "GOPC": breakpoint_in("GOPC", "GRCh38", intron=3)}
    event = FusionEvent(gene5, gene3, *ends[gene5], *ends[gene3], 5)
    path = write_fusion_file(tmp_path / "sv.vcf", "vcf", [event], "GRCh38")
    assert next(iter(pysam.VariantFile(str(path)))).info["SVTYPE"] == svtype
    assert [as_event(r) for r in rows_of(path, "GRCh38")] == [event]
    bnd = write_fusion_file(tmp_path / "bnd.vcf", "vcf", [event], "GRCh38", symbolic=False)
    assert [as_event(r) for r in rows_of(bnd, "GRCh38")] == [event]


@pytest.mark.parametrize("alt,parsed", [
    ("G[chr5:100[", ("left", "chr5", 100, "right")),
    ("G]5:100]", ("left", "5", 100, "left")),
    ("]chr5:100]G", ("right", "chr5", 100, "left")),
    ("[chr5:100[G", ("right", "chr5", 100, "right")),
    ("<DEL>", None), ("G.", None),
])
def test_bnd_alt_notation_gives_the_sides_kept(alt, parsed):
    assert parse_bracket_alt(alt) == parsed
    if parsed:
        assert bracket_alt(parsed[0], *parsed[1:], base="G") == alt


VCF_HEAD = """##fileformat=VCFv4.2
##contig=<ID=chr5>
##contig=<ID=chr6>
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="x">
##INFO=<ID=MATEID,Number=.,Type=String,Description="x">
##INFO=<ID=CHR2,Number=1,Type=String,Description="x">
##INFO=<ID=POS2,Number=1,Type=Integer,Description="x">
##INFO=<ID=END,Number=1,Type=Integer,Description="x">
##INFO=<ID=CT,Number=1,Type=String,Description="x">
##INFO=<ID=PE,Number=1,Type=Integer,Description="x">
##INFO=<ID=SR,Number=1,Type=Integer,Description="x">
##FORMAT=<ID=GT,Number=1,Type=String,Description="x">
##FORMAT=<ID=PR,Number=.,Type=Integer,Description="x">
##FORMAT=<ID=SR,Number=.,Type=Integer,Description="x">
##FORMAT=<ID=DV,Number=1,Type=Integer,Description="x">
##FORMAT=<ID=RV,Number=1,Type=Integer,Description="x">
##FORMAT=<ID=VF,Number=1,Type=Integer,Description="x">
##FORMAT=<ID=DR,Number=1,Type=Integer,Description="x">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR
"""
CD74 = breakpoint_in("CD74", "GRCh38", intron=6)[1]
ROS1_I33 = breakpoint_in("ROS1", "GRCh38", intron=33)[1]


def write_vcf(tmp_path, *records: str):
    path = tmp_path / "sv.vcf"
    path.write_text(VCF_HEAD + "".join(r + "\n" for r in records))
    return path


@pytest.mark.parametrize("caller,records,support", [
    ("manta", [f"chr5\t{CD74}\tb1\tA\t]chr6:{ROS1_I33}]A\t.\tPASS\tSVTYPE=BND;MATEID=b2\tGT:PR:SR\t0/0:9,0:9,0\t0/1:20,4:30,6",
               f"chr6\t{ROS1_I33}\tb2\tC\tC[chr5:{CD74}[\t.\tPASS\tSVTYPE=BND;MATEID=b1\tGT:PR:SR\t0/0:9,0:9,0\t0/1:20,4:30,6"], 10),
    ("delly", [f"chr6\t{ROS1_I33}\tTRA1\tC\t<TRA>\t.\tPASS\tSVTYPE=TRA;CHR2=chr5;POS2={CD74};CT=3to5\tGT:DV:RV\t0/0:0:0\t0/1:7:5"], 12),
    ("gridss", [f"chr5\t{CD74}\tg1o\tA\t]chr6:{ROS1_I33}]A\t.\tPASS\tSVTYPE=BND;MATEID=g1h\tGT:VF\t0/0:0\t0/1:8",
                f"chr6\t{ROS1_I33}\tg1h\tC\tC[chr5:{CD74}[\t.\tPASS\tSVTYPE=BND;MATEID=g1o\tGT:VF\t0/0:0\t0/1:9"], 9),
    ("svaba", [f"chr5\t{CD74}\t1:1\tA\t]6:{ROS1_I33}]A\t.\tPASS\tSVTYPE=BND;MATEID=1:2\tGT:SR:DR\t0/0:0:0\t0/1:4:3",
               f"6\t{ROS1_I33}\t1:2\tC\tC[chr5:{CD74}[\t.\tPASS\tSVTYPE=BND;MATEID=1:1\tGT:SR:DR\t0/0:0:0\t0/1:4:3"], 7),
    ("lumpy_info_only", [f"chr6\t{ROS1_I33}\tl1\tC\tC[chr5:{CD74}[\t.\tPASS\tSVTYPE=BND;PE=3;SR=2\tGT\t0/0\t0/1"], 5),
])
def test_callers_bnd_dialects_give_one_cd74_ros1_call_with_tumour_support(tmp_path, caller, records, support):
    (row,) = rows_of(write_vcf(tmp_path, *records), "GRCh38")
    assert (row["gene5"], row["gene3"], row["fusion_class"], row["support"]) == ("CD74", "ROS1", "canonical", support)
    assert (row["pos5"], row["pos3"]) == (CD74, ROS1_I33)


def test_vcf_records_failing_the_filter_policy_are_skipped_unless_accepted(tmp_path):
    path = write_vcf(tmp_path, f"chr6\t{ROS1_I33}\tl1\tC\tC[chr5:{CD74}[\t.\tLowQual\tSVTYPE=BND;PE=3\tGT\t0/0\t0/1")
    assert rows_of(path, "GRCh38") == []
    assert len(rows_of(path, "GRCh38", filter_policy="accepted", accepted_filters=["LowQual"])) == 1
    assert len(rows_of(path, "GRCh38", filter_policy="all")) == 1


def test_single_breakends_and_calls_away_from_ros1_are_not_fusions(tmp_path, caplog):
    path = write_vcf(tmp_path, f"chr6\t{ROS1_I33}\ts1\tC\tC.\t.\tPASS\tSVTYPE=BND\tGT\t0/0\t0/1",
                     "chr5\t1000\td1\tA\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=5000\tGT\t0/0\t0/1")
    assert rows_of(path, "GRCh38") == []
    assert "single breakend" in caplog.text


def test_plain_inversion_gives_both_junctions_and_same_strand_genes_are_not_a_sense_fusion(tmp_path):
    gopc = breakpoint_in("GOPC", "GRCh38", intron=7)[1]
    path = write_vcf(tmp_path, f"chr6\t{ROS1_I33}\ti1\tC\t<INV>\t.\tPASS\tSVTYPE=INV;END={gopc}\tGT\t0/0\t0/1")
    rows = rows_of(path, "GRCh38")
    assert [r["fusion_class"] for r in rows] == ["other", "other"]
    assert all("head-to-head/tail-to-tail" in r["class_reason"] for r in rows)


STAR_OLD = ("#fusion_name\tJunctionReads\tSpanningFrags\tSplice_type\tLeftGene\tLeftBreakpoint\tRightGene\t"
            "RightBreakpoint\tJunctionReads\tSpanningFrags\n"
            "FIG--ROS1\t13\t5\tONLY_REF_SPLICE\tFIG^ENSG00000047932.14\tchr6:{gopc}:-\tROS1^ENSG00000047936.7\t"
            "chr6:{ros1}:-\tr1,r2\tr3\n")


def test_old_star_fusion_header_and_old_gene_symbols_are_understood(tmp_path):
    gopc = breakpoint_in("GOPC", "GRCh38", exon=7)[1]
    ros1 = breakpoint_in("ROS1", "GRCh38", exon=35)[1]
    path = tmp_path / "star-fusion.fusion_predictions.tsv"
    path.write_text(STAR_OLD.format(gopc=gopc, ros1=ros1))
    assert detect_format(path) == "star-fusion"
    (row,) = rows_of(path, "GRCh38")
    assert (row["gene5"], row["gene3"], row["support"], row["partner_breakpoint"], row["ros1_breakpoint"]) == (
        "GOPC", "ROS1", 18, "exon 7", "exon 35")


@pytest.mark.parametrize("text,symbol", [
    ("CD74^ENSG00000019582.14", "CD74"), ("^ENSG00000019582", "CD74"), ("ENSG00000047936", "ROS1"),
    ("fig", "GOPC"), ("MCF3", "ROS1"), ("LRIG3", "LRIG3"), ("GOPC(1200),ROS1(400)", None), (".", None),
    ("ROS1,DCBLD1", "ROS1"),
])
def test_gene_names_are_normalised_as_callers_write_them(text, symbol):
    assert GeneTable("GRCh38").normalise(text) == symbol


def test_fusion_format_from_the_sheet_overrides_detection(tmp_path):
    event = make_event("GRCh38", "canonical", "-")
    path = write_fusion_file(tmp_path / "calls.txt", "tsv", [event], "GRCh38")
    fmt, calls = read_calls(path, "tsv")
    assert fmt == "tsv" and len(calls) == 1


def test_generic_tsv_without_strands_or_support_uses_the_bundled_strands(tmp_path):
    ros1 = breakpoint_in("ROS1", "GRCh37", intron=34)
    path = tmp_path / "fusions.tsv"
    path.write_text(f"gene5\tgene3\tchrom5\tpos5\tchrom3\tpos3\nTPM3\tROS1\t1\t154142000\t6\t{ros1[1]}\n")
    (row,) = rows_of(path, "GRCh37")
    assert (row["strand5"], row["strand3"], row["support"], row["fusion_class"]) == ("-", "-", None, "canonical")


def test_arriba_directions_expose_a_head_to_head_call(tmp_path):
    event = make_event("GRCh38", "canonical", "-")
    path = write_fusion_file(tmp_path / "fusions.tsv", "arriba", [event], "GRCh38")
    text = path.read_text().replace("\tupstream\tdownstream\t", "\tdownstream\tdownstream\t")
    path.write_text(text)
    (row,) = rows_of(path, "GRCh38")
    assert row["fusion_class"] == "other" and "head-to-head/tail-to-tail" in row["class_reason"]


@pytest.mark.parametrize("mode,name", [("wz", "calls.vcf.gz"), ("wb", "calls.bcf")])
def test_bgzipped_vcf_and_bcf_are_detected_and_read(tmp_path, mode, name):
    plain = write_fusion_file(tmp_path / "calls.vcf", "vcf", [make_event("GRCh37", "canonical", "+")], "GRCh37")
    with pysam.VariantFile(str(plain)) as source, pysam.VariantFile(str(tmp_path / name), mode,
                                                                    header=source.header) as out:
        for record in source:
            out.write(record)
    assert detect_format(tmp_path / name) == "vcf"
    (row,) = rows_of(tmp_path / name, "GRCh37")
    assert (row["gene5"], row["fusion_class"], row["support"]) == ("SLC34A2", "canonical", 17)
