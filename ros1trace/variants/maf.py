"""``variants.maf``: the called ROS1 variants as a MAF (GDC MAF 2.4 as vcf2maf writes it).

So that maftools (``read.maf``) and cBioPortal load the file, it follows the GDC / vcf2maf column
specification and conventions (mskcc/vcf2maf ``vcf2maf.pl``, docs/vep_maf_readme.txt):

* a ``#version 2.4`` line, then the header: the 34 standard MAF columns, vcf2maf's HGVSc ...
  ``all_effects``, then extras (``Consequence``, ``RefSeq``, ``FILTER``, ``vcf_pos`` and ours);
* one line per variant and sample (``Tumor_Sample_Barcode`` = sample_id), on the + strand;
* **alleles and positions**: the bases VCF alleles share at the start are removed, ``-`` marks
  an empty allele.  SNP/DNP/TNP/ONP: ``Start_Position`` = first changed base,
  ``End_Position`` = Start + length - 1.  Deletion: Start..End = the deleted bases,
  ``Tumor_Seq_Allele2`` ``-``.  Insertion: ``Reference_Allele`` ``-`` and Start/End = the bases
  either side of the insertion (End = Start + 1).  A complex change keeps its bases and is
  ``INS`` or ``DEL`` by which allele is longer (vcf2maf's rule);
* ``Variant_Classification`` from the most severe SO term by vcf2maf's priority table and its
  ``GetVariantClassification`` mapping (e.g. missense_variant -> Missense_Mutation,
  frameshift_variant + DEL -> Frame_Shift_Del, splice_region_variant -> Splice_Region);
* ``HGVSc`` without the transcript prefix, ``HGVSp`` three-letter, ``HGVSp_Short`` one-letter
  (``p.G2032R``, ``p.G2032=``; ``p.X<n>_splice`` for splice donor/acceptor changes, vcf2maf's
  convention), ``Transcript_ID`` ENST00000368508 (NM_002944.2 in ``RefSeq``; the literature's
  P08922 numbering), ``Exon_Number`` ``36/43``;
* ``t_depth`` / ``t_alt_count`` from the sample, ``t_ref_count`` = depth - alt reads (so that
  cBioPortal's t_alt / (t_alt + t_ref) is the VAF); tumour-only: the normal columns are empty;
* ``Tumor_Seq_Allele1`` is the reference allele (heterozygous, vcf2maf's default) unless the
  genotype is homozygous ALT.
Rows of variants.tsv whose ``called`` column is ``false`` (sites looked at, not called) are left out.
"""

from __future__ import annotations

import re
from functools import cache

from ..reference.transcript import ENSEMBL_TRANSCRIPT, GENE, TRANSCRIPT, read_tsv, resources_dir, transcript
from ..tsv import atomic_path, format_value

MAF_VERSION = "#version 2.4"
STANDARD_COLUMNS = (
    "Hugo_Symbol Entrez_Gene_Id Center NCBI_Build Chromosome Start_Position End_Position Strand "
    "Variant_Classification Variant_Type Reference_Allele Tumor_Seq_Allele1 Tumor_Seq_Allele2 "
    "dbSNP_RS dbSNP_Val_Status Tumor_Sample_Barcode Matched_Norm_Sample_Barcode "
    "Match_Norm_Seq_Allele1 Match_Norm_Seq_Allele2 Tumor_Validation_Allele1 Tumor_Validation_Allele2 "
    "Match_Norm_Validation_Allele1 Match_Norm_Validation_Allele2 Verification_Status "
    "Validation_Status Mutation_Status Sequencing_Phase Sequence_Source Validation_Method Score "
    "BAM_File Sequencer Tumor_Sample_UUID Matched_Norm_Sample_UUID"
).split()
VCF2MAF_COLUMNS = (
    "HGVSc HGVSp HGVSp_Short Transcript_ID Exon_Number t_depth t_ref_count t_alt_count "
    "n_depth n_ref_count n_alt_count all_effects"
).split()
EXTRA_COLUMNS = (
    "Gene Feature Feature_type Consequence RefSeq EXON INTRON FILTER vcf_pos "
    "patient_id timepoint sample_type t_vaf in_kinase_domain known_resistance"
).split()
MAF_COLUMNS = STANDARD_COLUMNS + VCF2MAF_COLUMNS + EXTRA_COLUMNS

