"""Baseline evidence for a codon change of several bases comes from its changed bases.

G2032K is two changed bases.  A caller may write it as two SNVs (merged into one change by the
variants stage) or as one MNV record, and a baseline VCF may force-call it either way; the
baseline's depth and alt reads for the change come from whatever covers each of its bases.
Bases are read from the locus fixture, so the tests follow the synthetic reference.
"""

from __future__ import annotations

import re

import pytest

from conftest import run_stages
from ros1trace.emergence.power import detection_power
from ros1trace.reference.transcript import CODON_TABLE, complement, transcript
from ros1trace.synthetic.variants import SimAllele, SimSite, protein_change_alleles, write_bam, write_vcf
from ros1trace.tsv import write_tsv

TX = transcript("GRCh38")
SAMPLE_COLUMNS = ["patient_id", "sample_id", "timepoint", "sample_type", "vcf", "depth", "bam"]
KIND = {"mutect2": "vcf_reference_record", "vardict": "vcf_reference_record", "freebayes": "vcf_reference_record",
        "strelka2": "vcf_record"}  # Strelka2 writes no GT: a force-called allele is a record not carried


def g2032k(locus):
    return sorted(protein_change_alleles("G2032K", TX, locus))


def three_base_change(locus, residue=2032):
    """The changed bases (pos, ref, alt) of a missense change of ``residue`` that needs all three
    bases of its codon, the first in codon-table order on this reference."""
    positions = TX.codon_positions(residue)
    codon = "".join(complement(locus.seq(p, p)) for p in positions)
    for new in sorted(CODON_TABLE):
        if all(a != b for a, b in zip(codon, new)) and CODON_TABLE[new] not in ("*", CODON_TABLE[codon]):
            return sorted((p, complement(c), complement(n)) for p, c, n in zip(positions, codon, new))
    raise AssertionError(f"no three-base missense change of codon {codon}")


def as_mnv(locus, sites):
    """One record (pos, ref, alt) for changed bases of one codon, unchanged bases in between."""
    low, high = sites[0][0], sites[-1][0]
    ref = locus.seq(low, high)
    alt = list(ref)
    for pos, _, base in sites:
        alt[pos - low] = base
    return low, ref, "".join(alt)


def snvs(sites, vaf, depth=3000):
    return [SimAllele(p, r, a, vaf, depth) for p, r, a in sites]


def force_called(sites, depths):
    return [SimAllele(p, r, a, 0.0, d, force_ref=True) for (p, r, a), d in zip(sites, depths)]


def vcf(folder, name, alleles, dialect="vardict"):
    return str(write_vcf(folder / f"{name}.vcf.gz", dialect, name, alleles, "GRCh38"))


def run_patient(tmp_path, user_fasta, baseline_alleles, progression_alleles, dialect="vardict", **baseline):
    """One patient, one baseline and one progression sample; returns (patient row, emergence rows, variants)."""
    samples = [
        {"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "plasma",
         "vcf": vcf(tmp_path, "B", baseline_alleles, dialect), **baseline},
        {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "plasma",
         "vcf": vcf(tmp_path, "P", progression_alleles)}]
    write_tsv(tmp_path / "samples.tsv", SAMPLE_COLUMNS, samples)
    write_tsv(tmp_path / "patients.tsv", ["patient_id", "progression_site"],
              [{"patient_id": "P1", "progression_site": "extracranial"}])
    tables = run_stages(tmp_path / "samples.tsv", tmp_path / "patients.tsv", user_fasta, tmp_path / "out")
    [patient] = tables["patients"]
    return patient, {r["protein_change"]: r for r in tables["emergence"]}, tables["variants"]


