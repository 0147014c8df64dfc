"""``stats/table1.tsv``: baseline characteristics, overall and by progression site.

The study's Table 1 and Supplementary Table 2.  Characteristics, in this order: age, sex,
smoking, baseline brain metastasis, histology (the patient sheet's clinical columns, each only
when some patient has a value), the fusion partner as the study prints it (``CD74-ROS1``, and
``CD74-ROS1 + ROS1-MRAS`` for a patient whose extra fusion is a 5'-ROS1 one), the partner group,
multiple fusions, then every other column of the patient sheet, by name.

* A column whose values are all numbers is **continuous**: rows ``median``, ``min``, ``max`` with
  the number in ``value`` (per site in ``value_<site>``) and, in ``n``, the patients with a value;
  the between-site test is Kruskal-Wallis.
* Any other column is **categorical**: one row per level with ``n`` and ``pct`` of all the
  patients of the group (missing values get their own ``missing`` row, so a group's levels add up
  to 100%); the between-site test is the r x c test ``stats.r_by_c`` recommends: Pearson
  chi-square when every expected count is >= 5, else Fisher-Freeman-Halton (exact, or seeded
  Monte-Carlo for large tables).  Missing values are left out of tests.
* ``p_value`` is repeated on every row of a characteristic so that one row can be read alone.
A site with no patients has n = 0, no percent, and is left out of the tests.
"""

from __future__ import annotations

import statistics

from ..tsv import format_value
from . import stats
from .survival import OUTCOME_COLUMNS

SITES = ("extracranial", "intracranial", "both")
CLINICAL = ("age", "sex", "smoking", "baseline_brain_mets", "histology")
LEVEL_ORDER = {"sex": ("female", "male"), "boolean": ("true", "false"),
               "partner_group": ("CD74", "non-CD74", "none")}
NO_FUSION = "no ROS1 fusion"
MISSING = "missing"
TABLE1_COLUMNS = ["characteristic", "level", "n", "pct"] + [
    f"{x}_{site}" for site in SITES for x in ("n", "pct")] + ["p_value", "test", "method", "value"] + [
    f"value_{site}" for site in SITES] + ["note"]


def fusion_level(patient: dict) -> str:
    """The study's way to print a patient's fusions, e.g. ``CD74-ROS1 + ROS1-MRAS``."""
    names = [f"{patient['fusion_partner']}-ROS1"] if patient.get("fusion_partner") else []
    names += [f"ROS1-{gene}" for gene in (patient.get("five_prime_ros1_partners") or "").split(";") if gene]
    return " + ".join(names) or NO_FUSION


def _text(value) -> str | None:
    """A sheet value as a level (``true``/``false`` for booleans), None when missing."""
    if value is None or value == "":
        return None
    return format_value(value)


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def characteristics(patients: list[dict], clinical: list[dict]) -> list[tuple[str, dict[str, object]]]:
    """(name, patient_id -> raw value) in table order, only columns some patient fills."""
    extra = {p["patient_id"]: p.get("extra", {}) for p in clinical}
    ids = [p["patient_id"] for p in patients]
    # Outcomes (PFS/OS) are no baseline characteristic: they have their own table (stats/survival.tsv).
    sheet_columns = sorted({key for p in clinical for key in p.get("extra", {})} - set(CLINICAL) - set(OUTCOME_COLUMNS))

    def filled(names):
        for name in names:
            values = {pid: extra.get(pid, {}).get(name) for pid in ids}
            if any(_text(v) is not None for v in values.values()):
                yield name, values

    fusion = [
        ("fusion_partner", {p["patient_id"]: fusion_level(p) for p in patients}),
        ("partner_group", {p["patient_id"]: p.get("partner_group") for p in patients}),
        ("multiple_fusions", {p["patient_id"]: p.get("multiple_fusions") for p in patients}),
    ] if patients else []
    return [*filled(CLINICAL), *fusion, *filled(sheet_columns)]


def _is_continuous(values: dict[str, object]) -> bool:
    present = [v for v in values.values() if _text(v) is not None]
    return bool(present) and all(_number(v) is not None for v in present)


