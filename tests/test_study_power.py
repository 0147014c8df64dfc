"""stats/power.tsv: exact Fisher power and power.prop.test's n, against brute force and R's numbers."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from ros1trace.cohort import study_power
from ros1trace.tsv import read_tsv, write_tsv


def brute_force_power(n_a, p_a, n_b, p_b, alpha=0.05):
    """Every (x_a, x_b) pair, each through scipy's own fisher_exact."""
    total = 0.0
    for x_a, x_b in itertools.product(range(n_a + 1), range(n_b + 1)):
        p = stats.fisher_exact([[x_a, n_a - x_a], [x_b, n_b - x_b]]).pvalue
        if p <= alpha:
            total += stats.binom.pmf(x_a, n_a, p_a) * stats.binom.pmf(x_b, n_b, p_b)
    return total


@pytest.mark.parametrize("n_a,k_a,n_b,k_b", [(12, 9, 8, 2), (10, 5, 10, 5), (7, 0, 9, 4), (15, 14, 6, 1)])
def test_fisher_power_equals_enumeration_through_scipy_fisher(n_a, k_a, n_b, k_b):
    p_a, p_b = k_a / n_a, k_b / n_b
    assert study_power.fisher_power(n_a, p_a, n_b, p_b) == pytest.approx(
        brute_force_power(n_a, p_a, n_b, p_b), abs=1e-12
    )


def test_fisher_power_agrees_with_simulated_trials():
    """The study's site comparison (24/33 vs 4/11): 20,000 simulated studies, each tested by Fisher."""
    rng = np.random.default_rng(7)
    n_a, n_b, p_a, p_b = 33, 11, 24 / 33, 4 / 11
    trials = 20000
    x_a, x_b = rng.binomial(n_a, p_a, trials), rng.binomial(n_b, p_b, trials)
    cache = {}
    rejected = 0
    for a, b in zip(x_a.tolist(), x_b.tolist()):
        if (a, b) not in cache:
            cache[a, b] = stats.fisher_exact([[a, n_a - a], [b, n_b - b]]).pvalue <= 0.05
        rejected += cache[a, b]
    simulated = rejected / trials
    exact = study_power.fisher_power(n_a, p_a, n_b, p_b)
    assert abs(simulated - exact) < 4 * math.sqrt(exact * (1 - exact) / trials)


def test_fisher_power_is_alpha_or_less_when_the_proportions_are_equal():
    assert study_power.fisher_power(20, 0.4, 20, 0.4) <= 0.05  # Fisher is conservative


def test_n_per_group_is_r_power_prop_test():
    # R: power.prop.test(p1 = .50, p2 = .75, power = .90) -> n = 76.7069 (its help page example)
    assert study_power.n_per_group(0.5, 0.75, power=0.9) == pytest.approx(76.7069, abs=1e-4)


def test_n_per_group_gives_the_target_power_through_the_power_equation():
    for p_a, p_b in [(0.7273, 0.3636), (0.1, 0.3), (0.95, 0.5)]:
        n = study_power.n_per_group(p_a, p_b)
        assert study_power.prop_test_power(n, p_a, p_b) == pytest.approx(0.8, abs=1e-9)
        assert study_power.prop_test_power(math.ceil(n), p_a, p_b) >= 0.8
        assert study_power.prop_test_power(math.ceil(n) - 1, p_a, p_b) < 0.8


def test_power_row_of_equal_or_degenerate_proportions_is_empty_with_a_note():
    for k_a, n_a, k_b, n_b in [(0, 10, 0, 12), (10, 10, 12, 12), (3, 6, 4, 8)]:
        row = study_power.power_row("c", "a", k_a, n_a, "b", k_b, n_b)
        assert "n_per_group_80" not in row and "proportions are equal" in row["note"]
    row = study_power.power_row("c", "a", 0, 7, "b", 5, 5)
    assert "n_per_group_80" not in row and "the proportions are 0 and 1" in row["note"]
    assert row["power_fisher"] > 0.5  # the exact power is still defined
    row = study_power.power_row("c", "a", 0, 0, "b", 1, 4)
    assert "power_fisher" not in row and "no patients" in row["note"]


def test_power_table_has_one_row_per_comparison_label(tmp_path):
    columns = ["comparison", "group_a", "k_a", "n_a", "group_b", "k_b", "n_b", "test"]
    rows = [
        {
            "comparison": label,
            "group_a": "x",
            "k_a": 24,
            "n_a": 33,
            "group_b": "y",
            "k_b": 4,
            "n_b": 11,
            "test": test,
        }
        for label in ("one", "two")
        for test in ("fisher_exact", "chi2", "chi2_yates")
    ]
    write_tsv(tmp_path / "comparisons.tsv", columns, rows)

    class Args:
        comparisons, out = tmp_path / "comparisons.tsv", tmp_path / "power.tsv"

    from ros1trace.stages import power

    power.run(Args)
    table = read_tsv(tmp_path / "power.tsv")
    assert [r["comparison"] for r in table] == ["one", "two"]
    assert table[0]["n_per_group_80"] == "29" and table[0]["power_fisher"] == "0.4941"