@pytest.mark.parametrize("dialect", sorted(KIND))
def test_two_snv_g2032k_with_force_called_baselines_is_emergent_with_depth_and_power(
        tmp_path, locus38, user_fasta, dialect):
    """The issue's case: c.6094G>A + c.6095G>A unphased with equal AD/AF at progression, 0/0 at both
    positions at baseline (depths above 1,500), no sheet depth."""
    sites = g2032k(locus38)
    patient, emergence, _ = run_patient(tmp_path, user_fasta, force_called(sites, [1750, 1600]),
                                        snvs(sites, 0.12), dialect)
    row = emergence["G2032K"]
    assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"]) == ("emergent", "1600", "0")
    assert float(row["detection_power"]) == pytest.approx(detection_power(1600, 0.12, 3), abs=1e-6)
    kind = KIND[dialect]
    assert row["baseline_evidence"] == f"B:{kind}@{sites[0][0]}+{kind}@{sites[1][0]}"
    assert patient["emergent_ros1_mutations"] == "G2032K" and patient["ros1_mutation_status"] == "emergent"


def test_merged_change_takes_the_smallest_depth_of_its_bases_for_the_power(tmp_path, locus38, user_fasta):
    """A shallow base limits the haplotype: 40 reads at one base, 2,000 at the other."""
    sites = g2032k(locus38)
    _, emergence, _ = run_patient(tmp_path, user_fasta, force_called(sites, [2000, 40]), snvs(sites, 0.05))
    row = emergence["G2032K"]
    assert (row["status"], row["baseline_depth"]) == ("indeterminate", "40")
    assert float(row["detection_power"]) == pytest.approx(detection_power(40, 0.05, 3), abs=1e-6)


@pytest.mark.parametrize("baseline_split", [True, False], ids=["baseline_snvs", "baseline_mnv"])
def test_change_split_one_way_at_baseline_and_the_other_at_progression_finds_the_baseline_depth(
        tmp_path, locus38, user_fasta, baseline_split):
    sites = g2032k(locus38)
    pos, ref, alt = as_mnv(locus38, sites)
    if baseline_split:  # baseline force-called as two SNVs, progression called as one MNV record
        baseline, progression = force_called(sites, [1800, 1900]), [SimAllele(pos, ref, alt, 0.1, 3000)]
        evidence = f"B:vcf_reference_record@{sites[0][0]}+vcf_reference_record@{sites[1][0]}"
    else:  # baseline force-called as one MNV record, progression called as two SNVs
        baseline, progression = [SimAllele(pos, ref, alt, 0.0, 1800, force_ref=True)], snvs(sites, 0.1)
        evidence = "B:vcf_reference_record"
    _, emergence, _ = run_patient(tmp_path, user_fasta, baseline, progression, "mutect2")
    row = emergence["G2032K"]
    assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"], row["baseline_evidence"]) == \
        ("emergent", "1800", "0", evidence)
    assert float(row["detection_power"]) == pytest.approx(detection_power(1800, 0.1, 3), abs=1e-6)


def test_change_called_as_snvs_at_baseline_and_as_an_mnv_at_progression_is_pre_existing(
        tmp_path, locus38, user_fasta):
    sites = g2032k(locus38)
    pos, ref, alt = as_mnv(locus38, sites)
    _, emergence, _ = run_patient(tmp_path, user_fasta, snvs(sites, 0.02, 1500),
                                  [SimAllele(pos, ref, alt, 0.2, 3000)])
    assert list(emergence) == ["G2032K"] and emergence["G2032K"]["status"] == "pre_existing"


def test_three_base_codon_change_is_one_change_with_the_smallest_baseline_depth(
        tmp_path, locus38, annotator38, user_fasta):
    sites = three_base_change(locus38)
    change = annotator38.annotate(*as_mnv(locus38, sites)).protein_change
    _, emergence, variants = run_patient(tmp_path, user_fasta, force_called(sites, [2100, 1500, 1900]),
                                         snvs(sites, 0.1, 2000))
    [progression] = [v for v in variants if v["sample_id"] == "P"]
    assert progression["protein_change"] == change and len(progression["merged_from"].split(";")) == 3
    row = emergence[change]
    assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"]) == ("emergent", "1500", "0")
    assert row["baseline_evidence"] == "B:" + "+".join(f"vcf_reference_record@{p}" for p, _, _ in sites)