# vcf2maf GetEffectPriority (lower = more severe), for the SO terms a ROS1 annotation can carry.
EFFECT_PRIORITY = {
    "transcript_ablation": 1, "exon_loss_variant": 1, "splice_donor_variant": 2, "splice_acceptor_variant": 2,
    "stop_gained": 3, "frameshift_variant": 3, "stop_lost": 3, "start_lost": 4, "initiator_codon_variant": 4,
    "inframe_insertion": 5, "inframe_deletion": 5, "protein_altering_variant": 5, "missense_variant": 6,
    "splice_region_variant": 8, "start_retained_variant": 9, "stop_retained_variant": 9,
    "synonymous_variant": 9, "coding_sequence_variant": 11, "5_prime_UTR_variant": 12,
    "3_prime_UTR_variant": 12, "intron_variant": 14, "upstream_gene_variant": 16,
    "downstream_gene_variant": 16, "intergenic_variant": 19,
}
# vcf2maf GetVariantClassification, term by term ('frameshift' and in-frame terms need the type).
CLASSIFICATION = {
    "transcript_ablation": "Splice_Site", "exon_loss_variant": "Splice_Site",
    "splice_donor_variant": "Splice_Site", "splice_acceptor_variant": "Splice_Site",
    "stop_gained": "Nonsense_Mutation", "stop_lost": "Nonstop_Mutation",
    "start_lost": "Translation_Start_Site", "initiator_codon_variant": "Translation_Start_Site",
    "inframe_insertion": "In_Frame_Ins", "inframe_deletion": "In_Frame_Del",
    "missense_variant": "Missense_Mutation", "coding_sequence_variant": "Missense_Mutation",
    "intron_variant": "Intron", "splice_region_variant": "Splice_Region",
    "synonymous_variant": "Silent", "stop_retained_variant": "Silent",
    "5_prime_UTR_variant": "5'UTR", "3_prime_UTR_variant": "3'UTR",
    "upstream_gene_variant": "5'Flank", "downstream_gene_variant": "3'Flank", "intergenic_variant": "IGR",
}
HOMOZYGOUS_ALT = re.compile(r"^([1-9]\d*)[/|]\1$")


@cache
def _gene_ids() -> dict[str, str]:
    """Entrez and Ensembl gene ids of ROS1 from the bundled partner_genes table."""
    rows = read_tsv(resources_dir() / "reference" / "partner_genes_GRCh38.tsv")
    ros1 = next(r for r in rows if r["gene"] == GENE)
    return {"entrez": ros1["entrez_id"], "ensembl": ros1["ensembl_gene_id"]}


@cache
def _exon_count() -> int:
    return len(transcript("GRCh38").exons)  # NM_002944.2 has the same 43 exons on both builds


def maf_alleles(pos: int, ref: str, alt: str) -> tuple[int, int, str, str, str]:
    """VCF pos/ref/alt -> MAF (Start_Position, End_Position, Reference_Allele, Tumor_Seq_Allele2,
    Variant_Type)."""
    while ref and alt and ref[0] == alt[0] and ref != alt:  # drop the shared leading bases
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    if len(ref) == len(alt):
        return pos, pos + len(ref) - 1, ref, alt, {1: "SNP", 2: "DNP", 3: "TNP"}.get(len(ref), "ONP")
    if len(ref) < len(alt):
        if not ref:  # simple insertion: flanked by pos - 1 and pos
            return pos - 1, pos, "-", alt, "INS"
        return pos, pos + len(ref) - 1, ref, alt, "INS"
    return pos, pos + len(ref) - 1, ref, alt or "-", "DEL"


def most_severe(consequence: str) -> str:
    """The term that classifies the variant; of equally severe terms a frameshift wins, so a one-base
    deletion whose first shifted codon is a stop (``stop_gained&frameshift_variant``) is a
    Frame_Shift_Del, as TCGA and GENIE MAFs classify such deletions (e.g. ROS1 c.3851del)."""
    terms = [t for t in consequence.split("&") if t]
    return min(terms, key=lambda t: (EFFECT_PRIORITY.get(t, 20), t != "frameshift_variant")) if terms else ""


def variant_classification(term: str, variant_type: str, ref: str, alt: str) -> str:
    """vcf2maf's mapping of one SO term (and the variant type) to a MAF Variant_Classification."""
    indel = variant_type in ("INS", "DEL")
    inframe = indel and abs(len(ref.strip("-")) - len(alt.strip("-"))) % 3 == 0
    if term == "frameshift_variant" or (term == "protein_altering_variant" and indel and not inframe):
        return "Frame_Shift_Del" if variant_type == "DEL" else "Frame_Shift_Ins"
    if term == "protein_altering_variant" and inframe:
        return "In_Frame_Del" if variant_type == "DEL" else "In_Frame_Ins"
    return CLASSIFICATION.get(term, "Targeted_Region")


