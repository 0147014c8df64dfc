"""The study's comparisons and mutation distribution from ``patients.tsv`` (for stage ``stats``).

What is compared (docs/methods.md, Statistics)
---------------------------------------------
* A ROS1-mutation **rate** counts, as ``k``, patients whose ``ros1_mutation_status`` is
  ``emergent`` and, as ``n``, those whose status is ``emergent``, ``pre_existing`` or ``none``:
  ``indeterminate`` patients (no baseline power, no progression sample) are excluded, not counted
  as negatives, so a thin baseline cannot dilute a rate.
* ``ros1_mutation_by_progression_site``: extracranial-only vs intracranial-only (patients who
  progressed at both sites are left out, as in the study's Fig. 2b);
  ``ros1_mutation_by_partner_group``: CD74 vs non-CD74 among those two groups (the study's 19/27 vs
  9/17); ``ros1_mutation_by_partner_group_all``: CD74 vs non-CD74, every site;
  ``intracranial_progression_by_partner_group``: the rate of intracranial involvement
  (``intracranial`` or ``both``) by partner group.  Partner comparisons leave out
  ``partner_group`` ``none`` (no ROS1 fusion found).
* ``ros1_mutation_by_progression_site_all``: the 3 x 2 table sites x (emergent, not emergent)
  in ``comparisons_rxc.tsv``.
* Every patient left out of a comparison is counted, by reason, in its ``note`` column.
* ``mutation_distribution.tsv``: patients carrying each emergent qualifying mutation (from
  ``emergent_ros1_mutations``) over **every** patient in ``patients.tsv`` (the study's Fig. 2a
  denominator); a patient with two mutations counts in both rows.  Every patient without an
  emergent mutation is in exactly one of four rows, so none is hidden and those rows add up to
  them: ``none detected`` (``ros1_mutation_status`` none: no qualifying ROS1 mutation at
  progression), ``pre-existing only`` (status pre_existing: the mutations at progression were
  already at baseline), ``indeterminate`` (status indeterminate with a mutation at progression
  whose baseline could not tell), ``not assessable`` (no ROS1 mutation could be looked for: status
  indeterminate without a progression small-variant sample; also any other status, with a log
  line).  ``category`` names the kind of row and ``patient_ids`` lists the patients of each row.

Which comparisons run is the config's ``comparisons`` list; rows follow the fixed order below, and
tests the order fisher_exact, chi2, chi2_yates, so reruns are byte-identical.  Monte-Carlo
p-values use the config's ``seed``.
"""

from __future__ import annotations

import json
import logging
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import stats
from .table1 import SITES

log = logging.getLogger(__name__)

PARTNER_GROUPS = ("CD74", "non-CD74")
RATED_STATUSES = ("emergent", "pre_existing", "none")
NONE_DETECTED = "none detected"
# Rows of patients without an emergent mutation: (protein_change label, category), in table order.
NO_EMERGENT_ROWS = ((NONE_DETECTED, "none_detected"), ("pre-existing only", "pre_existing_only"),
                    ("indeterminate", "indeterminate"), ("not assessable", "not_assessable"))

COMPARISON_COLUMNS = (
    "comparison group_a k_a n_a pct_a ci_low_a ci_high_a group_b k_b n_b pct_b ci_low_b ci_high_b "
    "test statistic p_value"
).split() + "recommended expected_min method outcome population excluded note".split()
RXC_COLUMNS = "comparison rows columns counts test statistic p_value".split() + (
    "row_variable column_variable n expected_min recommended method seed excluded note"
).split()
GROUP_COLUMNS = [(f"n_{key}", f"pct_{key}", column, value) for key, column, value in (
    ("extracranial", "progression_site", "extracranial"),
    ("intracranial", "progression_site", "intracranial"),
    ("both", "progression_site", "both"), ("cd74", "partner_group", "CD74"),
    ("non_cd74", "partner_group", "non-CD74"))]
DISTRIBUTION_COLUMNS = "protein_change n_patients pct_patients".split() + [
    name for n, pct, _, _ in GROUP_COLUMNS for name in (n, pct)] + [
    "residue", "median_progression_vaf", "category", "patient_ids"]


