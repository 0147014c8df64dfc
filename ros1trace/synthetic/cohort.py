"""Synthetic cohorts: sheets, VCFs (four caller dialects), fusion calls (every format), BAMs, CNV
calls and a truth table — the bundled example, the tests and the benchmarks are all made here.

A cohort is a list of ``PatientSpec``; ``example_cohort()`` is the hand-written one bundled under
``resources/example`` (it covers every progression site, sample type, fusion format and caller
dialect, G2032R, G2032K as two SNVs, L2026M, 5'-ROS1 second fusions, a patient without a ROS1
mutation, a shallow baseline, a patient without baseline, a sub-threshold baseline clone seen only
in reads, MET amplification).  ``random_cohort(n, seed)`` draws any number of patients with the
study's proportions.  Everything is deterministic for a seed, and labelled SYNTHETIC.

The truth table (``truth_patients.tsv``) states what the workflow must find for every patient; the
workflow tests compare against it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from ..reference.genome import load_locus
from ..reference.transcript import transcript
from ..tsv import write_tsv
from .locus import bundled_fasta
from .variants import DIALECTS, SimAllele, SimSite, protein_change_alleles, write_bam, write_vcf

FUSION_FORMATS = ("vcf", "arriba", "star-fusion", "fusioncatcher", "tsv")
CANONICAL = {  # partner -> (partner intron, ROS1 intron): breaks upstream of the kinase exons
    "CD74": (6, 33), "SDC4": (2, 31), "EZR": (9, 33), "SLC34A2": (4, 33), "TPM3": (8, 34),
    "CCDC6": (5, 33), "GOPC": (7, 34),
}
FIVE_PRIME = {"MRAS": (1, 33), "PUM1": (3, 33), "BTBD9": (2, 34), "HMGXB3": (2, 33)}  # partner intron, ROS1 intron


@dataclass
class SampleSpec:
    timepoint: str
    sample_type: str
    dialect: str = "mutect2"
    fusion_format: str | None = "tsv"
    depth: int = 800  # sequencing depth at the simulated sites
    sheet_depth: bool = True  # write the assay depth into the sheet's depth column
    mutations: dict[str, float] = field(default_factory=dict)  # protein change -> VAF
    force_called: bool = False  # write 0/0 records at the patient's progression sites
    bam: bool = False
    bam_mutations: dict[str, float] = field(default_factory=dict)  # reads only (below the caller)
    fusions: bool = True
    cnv: dict[str, float] = field(default_factory=dict)
    phased: bool = False  # write two-SNV changes with phase (PGT/PID or phased GT)
    tumour_in_sheet: bool = False  # name the tumour column in the sheet (else the VCF header tells)


@dataclass
class PatientSpec:
    patient_id: str
    progression_site: str
    partner: str
    five_prime: str | None = None
    samples: list[SampleSpec] = field(default_factory=list)
    age: int = 50
    sex: str = "female"
    smoking: bool = False
    brain_mets: bool = False
    expected: dict = field(default_factory=dict)


def example_cohort() -> list[PatientSpec]:
    """The bundled example: ten patients with samples, one without."""
    S = SampleSpec
    return [
        PatientSpec("P01", "extracranial", "CD74", samples=[
            S("baseline", "tissue", "mutect2", "arriba", force_called=True),
            S("progression", "tissue", "mutect2", "arriba", mutations={"G2032R": 0.31})],
            age=48, sex="female", expected=dict(status="emergent", emergent="G2032R", mechanism="ros1_on_target")),
        PatientSpec("P02", "extracranial", "SDC4", samples=[
            S("baseline", "plasma", "vardict", "star-fusion", depth=3000),
            S("progression", "plasma", "vardict", "star-fusion", depth=3000, mutations={"G2032K": 0.12})],
            age=55, sex="male", smoking=True,
            expected=dict(status="emergent", emergent="G2032K", mechanism="ros1_on_target")),
        PatientSpec("P03", "extracranial", "EZR", five_prime="BTBD9", samples=[
            S("baseline", "tissue", "strelka2", "vcf", bam=True),
            S("progression", "tissue", "strelka2", "vcf", mutations={"L2026M": 0.22})],
            age=61, sex="female",
            expected=dict(status="emergent", emergent="L2026M", mechanism="ros1_on_target")),
        PatientSpec("P04", "intracranial", "CD74", five_prime="MRAS", samples=[
            S("baseline", "tissue", "mutect2", "fusioncatcher"),
            S("progression", "csf", "freebayes", "tsv", depth=1500, mutations={"G2032=": 0.2}),
            S("progression", "plasma", "mutect2", "arriba", depth=3000, fusions=False, tumour_in_sheet=True)],
            age=44, sex="female", brain_mets=True,
            expected=dict(status="none", emergent="", mechanism="none_detected")),
        PatientSpec("P05", "intracranial", "CD74", samples=[
            S("baseline", "plasma", "mutect2", "tsv", depth=20),
            S("progression", "csf", "mutect2", "tsv", mutations={"G2032R": 0.08})],
            age=39, sex="male", brain_mets=True,
            expected=dict(status="indeterminate", emergent="", mechanism="ros1_on_target")),
        PatientSpec("P06", "both", "TPM3", samples=[
            S("progression", "tissue", "vardict", "arriba", mutations={"V1174F": 0.27})],
            age=57, sex="female", brain_mets=True,
            expected=dict(status="indeterminate", emergent="", mechanism="ros1_on_target")),
        PatientSpec("P07", "extracranial", "SLC34A2", samples=[
            S("baseline", "tissue", "mutect2", "star-fusion", mutations={"L2086F": 0.03}),
            S("progression", "pleural_effusion", "mutect2", "star-fusion", mutations={"L2086F": 0.35})],
            age=66, sex="male", smoking=True,
            expected=dict(status="pre_existing", emergent="", mechanism="ros1_on_target")),
        PatientSpec("P08", "extracranial", "CCDC6", samples=[
            S("baseline", "tissue", "freebayes", "vcf"),
            S("progression", "pleural_effusion", "freebayes", "vcf", cnv={"MET": 9, "KRAS": 2})],
            age=52, sex="female",
            expected=dict(status="none", emergent="", mechanism="off_target")),
        PatientSpec("P09", "both", "GOPC", samples=[
            S("baseline", "tissue", "mutect2", "vcf", bam=True, bam_mutations={"S1986F": 0.01}, depth=600),
            S("progression", "tissue", "mutect2", "vcf", mutations={"S1986F": 0.18})],
            age=47, sex="male", brain_mets=True,
            expected=dict(status="pre_existing", emergent="", mechanism="ros1_on_target")),
        PatientSpec("P10", "intracranial", "CD74", five_prime="HMGXB3", samples=[
            S("baseline", "other", "mutect2", "arriba", bam=True, depth=900),
            S("progression", "csf", "mutect2", "arriba", mutations={"D2033N": 0.15}, phased=True)],
            age=35, sex="female", brain_mets=True,
            expected=dict(status="emergent", emergent="D2033N", mechanism="ros1_on_target")),
        PatientSpec("P11", "extracranial", "CD74", samples=[], age=58, sex="male",
                    expected=dict(status="indeterminate", emergent="", mechanism="not_assessable")),
    ]


def random_cohort(n: int, seed: int = 1, bams: bool = False) -> list[PatientSpec]:
    """``n`` patients drawn with the study's proportions (sites 33/11/5, partners, mutations)."""
    rng = random.Random(seed)
    sites = ["extracranial"] * 33 + ["intracranial"] * 11 + ["both"] * 5
    partners = ["CD74"] * 28 + ["SDC4"] * 10 + ["EZR"] * 6 + ["SLC34A2"] * 2 + ["TPM3"] * 2 + ["CCDC6"]
    mutations = ["G2032R"] * 14 + ["G2032K"] * 4 + ["L2026M"] * 3 + ["L2086F"] * 3 + ["S1986Y"] * 2 + \
        ["S1986F", "V1174F", "L2155S"]
    patients = []
    width = len(str(n))
    for i in range(1, n + 1):
        site, partner = rng.choice(sites), rng.choice(partners)
        rate = {"extracranial": 0.73, "intracranial": 0.18, "both": 0.2}[site]
        mutation = rng.choice(mutations) if rng.random() < rate else None
        dialect, fmt = rng.choice(DIALECTS), rng.choice(FUSION_FORMATS)
        progression_type = rng.choice(["csf", "plasma"]) if site == "intracranial" else rng.choice(["tissue", "plasma"])
        samples = [SampleSpec("baseline", "tissue", dialect, fmt, bam=bams and rng.random() < 0.2),
                   SampleSpec("progression", progression_type, dialect, fmt,
                              mutations={mutation: round(rng.uniform(0.08, 0.4), 3)} if mutation else {})]
        five_prime = rng.choice(sorted(FIVE_PRIME)) if rng.random() < 0.08 else None
        patients.append(PatientSpec(f"R{i:0{width}d}", site, partner, five_prime, samples,
                                    age=rng.randint(26, 66), sex=rng.choice(["male", "female"]),
                                    smoking=rng.random() < 0.25, brain_mets=rng.random() < 0.33,
                                    expected=dict(status="emergent" if mutation else "none",
                                                  emergent=mutation or "",
                                                  mechanism="ros1_on_target" if mutation else "none_detected")))
    return patients