def test_a_changed_base_without_baseline_evidence_falls_back_to_the_sheet_depth(
        tmp_path, locus38, annotator38, user_fasta):
    sites = three_base_change(locus38)
    change = annotator38.annotate(*as_mnv(locus38, sites)).protein_change
    _, emergence, _ = run_patient(tmp_path, user_fasta, force_called(sites[:2], [2100, 1500]),
                                  snvs(sites, 0.1, 2000), depth=40)
    row = emergence[change]
    assert (row["status"], row["baseline_depth"], row["baseline_evidence"]) == ("indeterminate", "40",
                                                                                "B:sheet_depth")


@pytest.mark.parametrize("cis", [False, True], ids=["trans", "cis"])
def test_baseline_reads_count_only_those_carrying_every_changed_base(tmp_path, locus38, user_fasta, capfd, cis):
    """Reads with G2032K's two bases in trans (30 with one, 30 with the other) do not show G2032K;
    the log says how many reads carry only some of its bases."""
    sites = g2032k(locus38)
    if cis:
        bam_sites = [SimSite(sites, 0.05, 600)]
    else:
        bam_sites = [SimSite([sites[0]], 0.05, 600, seed=1), SimSite([sites[1]], 0.05, 600, seed=2)]
    bam = write_bam(tmp_path / "B.bam", bam_sites, locus38, "GRCh38")
    _, emergence, _ = run_patient(tmp_path, user_fasta, [], snvs(sites, 0.2), bam=str(bam))
    row = emergence["G2032K"]
    log = capfd.readouterr().err
    if cis:
        assert (row["status"], row["baseline_alt_reads"], row["baseline_depth"]) == ("pre_existing", "30", "600")
        assert "carry some but not all" not in log
    else:
        depth = min(base_depth(bam, pos) for pos, _, _ in sites)  # reads start anywhere: a few miss one base
        assert (row["status"], row["baseline_alt_reads"], row["baseline_depth"]) == ("emergent", "0", str(depth))
        assert float(row["detection_power"]) == pytest.approx(detection_power(depth, 0.2, 3), abs=1e-6)
        partial = re.search(r"B: (\d+) reads in \S+ carry some but not all of G2032K's changes", log)
        assert partial and 50 <= int(partial[1]) <= 60, log  # the 60 carriers, less those covering one base
    assert row["baseline_evidence"] == "B:bam"


def base_depth(bam, pos):
    """Reads with a base at ``pos`` (pysam's own pileup count, independent of ros1trace)."""
    import pysam

    with pysam.AlignmentFile(str(bam)) as handle:
        return int(sum(count[0] for count in handle.count_coverage(handle.references[0], pos - 1, pos)))


