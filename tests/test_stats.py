"""ros1trace.cohort.stats against values computed by hand (and, for the r x c tests, against R's
documented examples and scipy's independent Monte-Carlo)."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from ros1trace.cohort import stats


def by_test(results):
    return {r.test: r for r in results}


def test_fisher_two_sided_for_19_of_27_vs_9_of_17_is_the_studys_0_337():
    fisher = by_test(stats.two_by_two(19, 27, 9, 17))["fisher_exact"]
    assert round(fisher.p_value, 3) == 0.337
    assert fisher.statistic == pytest.approx(19 * 8 / (8 * 9))  # sample odds ratio ad/bc


def test_24_of_33_vs_2_of_11_gives_pearson_0_0014_fisher_0_0032_and_yates_by_hand():
    results = by_test(stats.two_by_two(24, 33, 2, 11))
    a, b, c, d = 24, 9, 2, 9
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    assert results["chi2"].statistic == pytest.approx(n * (a * d - b * c) ** 2 / margins)
    assert round(results["chi2"].p_value, 4) == 0.0014
    assert results["chi2_yates"].statistic == pytest.approx(n * (abs(a * d - b * c) - n / 2) ** 2 / margins)
    assert round(results["fisher_exact"].p_value, 4) == 0.0032
    assert results["fisher_exact"].statistic == pytest.approx(12.0)


def test_fisher_is_recommended_when_an_expected_count_is_below_5_else_pearson():
    small = by_test(stats.two_by_two(24, 33, 2, 11))  # smallest expected count 11*18/44 = 4.5
    assert small["fisher_exact"].expected_min == pytest.approx(4.5)
    assert [t for t, r in small.items() if r.recommended] == ["fisher_exact"]
    large = by_test(stats.two_by_two(19, 27, 9, 17))  # smallest expected 17*16/44 = 6.18
    assert [t for t, r in large.items() if r.recommended] == ["chi2"]


def test_tests_come_in_the_contract_order():
    assert [r.test for r in stats.two_by_two(3, 5, 1, 4)] == ["fisher_exact", "chi2", "chi2_yates"]


def test_wilson_interval_matches_the_closed_formula_in_percent():
    k, n, z = 24, 33, scipy_stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    result = stats.rate(k, n)
    assert (result.pct, result.ci_low, result.ci_high) == (72.7, round(100 * (centre - half), 1),
                                                            round(100 * (centre + half), 1))
    assert (result.ci_low, result.ci_high) == (55.8, 84.9)


def test_wilson_interval_stays_inside_0_100_at_the_extremes():
    none, every = stats.rate(0, 5), stats.rate(5, 5)
    assert none.ci_low == 0.0 and 0 < none.ci_high < 100
    assert every.ci_high == 100.0 and 0 < every.ci_low < 100


def test_a_group_with_zero_patients_has_no_rate_and_undefined_tests():
    assert stats.rate(0, 0) == stats.Rate(0, 0, None, None, None)
    results = stats.two_by_two(0, 0, 3, 5)
    assert all(r.statistic is None and r.p_value is None for r in results)
    assert all("no patients in group_a" in r.note for r in results)
    assert not any(r.recommended for r in results)


def test_an_outcome_nobody_has_makes_the_tests_undefined_not_an_error():
    results = stats.two_by_two(0, 3, 0, 5)
    assert all(r.p_value is None and "undefined" in r.note for r in results)


def test_ffh_on_a_2x2_table_equals_fisher_two_sided():
    # R's TeaTasting example: fisher.test(matrix(c(3, 1, 1, 3), 2)) gives p = 0.4857
    _, p, method = stats.fisher_freeman_halton(np.array([[3, 1], [1, 3]]), seed=1)
    assert method == "exact" and round(p, 4) == 0.4857
    _, p, _ = stats.fisher_freeman_halton(np.array([[19, 8], [9, 8]]), seed=1)
    assert p == pytest.approx(scipy_stats.fisher_exact([[19, 8], [9, 8]]).pvalue)


def test_ffh_exact_p_of_a_small_3x2_table_by_hand():
    # Margins rows (2,2,2), columns (3,3): P(x1,x2,x3) = C(2,x1)C(2,x2)C(2,x3)/C(6,3).  The six
    # tables like (2,0,1) have P = 2/20, (1,1,1) has 8/20; observed (2,0,1): p = 6 * 2/20 = 0.6.
    observed, p, method = stats.fisher_freeman_halton(np.array([[2, 0], [0, 2], [1, 1]]), seed=1)
    assert method == "exact"
    assert observed == pytest.approx(2 / 20)
    assert p == pytest.approx(0.6)


def test_ffh_exact_agrees_with_scipys_monte_carlo_on_the_three_site_table():
    table = np.array([[24, 9], [2, 9], [1, 4]])
    _, exact, method = stats.fisher_freeman_halton(table, seed=1)
    assert method == "exact"
    sampled = scipy_stats.fisher_exact(table, method=scipy_stats.MonteCarloMethod(
        n_resamples=100_000, rng=np.random.default_rng(3))).pvalue
    assert exact == pytest.approx(sampled, abs=0.001)


def test_ffh_falls_back_to_seeded_monte_carlo_and_reproduces_rs_job_example():
    # R's ?fisher.test Job satisfaction table: p = 0.7827 (too many tables to enumerate here)
    job = np.array([[1, 2, 1, 0], [3, 3, 6, 1], [10, 10, 14, 9], [6, 7, 12, 11]]).T
    first = stats.fisher_freeman_halton(job, seed=20211)
    assert first == stats.fisher_freeman_halton(job, seed=20211)  # same seed, same p
    assert first[2] == f"monte_carlo {stats.MONTE_CARLO_RESAMPLES}"
    assert first[1] == pytest.approx(0.7827, abs=0.01)


def test_forcing_monte_carlo_gives_a_p_close_to_the_exact_one():
    table = np.array([[24, 9], [2, 9], [1, 4]])
    _, exact, _ = stats.fisher_freeman_halton(table, seed=1)
    _, sampled, method = stats.fisher_freeman_halton(table, seed=1, max_tables=0)
    assert method.startswith("monte_carlo")
    assert sampled == pytest.approx(exact, abs=0.002)


def test_r_by_c_gives_chi2_and_ffh_and_recommends_ffh_for_small_expected_counts():
    results = by_test(stats.r_by_c([[24, 9], [2, 9], [1, 4]], ["e", "i", "b"], ["y", "n"], seed=1))
    expected = scipy_stats.contingency.expected_freq(np.array([[24, 9], [2, 9], [1, 4]]))
    observed = np.array([[24, 9], [2, 9], [1, 4]])
    assert results["chi2"].statistic == pytest.approx(((observed - expected) ** 2 / expected).sum())
    assert results["fisher_freeman_halton"].recommended and not results["chi2"].recommended


def test_r_by_c_leaves_out_an_empty_row_and_says_so():
    results = by_test(stats.r_by_c([[0, 0], [2, 9], [1, 4]], ["e", "i", "b"], ["y", "n"], seed=1))
    assert "no patients in e" in results["chi2"].note
    two_by_two = scipy_stats.fisher_exact([[2, 9], [1, 4]]).pvalue
    assert results["fisher_freeman_halton"].p_value == pytest.approx(two_by_two)


def test_r_by_c_with_a_single_column_left_is_undefined():
    results = stats.r_by_c([[0, 3], [0, 9], [0, 4]], ["e", "i", "b"], ["y", "n"], seed=1)
    assert all(r.p_value is None and "undefined" in r.note for r in results)


def test_kruskal_wallis_by_hand():
    # ranks 1,2,3 | 4,5: H = 12/(5*6) * (6^2/3 + 9^2/2) - 3*6 = 3
    statistic, p, note = stats.kruskal_wallis([[1, 2, 3], [4, 5], []])
    assert statistic == pytest.approx(3.0)
    assert p == pytest.approx(scipy_stats.chi2.sf(3.0, 1))
    assert note == ""


def test_kruskal_wallis_is_undefined_with_one_group_or_equal_values():
    assert stats.kruskal_wallis([[1, 2], []])[1] is None
    assert stats.kruskal_wallis([[4, 4], [4]])[2] == "undefined: all values are equal"


def test_percent_rounds_to_one_decimal_and_is_none_for_no_patients():
    assert stats.percent(1, 3) == 33.3
    assert stats.percent(2, 3) == 66.7
    assert stats.percent(0, 0) is None
