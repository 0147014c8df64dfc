"""The report's sections for the audit, the study power and survival (``report.html``).

Each section is shown only when its table exists (power always; the audit when the config names a
``reported`` YAML; survival when the patient sheet has the columns).  The audit shows first the
items that disagree, then a one-line tally; the Kaplan-Meier PNGs are inlined as ``data:`` URIs like
the report's other figures.  Everything is read from the tables; nothing is recomputed here.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

AUDIT_HEADER = ["item", "reported", "recomputed", "agrees", "note"]
POWER_HEADER = [
    "comparison",
    "group_a",
    "k_a",
    "n_a",
    "group_b",
    "k_b",
    "n_b",
    "power_fisher",
    "n_per_group_80",
    "note",
]
SURVIVAL_HEADER = [
    "endpoint",
    "comparison",
    "group",
    "n",
    "events",
    "median",
    "median_ci_low",
    "median_ci_high",
    "logrank_p",
    "hazard_ratio",
    "hr_ci_low",
    "hr_ci_high",
    "note",
]


def _table(header: list[str], rows: list[dict]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(row.get(h, '')))}</td>" for h in header) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def audit_section(rows: list[dict]) -> str:
    if not rows:
        return ""
    disagree = [r for r in rows if r.get("agrees") == "false"]
    agree = sum(r.get("agrees") == "true" for r in rows)
    unchecked = len(rows) - agree - len(disagree)
    return (
        "<h2 id='audit'>Reported vs recomputed</h2><p class='note'>"
        f"{len(rows)} reported numbers: {agree} agree with this run, {len(disagree)} do not, "
        f"{unchecked} cannot be recomputed from sequencing outputs (audit/reported_vs_recomputed.tsv "
        "lists all). The ones that do not agree, with the explanation:</p>" + _table(AUDIT_HEADER, disagree)
    )


def power_section(rows: list[dict]) -> str:
    if not rows:
        return ""
    return (
        "<h2 id='power'>Power</h2><p class='note'>power_fisher: exact power of the two-sided Fisher test "
        "(alpha 0.05) at the observed group sizes and proportions; n_per_group_80: patients per group "
        "for 80% power at those proportions (R's power.prop.test, no continuity correction), rounded up.</p>"
        + _table(POWER_HEADER, rows)
    )


def survival_section(rows: list[dict], figures_dir: Path) -> str:
    if not rows:
        return ""
    images = []
    for path in sorted(Path(figures_dir, "survival").glob("*.png")):
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        images.append(
            f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(path.stem)}'>"
            f"<figcaption>{html.escape(path.stem)}: Kaplan-Meier curves, numbers at risk below.</figcaption>"
            "</figure>"
        )
    return (
        "<h2 id='survival'>Survival</h2><p class='note'>Months. Kaplan-Meier medians with survfit's default "
        "(log) 95% CI, empty where not reached; log-rank p across the groups; Cox hazard ratios (Efron ties) "
        "against the first group of each comparison.</p>" + _table(SURVIVAL_HEADER, rows) + "".join(images)
    )
