"""The statistics of the study, as pure functions (no files, no cohort knowledge).

Methods
-------
* **Rates** ``k/n`` are reported in percent with the Wilson score 95% interval
  (``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``): unlike the Wald interval it
  stays inside 0-100 and keeps its coverage at k = 0 or k = n, which small cohorts hit often.
* **2x2 tables** (rows = two groups, columns = outcome yes / no) get three tests side by side,
  because the study says "chi-square" but its p = 0.337 (19/27 vs 9/17) is Fisher's:
  Fisher's exact test (two-sided; statistic = the sample odds ratio, ``inf`` when a cell in its
  denominator is 0), Pearson's chi-square without and with Yates' continuity correction.
  Fisher is flagged ``recommended`` when any expected count is below 5 (Cochran's rule), Pearson
  otherwise.
* **r x c tables** get Pearson's chi-square and the Fisher-Freeman-Halton test: its p-value is
  the probability, under independence with both margins fixed (multiple hypergeometric), of
  every table no more probable than the observed one (R's ``fisher.test`` definition, with the
  same 1e-7 relative tolerance for ties).  It is computed by exact enumeration of the tables with
  the observed margins when there are at most ``max_tables`` of them, else by seeded Monte-Carlo
  sampling of such tables (``scipy.stats.fisher_exact`` with a ``MonteCarloMethod``, which draws
  them with ``scipy.stats.random_table``), so reruns give the same p.
* **Continuous variables across groups**: Kruskal-Wallis H test (``scipy.stats.kruskal``).

Edge cases: a rate with n = 0 has no percent and no interval; a table with a zero margin (a group
with no patients, or an outcome nobody / everybody has) has no defined chi-square and the tests
are reported empty with a note rather than raising.  r x c tables drop all-zero rows and columns
first (they carry no information) and say so; fewer than two rows or columns left is undefined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .methods import MAX_EXACT_TABLES, MIN_EXPECTED, MONTE_CARLO_RESAMPLES, PERCENT_DECIMALS, TIE_TOLERANCE  # noqa: F401



@dataclass(frozen=True)
class Rate:
    k: int
    n: int
    pct: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class TestResult:
    test: str
    statistic: float | None
    p_value: float | None
    expected_min: float | None = None
    recommended: bool = False
    method: str = ""  # how the p-value was obtained (exact / monte_carlo / asymptotic)
    note: str = ""


def percent(k: float, n: float) -> float | None:
    """``100 k / n`` rounded to PERCENT_DECIMALS, None when n is 0."""
    return round(100.0 * k / n, PERCENT_DECIMALS) if n else None


def rate(k: int, n: int) -> Rate:
    """k of n in percent with its Wilson 95% interval (percent, rounded)."""
    if n <= 0:
        return Rate(k, n, None, None, None)
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return Rate(k, n, percent(k, n), round(100.0 * float(ci.low), PERCENT_DECIMALS),
                round(100.0 * float(ci.high), PERCENT_DECIMALS))


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def two_by_two(k_a: int, n_a: int, k_b: int, n_b: int) -> list[TestResult]:
    """Fisher, Pearson chi-square and Yates chi-square for k_a/n_a vs k_b/n_b, in that order."""
    table = np.array([[k_a, n_a - k_a], [k_b, n_b - k_b]])
    names = ("fisher_exact", "chi2", "chi2_yates")
    undefined = _zero_margin_note(table, ("group_a", "group_b"), ("with the outcome", "without it"))
    if undefined:
        return [TestResult(name, None, None, note=undefined) for name in names]
    fisher = stats.fisher_exact(table, alternative="two-sided")
    pearson = stats.chi2_contingency(table, correction=False)
    yates = stats.chi2_contingency(table, correction=True)
    expected_min = float(pearson.expected_freq.min())
    small = expected_min < MIN_EXPECTED
    why = f"expected count {expected_min:.3g} {'<' if small else '>='} {MIN_EXPECTED}"
    return [
        TestResult("fisher_exact", _number(fisher.statistic), _number(fisher.pvalue), expected_min,
                   small, "exact", why if small else ""),
        TestResult("chi2", _number(pearson.statistic), _number(pearson.pvalue), expected_min,
                   not small, "asymptotic", why),
        TestResult("chi2_yates", _number(yates.statistic), _number(yates.pvalue), expected_min,
                   False, "asymptotic", ""),
    ]


def _zero_margin_note(table: np.ndarray, row_names: Sequence[str], column_names: Sequence[str]) -> str:
    """Why the tests of ``table`` are undefined (a zero row or column sum), or ''."""
    empty_rows = [row_names[i] for i in np.flatnonzero(table.sum(axis=1) == 0)]
    empty_columns = [column_names[j] for j in np.flatnonzero(table.sum(axis=0) == 0)]
    if empty_rows:
        return f"undefined: no patients in {' and '.join(empty_rows)}"
    if empty_columns:
        return f"undefined: no patients {' and '.join(empty_columns)}"
    return ""


def drop_empty(table: np.ndarray, rows: Sequence[str], columns: Sequence[str]):
    """The table without its all-zero rows and columns, the kept labels, and a note."""
    keep_r = table.sum(axis=1) > 0
    keep_c = table.sum(axis=0) > 0
    dropped = [r for r, k in zip(rows, keep_r) if not k] + [c for c, k in zip(columns, keep_c) if not k]
    note = f"no patients in {', '.join(dropped)}: left out of the test" if dropped else ""
    kept = table[np.ix_(keep_r, keep_c)]
    return kept, [r for r, k in zip(rows, keep_r) if k], [c for c, k in zip(columns, keep_c) if k], note


def r_by_c(table: Sequence[Sequence[int]], rows: Sequence[str], columns: Sequence[str],
           seed: int, max_tables: int = MAX_EXACT_TABLES) -> list[TestResult]:
    """Pearson chi-square and Fisher-Freeman-Halton for an r x c table (after dropping empty lines)."""
    full = np.asarray(table, dtype=np.int64)
    kept, _, _, note = drop_empty(full, rows, columns)
    if kept.shape[0] < 2 or kept.shape[1] < 2:
        why = "; ".join(filter(None, [note, "undefined: fewer than two non-empty rows or columns"]))
        return [TestResult(name, None, None, note=why) for name in ("chi2", "fisher_freeman_halton")]
    pearson = stats.chi2_contingency(kept, correction=False)
    expected_min = float(pearson.expected_freq.min())
    small = expected_min < MIN_EXPECTED
    observed, p_ffh, method = fisher_freeman_halton(kept, seed, max_tables)
    return [
        TestResult("chi2", _number(pearson.statistic), _number(pearson.pvalue), expected_min, not small,
                   "asymptotic", note),
        TestResult("fisher_freeman_halton", observed, p_ffh, expected_min, small, method, note),
    ]


def fisher_freeman_halton(table: np.ndarray, seed: int, max_tables: int = MAX_EXACT_TABLES,
                          resamples: int = MONTE_CARLO_RESAMPLES) -> tuple[float, float, str]:
    """P(observed table), the two-sided Fisher-Freeman-Halton p, and how p was computed
    ('exact' or 'monte_carlo N')."""
    table = np.asarray(table, dtype=np.int64)
    observed = _log_probability(table)
    log_probs = _enumerate_log_probabilities(table.sum(axis=1), table.sum(axis=0), max_tables)
    if log_probs is not None:
        extreme = log_probs <= observed + math.log1p(TIE_TOLERANCE)
        return math.exp(observed), min(1.0, float(np.exp(log_probs[extreme]).sum())), "exact"
    method = stats.MonteCarloMethod(n_resamples=resamples, rng=np.random.default_rng(seed))
    p = float(stats.fisher_exact(table, method=method).pvalue)
    return math.exp(observed), p, f"monte_carlo {resamples}"


def _log_margin_constant(row_sums, column_sums) -> float:
    lg = math.lgamma
    return (sum(lg(r + 1) for r in row_sums) + sum(lg(c + 1) for c in column_sums)
            - lg(int(np.sum(row_sums)) + 1))


def _log_probability(table: np.ndarray) -> float:
    """log P(table | margins) under independence (multiple hypergeometric)."""
    cells = sum(math.lgamma(x + 1) for x in table.ravel().tolist())
    return _log_margin_constant(table.sum(axis=1), table.sum(axis=0)) - cells


def _compositions(total: int, bounds: tuple[int, ...]):
    """Every way to write ``total`` as len(bounds) non-negative parts, part i <= bounds[i]."""
    if len(bounds) == 1:
        if total <= bounds[0]:
            yield (total,)
        return
    rest_capacity = sum(bounds[1:])
    for first in range(max(0, total - rest_capacity), min(total, bounds[0]) + 1):
        for tail in _compositions(total - first, bounds[1:]):
            yield (first, *tail)


def _count_compositions(total: int, bounds: Sequence[int]) -> int:
    """How many items ``_compositions(total, bounds)`` yields (dynamic programming)."""
    ways = [1] + [0] * total  # ways[s]: ways to reach sum s with the parts seen so far
    for bound in bounds:
        running, new = 0, []
        for s in range(total + 1):  # new[s] = sum of ways[s - j] for j in 0..bound
            running += ways[s] - (ways[s - bound - 1] if s - bound - 1 >= 0 else 0)
            new.append(running)
        ways = new
    return ways[total]


def _enumerate_log_probabilities(row_sums, column_sums, max_tables: int) -> np.ndarray | None:
    """log P of every table with these margins, or None when there may be more than ``max_tables``
    (the bound: the product over rows of the ways to fill each row alone).

    Rows are filled one at a time; partial tables that leave the same column sums to fill are
    grouped (their later rows are the same), so the work is the number of tables, not more.
    The last row is whatever the column sums leave.
    """
    row_sums = [int(r) for r in row_sums]
    bound = math.prod(_count_compositions(r, [int(c) for c in column_sums]) for r in row_sums[:-1])
    if bound > max_tables:  # cheap upper bound first: no time lost on hopeless enumerations
        return None
    lg_cache = [math.lgamma(x + 1) for x in range(int(max(column_sums, default=0)) + 1)]
    # state: column sums still to fill -> array of sum(lgamma(x+1)) over the cells filled so far
    states: dict[tuple[int, ...], np.ndarray] = {tuple(int(c) for c in column_sums): np.zeros(1)}
    for row_total in row_sums[:-1]:
        grown: dict[tuple[int, ...], list[np.ndarray]] = {}
        for remaining, partial in states.items():
            for cells in _compositions(row_total, remaining):
                left = tuple(r - c for r, c in zip(remaining, cells))
                grown.setdefault(left, []).append(partial + sum(lg_cache[c] for c in cells))
        states = {left: np.concatenate(parts) for left, parts in grown.items()}
    constant = _log_margin_constant(row_sums, column_sums)
    return np.concatenate([constant - (partial + sum(lg_cache[c] for c in last))
                           for last, partial in states.items()])


def kruskal_wallis(groups: Sequence[Sequence[float]]) -> tuple[float | None, float | None, str]:
    """H and p across the non-empty groups; (None, None, why) when undefined."""
    filled = [list(g) for g in groups if len(g)]
    if len(filled) < 2:
        return None, None, "undefined: fewer than two groups with values"
    if len({v for g in filled for v in g}) < 2:
        return None, None, "undefined: all values are equal"
    result = stats.kruskal(*filled)
    return _number(result.statistic), _number(result.pvalue), ""
