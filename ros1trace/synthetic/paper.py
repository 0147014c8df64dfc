"""The paper example: a SYNTHETIC cohort with every count Zhang et al. publish (resources/paper).

49 patients: progression sites 33 / 11 / 5; partners CD74 28, SDC4 10, EZR 6, SLC34A2 2, TPM3 2,
CCDC6 1 (Table 1), four of them with a second, 5'-ROS1 fusion (CD74 + ROS1-MRAS, -PUM1, -HMGXB3;
EZR + ROS1-BTBD9); CD74 / non-CD74 by site 19/14 (extracranial), 7/4 (intracranial), 2/3 (both:
the text's two CD74, two SDC4, one TPM3); the emergent mutations of Fig. 2a, one per patient
(G2032R 14, G2032K 4, L2026M 3, L2086F 3, S1986Y 2, S1986F, V1174F, L2155S: 29 patients), 24 of
33 extracranial (72.7%), 4 of 11 intracranial, the "both" patient with V1174F; 19 mutated CD74 and
9 mutated non-CD74 patients among the single-site ones.  Where the paper contradicts itself the
choices are in resources/paper/NOTES.md.  Progression sample types per site as Fig. 1.  Sex 28 F / 21 M,
12 smokers, 16 with baseline brain metastases, age median 50 (26-66).  PFS and OS are invented
(seeded draws), labelled synthetic: the study reports none.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from ..tsv import read_tsv, write_tsv
from .cohort import FUSION_FORMATS, CohortWriter, PatientSpec, SampleSpec
from .variants import DIALECTS

SEED = 2021  # the study's year; any fixed seed makes the same files
EXTRACRANIAL_MUTATIONS = (
    ["G2032R"] * 12 + ["G2032K"] * 4 + ["L2026M"] * 3 + ["L2086F"] * 2 + ["S1986Y"] * 2 + ["L2155S"]
)
INTRACRANIAL_MUTATIONS = ["G2032R", "G2032R", "L2086F", "S1986F"]
# progression samples per site (Fig. 1): lung nodule = tissue, CSF with plasma = two samples
SAMPLE_TYPES = {
    "extracranial": [("tissue",)] * 27 + [("plasma",)] * 5 + [("pleural_effusion",)],
    "intracranial": [("tissue",)] * 2 + [("csf", "plasma")] * 7 + [("plasma",)] * 2,
    "both": [("tissue", "csf")] * 4 + [("plasma",)],
}
PFS_MEDIAN = {"extracranial": 14.0, "intracranial": 10.0, "both": 8.0}  # months; invented


def _layout() -> list[tuple[str, str, str | None, str | None]]:
    """(site, partner, five_prime, mutation) for the 49 patients."""
    rows = []
    # extracranial: 19 CD74 (16 mutated), 14 non-CD74 (8 mutated)
    extra_partners = ["CD74"] * 19 + ["SDC4"] * 6 + ["EZR"] * 5 + ["SLC34A2", "TPM3", "CCDC6"]
    extra_mutated = [True] * 16 + [False] * 3 + [True] * 8 + [False] * 6
    mutations = iter(EXTRACRANIAL_MUTATIONS)
    five_prime = {0: "MRAS", 1: "HMGXB3", 25: "BTBD9"}  # two CD74 patients and the first EZR one
    for i, (partner, mutated) in enumerate(zip(extra_partners, extra_mutated)):
        rows.append(("extracranial", partner, five_prime.get(i), next(mutations) if mutated else None))
    # intracranial: 7 CD74 (3 mutated), 4 non-CD74 (1 mutated)
    intra_partners = ["CD74"] * 7 + ["SDC4", "SDC4", "EZR", "SLC34A2"]
    intra_mutated = [True] * 3 + [False] * 4 + [True] + [False] * 3
    mutations = iter(INTRACRANIAL_MUTATIONS)
    for i, (partner, mutated) in enumerate(zip(intra_partners, intra_mutated)):
        rows.append(
            ("intracranial", partner, "PUM1" if i == 3 else None, next(mutations) if mutated else None)
        )
    # both: two CD74, two SDC4, one TPM3 (text); one V1174F (the study's "L1174F")
    for partner, mutation in [
        ("CD74", None),
        ("CD74", None),
        ("SDC4", "V1174F"),
        ("SDC4", None),
        ("TPM3", None),
    ]:
        rows.append(("both", partner, None, mutation))
    return rows


def _ages(rng: random.Random, n: int = 49) -> list[int]:
    """Median 50, range 26-66 exactly: 24 ages below 50, one 50, 24 above, shuffled."""
    low = [26] + [rng.randint(27, 49) for _ in range(23)]
    high = [rng.randint(51, 65) for _ in range(23)] + [66]
    ages = low + [50] + high
    rng.shuffle(ages)
    return ages[:n]


def _exactly(rng: random.Random, yes: int, n: int = 49) -> list[bool]:
    values = [True] * yes + [False] * (n - yes)
    rng.shuffle(values)
    return values


def paper_cohort() -> list[PatientSpec]:
    rng = random.Random(SEED)
    layout = _layout()
    ages, female, smokers = _ages(rng), _exactly(rng, 28), _exactly(rng, 12)
    samples_left = {site: list(types) for site, types in SAMPLE_TYPES.items()}
    patients = []
    for i, (site, partner, five_prime, mutation) in enumerate(layout):
        dialect, fmt = DIALECTS[i % len(DIALECTS)], FUSION_FORMATS[i % len(FUSION_FORMATS)]
        vaf = round(rng.uniform(0.08, 0.4), 3)
        progression = []
        for j, sample_type in enumerate(samples_left[site].pop(0)):
            depth = 3000 if sample_type == "plasma" else 1500 if sample_type == "csf" else 800
            # the mutation is in the first progression sample (the CSF of a CSF + plasma pair)
            progression.append(
                SampleSpec(
                    "progression",
                    sample_type,
                    dialect,
                    fmt,
                    depth=depth,
                    mutations={mutation: vaf} if mutation and j == 0 else {},
                )
            )
        samples = [SampleSpec("baseline", "tissue", dialect, fmt, depth=800), *progression]
        patients.append(
            PatientSpec(
                f"Z{i + 1:02d}",
                site,
                partner,
                five_prime,
                samples,
                age=ages[i],
                sex="female" if female[i] else "male",
                smoking=smokers[i],
                brain_mets=site != "extracranial",
                expected=dict(
                    status="emergent" if mutation else "none",
                    emergent=mutation or "",
                    mechanism="ros1_on_target" if mutation else "none_detected",
                ),
            )
        )
    return patients


def survival_values(patients: list[PatientSpec]) -> dict[str, dict]:
    """Invented PFS (every patient progressed: event 1) and OS (after PFS; some censored), seeded."""
    rng = random.Random(SEED + 1)
    values = {}
    for patient in patients:
        median = PFS_MEDIAN[patient.progression_site]
        pfs = round(max(0.5, rng.expovariate(math.log(2) / median)), 1)
        os_months = round(pfs + rng.expovariate(math.log(2) / 16.0), 1)
        died = rng.random() < 0.6
        values[patient.patient_id] = {
            "pfs_months": pfs,
            "pfs_event": 1,
            "os_months": os_months,
            "os_event": int(died),
        }
    return values


README = """# The paper example (SYNTHETIC)

A cohort made by `scripts/make_paper_cohort.py` (`ros1trace/synthetic/paper.py`) on the synthetic
ROS1 locus so that the workflow's tables reproduce the counts Zhang et al. publish (49 patients,
Table 1, Fig. 1, Fig. 2).  Not patient data: the variants, fusions, ages and the **PFS/OS values
are invented** (the study publishes no survival data).  `reported.yaml` transcribes the study's
numbers; the run writes `audit/reported_vs_recomputed.tsv` from it.  Where the paper contradicts
itself the cohort follows one reading: see `NOTES.md`.

    .venv/bin/snakemake --cores 2 --configfile resources/paper/config.yaml
"""


def write(out: Path) -> dict:
    patients = paper_cohort()
    counts = CohortWriter(out).write(patients)
    sheet = Path(out) / "patients.tsv"
    rows = read_tsv(sheet)
    columns = list(rows[0]) + ["pfs_months", "pfs_event", "os_months", "os_event"]
    extra = survival_values(patients)
    write_tsv(sheet, columns, [row | extra[row["patient_id"]] for row in rows])
    (Path(out) / "README.md").write_text(README)
    return counts
