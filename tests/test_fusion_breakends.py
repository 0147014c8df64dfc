"""VCF breakends as real callers leave them: mates that contradict each other, a 5' gene named in
INFO, mates missing from the file, single breakends, and the summaries instead of one line each."""

from __future__ import annotations

import logging

import pytest

from ros1trace.fusions.classify import annotate
from ros1trace.fusions.formats import read_calls
from ros1trace.fusions.genes import GeneTable, breakpoint_in

GENES = GeneTable("GRCh38")
CD74 = breakpoint_in("CD74", "GRCh38", intron=6)[1]
GOPC = breakpoint_in("GOPC", "GRCh38", exon=7)[1]
ROS1 = breakpoint_in("ROS1", "GRCh38", intron=33)[1]
ROS1_E35 = breakpoint_in("ROS1", "GRCh38", exon=35)[1]

HEAD = """##fileformat=VCFv4.2
##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">
##INFO=<ID=MATEID,Number=1,Type=String,Description="ID of the mate breakend">
##INFO=<ID=SR,Number=1,Type=Integer,Description="Spanning reads mapping on fusion junction">
##INFO=<ID=SP,Number=1,Type=Integer,Description="{sp}">
##INFO=<ID=GENE5,Number=1,Type=String,Description="Gene symbol that is at the 5 prime end of the fusion">
##INFO=<ID=GENE3,Number=1,Type=String,Description="Gene symbol that is at the 3 prime end of the fusion">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO
"""


def vcf(tmp_path, *records, sp="Spanning pairs supporting the fusion gene"):
    path = tmp_path / "sv.vcf"
    path.write_text(HEAD.format(sp=sp) + "".join("\t".join(map(str, r)) + "\n" for r in records))
    return path


def rows(path, **options):
    return [row for row in (annotate(call, GENES) for call in read_calls(path, **options)[1]) if row]


def fusioncatcher_pair(chrom5, pos5, gene5, chrom3, pos3, gene3, info="", name="x"):
    """A BND pair as FusionCatcher writes it: brackets as if both genes were on + (they contradict
    each other for minus-strand genes such as CD74, GOPC and ROS1), GENE5/GENE3 naming the genes."""
    common = f"SVTYPE=BND;SR=7;SP=6;GENE5={gene5};GENE3={gene3}{info}"
    return [(chrom5, pos5, f"{name}_5", "N", f"N]{chrom3}:{pos3}]", ".", "PASS", f"{common};MATEID={name}_3"),
            (chrom3, pos3, f"{name}_3", "N", f"]{chrom5}:{pos5}]N", ".", "PASS", f"{common};MATEID={name}_5")]


def test_contradicting_mates_are_one_call_oriented_by_the_genes_info_names(tmp_path):
    (row,) = rows(vcf(tmp_path, *fusioncatcher_pair("5", CD74, "CD74", "6", ROS1, "ROS1")))
    assert (row["gene5"], row["gene3"], row["fusion_class"], row["ros1_breakpoint"], row["support"]) == (
        "CD74", "ROS1", "canonical", "intron 33", 13)
    assert "bracket notations disagree" in row["class_reason"] and "INFO CD74/ROS1" in row["class_reason"]
    assert row["source_record"].endswith("lines 9+10 (ID x_5/x_3)")


def test_the_stated_genes_decide_which_end_is_5prime_whatever_the_record_order(tmp_path):
    five_prime_ros1 = fusioncatcher_pair("6", ROS1, "ROS1", "5", CD74, "CD74")
    (row,) = rows(vcf(tmp_path, *reversed(five_prime_ros1)))
    assert (row["gene5"], row["gene3"], row["fusion_class"]) == ("ROS1", "CD74", "five_prime_ros1")


def test_intrachromosomal_gopc_ros1_pair_is_one_canonical_event(tmp_path):
    (row,) = rows(vcf(tmp_path, *fusioncatcher_pair("6", GOPC, "GOPC", "6", ROS1_E35, "ROS1")))
    assert (row["gene5"], row["partner_breakpoint"], row["ros1_breakpoint"], row["fusion_class"]) == (
        "GOPC", "exon 7", "exon 35", "canonical")


def test_contradicting_mates_without_stated_genes_have_unknown_orientation(tmp_path):
    pair = [tuple(r[:7]) + (r[7].replace(";GENE5=CD74;GENE3=ROS1", ""),)
            for r in fusioncatcher_pair("5", CD74, "CD74", "6", ROS1, "ROS1")]
    (row,) = rows(vcf(tmp_path, *pair))
    assert row["fusion_class"] == "other" and "orientation unknown" in row["class_reason"]


