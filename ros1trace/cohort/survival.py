"""``stats/survival.tsv``: PFS and OS by progression site, partner group and ROS1 mutation status.

Only when the patient sheet has ``pfs_months``/``pfs_event`` (and/or ``os_months``/``os_event``):
times in months, event 1 = progressed or died, 0 = censored (the sheet schema checks them).

Statistics, as R's survival package reports them by default
-----------------------------------------------------------
* **Kaplan-Meier** S(t) with the Greenwood variance of the cumulative hazard,
  se(t)^2 = sum_{t_i <= t} d_i / (n_i (n_i - d_i)), and the 95% interval on the **log** scale
  (``survfit``'s default ``conf.type = "log"``): S exp(+/- 1.96 se), the upper limit capped at 1,
  both missing where S = 0.  (lifelines' own interval is the log(-log) one, so it is not used.)
* **Median** and its 95% CI as ``print.survfit``: the first time the curve (for the CI: the lower,
  then the upper limit) is <= 0.5; when the curve is exactly 0.5 (within sqrt(machine eps)) on a
  flat stretch, the midpoint between that time and the next time the curve drops.  Empty when not
  reached.
* **Log-rank** p across the comparison's groups as ``survdiff`` (rho = 0): chi-square on k - 1 df.
* **Hazard ratio** of each group b against the first group a of the comparison, from a Cox model
  with Efron's handling of ties (``coxph``'s default), 95% Wald CI exp(beta +/- 1.96 se).

Library: lifelines (KaplanMeierFitter's event table, ``multivariate_logrank_test``, ``CoxPHFitter``,
which uses Efron ties): maintained, tested against R, pure Python.  The KM interval and the median
rule are written here because lifelines' defaults differ from survfit's.

Patients outside a comparison's groups (e.g. ``ros1_mutation_status`` indeterminate) or without
the endpoint's values are left out, and counted in ``note``.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass


log = logging.getLogger(__name__)

Z95 = 1.959963984540054  # qnorm(0.975)
TOLERANCE = math.sqrt(2.220446049250313e-16)  # .Machine$double.eps^0.5, as print.survfit
ENDPOINTS = ("pfs", "os")
# The patient sheet's outcome columns: times and events, not baseline characteristics.
OUTCOME_COLUMNS = tuple(f"{endpoint}_{part}" for endpoint in ENDPOINTS for part in ("months", "event"))
COMPARISONS = (
    ("progression_site", ("extracranial", "intracranial", "both")),
    ("partner_group", ("CD74", "non-CD74")),
    ("ros1_mutation_status", ("emergent", "none")),
)
SURVIVAL_COLUMNS = (
    "endpoint comparison group n events median median_ci_low median_ci_high logrank_p "
    "hazard_ratio hr_ci_low hr_ci_high note"
).split()


@dataclass(frozen=True)
class Curve:
    """A Kaplan-Meier curve at its distinct times (event or censoring)."""

    time: list[float]
    surv: list[float]
    lower: list[float | None]
    upper: list[float | None]
    n_risk: list[int]
    n_event: list[int]


def kaplan_meier(times: list[float], events: list[int]) -> Curve:
    """KM estimate with survfit's log-scale 95% limits, from lifelines' event table."""
    from lifelines import KaplanMeierFitter

    table = KaplanMeierFitter().fit(times, events).event_table
    time, surv, lower, upper, n_risk, n_event = [], [], [], [], [], []
    s, greenwood = 1.0, 0.0
    for t, row in table.iterrows():
        if t == 0 and row["removed"] == 0:
            continue  # lifelines' row for time 0 (no one removed there)
        n, d = int(row["at_risk"]), int(row["observed"])
        if d:
            s *= 1 - d / n
            greenwood = greenwood + d / (n * (n - d)) if n > d else math.inf
        time.append(float(t))
        surv.append(s)
        n_risk.append(n)
        n_event.append(d)
        if s == 0 or math.isinf(greenwood):
            lower.append(None)
            upper.append(None)
        else:
            se = math.sqrt(greenwood)
            lower.append(s * math.exp(-Z95 * se))
            upper.append(min(1.0, s * math.exp(Z95 * se)))
    return Curve(time, surv, lower, upper, n_risk, n_event)


def first_below_half(time: list[float], values: list[float | None]) -> float | None:
    """print.survfit's ``minmin``: the first time ``values`` <= 0.5 (midpoint on an exact 0.5 flat)."""
    kept = [(t, v) for t, v in zip(time, values) if v is not None and v < 0.5 + TOLERANCE]
    if not kept:
        return None
    t0, v0 = kept[0]
    if abs(v0 - 0.5) < TOLERANCE:
        later = [t for t, v in kept if v < v0]
        if later:
            return (t0 + later[0]) / 2
    return t0


