"""variants.maf against the GDC MAF / vcf2maf specification: required columns, types, and the
coordinate, allele and classification conventions maftools and cBioPortal rely on."""

import csv

import pytest

from ros1trace import columns
from ros1trace.variants.maf import MAF_COLUMNS, maf_alleles, maf_rows, write_maf

# GDC MAF: the columns maftools::read.maf requires, and cBioPortal's required ones.
MAFTOOLS_REQUIRED = ["Hugo_Symbol", "Chromosome", "Start_Position", "End_Position", "Reference_Allele",
                     "Tumor_Seq_Allele2", "Variant_Classification", "Variant_Type", "Tumor_Sample_Barcode"]
CBIOPORTAL_REQUIRED = ["Hugo_Symbol", "Tumor_Sample_Barcode", "Variant_Classification", "HGVSp_Short"]
VARIANT_CLASSIFICATIONS = {
    "Frame_Shift_Del", "Frame_Shift_Ins", "In_Frame_Del", "In_Frame_Ins", "Missense_Mutation",
    "Nonsense_Mutation", "Silent", "Splice_Site", "Translation_Start_Site", "Nonstop_Mutation", "3'UTR",
    "3'Flank", "5'UTR", "5'Flank", "IGR", "Intron", "RNA", "Targeted_Region", "Splice_Region"}


def variant(**fields):
    row = {c: "" for c in columns.VARIANTS}
    row.update(patient_id="P1", sample_id="P1_prog", timepoint="progression", sample_type="plasma", chrom="chr6",
               pos="117317184", ref="C", alt="T", transcript="NM_002944.2", exon="38", hgvs_c="c.6094G>A",
               hgvs_p="p.Gly2032Arg", protein_change="G2032R", consequence="missense_variant",
               in_kinase_domain="true", known_resistance="true", vaf="0.12", depth="500", alt_reads="60",
               filter="PASS", called="true")
    row.update(fields)
    return row


def one(**fields):
    return maf_rows([variant(**fields)], build="GRCh38")[0]


def test_header_starts_with_the_34_standard_columns_then_vcf2mafs():
    assert MAF_COLUMNS[:5] == ["Hugo_Symbol", "Entrez_Gene_Id", "Center", "NCBI_Build", "Chromosome"]
    assert MAF_COLUMNS[33] == "Matched_Norm_Sample_UUID"
    assert MAF_COLUMNS[34:37] == ["HGVSc", "HGVSp", "HGVSp_Short"]
    assert set(MAFTOOLS_REQUIRED + CBIOPORTAL_REQUIRED + ["t_depth", "t_alt_count", "t_ref_count"]) <= set(MAF_COLUMNS)
    assert len(set(MAF_COLUMNS)) == len(MAF_COLUMNS)


def test_snv_is_one_based_start_equals_end():
    row = one()
    assert (row["Start_Position"], row["End_Position"], row["Reference_Allele"], row["Tumor_Seq_Allele2"],
            row["Variant_Type"]) == (117317184, 117317184, "C", "T", "SNP")
    assert (row["Hugo_Symbol"], row["Entrez_Gene_Id"], row["NCBI_Build"], row["Strand"]) == ("ROS1", "6098",
                                                                                           "GRCh38", "+")
    assert row["Variant_Classification"] == "Missense_Mutation"
    assert (row["HGVSc"], row["HGVSp"], row["HGVSp_Short"]) == ("c.6094G>A", "p.Gly2032Arg", "p.G2032R")
    assert (row["Transcript_ID"], row["RefSeq"], row["Exon_Number"]) == ("ENST00000368508", "NM_002944.2", "38/43")


@pytest.mark.parametrize("pos, ref, alt, expected", [
    (100, "GG", "AA", (100, 101, "GG", "AA", "DNP")),  # same-codon merge: one DNP
    (100, "GCA", "ACG", (100, 102, "GCA", "ACG", "TNP")),
    (100, "GCAT", "ACGA", (100, 103, "GCAT", "ACGA", "ONP")),
    (100, "ACT", "A", (101, 102, "CT", "-", "DEL")),  # VCF anchor base dropped, deleted bases kept
    (100, "A", "ATTG", (100, 101, "-", "TTG", "INS")),  # flanking bases of the insertion
    (100, "AGT", "ACCCT", (101, 102, "GT", "CCCT", "INS")),  # complex: vcf2maf keeps the bases
    (100, "ATGC", "AC", (101, 103, "TGC", "C", "DEL")),
])
def test_maf_alleles_follow_vcf2maf_positions_and_dash_for_empty_alleles(pos, ref, alt, expected):
    assert maf_alleles(pos, ref, alt) == expected


def test_indel_lengths_agree_with_their_positions():
    deletion = one(pos="1000", ref="AGCT", alt="A", consequence="frameshift_variant", protein_change="V2068Lfs*15")
    assert deletion["End_Position"] - deletion["Start_Position"] + 1 == len(deletion["Reference_Allele"]) == 3
    assert deletion["Variant_Classification"] == "Frame_Shift_Del"
    assert deletion["HGVSp_Short"] == "p.V2068Lfs*15"
    insertion = one(pos="1000", ref="A", alt="AGGC", consequence="inframe_insertion")
    assert insertion["End_Position"] == insertion["Start_Position"] + 1
    assert insertion["Variant_Classification"] == "In_Frame_Ins"


