"""Synthetic cohort tables (patients, emergence, variants, fusions, manifest) for the tests of the
cohort stages (stats, figures, report, MAF), written the way the lead's ``tables`` stage writes them.

``patient(...)`` builds one patients.tsv row; ``random_cohort(n, seed)`` a study-like cohort of n
patients with every table; ``write_cohort(folder, cohort)`` writes them (and work/manifest.json)
under ``folder`` as a workflow run would, and returns the paths.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ros1trace import columns
from ros1trace.sheets import validate_config
from ros1trace.tsv import write_tsv

# Study-like frequencies (Zhang et al.): partners, mutations (counts of Fig. 2a), sites.
PARTNERS = {"CD74": 28, "SDC4": 10, "EZR": 6, "SLC34A2": 2, "TPM3": 2, "CCDC6": 1}
MUTATIONS = {"G2032R": 14, "G2032K": 4, "L2026M": 3, "L2086F": 3, "S1986Y": 2, "S1986F": 1,
             "V1174F": 1, "L2155S": 1}
SITE_WEIGHTS = {"extracranial": 33, "intracranial": 11, "both": 5}
EMERGENT_RATE = {"extracranial": 0.727, "intracranial": 0.18, "both": 0.2}
SAMPLE_TYPES = {"extracranial": ["tissue", "plasma"], "intracranial": ["csf;plasma", "plasma", "tissue"],
                "both": ["csf;tissue", "plasma"]}
# GRCh38 positions of a few published changes (known_mutation_coordinates.tsv); others are made up.
POSITIONS = {"G2032R": (117317184, "C", "T"), "L2026M": (117317202, "G", "T")}


def patient(patient_id: str, site: str = "extracranial", partner: str | None = "CD74",
            status: str = "none", mutations: str = "", mechanism: str | None = None, **other) -> dict:
    """One patients.tsv row; ``partner=None`` means no ROS1 fusion found."""
    if mechanism is None:
        mechanism = {"emergent": "ros1_on_target", "pre_existing": "ros1_on_target",
                     "indeterminate": "not_assessable"}.get(status, "none_detected")
    row = {
        "patient_id": patient_id, "progression_site": site, "fusion_partner": partner or "",
        "partner_group": "none" if not partner else ("CD74" if partner == "CD74" else "non-CD74"),
        "multiple_fusions": False, "five_prime_ros1_partners": "", "emergent_ros1_mutations": mutations,
        "ros1_mutation_status": status, "resistance_mechanism": mechanism, "off_target_alterations": "",
        "ros1_mutations_at_progression": mutations, "n_baseline_samples": 1, "n_progression_samples": 1,
        "progression_sample_types": "tissue",
    }
    row.update(other)
    return row


def group(prefix: str, count: int, **fields) -> list[dict]:
    """``count`` patients alike, ids ``prefix001``..."""
    return [patient(f"{prefix}{i + 1:03d}", **fields) for i in range(count)]


def clinical_for(patients: list[dict], seed: int = 1) -> list[dict]:
    """Manifest patient entries with study-like clinical columns (and one extra column, ecog)."""
    rng = random.Random(seed)
    return [{"patient_id": p["patient_id"], "progression_site": p["progression_site"],
             "extra": {"age": float(rng.randint(26, 66)), "sex": rng.choice(["female", "male"]),
                       "smoking": rng.random() < 0.25, "baseline_brain_mets": rng.random() < 0.33,
                       "histology": "adenocarcinoma", "ecog": rng.choice(["0", "1", "1", "2"])}}
            for p in patients]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _variant(pid: str, change: str, index: int, sample_type: str) -> dict:
    residue = int(change[1:-1])
    pos, ref, alt = POSITIONS.get(change, (117300000 + index % 20000, "G", "A"))
    return {"patient_id": pid, "sample_id": f"{pid}_P", "timepoint": "progression", "sample_type": sample_type,
            "chrom": "chr6", "pos": pos, "ref": ref, "alt": alt, "transcript": "NM_002944.2", "exon": 38,
            "intron": "", "hgvs_c": f"c.{residue * 3 - 2}G>A", "hgvs_p": "", "protein_change": change,
            "consequence": "missense_variant", "in_kinase_domain": residue >= 1945,
            "known_resistance": True, "vaf": 0.12, "depth": 800, "alt_reads": 96, "filter": "PASS",
            "called": True}


def random_cohort(n: int, seed: int = 7) -> dict[str, list[dict]]:
    """A study-like cohort of ``n`` patients: every table the cohort stages read."""
    rng = random.Random(seed)
    patients, emergence, variants, fusions = [], [], [], []
    for i in range(n):
        pid = f"P{i + 1:04d}"
        site = _weighted(rng, SITE_WEIGHTS)
        partner = None if rng.random() < 0.03 else _weighted(rng, PARTNERS)
        draw = rng.random()
        status = ("indeterminate" if draw < 0.05 else "emergent" if draw < 0.05 + EMERGENT_RATE[site] * 0.95
                  else "pre_existing" if draw > 0.98 else "none")
        change = _weighted(rng, MUTATIONS) if status in ("emergent", "pre_existing") else ""
        sample_type = rng.choice(SAMPLE_TYPES[site])
        row = patient(pid, site, partner, status, change if status == "emergent" else "",
                      progression_sample_types=sample_type, ros1_mutations_at_progression=change)
        if partner and rng.random() < 0.08:
            row.update(multiple_fusions=True, five_prime_ros1_partners=rng.choice(["MRAS", "PUM1", "HMGXB3"]))
        if status == "none" and rng.random() < 0.1:
            row.update(resistance_mechanism="off_target", off_target_alterations="MET amplification (CN 9)")
        patients.append(row)
        if change:
            emergence.append({"patient_id": pid, "protein_change": change, "hgvs_c": "", "status": status,
                              "baseline_vaf": 0.0, "baseline_depth": 500, "baseline_alt_reads": 0,
                              "progression_vaf": round(rng.uniform(0.02, 0.4), 3), "detection_power": 0.99,
                              "qualifying": True})
            variants.append(_variant(pid, change, i, sample_type.split(";")[0]))
        if partner:
            fusions.append({"patient_id": pid, "sample_id": f"{pid}_B", "timepoint": "baseline", "gene5": partner,
                            "gene3": "ROS1", "partner": partner, "fusion_class": "canonical",
                            "ros1_breakpoint": "intron 33", "kinase_retained": True, "support": 12})
    return {"patients": patients, "emergence": emergence, "variants": variants, "fusions": fusions,
            "clinical": clinical_for(patients, seed)}


def manifest(clinical: list[dict], **config) -> dict:
    """A run manifest like work/manifest.json, the config filled with the schema's defaults."""
    filled = validate_config({"samples": "samples.tsv", "patients": "patients.tsv", **config})
    return {"config": filled, "build": filled["genome_build"], "reference_fasta": "ref.fa",
            "patients": clinical, "samples": [], "batches": {}, "warnings": []}


