"""stats/survival.tsv against values computed by hand and by independent code (ties and censoring)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from ros1trace.cohort import survival
from ros1trace.errors import InputError
from ros1trace.sheets import load_patients

# Group A: 1, 2, 2 (a tie), 3+, 4, 5+;  group B: 1, 1 (a tie, and tied with A at 1), 2+, 3.
A_TIMES, A_EVENTS = [1, 2, 2, 3, 4, 5], [1, 1, 1, 0, 1, 0]
B_TIMES, B_EVENTS = [1, 1, 2, 3], [1, 1, 0, 1]
Z = 1.959963984540054


def test_kaplan_meier_survival_and_log_limits_by_hand():
    curve = survival.kaplan_meier(A_TIMES, A_EVENTS)
    assert curve.time == [1, 2, 3, 4, 5]
    assert curve.surv == pytest.approx([5 / 6, 0.5, 0.5, 0.25, 0.25])
    greenwood = [1 / 30, 1 / 30 + 2 / 15, 1 / 30 + 2 / 15, 1 / 30 + 2 / 15 + 1 / 2]
    for s, g, low, high in zip(curve.surv, greenwood + [greenwood[-1]], curve.lower, curve.upper):
        assert low == pytest.approx(s * math.exp(-Z * math.sqrt(g)))
        assert high == pytest.approx(min(1.0, s * math.exp(Z * math.sqrt(g))))


def test_median_on_an_exact_half_flat_is_the_midpoint_to_the_next_drop():
    # A: S = 0.5 from t = 2 (censoring at 3 keeps it flat) until it drops at 4 -> (2 + 4) / 2
    median, low, high = survival.median_with_ci(survival.kaplan_meier(A_TIMES, A_EVENTS))
    assert median == 3
    # lower limit at 2: 0.5 exp(-1.96 sqrt(1/6)) = 0.2246 <= 0.5; the upper limit stays capped at 1
    assert low == 2 and high is None


def test_limits_are_missing_where_the_curve_reaches_zero():
    curve = survival.kaplan_meier(B_TIMES, B_EVENTS)
    assert curve.surv == pytest.approx([0.5, 0.5, 0.0])
    assert curve.lower[-1] is None and curve.upper[-1] is None
    median, low, high = survival.median_with_ci(curve)
    assert median == 2  # 0.5 at 1, next drop at 3
    assert low == 1 and high is None


def test_median_not_reached_is_empty():
    assert survival.median_with_ci(survival.kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0]))[0] is None


def hand_logrank(times, events, groups):
    """Two-group log-rank (survdiff, rho = 0), written out: O - E and the hypergeometric variance."""
    o_minus_e, variance = 0.0, 0.0
    for t in sorted({t for t, e in zip(times, events) if e}):
        at_risk = [g for x, g in zip(times, groups) if x >= t]
        deaths = [g for x, e, g in zip(times, events, groups) if x == t and e]
        n, d, n1, d1 = len(at_risk), len(deaths), at_risk.count("a"), deaths.count("a")
        o_minus_e += d1 - d * n1 / n
        if n > 1:
            variance += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    return stats.chi2.sf(o_minus_e**2 / variance, 1)


def efron_log_likelihood(beta, times, events, x):
    """Cox partial log-likelihood with Efron's tie correction, one covariate."""
    total = 0.0
    for t in sorted({t for t, e in zip(times, events) if e}):
        risk = sum(math.exp(beta * xi) for ti, xi in zip(times, x) if ti >= t)
        tied = [xi for ti, ei, xi in zip(times, events, x) if ti == t and ei]
        tied_sum = sum(math.exp(beta * xi) for xi in tied)
        total += beta * sum(tied)
        total -= sum(math.log(risk - j / len(tied) * tied_sum) for j in range(len(tied)))
    return total


def test_logrank_and_efron_cox_match_independent_code():
    times, events = A_TIMES + B_TIMES, A_EVENTS + B_EVENTS
    groups = ["a"] * len(A_TIMES) + ["b"] * len(B_TIMES)
    assert survival.logrank_p(times, events, groups) == pytest.approx(
        hand_logrank(times, events, groups), rel=1e-9
    )

    x = [int(g == "b") for g in groups]
    fit = optimize.minimize_scalar(
        lambda b: -efron_log_likelihood(b, times, events, x),
        bounds=(-10, 10),
        method="bounded",
        options={"xatol": 1e-10},
    )
    h = 1e-4  # observed information by central differences
    info = (
        -(
            efron_log_likelihood(fit.x + h, times, events, x)
            - 2 * efron_log_likelihood(fit.x, times, events, x)
            + efron_log_likelihood(fit.x - h, times, events, x)
        )
        / h**2
    )
    se = 1 / math.sqrt(info)
    hr, low, high = survival.cox_hazard_ratios(times, events, groups, ("a", "b"))["b"]
    assert hr == pytest.approx(math.exp(fit.x), rel=1e-4)
    assert low == pytest.approx(math.exp(fit.x - Z * se), rel=1e-3)
    assert high == pytest.approx(math.exp(fit.x + Z * se), rel=1e-3)


