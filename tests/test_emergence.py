"""Emergent vs pre-existing vs lost vs indeterminate, with baseline reads and detection power."""

from __future__ import annotations

import pytest

from conftest import run_stages
from ros1trace.emergence.power import detection_power
from ros1trace.emergence.status import Evidence, VariantHistory, classify, pooled
from ros1trace.reference.transcript import transcript
from ros1trace.synthetic.variants import SimAllele, SimSite, protein_change_alleles, write_bam, write_vcf
from ros1trace.tsv import write_tsv

TX = transcript("GRCh38")
SAMPLE_COLUMNS = ["patient_id", "sample_id", "timepoint", "sample_type", "vcf", "depth", "bam", "cnv"]


def cohort(tmp_path, samples, patients=(("P1", "extracranial"),)):
    write_tsv(tmp_path / "samples.tsv", SAMPLE_COLUMNS, samples)
    write_tsv(tmp_path / "patients.tsv", ["patient_id", "progression_site"],
              [{"patient_id": p, "progression_site": s} for p, s in patients])
    return tmp_path / "samples.tsv", tmp_path / "patients.tsv"


def vcf(tmp_path, name, alleles, dialect="vardict"):
    return str(write_vcf(tmp_path / f"{name}.vcf.gz", dialect, name, alleles, "GRCh38"))


def snvs(locus, name, vaf, depth=800):
    return [SimAllele(p, r, a, vaf, depth) for p, r, a in protein_change_alleles(name, TX, locus)]


def mnv(locus, name, vaf, depth=800):
    changes = sorted(protein_change_alleles(name, TX, locus))
    low, high = changes[0][0], changes[-1][0]
    ref = locus.seq(low, high)
    alt = list(ref)
    for p, _, a in changes:
        alt[p - low] = a
    return [SimAllele(low, ref, "".join(alt), vaf, depth)]


def one_patient(tables):
    [row] = tables["patients"]
    return row, {r["protein_change"]: r for r in tables["emergence"]}


def test_g2032k_split_differently_at_the_two_timepoints_is_one_pre_existing_variant(tmp_path, locus38, user_fasta):
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "B", mnv(locus38, "G2032K", 0.05))},
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "P", snvs(locus38, "G2032K", 0.3))}])
    patient, emergence = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    assert list(emergence) == ["G2032K"] and emergence["G2032K"]["status"] == "pre_existing"
    assert patient["ros1_mutation_status"] == "pre_existing" and patient["resistance_mechanism"] == "ros1_on_target"


def test_sub_threshold_baseline_clone_found_only_in_reads_is_pre_existing(tmp_path, locus38, user_fasta):
    [(pos, ref, alt)] = protein_change_alleles("G2032R", TX, locus38)
    bam = write_bam(tmp_path / "B.bam", [SimSite([(pos, ref, alt)], 0.01, 500)], locus38, "GRCh38")
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "B", []), "bam": str(bam)},
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "plasma",
         "vcf": vcf(tmp_path, "P", snvs(locus38, "G2032R", 0.2))}])
    patient, emergence = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    row = emergence["G2032R"]
    assert (row["status"], row["baseline_alt_reads"], row["baseline_depth"]) == ("pre_existing", "5", "500")
    assert row["baseline_evidence"] == "B:bam"


@pytest.mark.parametrize("depth,status", [(20, "indeterminate"), (2000, "emergent")])
def test_baseline_depth_decides_between_emergent_and_indeterminate(tmp_path, locus38, user_fasta, depth, status):
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "plasma",
         "vcf": vcf(tmp_path, "B", []), "depth": depth},
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "csf",
         "vcf": vcf(tmp_path, "P", snvs(locus38, "G2032R", 0.08))}])
    patient, emergence = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    row = emergence["G2032R"]
    assert row["status"] == status and row["baseline_evidence"] == "B:sheet_depth"
    assert float(row["detection_power"]) == pytest.approx(detection_power(depth, 0.08, 3), abs=1e-6)
    assert row["baseline_alt_reads"] == ""  # reads were not examined: unknown, not zero
    assert patient["ros1_mutation_status"] == status
    assert patient["emergent_ros1_mutations"] == ("G2032R" if status == "emergent" else "")


def test_two_progression_samples_report_the_highest_vaf_and_both_samples(tmp_path, locus38, user_fasta):
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "B", []), "depth": 800},
        {"patient_id": "P1", "sample_id": "P-csf", "timepoint": "progression", "sample_type": "csf",
         "vcf": vcf(tmp_path, "P-csf", snvs(locus38, "L2026M", 0.12), "mutect2")},
        {"patient_id": "P1", "sample_id": "P-plasma", "timepoint": "progression", "sample_type": "plasma",
         "vcf": vcf(tmp_path, "P-plasma", snvs(locus38, "L2026M", 0.04), "freebayes")}],
        patients=(("P1", "intracranial"),))
    patient, emergence = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    row = emergence["L2026M"]
    assert (row["progression_vaf"], row["progression_samples"], row["status"]) == ("0.12", "P-csf;P-plasma", "emergent")
    assert patient["progression_sample_types"] == "csf;plasma"


def test_met_amplification_without_ros1_mutation_is_off_target(tmp_path, locus38, user_fasta):
    cnv = tmp_path / "cnv.tsv"
    cnv.write_text("gene\tcopy_number\nMET\t9.5\nEGFR\t3\n")
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "P", snvs(locus38, "G2032=", 0.3)), "cnv": str(cnv)}])
    patient, _ = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    assert (patient["resistance_mechanism"], patient["off_target_alterations"], patient["ros1_mutation_status"]) == \
        ("off_target", "MET amplification (CN 9.5)", "none")


