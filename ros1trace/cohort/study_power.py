"""``stats/power.tsv``: the power each 2x2 comparison of ``comparisons.tsv`` had, and the size it needed.

(``ros1trace.emergence.power`` is something else: the power of a baseline sample to detect a variant.)

Statistics
----------
* ``power_fisher``: the exact power of the two-sided Fisher test at ``alpha`` (0.05) for groups of
  the observed sizes n_a, n_b whose true proportions are the observed ones p_a = k_a/n_a,
  p_b = k_b/n_b: the sum, over every outcome (x_a, x_b) of the two independent binomials
  Bin(n_a, p_a) x Bin(n_b, p_b), of its probability when Fisher's p-value of that table is
  <= alpha.  Fisher's test conditions on the column total m = x_a + x_b, so the rejection region is
  computed once per m from the hypergeometric distribution: the two-sided p of x_a is the sum of
  the probabilities of every x with P(x) <= P(x_a) (1 + 1e-7) — ``scipy.stats.fisher_exact``'s and
  R's definition, relative tolerance included.  Exact, no simulation: the work is O((n_a+n_b)^2).
* ``n_per_group_80``: the per-group size that gives 80% power at the observed proportions, as R's
  ``power.prop.test(p1 = p_a, p2 = p_b, power = 0.8)`` computes it (two-sided, alpha 0.05, normal
  approximation without continuity correction, ``strict = FALSE``), rounded up.  With
  ``strict = FALSE`` the power equation is solved in closed form:
  n = (z_{1-alpha/2} sqrt(2 pbar qbar) + z_{power} sqrt(p_a q_a + p_b q_b))^2 / (p_a - p_b)^2,
  pbar = (p_a + p_b)/2.  R finds the same n with ``uniroot``; the closed form is exact.
* Undefined cases are empty with a note: a group with no patients; equal observed proportions (no
  difference to detect, so no finite n); 0 in one group and 1 in the other (no variance: the power
  equation has no solution for R either).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import stats


ALPHA = 0.05
TARGET_POWER = 0.8
FISHER_TOLERANCE = 1e-7  # relative: tables this close to the observed probability count as as extreme
POWER_COLUMNS = (
    "comparison group_a k_a n_a p_a group_b k_b n_b p_b alpha power_fisher n_per_group_80 note"
).split()


@lru_cache(maxsize=None)
def fisher_rejects(n_a: int, n_b: int, alpha: float = ALPHA) -> tuple[np.ndarray, ...]:
    """``result[m] = (lo, rejects)`` for each column total m: ``rejects[i]`` says whether two-sided
    Fisher rejects at ``alpha`` the table with x_a = lo + i (x_a runs over its support given m)."""
    result = []
    for m in range(n_a + n_b + 1):
        lo, hi = max(0, m - n_b), min(n_a, m)
        x = np.arange(lo, hi + 1)
        pmf = stats.hypergeom.pmf(x, n_a + n_b, n_a, m)
        # p(x) = sum of pmf over tables no more probable than x (relative tolerance as scipy/R)
        p = np.array([pmf[pmf <= value * (1 + FISHER_TOLERANCE)].sum() for value in pmf])
        result.append((lo, np.minimum(p, 1.0) <= alpha))
    return tuple(result)


def fisher_power(n_a: int, p_a: float, n_b: int, p_b: float, alpha: float = ALPHA) -> float:
    """Exact power of the two-sided Fisher test: sum over both binomials of P(x_a, x_b) [p <= alpha]."""
    prob_a = stats.binom.pmf(np.arange(n_a + 1), n_a, p_a)
    prob_b = stats.binom.pmf(np.arange(n_b + 1), n_b, p_b)
    power = 0.0
    for m, (lo, rejects) in enumerate(fisher_rejects(n_a, n_b, alpha)):
        x_a = np.arange(lo, lo + len(rejects))[rejects]
        power += float((prob_a[x_a] * prob_b[m - x_a]).sum())
    return min(power, 1.0)


def n_per_group(p_a: float, p_b: float, power: float = TARGET_POWER, alpha: float = ALPHA) -> float | None:
    """R's power.prop.test n (not rounded) for two-sided alpha and the given power; None when p_a == p_b."""
    if p_a == p_b:
        return None
    z_alpha, z_power = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    pbar = (p_a + p_b) / 2
    root = z_alpha * math.sqrt(2 * pbar * (1 - pbar)) + z_power * math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))
    return root**2 / (p_a - p_b) ** 2


def prop_test_power(n: float, p_a: float, p_b: float, alpha: float = ALPHA) -> float:
    """power.prop.test's power for n per group (strict = FALSE): the inverse of ``n_per_group``."""
    z_alpha = stats.norm.ppf(1 - alpha / 2)
    pbar = (p_a + p_b) / 2
    return float(
        stats.norm.cdf(
            (math.sqrt(n) * abs(p_a - p_b) - z_alpha * math.sqrt(2 * pbar * (1 - pbar)))
            / math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))
        )
    )


def power_row(
    comparison: str, group_a: str, k_a: int, n_a: int, group_b: str, k_b: int, n_b: int, alpha: float = ALPHA
) -> dict:
    row = {
        "comparison": comparison,
        "group_a": group_a,
        "k_a": k_a,
        "n_a": n_a,
        "group_b": group_b,
        "k_b": k_b,
        "n_b": n_b,
        "alpha": alpha,
    }
    if n_a == 0 or n_b == 0:
        return row | {"note": "undefined: a group has no patients"}
    p_a, p_b = k_a / n_a, k_b / n_b
    row |= {
        "p_a": round(p_a, 4),
        "p_b": round(p_b, 4),
        "power_fisher": round(fisher_power(n_a, p_a, n_b, p_b, alpha), 4),
    }
    if p_a in (0.0, 1.0) and p_b in (0.0, 1.0) and p_a != p_b:
        # 0 vs 1: power.prop.test's variance term is 0 (R's uniroot has no sign change to find)
        return row | {"note": "the proportions are 0 and 1: no sampling variance, power.prop.test gives no n"}
    n = n_per_group(p_a, p_b, TARGET_POWER, alpha)
    if n is None:
        return row | {"note": "observed proportions are equal: no difference to power, no finite n"}
    return row | {"n_per_group_80": math.ceil(n - 1e-9)}  # 1e-9: a float just above an integer n


def power_rows(comparisons: list[dict]) -> list[dict]:
    """One row per comparison label of comparisons.tsv (its rows repeat per test: counts are the same)."""
    rows, seen = [], set()
    for c in comparisons:
        if c["comparison"] in seen:
            continue
        seen.add(c["comparison"])
        rows.append(
            power_row(
                c["comparison"],
                c["group_a"],
                int(c["k_a"]),
                int(c["n_a"]),
                c["group_b"],
                int(c["k_b"]),
                int(c["n_b"]),
            )
        )
    return rows