def ros1_mutation(patient: dict) -> tuple[bool | None, str]:
    """Emergent ROS1 mutation yes/no, or (None, why excluded)."""
    status = patient.get("ros1_mutation_status", "")
    if status in RATED_STATUSES:
        return status == "emergent", ""
    return None, f"ros1_mutation_status {status or 'missing'}"


def intracranial_involvement(patient: dict) -> tuple[bool | None, str]:
    site = patient.get("progression_site", "")
    if site in SITES:
        return site in ("intracranial", "both"), ""
    return None, f"progression_site {site or 'missing'}"


@dataclass(frozen=True)
class Comparison:
    label: str
    column: str  # the patients.tsv column that defines the groups
    groups: tuple[str, ...]
    outcome: Callable[[dict], tuple[bool | None, str]]
    outcome_name: str
    sites: tuple[str, ...] = SITES  # progression sites in the population
    outcome_levels: tuple[str, str] = ("emergent", "not_emergent")

    @property
    def population(self) -> str:
        where = "all patients" if self.sites == SITES else "progression_site " + " or ".join(self.sites)
        return f"{where}; {self.column} " + " vs ".join(self.groups)


COMPARISONS = [
    Comparison("ros1_mutation_by_progression_site", "progression_site", ("extracranial", "intracranial"),
               ros1_mutation, "emergent ROS1 mutation"),
    Comparison("ros1_mutation_by_partner_group", "partner_group", PARTNER_GROUPS, ros1_mutation,
               "emergent ROS1 mutation", sites=("extracranial", "intracranial")),
    Comparison("ros1_mutation_by_partner_group_all", "partner_group", PARTNER_GROUPS, ros1_mutation,
               "emergent ROS1 mutation"),
    Comparison("intracranial_progression_by_partner_group", "partner_group", PARTNER_GROUPS,
               intracranial_involvement, "intracranial progression (intracranial or both)",
               outcome_levels=("intracranial", "extracranial_only")),
]
RXC_COMPARISONS = [
    Comparison("ros1_mutation_by_progression_site_all", "progression_site", SITES, ros1_mutation,
               "emergent ROS1 mutation"),
]


def tally(patients: list[dict], comparison: Comparison) -> tuple[dict[str, list[int]], Counter]:
    """group -> [k, n] over the comparison's population, and the excluded patients by reason."""
    counts = {group: [0, 0] for group in comparison.groups}
    excluded: Counter = Counter()
    for patient in patients:
        site = patient.get("progression_site", "")
        group = patient.get(comparison.column, "")
        if site not in comparison.sites:
            excluded[f"progression_site {site or 'missing'}"] += 1
            continue
        if group not in counts:
            excluded[f"{comparison.column} {group or 'missing'}"] += 1
            continue
        outcome, why = comparison.outcome(patient)
        if outcome is None:
            excluded[why] += 1
            continue
        counts[group][0] += int(outcome)
        counts[group][1] += 1
    return counts, excluded


def excluded_note(excluded: Counter) -> str:
    if not excluded:
        return ""
    return "excluded: " + "; ".join(f"{count} with {reason}" for reason, count in sorted(excluded.items()))


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def comparison_rows(patients: list[dict], labels: list[str]) -> list[dict]:
    """comparisons.tsv rows: one per configured 2x2 comparison and test."""
    rows = []
    for comparison in (c for c in COMPARISONS if c.label in labels):
        counts, excluded = tally(patients, comparison)
        (a, (k_a, n_a)), (b, (k_b, n_b)) = counts.items()
        rate_a, rate_b = stats.rate(k_a, n_a), stats.rate(k_b, n_b)
        base = {
            "comparison": comparison.label, "outcome": comparison.outcome_name,
            "population": comparison.population, "excluded": sum(excluded.values()),
            "group_a": a, "k_a": k_a, "n_a": n_a, "pct_a": rate_a.pct, "ci_low_a": rate_a.ci_low,
            "ci_high_a": rate_a.ci_high,
            "group_b": b, "k_b": k_b, "n_b": n_b, "pct_b": rate_b.pct, "ci_low_b": rate_b.ci_low,
            "ci_high_b": rate_b.ci_high,
        }
        for result in stats.two_by_two(k_a, n_a, k_b, n_b):
            rows.append(base | _test_fields(result) | {"note": _join(result.note, excluded_note(excluded))})
    return rows