class CohortWriter:
    """Writes the files of a cohort into ``out`` (relative paths in the sheets)."""

    def __init__(self, out: Path, build: str = "GRCh38", fasta: Path | None = None):
        self.out = Path(out)
        self.build = build
        self.tx = transcript(build)
        self.fasta = Path(fasta) if fasta else bundled_fasta(build)
        self.locus = load_locus(self.fasta, self.tx)

    def alleles(self, mutations: dict[str, float], depth: int, phased: bool = False) -> list[SimAllele]:
        result = []
        for name, vaf in sorted(mutations.items()):
            changes = protein_change_alleles(name, self.tx, self.locus)
            phase = f"{changes[0][0]}_{changes[0][1]}_{changes[0][2]}" if phased and len(changes) > 1 else None
            if phased and len(changes) == 1:
                phase = None
            result += [SimAllele(p, r, a, vaf, depth, phase=phase) for p, r, a in changes]
        return result

    def write(self, patients: list[PatientSpec]) -> dict:
        from ..fusions.genes import breakpoint_in
        from .fusion_files import FusionEvent, write_fusion_file

        sample_rows, patient_rows, truth_rows = [], [], []
        for patient in patients:
            progression_sites = {name for s in patient.samples if s.timepoint == "progression" for name in s.mutations}
            for index, spec in enumerate(patient.samples, start=1):
                sample_id = f"{patient.patient_id}-{spec.timepoint[0].upper()}{index}"
                folder = self.out / "data" / patient.patient_id
                row = {"patient_id": patient.patient_id, "sample_id": sample_id, "timepoint": spec.timepoint,
                       "sample_type": spec.sample_type}
                alleles = self.alleles(spec.mutations, spec.depth, spec.phased)
                if spec.force_called:
                    called = {(a.pos, a.ref, a.alt) for a in alleles}
                    for site in sorted(progression_sites - set(spec.mutations)):
                        for p, r, a in protein_change_alleles(site, self.tx, self.locus):
                            if (p, r, a) not in called:
                                alleles.append(SimAllele(p, r, a, 0.0, spec.depth, force_ref=True))
                vcf = write_vcf(folder / f"{sample_id}.{spec.dialect}.vcf.gz", spec.dialect, sample_id, alleles,
                                self.build, self.locus.chrom)
                row["vcf"] = str(vcf.relative_to(self.out))
                if spec.tumour_in_sheet and spec.dialect == "mutect2":
                    row["tumor_sample"] = f"TUMOR_{sample_id}"
                if spec.sheet_depth:
                    row["depth"] = spec.depth
                if spec.fusions and spec.fusion_format:
                    events = []
                    partner_intron, ros1_intron = CANONICAL[patient.partner]
                    chrom5, pos5, strand5 = breakpoint_in(patient.partner, self.build, intron=partner_intron)
                    chrom3, pos3, strand3 = breakpoint_in("ROS1", self.build, intron=ros1_intron)
                    events.append(FusionEvent(patient.partner, "ROS1", chrom5, pos5, strand5, chrom3, pos3, strand3, 40))
                    if patient.five_prime:
                        partner_intron, ros1_intron = FIVE_PRIME[patient.five_prime]
                        chrom5, pos5, strand5 = breakpoint_in("ROS1", self.build, intron=ros1_intron)
                        chrom3, pos3, strand3 = breakpoint_in(patient.five_prime, self.build, intron=partner_intron)
                        events.append(FusionEvent("ROS1", patient.five_prime, chrom5, pos5, strand5,
                                                  chrom3, pos3, strand3, 12))
                    suffix = {"vcf": "sv.vcf", "arriba": "arriba.tsv", "star-fusion": "star-fusion.tsv",
                              "fusioncatcher": "fusioncatcher.txt", "tsv": "fusions.tsv"}[spec.fusion_format]
                    path = folder / f"{sample_id}.{suffix}"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_fusion_file(path, spec.fusion_format, events, self.build, sample_name=sample_id)
                    row["fusions"] = str(path.relative_to(self.out))
                if spec.bam:
                    sites = [SimSite(protein_change_alleles(name, self.tx, self.locus), vaf, spec.depth)
                             for name, vaf in sorted({**{m: 0.0 for m in progression_sites},
                                                      **spec.mutations, **spec.bam_mutations}.items())]
                    bam = write_bam(folder / f"{sample_id}.bam", sites, self.locus, self.build)
                    row["bam"] = str(bam.relative_to(self.out))
                if spec.cnv:
                    cnv = folder / f"{sample_id}.cnv.tsv"
                    write_tsv(cnv, ["gene", "copy_number"], [{"gene": g, "copy_number": c} for g, c in sorted(spec.cnv.items())])
                    row["cnv"] = str(cnv.relative_to(self.out))
                sample_rows.append(row)
            patient_rows.append({"patient_id": patient.patient_id, "progression_site": patient.progression_site,
                                 "age": patient.age, "sex": patient.sex, "smoking": patient.smoking,
                                 "baseline_brain_mets": patient.brain_mets, "histology": "adenocarcinoma"})
            truth_rows.append({"patient_id": patient.patient_id, "progression_site": patient.progression_site,
                               "fusion_partner": patient.partner if patient.samples else "",
                               "partner_group": ("CD74" if patient.partner == "CD74" else "non-CD74")
                               if patient.samples else "none",
                               "multiple_fusions": bool(patient.five_prime) and bool(patient.samples),
                               "five_prime_ros1_partners": (patient.five_prime or "") if patient.samples else "",
                               "emergent_ros1_mutations": patient.expected.get("emergent", ""),
                               "ros1_mutation_status": patient.expected.get("status", ""),
                               "resistance_mechanism": patient.expected.get("mechanism", "")})
        sample_columns = ["patient_id", "sample_id", "timepoint", "sample_type", "vcf", "fusions", "tumor_sample",
                          "fusion_format", "depth", "bam", "cnv"]
        write_tsv(self.out / "samples.tsv", sample_columns, sample_rows)
        write_tsv(self.out / "patients.tsv", ["patient_id", "progression_site", "age", "sex", "smoking",
                                             "baseline_brain_mets", "histology"], patient_rows)
        write_tsv(self.out / "truth_patients.tsv", list(truth_rows[0]) if truth_rows else ["patient_id"], truth_rows)
        (self.out / "README.md").write_text(
            "# SYNTHETIC cohort\n\nMade by `scripts/simulate_cohort.py` (ros1trace.synthetic.cohort) on the synthetic "
            f"ROS1 locus ({self.build}). Not patient data. `truth_patients.tsv` is what the workflow must find.\n")
        return {"samples": len(sample_rows), "patients": len(patient_rows)}