@pytest.mark.parametrize("consequence, ref, alt, expected", [
    ("stop_gained", "C", "A", "Nonsense_Mutation"),
    ("synonymous_variant", "C", "T", "Silent"),
    ("splice_region_variant&intron_variant", "C", "T", "Splice_Region"),
    ("intron_variant", "C", "T", "Intron"),
    ("splice_donor_variant&intron_variant", "C", "T", "Splice_Site"),
    ("frameshift_variant", "A", "AT", "Frame_Shift_Ins"),
    ("inframe_deletion", "AGGC", "A", "In_Frame_Del"),
    ("protein_altering_variant", "AGG", "A", "Frame_Shift_Del"),
    ("3_prime_UTR_variant", "C", "T", "3'UTR"),
    ("start_lost", "C", "T", "Translation_Start_Site"),
    ("something_new", "C", "T", "Targeted_Region"),
])
def test_variant_classification_uses_the_most_severe_term_as_vcf2maf_does(consequence, ref, alt, expected):
    row = one(consequence=consequence, ref=ref, alt=alt)
    assert row["Variant_Classification"] == expected in VARIANT_CLASSIFICATIONS | {"Targeted_Region"}


def test_short_protein_changes_for_synonymous_and_splice_variants():
    assert one(consequence="synonymous_variant", protein_change="G2032=")["HGVSp_Short"] == "p.G2032="
    splice = one(consequence="splice_donor_variant", protein_change="", hgvs_p="", hgvs_c="c.5777+1G>A",
                 exon="", intron="34")
    assert splice["HGVSp_Short"] == "p.X1926_splice"  # vcf2maf: round((5777 + 5777 % 3) / 3)
    assert (splice["Exon_Number"], splice["INTRON"]) == ("", "34/42")
    assert one(consequence="intron_variant", protein_change="", hgvs_p="")["HGVSp_Short"] == ""


def test_read_counts_give_cbioportals_vaf_and_tumour_only_normal_columns_are_empty():
    row = one(depth="500", alt_reads="60")
    assert (row["t_depth"], row["t_alt_count"], row["t_ref_count"]) == (500, 60, 440)
    assert row.get("n_depth") is None and row.get("Matched_Norm_Sample_Barcode") is None
    unknown = one(depth="", alt_reads="7")
    assert (unknown["t_depth"], unknown["t_ref_count"], unknown["t_alt_count"]) == (None, None, 7)


def test_tumor_seq_allele1_is_reference_unless_homozygous_alt():
    assert one()["Tumor_Seq_Allele1"] == "C"
    assert one(genotype="1/1")["Tumor_Seq_Allele1"] == "T"


def test_uncalled_rows_are_left_out_and_lines_are_sorted():
    rows = maf_rows([variant(sample_id="S2", pos="200"), variant(sample_id="S1", pos="300"),
                     variant(sample_id="S1", pos="100"), variant(sample_id="S1", pos="150", called="false")])
    assert [(r["Tumor_Sample_Barcode"], r["vcf_pos"]) for r in rows] == [("S1", "100"), ("S1", "300"), ("S2", "200")]


def test_written_file_is_a_version_line_then_a_tab_separated_table_with_integer_positions(tmp_path):
    path = tmp_path / "variants.maf"
    write_maf(path, [variant(), variant(sample_id="P1_base", timepoint="baseline", ref="CA", alt="C",
                                        pos="117317190", consequence="frameshift_variant")], build="GRCh38")
    lines = path.read_text().splitlines()
    assert lines[0] == "#version 2.4"
    table = list(csv.DictReader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE))
    assert list(table[0]) == MAF_COLUMNS
    for row in table:
        assert all(row[c] for c in MAFTOOLS_REQUIRED + CBIOPORTAL_REQUIRED[:3])
        assert int(row["Start_Position"]) <= int(row["End_Position"])
        assert row["Variant_Classification"] in VARIANT_CLASSIFICATIONS
        assert row["Variant_Type"] in {"SNP", "DNP", "TNP", "ONP", "INS", "DEL"}
        assert int(row["t_depth"]) >= int(row["t_alt_count"])
    assert table[0]["Reference_Allele"] == "A" and table[0]["Tumor_Seq_Allele2"] == "-"


def test_empty_variant_table_gives_a_header_only_maf(tmp_path):
    path = tmp_path / "variants.maf"
    write_maf(path, [])
    assert path.read_text().splitlines() == ["#version 2.4", "\t".join(MAF_COLUMNS)]


def test_a_frameshift_that_stops_at_once_is_a_frame_shift_del_as_tcga_and_genie_classify_it():
    from ros1trace.variants.maf import most_severe, variant_classification

    term = most_severe("stop_gained&frameshift_variant")
    assert variant_classification(term, "DEL", "A", "-") == "Frame_Shift_Del"
    assert most_severe("stop_gained&splice_region_variant") == "stop_gained"