def test_variant_called_only_at_baseline_is_lost(tmp_path, locus38, user_fasta):
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "B", snvs(locus38, "S1986Y", 0.1))},
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "P", [])}])
    patient, emergence = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    assert emergence["S1986Y"]["status"] == "lost"
    assert (patient["ros1_mutation_status"], patient["resistance_mechanism"]) == ("none", "none_detected")


ANNOTATIONS = {
    "CSQ": ('Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|HGVSp',
            "T|missense_variant|MODERATE|KRAS|ENSG1|ENSP1:p.Gly12Asp", "T|synonymous_variant|LOW|KRAS|ENSG1|",
            "KRAS p.Gly12Asp"),
    "ANN": ("Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | "
            "Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p'",
            "T|missense_variant|MODERATE|KRAS|ENSG1|transcript|ENST1|protein_coding|2/6|c.35G>A|p.Gly12Asp",
            "T|synonymous_variant|LOW|KRAS|ENSG1|transcript|ENST1|protein_coding|2/6|c.36G>A|p.Gly12=",
            "KRAS p.Gly12Asp"),
    "BCSQ": ("Haplotype-aware consequence annotation from BCFtools/csq. Format: Consequence|gene|transcript|biotype|"
             "strand|amino_acid_change|dna_change",
             "missense|KRAS|ENST1|protein_coding|-|12G>12D|25245350C>T", "synonymous|KRAS|ENST1|protein_coding|-|12G|25245360C>T",
             "KRAS 12G>12D"),
}


@pytest.mark.parametrize("key", sorted(ANNOTATIONS))
def test_bypass_gene_variants_come_from_the_vcfs_own_annotation(tmp_path, user_fasta, key):
    description, damaging, silent, expected = ANNOTATIONS[key]
    path = tmp_path / "P.vcf"
    path.write_text("\n".join([
        "##fileformat=VCFv4.2", "##contig=<ID=chr12>",
        f'##INFO=<ID={key},Number=.,Type=String,Description="{description}">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="GT">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP",
        f"chr12\t1000000\t.\tC\tT\t.\tPASS\t{key}={damaging}\tGT\t0/1",  # outside KRAS
        f"chr12\t25245350\t.\tC\tT\t.\tPASS\t{key}={damaging}\tGT\t0/1",
        f"chr12\t25245360\t.\tC\tT\t.\tPASS\t{key}={silent}\tGT\t0/1",
        f"chr12\t25245370\t.\tC\tT\t.\tPASS\t{key}={damaging.replace('12', '13')}\tGT\t0/0", ""]))
    s, p = cohort(tmp_path, [{"patient_id": "P1", "sample_id": "P", "timepoint": "progression",
                              "sample_type": "tissue", "vcf": str(path)}])
    patient, _ = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    assert (patient["resistance_mechanism"], patient["off_target_alterations"]) == ("off_target", expected)


def test_no_baseline_sample_leaves_the_variant_indeterminate():
    history = VariantHistory(("6", 1, "C", "T"), "G2032R", "c.6094G>A", "missense_variant", "chr6", 1, "C", "T",
                             progression=[{"sample_id": "P", "vaf": "0.3", "alt_reads": "30", "depth": "100"}])
    row = classify(history, has_baseline=False, has_progression=True, min_alt_reads=3, min_power=0.95)
    assert row["status"] == "indeterminate" and row["baseline_evidence"] == "no_baseline_sample"


def test_baseline_samples_pool_reads_and_depth():
    alt, depth, sources = pooled([Evidence(1, 300, "a:bam"), Evidence(2, 200, "b:bam"), Evidence(None, None, "c:no_depth")])
    assert (alt, depth, sources) == (3, 500, "a:bam;b:bam;c:no_depth")


@pytest.mark.parametrize("depth,vaf,k", [(20, 0.1, 3), (800, 0.01, 3), (3000, 0.001, 5), (50, 0.5, 1)])
def test_detection_power_equals_the_binomial_survival_function(depth, vaf, k):
    from scipy.stats import binom

    assert detection_power(depth, vaf, k) == pytest.approx(binom.sf(k - 1, depth, vaf), rel=1e-9, abs=1e-12)


def test_a_baseline_gvcf_block_over_the_site_gives_the_baseline_depth(tmp_path, locus38, user_fasta):
    from conftest import write_vcf as write_plain_vcf

    [(pos, ref, alt)] = protein_change_alleles("G2032R", TX, locus38)
    block = "\t".join(["chr6", str(pos - 40), ".", locus38.seq(pos - 40, pos - 40), "<NON_REF>", ".", ".",
                       f"END={pos + 40}", "GT:DP:MIN_DP", "0/0:300:250"])
    baseline = write_plain_vcf(tmp_path / "B.g.vcf", [block], samples=("B",),
                               extra_header='##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="Min DP">\n')
    s, p = cohort(tmp_path, [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "tissue", "vcf": str(baseline)},
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "tissue",
         "vcf": vcf(tmp_path, "P", snvs(locus38, "G2032R", 0.1))}])
    _, emergence = one_patient(run_stages(s, p, user_fasta, tmp_path / "out"))
    row = emergence["G2032R"]
    assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"]) == ("emergent", "250", "0")
    assert row["baseline_evidence"] == "B:vcf_reference_record"