def _site_groups(patients: list[dict]) -> dict[str, list[str]]:
    return {site: [p["patient_id"] for p in patients if p.get("progression_site") == site] for site in SITES}


def _counts_row(name: str, level: str, members: dict[str, list[str]], chosen: set[str]) -> dict:
    """n and pct of ``chosen`` patients overall and per site."""
    everyone = [pid for ids in members.values() for pid in ids]
    row = {"characteristic": name, "level": level, "n": len(chosen & set(everyone)),
           "pct": stats.percent(len(chosen & set(everyone)), len(everyone))}
    for site, ids in members.items():
        row[f"n_{site}"] = len(chosen & set(ids))
        row[f"pct_{site}"] = stats.percent(len(chosen & set(ids)), len(ids))
    return row


def _continuous_rows(name: str, values: dict, members: dict[str, list[str]]) -> list[dict]:
    numbers = {pid: _number(v) for pid, v in values.items() if _number(v) is not None}
    by_site = {site: [numbers[pid] for pid in ids if pid in numbers] for site, ids in members.items()}
    _, p_value, note = stats.kruskal_wallis(list(by_site.values()))
    method = "asymptotic" if p_value is not None else ""
    test = {"p_value": p_value, "test": "kruskal_wallis", "method": method, "note": note}
    rows = []
    for level, summary in (("median", statistics.median), ("min", min), ("max", max)):
        row = _counts_row(name, level, members, set(numbers)) | test
        row["pct"] = None
        row["value"] = round(summary(numbers.values()), 2) if numbers else None
        for site, site_values in by_site.items():
            row[f"pct_{site}"] = None
            row[f"value_{site}"] = round(summary(site_values), 2) if site_values else None
        rows.append(row)
    missing = set(values) - set(numbers)
    if missing:
        rows.append(_counts_row(name, MISSING, members, missing) | test)
    return rows


def _level_order(name: str, levels: dict[str, set[str]]) -> list[str]:
    fixed = LEVEL_ORDER.get(name) or (LEVEL_ORDER["boolean"] if set(levels) <= {"true", "false"} else ())
    # fixed levels first, then by frequency; 'no ROS1 fusion' after every partner
    ranked = sorted((lvl for lvl in levels if lvl not in fixed),
                    key=lambda lvl: (lvl == NO_FUSION, -len(levels[lvl]), lvl))
    return [lvl for lvl in fixed if lvl in levels] + ranked


def _categorical_rows(name: str, values: dict, members: dict[str, list[str]], seed: int) -> list[dict]:
    levels: dict[str, set[str]] = {}
    for pid, value in values.items():
        levels.setdefault(_text(value) or MISSING, set()).add(pid)
    missing = levels.pop(MISSING, set())
    order = _level_order(name, levels)
    table = [[len(levels[lvl] & set(ids)) for lvl in order] for ids in members.values()]
    if order:
        results = stats.r_by_c(table, list(members), order, seed)
        chosen = next((r for r in results if r.recommended), results[-1])
    else:
        chosen = stats.TestResult("fisher_freeman_halton", None, None, note="undefined: no values")
    test = {"p_value": chosen.p_value, "test": chosen.test, "method": chosen.method, "note": chosen.note}
    rows = [_counts_row(name, lvl, members, levels[lvl]) | test for lvl in order]
    if missing:
        rows.append(_counts_row(name, MISSING, members, missing) | test)
    return rows


def table1_rows(patients: list[dict], clinical: list[dict], seed: int) -> list[dict]:
    """Rows of table1.tsv.  ``patients``: patients.tsv rows; ``clinical``: the manifest's
    patients (``patient_id`` and ``extra`` with the sheet's clinical columns)."""
    members = _site_groups(patients)
    rows = [_counts_row("patients", "all", members, {p["patient_id"] for p in patients})]
    for name, values in characteristics(patients, clinical):
        if _is_continuous(values):
            rows += _continuous_rows(name, values, members)
        else:
            rows += _categorical_rows(name, values, members, seed)
    return rows