def test_survival_rows_per_endpoint_comparison_and_group():
    patients, clinical = [], []
    for i, (t, e) in enumerate(zip(A_TIMES + B_TIMES, A_EVENTS + B_EVENTS)):
        group = "CD74" if i < len(A_TIMES) else "non-CD74"
        patients.append(
            {
                "patient_id": f"p{i}",
                "partner_group": group,
                "progression_site": "extracranial",
                "ros1_mutation_status": "indeterminate" if i == 0 else "none",
            }
        )
        clinical.append({"patient_id": f"p{i}", "extra": {"pfs_months": float(t), "pfs_event": e}})
    rows = survival.survival_rows(patients, clinical)
    assert {r["endpoint"] for r in rows} == {"pfs"}  # no OS columns, no OS rows
    by = {(r["comparison"], r["group"]): r for r in rows}
    cd74, other = by["partner_group", "CD74"], by["partner_group", "non-CD74"]
    assert (cd74["n"], cd74["events"], cd74["median"], cd74["median_ci_low"]) == (6, 4, 3, 2)
    assert "hazard_ratio" not in cd74 and other["hazard_ratio"] > 1
    assert by["progression_site", "intracranial"]["n"] == 0
    assert (
        by["ros1_mutation_status", "none"]["n"] == 9
        and "1 patients outside" in by["ros1_mutation_status", "none"]["note"]
    )


def test_no_hazard_ratio_when_a_group_has_no_events():
    ratios = survival.cox_hazard_ratios([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], list("aaabbb"), ("a", "b"))
    assert ratios == {}


@pytest.mark.parametrize(
    "cells,message",
    [
        ("-2\t1", "column pfs_months: -2.0 is not allowed; use a number from 0 to 1200"),
        ("4\t2", "column pfs_event: 2 is not allowed; use one of 0, 1"),
        ("4\tyes", "column pfs_event: 'yes' is not allowed; use one of 0, 1"),
        (
            "4\t",
            "column pfs_months: 4.0 is given without pfs_event; "
            "fill both pfs_months and pfs_event or neither",
        ),
    ],
)
def test_bad_survival_values_are_one_line_naming_sheet_line_and_column(tmp_path, cells, message):
    sheet = tmp_path / "patients.tsv"
    sheet.write_text(
        "patient_id\tprogression_site\tpfs_months\tpfs_event\nP1\tboth\t3\t1\nP2\tboth\t" + cells + "\n"
    )
    with pytest.raises(InputError) as error:
        load_patients(sheet)
    assert str(error.value) == f"{sheet} line 3 (patient_id P2), {message}"


def test_km_figures_are_written_for_each_endpoint_and_comparison(tmp_path):
    from ros1trace.cohort import survival_plots

    rng = np.random.default_rng(3)
    patients = [
        {
            "patient_id": f"p{i}",
            "progression_site": ("extracranial", "intracranial", "both")[i % 3],
            "partner_group": ("CD74", "non-CD74")[i % 2],
            "ros1_mutation_status": "none",
        }
        for i in range(12)
    ]
    clinical = [
        {
            "patient_id": f"p{i}",
            "extra": {"pfs_months": round(float(rng.exponential(10)), 1), "pfs_event": int(i % 4 != 0)},
        }
        for i in range(12)
    ]
    paths = survival_plots.draw_all(patients, clinical, tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"{n}.{f}" for n in survival_plots.figure_names(clinical) for f in ("png", "svg")
    )
    first = paths[0].read_bytes()
    survival_plots.draw_all(patients, clinical, tmp_path)
    assert paths[0].read_bytes() == first


def test_r_survival_package_output_on_its_aml_data():
    """R: survfit / survdiff / coxph(Surv(time, status) ~ x, data = aml), as the survival package prints them:
    Maintained median 31 (0.95LCL 18, UCL NA), Nonmaintained 23 (8, NA); log-rank p = 0.0653;
    exp(coef) 2.498 (0.9159-6.813) for Nonmaintained."""
    maintained = ([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
    non = ([5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])
    assert survival.median_with_ci(survival.kaplan_meier(*maintained)) == (31, 18, None)
    assert survival.median_with_ci(survival.kaplan_meier(*non)) == (23, 8, None)
    times, events = maintained[0] + non[0], maintained[1] + non[1]
    groups = ["Maintained"] * 11 + ["Nonmaintained"] * 12
    assert survival.logrank_p(times, events, groups) == pytest.approx(0.0653, abs=5e-5)
    hr, low, high = survival.cox_hazard_ratios(times, events, groups, ("Maintained", "Nonmaintained"))[
        "Nonmaintained"
    ]
    assert (round(hr, 3), round(low, 4), round(high, 3)) == (2.498, 0.9159, 6.813)