# -- through snakemake -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workflow_cohort(tmp_path_factory, locus38, annotator38, user_fasta):
    """A small cohort run by the real snakemake: the merged-codon cases above, one patient each,
    plus patients of every other status (pre-existing, indeterminate, none, not assessable)."""
    from conftest import run_snakemake

    folder = tmp_path_factory.mktemp("merged_codon")
    k, three = g2032k(locus38), three_base_change(locus38)
    [g2032r] = protein_change_alleles("G2032R", TX, locus38)
    mnv, three_mnv = as_mnv(locus38, k), as_mnv(locus38, three)
    trans = [SimSite([k[0]], 0.05, 600, seed=1), SimSite([k[1]], 0.05, 600, seed=2)]
    trans_bam = write_bam(folder / "TR-B.bam", trans, locus38, "GRCh38")
    cis_bam = write_bam(folder / "CI-B.bam", [SimSite(k, 0.05, 600)], locus38, "GRCh38")
    plan = {  # patient: (baseline alleles, dialect, progression alleles or None, extra baseline columns)
        "K2": (force_called(k, [1750, 1600]), "vardict", snvs(k, 0.12), {}),
        "K1": ([SimAllele(*mnv, 0.0, 1800, force_ref=True)], "mutect2", snvs(k, 0.1), {}),
        "K3": (force_called(k, [1800, 1900]), "freebayes", [SimAllele(*mnv, 0.1, 3000)], {}),
        "T3": (force_called(three, [2100, 1500, 1900]), "mutect2", snvs(three, 0.1, 2000), {}),
        "TR": ([], "vardict", snvs(k, 0.2), {"bam": str(trans_bam)}),
        "CI": ([], "vardict", snvs(k, 0.2), {"bam": str(cis_bam)}),
        "SH": ([], "vardict", snvs([g2032r], 0.08), {"depth": 20}),
        "NO": ([], "vardict", [], {"depth": 800}),
        "NS": ([], "vardict", None, {"depth": 800}),  # no progression sample
    }
    samples = []
    for pid, (baseline, dialect, progression, extra) in plan.items():
        samples.append({"patient_id": pid, "sample_id": f"{pid}-B", "timepoint": "baseline",
                        "sample_type": "plasma", "vcf": vcf(folder, f"{pid}-B", baseline, dialect), **extra})
        if progression is not None:
            samples.append({"patient_id": pid, "sample_id": f"{pid}-P", "timepoint": "progression",
                            "sample_type": "plasma", "vcf": vcf(folder, f"{pid}-P", progression)})
    write_tsv(folder / "samples.tsv", SAMPLE_COLUMNS, samples)
    write_tsv(folder / "patients.tsv", ["patient_id", "progression_site"],
              [{"patient_id": pid, "progression_site": "extracranial"} for pid in plan])
    outdir = folder / "results"
    run_snakemake("--config", f"samples={folder / 'samples.tsv'}", f"patients={folder / 'patients.tsv'}",
                  f"reference_fasta={user_fasta}", f"outdir={outdir}")
    three_change = annotator38.annotate(*three_mnv).protein_change
    return outdir, {"k": k, "three": three, "three_change": three_change}


def test_snakemake_finds_the_baseline_evidence_of_merged_codon_changes(workflow_cohort):
    from ros1trace.tsv import read_tsv

    outdir, made = workflow_cohort
    rows = {(r["patient_id"], r["protein_change"]): r for r in read_tsv(outdir / "emergence.tsv")}
    k = made["k"]
    expected = {  # (patient, change): (status, baseline depth, baseline alt reads, evidence)
        ("K2", "G2032K"): ("emergent", "1600", "0",
                           f"K2-B:vcf_reference_record@{k[0][0]}+vcf_reference_record@{k[1][0]}"),
        ("K1", "G2032K"): ("emergent", "1800", "0", "K1-B:vcf_reference_record"),
        ("K3", "G2032K"): ("emergent", "1800", "0",
                           f"K3-B:vcf_reference_record@{k[0][0]}+vcf_reference_record@{k[1][0]}"),
        ("T3", made["three_change"]): ("emergent", "1500", "0", "T3-B:" + "+".join(
            f"vcf_reference_record@{p}" for p, _, _ in made["three"])),
        ("CI", "G2032K"): ("pre_existing", "600", "30", "CI-B:bam"),
        ("SH", "G2032R"): ("indeterminate", "20", "", "SH-B:sheet_depth"),
    }
    for key, (status, depth, alt, evidence) in expected.items():
        row = rows[key]
        assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"], row["baseline_evidence"]) == \
            (status, depth, alt, evidence), key
    trans = rows[("TR", "G2032K")]
    assert (trans["status"], trans["baseline_alt_reads"], trans["baseline_evidence"]) == \
        ("emergent", "0", "TR-B:bam")
    log = "".join(p.read_text() for p in (outdir / "logs" / "emergence").glob("*.log"))
    assert re.search(r"TR-B: \d+ reads in \S+TR-B.bam carry some but not all of G2032K's changes", log)
    assert not any("CI-B:" in line and "carry some" in line for line in log.splitlines())  # cis: every read whole