def _test_fields(result: stats.TestResult) -> dict:
    return {"test": result.test, "statistic": result.statistic, "p_value": result.p_value,
            "expected_min": result.expected_min, "recommended": result.recommended, "method": result.method}


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def rxc_rows(patients: list[dict], labels: list[str], seed: int) -> list[dict]:
    """comparisons_rxc.tsv rows: one per configured r x c comparison and test."""
    rows = []
    for comparison in (c for c in RXC_COMPARISONS if c.label in labels):
        counts, excluded = tally(patients, comparison)
        table = [[k, n - k] for k, n in counts.values()]
        base = {
            "comparison": comparison.label, "rows": _json(list(comparison.groups)),
            "columns": _json(list(comparison.outcome_levels)), "counts": _json(table),
            "row_variable": comparison.column, "column_variable": comparison.outcome_name,
            "n": sum(n for _, n in counts.values()), "seed": seed, "excluded": sum(excluded.values()),
        }
        for result in stats.r_by_c(table, comparison.groups, comparison.outcome_levels, seed):
            rows.append(base | _test_fields(result) | {"note": _join(result.note, excluded_note(excluded))})
    return rows


def split_list(value: str) -> list[str]:
    return [item for item in (value or "").split(";") if item]


def residue(protein_change: str) -> int | None:
    match = re.match(r"[A-Z*](\d+)", protein_change)
    return int(match[1]) if match else None


def no_emergent_row(patient: dict) -> str:
    """The row (protein_change label) of a patient without an emergent mutation."""
    status = patient.get("ros1_mutation_status", "")
    if status == "none":
        return NONE_DETECTED
    if status == "pre_existing":
        return "pre-existing only"
    if status == "indeterminate":
        # a mutation at progression whose baseline could not tell, or nothing to look at
        return "indeterminate" if split_list(patient.get("ros1_mutations_at_progression", "")) else "not assessable"
    log.warning("patients.tsv: patient %s has ros1_mutation_status %r and no emergent mutation listed; "
                "counted as not assessable in mutation_distribution.tsv (rerun the emergence stage to fill it)",
                patient.get("patient_id"), status)
    return "not assessable"


def mutation_distribution(patients: list[dict], emergence: list[dict]) -> list[dict]:
    """mutation_distribution.tsv rows: emergent mutations, most frequent first, then the four rows
    of the patients without one (``NO_EMERGENT_ROWS``), each such patient in exactly one of them."""
    carriers: dict[str, set[str]] = {}
    for patient in patients:
        for change in split_list(patient.get("emergent_ros1_mutations", "")):
            carriers.setdefault(change, set()).add(patient["patient_id"])
    vafs: dict[str, list[float]] = {}
    for row in emergence:
        carrier = row.get("patient_id") in carriers.get(row.get("protein_change", ""), ())
        if carrier and row.get("status") == "emergent" and row.get("progression_vaf"):
            vafs.setdefault(row["protein_change"], []).append(float(row["progression_vaf"]))
    # most patients first, then along the protein
    mutations = sorted(carriers, key=lambda change: (-len(carriers[change]), residue(change) or 0, change))
    categories = dict.fromkeys(mutations, "emergent_mutation")
    for label, category in NO_EMERGENT_ROWS:
        carriers[label], categories[label] = set(), category
    for patient in patients:
        if not split_list(patient.get("emergent_ros1_mutations", "")):
            carriers[no_emergent_row(patient)].add(patient["patient_id"])

    rows = []
    for change in mutations + [label for label, _ in NO_EMERGENT_ROWS]:
        ids = carriers[change]
        median_vaf = round(statistics.median(vafs[change]), 4) if change in vafs else None
        row = {"protein_change": change, "n_patients": len(ids),
               "pct_patients": stats.percent(len(ids), len(patients)),
               "residue": residue(change) if categories[change] == "emergent_mutation" else None,
               "median_progression_vaf": median_vaf, "category": categories[change],
               "patient_ids": ";".join(sorted(ids))}
        for n_name, pct_name, column, value in GROUP_COLUMNS:
            group = {p["patient_id"] for p in patients if p.get(column) == value}
            row[n_name] = len(ids & group)
            row[pct_name] = stats.percent(len(ids & group), len(group))
        rows.append(row)
    return rows
