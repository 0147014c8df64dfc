"""Detection power: could the baseline have seen a variant present at the progression VAF?

With ``d`` baseline reads at the site and the variant at fraction ``f``, the number of reads
carrying it is Binomial(d, f); the caller needs ``k`` of them (``min_alt_reads``), so the power is
P(X >= k) = 1 - sum_{x < k} C(d, x) f^x (1 - f)^(d - x).  Terms are summed in log space so that
depths in the tens of thousands do not underflow.  (scipy.stats.binom.sf gives the same number;
this per-patient job stays free of scipy's import cost, and tests check the two agree.)
"""

from __future__ import annotations

import math


def detection_power(depth: int, vaf: float, min_alt_reads: int) -> float:
    """P(at least ``min_alt_reads`` alt reads among ``depth`` reads at allele fraction ``vaf``)."""
    if depth <= 0 or vaf <= 0:
        return 0.0
    if vaf >= 1:
        return 1.0 if depth >= min_alt_reads else 0.0
    if min_alt_reads <= 0:
        return 1.0
    log_f, log_q = math.log(vaf), math.log1p(-vaf)
    missed = 0.0
    for x in range(0, min(min_alt_reads, depth + 1)):
        log_term = math.lgamma(depth + 1) - math.lgamma(x + 1) - math.lgamma(depth - x + 1) + x * log_f + (depth - x) * log_q
        missed += math.exp(log_term)
    return max(0.0, min(1.0, 1.0 - missed))