def hgvsp_short(protein_change: str, term: str, hgvs_c: str) -> str:
    if term in ("splice_donor_variant", "splice_acceptor_variant"):
        match = re.match(r"c\.(-?\d+)", hgvs_c or "")
        if match:  # vcf2maf: the codon next to the splice site, printed p.X<n>_splice
            c_pos = max(1, int(match[1]))
            return f"p.X{round((c_pos + c_pos % 3) / 3)}_splice"
    return f"p.{protein_change}" if protein_change else ""


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _read_counts(variant: dict) -> dict:
    depth, alt_reads = _int(variant.get("depth")), _int(variant.get("alt_reads"))
    known = depth is not None and alt_reads is not None and depth >= alt_reads
    return {"t_depth": depth, "t_alt_count": alt_reads, "t_ref_count": depth - alt_reads if known else None}


def _transcript_fields(variant: dict, term: str) -> dict:
    exon, intron, exons = variant.get("exon", ""), variant.get("intron", ""), _exon_count()
    effect = f"{GENE},{term},{variant.get('hgvs_p', '')},{ENSEMBL_TRANSCRIPT},{TRANSCRIPT};"
    return {
        "HGVSc": variant.get("hgvs_c", ""), "HGVSp": variant.get("hgvs_p", ""),
        "HGVSp_Short": hgvsp_short(variant.get("protein_change", ""), term, variant.get("hgvs_c", "")),
        "Transcript_ID": ENSEMBL_TRANSCRIPT, "Exon_Number": f"{exon}/{exons}" if exon else "",
        "all_effects": effect if term else "", "Gene": _gene_ids()["ensembl"], "Feature": ENSEMBL_TRANSCRIPT,
        "Feature_type": "Transcript", "RefSeq": TRANSCRIPT,
        "Consequence": ",".join(t for t in variant.get("consequence", "").split("&") if t),
        "EXON": f"{exon}/{exons}" if exon else "", "INTRON": f"{intron}/{exons - 1}" if intron else "",
    }


def maf_chromosome(chrom: str, build: str | None) -> str:
    """One spelling per file whatever each VCF used: chr6 on GRCh38 (as GDC writes), 6 on GRCh37."""
    bare = chrom[3:] if chrom.lower().startswith("chr") else chrom
    return bare if build == "GRCh37" else f"chr{bare}"


def maf_row(variant: dict, build: str | None = None) -> dict:
    """One MAF line (column -> value) for one variants.tsv row (dict of strings)."""
    start, end, ref, alt, variant_type = maf_alleles(int(variant["pos"]), variant["ref"], variant["alt"])
    term = most_severe(variant.get("consequence", ""))
    homozygous = bool(HOMOZYGOUS_ALT.match(variant.get("genotype", "") or ""))
    row = {
        "Hugo_Symbol": GENE, "Entrez_Gene_Id": _gene_ids()["entrez"], "Center": ".",
        "NCBI_Build": build or "", "Chromosome": maf_chromosome(variant["chrom"], build), "Start_Position": start,
        "End_Position": end, "Strand": "+",
        "Variant_Classification": variant_classification(term, variant_type, ref, alt),
        "Variant_Type": variant_type, "Reference_Allele": ref,
        "Tumor_Seq_Allele1": alt if homozygous else ref, "Tumor_Seq_Allele2": alt,
        "Tumor_Sample_Barcode": variant["sample_id"], "FILTER": variant.get("filter", ""),
        "vcf_pos": variant["pos"], "t_vaf": variant.get("vaf", ""),
    }
    ours = ("patient_id", "timepoint", "sample_type", "in_kinase_domain", "known_resistance")
    extras = {key: variant.get(key, "") for key in ours}
    return row | _read_counts(variant) | _transcript_fields(variant, term) | extras


def _order(variant: dict):
    return (variant.get("patient_id", ""), variant["sample_id"], variant["chrom"], int(variant["pos"]),
            variant["ref"], variant["alt"])


def maf_rows(variant_rows: list[dict], build: str | None = None) -> list[dict]:
    """MAF lines for the called variants of variants.tsv, sorted by patient, sample and position."""
    called = [v for v in variant_rows if str(v.get("called", "")).lower() != "false"]
    return [maf_row(v, build) for v in sorted(called, key=_order)]


def write_maf(path, variant_rows: list[dict], build: str | None = None) -> None:
    """Write variants.maf (``build``: the run's genome_build, for NCBI_Build)."""
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(MAF_VERSION + "\n" + "\t".join(MAF_COLUMNS) + "\n")
        for row in maf_rows(variant_rows, build):
            handle.write("\t".join(format_value(row.get(c)) for c in MAF_COLUMNS) + "\n")