def write_cohort(folder: Path, cohort: dict[str, list[dict]], **config) -> dict[str, Path]:
    """Write the cohort tables and the manifest as a workflow run lays them out under ``folder``."""
    folder = Path(folder)
    paths = {"folder": folder, "manifest": folder / "work" / "manifest.json"}
    for name, cols in (("patients", columns.PATIENTS), ("emergence", columns.EMERGENCE),
                       ("variants", columns.VARIANTS), ("fusions", columns.FUSIONS)):
        paths[name] = folder / f"{name}.tsv"
        write_tsv(paths[name], cols, cohort.get(name, []))
    paths["manifest"].parent.mkdir(parents=True, exist_ok=True)
    paths["manifest"].write_text(json.dumps(manifest(cohort.get("clinical", []), **config)))
    return paths


def _args(**values):
    return type("Args", (), values)()


def run_stats(paths: dict[str, Path]) -> Path:
    """Run the stats stage on a written cohort; returns its stats folder."""
    from ros1trace.stages import stats as stats_stage

    outdir = paths["folder"] / "stats"
    stats_stage.run(_args(manifest=paths["manifest"], patients=paths["patients"], emergence=paths["emergence"],
                          outdir=outdir))
    return outdir


def run_figures(paths: dict[str, Path]) -> Path:
    """Run the figures stage on a written cohort; returns its figures folder."""
    from ros1trace.stages import figures as plots

    outdir = paths["folder"] / "figures"
    plots.run(_args(manifest=paths["manifest"], tables_dir=paths["folder"], outdir=outdir, done=outdir / ".done"))
    return outdir


def run_report(paths: dict[str, Path]) -> Path:
    from ros1trace.stages import report

    out = paths["folder"] / "report.html"
    report.run(_args(manifest=paths["manifest"], tables_dir=paths["folder"], out=out))
    return out