def test_snakemake_distribution_counts_every_patient_in_their_rows(workflow_cohort):
    from ros1trace.tsv import read_tsv

    outdir, made = workflow_cohort
    rows = {r["protein_change"]: r["patient_ids"].split(";") if r["patient_ids"] else []
            for r in read_tsv(outdir / "stats" / "mutation_distribution.tsv")}
    assert rows == {"G2032K": ["K1", "K2", "K3", "TR"], made["three_change"]: ["T3"], "none detected": ["NO"],
                    "pre-existing only": ["CI"], "indeterminate": ["SH"], "not assessable": ["NS"]}


def plain_patient(tmp_path, user_fasta, baseline_records, progression_alleles, extra_header=""):
    """Like run_patient, with a baseline VCF written record by record (conftest's writer)."""
    from conftest import write_vcf as write_records

    baseline = write_records(tmp_path / "B.vcf", baseline_records, samples=("B",), extra_header=extra_header)
    samples = [{"patient_id": "P1", "sample_id": "B", "timepoint": "baseline", "sample_type": "tissue",
                "vcf": str(baseline)},
               {"patient_id": "P1", "sample_id": "P", "timepoint": "progression", "sample_type": "tissue",
                "vcf": vcf(tmp_path, "P", progression_alleles)}]
    write_tsv(tmp_path / "samples.tsv", SAMPLE_COLUMNS, samples)
    write_tsv(tmp_path / "patients.tsv", ["patient_id", "progression_site"],
              [{"patient_id": "P1", "progression_site": "extracranial"}])
    tables = run_stages(tmp_path / "samples.tsv", tmp_path / "patients.tsv", user_fasta, tmp_path / "out")
    return {r["protein_change"]: r for r in tables["emergence"]}


def test_a_gvcf_block_over_one_base_and_a_force_called_record_at_the_other_give_the_smaller_depth(
        tmp_path, locus38, user_fasta):
    from conftest import record

    (p1, r1, _), (p2, r2, a2) = g2032k(locus38)
    block = "\t".join(["chr6", str(p1 - 40), ".", locus38.seq(p1 - 40, p1 - 40), "<NON_REF>", ".", ".",
                       f"END={p1}", "GT:DP:MIN_DP", "0/0:2600:2500"])
    emergence = plain_patient(tmp_path, user_fasta, [block, record(p2, r2, a2, "0/0:1700,0:0:1700")],
                              snvs(g2032k(locus38), 0.1),
                              '##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="Min DP">\n')
    row = emergence["G2032K"]
    assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"]) == ("emergent", "1700", "0")
    assert row["baseline_evidence"] == f"B:vcf_reference_record@{p1}+vcf_reference_record@{p2}"


def test_force_called_records_listing_alt_reads_give_the_change_the_fewest_of_them(tmp_path, locus38, user_fasta):
    """4 and 6 reads of the changed bases at baseline: at most 4 can carry the whole change, and 4
    reaches min_alt_reads (3), so the change was there already."""
    from conftest import record

    (p1, r1, a1), (p2, r2, a2) = g2032k(locus38)
    emergence = plain_patient(tmp_path, user_fasta, [record(p1, r1, a1, "0/0:1600,4:0.0025:1604"),
                                                     record(p2, r2, a2, "0/0:1700,6:0.0035:1706")],
                              snvs(g2032k(locus38), 0.1))
    row = emergence["G2032K"]
    assert (row["status"], row["baseline_depth"], row["baseline_alt_reads"]) == ("pre_existing", "1604", "4")