def median_with_ci(curve: Curve) -> tuple[float | None, float | None, float | None]:
    """(median, CI low, CI high): the band holds 0.5 from where its lower limit crosses 0.5 (the CI's
    low end) to where its upper limit does (the high end), as print.survfit's 0.95LCL/UCL."""
    return (
        first_below_half(curve.time, curve.surv),
        first_below_half(curve.time, curve.lower),
        first_below_half(curve.time, curve.upper),
    )


def logrank_p(times: list[float], events: list[int], groups: list[str]) -> float | None:
    from lifelines.statistics import multivariate_logrank_test

    if len(set(groups)) < 2 or not any(events):
        return None
    return float(multivariate_logrank_test(times, groups, events).p_value)


def cox_hazard_ratios(
    times: list[float], events: list[int], groups: list[str], order: tuple[str, ...]
) -> dict[str, tuple[float, float, float]]:
    """group -> (HR, CI low, CI high) against ``order[0]`` (Efron ties); {} when the fit fails."""
    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError

    present = [g for g in order if g in groups]
    if len(present) < 2 or order[0] not in present or not any(events):
        return {}
    frame = pd.DataFrame({"time": times, "event": events})
    for i, group in enumerate(present[1:]):
        frame[f"g{i}"] = [int(g == group) for g in groups]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = CoxPHFitter().fit(frame, "time", "event")
    except ConvergenceError as error:
        log.warning("Cox model did not converge (%s); hazard ratios left empty", str(error).splitlines()[0])
        return {}
    summary = fitted.summary
    result = {}
    for i, group in enumerate(present[1:]):
        beta, se = float(summary.loc[f"g{i}", "coef"]), float(summary.loc[f"g{i}", "se(coef)"])
        if not math.isfinite(se) or se > 1e3:  # a group without events: the estimate runs off to infinity
            continue
        result[group] = (math.exp(beta), math.exp(beta - Z95 * se), math.exp(beta + Z95 * se))
    return result


def has_endpoint(clinical: list[dict], endpoint: str) -> bool:
    return any(f"{endpoint}_months" in p.get("extra", {}) for p in clinical)


def survival_rows(patients: list[dict], clinical: list[dict]) -> list[dict]:
    """Rows of survival.tsv: per endpoint present, comparison and group."""
    extra = {p["patient_id"]: p.get("extra", {}) for p in clinical}
    rows = []
    for endpoint in (e for e in ENDPOINTS if has_endpoint(clinical, e)):
        for column, order in COMPARISONS:
            times, events, groups, left_out = [], [], [], 0
            for patient in patients:
                values = extra.get(patient["patient_id"], {})
                group = patient.get(column, "")
                if group not in order or f"{endpoint}_months" not in values:
                    left_out += 1
                    continue
                times.append(float(values[f"{endpoint}_months"]))
                events.append(int(values[f"{endpoint}_event"]))
                groups.append(group)
            p = logrank_p(times, events, groups)
            ratios = cox_hazard_ratios(times, events, groups, order)
            note = (
                f"{left_out} patients outside these groups or without {endpoint} values" if left_out else ""
            )
            for group in order:
                mine = [i for i, g in enumerate(groups) if g == group]
                row = {
                    "endpoint": endpoint,
                    "comparison": column,
                    "group": group,
                    "n": len(mine),
                    "events": sum(events[i] for i in mine),
                    "logrank_p": _round(p),
                    "note": note,
                }
                if mine:
                    median, low, high = median_with_ci(
                        kaplan_meier([times[i] for i in mine], [events[i] for i in mine])
                    )
                    row |= {
                        "median": _round(median),
                        "median_ci_low": _round(low),
                        "median_ci_high": _round(high),
                    }
                if group in ratios:
                    row |= dict(zip(("hazard_ratio", "hr_ci_low", "hr_ci_high"), map(_round, ratios[group])))
                elif group != order[0] and mine:
                    row["note"] = "; ".join(
                        filter(
                            None,
                            [
                                note,
                                "no hazard ratio: the Cox model has no finite "
                                "estimate (no events in a group, or no reference group)",
                            ],
                        )
                    )
                rows.append(row)
    return rows


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