def test_a_partner_outside_the_gene_table_takes_its_name_from_info(tmp_path):
    (row,) = rows(vcf(tmp_path, *fusioncatcher_pair("2", 1_500_000, "NOVEL1", "6", ROS1, "ROS1")))
    assert (row["gene5"], row["partner"], row["gene3"], row["fusion_class"]) == (
        "NOVEL1", "NOVEL1", "ROS1", "canonical")


def test_mates_that_agree_keep_their_geometry_over_the_stated_genes(tmp_path):
    # proper notation for CD74(-) 5' / ROS1(-) 3': CD74 keeps its right side, ROS1 its left
    info = "SVTYPE=BND;SR=4;GENE5=ROS1;GENE3=CD74"
    path = vcf(tmp_path, ("5", CD74, "b1", "A", f"]6:{ROS1}]A", ".", "PASS", f"{info};MATEID=b2"),
               ("6", ROS1, "b2", "C", f"C[5:{CD74}[", ".", "PASS", f"{info};MATEID=b1"))
    (row,) = rows(path)
    assert (row["gene5"], row["gene3"], row["fusion_class"], row["class_reason"]) == ("CD74", "ROS1", "canonical", "")


@pytest.mark.parametrize("description,support", [("Spanning pairs supporting the fusion gene", 13),
                                                 ("Strand bias Phred score", 7)])
def test_info_sp_counts_as_support_only_when_the_header_calls_it_read_pairs(tmp_path, description, support):
    (row,) = rows(vcf(tmp_path, *fusioncatcher_pair("5", CD74, "CD74", "6", ROS1, "ROS1"), sp=description))
    assert row["support"] == support


def test_a_breakend_whose_mate_is_not_in_the_file_is_skipped_with_one_warning(tmp_path, caplog):
    records = [("6", ROS1 + i, f"u{i}", "N", f"N[5:{CD74}[", ".", "PASS", f"SVTYPE=BND;MATEID=gone{i}")
               for i in range(3)]
    path = vcf(tmp_path, *records, *fusioncatcher_pair("5", CD74, "CD74", "6", ROS1_E35, "ROS1"))
    with caplog.at_level(logging.WARNING):
        fmt, calls = read_calls(path)
    assert len(calls) == 1  # the pair; the three halves are skipped
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "3 breakends whose MATEID is not in the file" in warning
    assert warning.endswith("the first: line 9 (ID u0, MATEID gone0)")


def test_a_mate_that_is_filtered_out_still_pairs(tmp_path, caplog):
    pair = fusioncatcher_pair("5", CD74, "CD74", "6", ROS1, "ROS1")
    filtered = [pair[0], pair[1][:6] + ("LowQual",) + pair[1][7:]]
    (row,) = rows(vcf(tmp_path, *filtered))
    assert row["source_record"].endswith("line 9 (ID x_5)") and not warnings(caplog)


def test_unpaired_breakends_that_fail_the_filter_are_not_counted_as_unpaired(tmp_path, caplog):
    path = vcf(tmp_path, ("6", ROS1, "u1", "N", f"N[5:{CD74}[", ".", "PON", "SVTYPE=BND;MATEID=gone"))
    with caplog.at_level(logging.WARNING):
        assert read_calls(path)[1] == []
    assert not warnings(caplog)
    with caplog.at_level(logging.WARNING):
        assert read_calls(path, filter_policy="all")[1] == []
    assert "1 breakends whose MATEID is not in the file" in caplog.text


def test_many_single_breakends_give_one_warning_with_the_count_and_the_first(tmp_path, caplog):
    inserted = "ACGT" * 60
    records = [("6", ROS1 + i, f"s{i}b", "N", f"N{inserted}." if i % 2 else f".{inserted}N", ".", "PASS",
                "SVTYPE=BND") for i in range(40)]
    with caplog.at_level(logging.WARNING):
        assert read_calls(vcf(tmp_path, *records))[1] == []
    (warning,) = [r.getMessage() for r in caplog.records]
    assert "40 single breakends" in warning and warning.endswith("the first: line 9 (ID s0b)")
    assert inserted not in warning


def warnings(caplog) -> list:
    """The warnings a read logged (info lines depend on the logging level other tests left set)."""
    import logging

    return [r for r in caplog.records if r.levelno >= logging.WARNING]
