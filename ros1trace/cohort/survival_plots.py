"""Kaplan-Meier figures: ``figures/survival/km_<endpoint>_<comparison>.png/.svg``.

One figure per endpoint (PFS, OS) and comparison of ``ros1trace.cohort.survival``: the step curves of
``survival.kaplan_meier`` (censoring ticks), the median, log-rank p and hazard ratios from
``survival.tsv``'s statistics, and a numbers-at-risk table under the axis.  Okabe-Ito colours and
a line style per group, so no curve depends on colour alone.  Deterministic files: Agg PNG, SVG
with a fixed hash salt and no date.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ..tsv import atomic_path
from .survival import COMPARISONS, ENDPOINTS, has_endpoint, kaplan_meier, logrank_p

STYLE = {
    "svg.hashsalt": "ros1trace",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = ("#0072B2", "#D55E00", "#009E73")
LINES = ("-", "--", ":")
LABELS = {"pfs": "Progression-free survival", "os": "Overall survival"}


def at_risk(times: list[float], when: float) -> int:
    return sum(t >= when for t in times)


def km_figure(endpoint: str, column: str, data: dict[str, tuple[list[float], list[int]]]) -> Figure:
    with matplotlib.rc_context(STYLE):
        groups = [g for g in data if data[g][0]]
        fig = Figure(figsize=(6.4, 4.4 + 0.22 * len(groups)))
        bottom = (0.9 + 0.22 * len(groups)) / fig.get_figheight() + 0.1  # room for the at-risk table
        ax = fig.add_axes((0.2, bottom, 0.75, 0.9 - bottom))
        horizon = max((max(t) for t, _ in data.values() if t), default=1.0)
        step = next((s for s in (3, 6, 12, 24, 48) if horizon / s <= 7), 96)  # months: a few round ticks
        ticks = [step * i for i in range(int(horizon // step) + 1)]
        for i, group in enumerate(groups):
            times, events = data[group]
            curve = kaplan_meier(times, events)
            xs, ys = [0.0], [1.0]
            for t, s in zip(curve.time, curve.surv):
                xs += [t, t]
                ys += [ys[-1], s]
            ax.plot(xs, ys, color=COLOURS[i % 3], linestyle=LINES[i % 3], label=f"{group} (n={len(times)})")
            censored = [
                (t, s)
                for t, s, d in zip(curve.time, curve.surv, curve.n_event)
                if d < sum(1 for x in times if x == t)
            ]
            ax.plot(
                [t for t, _ in censored], [s for _, s in censored], "|", color=COLOURS[i % 3], markersize=8
            )
        all_times = [t for g in groups for t in data[g][0]]
        p = logrank_p(
            all_times, [e for g in groups for e in data[g][1]], [g for g in groups for _ in data[g][0]]
        )
        title = f"{LABELS[endpoint]} by {column.replace('_', ' ')}"
        ax.set_title(title + (f" (log-rank p = {p:.3g})" if p is not None else ""), fontsize=9)
        ax.set_ylim(0, 1.05)
        ax.set_xlim(0, max(horizon, ticks[-1]) * 1.02)
        ax.set_xticks(ticks)
        ax.set_ylabel("Probability")
        ax.set_xlabel("Months")
        ax.legend(loc="upper right", frameon=False)
        # numbers at risk: x in data units under the axis, y in figure units, one line per group
        under = blended_transform_factory(ax.transData, fig.transFigure)
        line = 0.22 / fig.get_figheight()
        top = bottom - 0.6 / fig.get_figheight()
        fig.text(0.02, top, "Number at risk", fontsize=8, fontweight="bold")
        for i, group in enumerate(groups):
            y = top - line * (i + 1)
            fig.text(0.02, y, group, fontsize=8, color=COLOURS[i % 3])
            for tick in ticks:
                ax.text(tick, y, str(at_risk(data[group][0], tick)), transform=under, ha="center", fontsize=8)
        fig.text(0.02, 0.01, "Kaplan-Meier estimates; ticks mark censored patients.", fontsize=7)
        return fig


def save(fig: Figure, outdir: Path, name: str) -> list[Path]:
    paths = []
    for fmt in ("png", "svg"):
        path = Path(outdir) / f"{name}.{fmt}"
        metadata = {"Date": None, "Creator": "ros1trace"} if fmt == "svg" else {"Software": "ros1trace"}
        with matplotlib.rc_context(STYLE), atomic_path(path) as temporary:
            fig.savefig(temporary, format=fmt, dpi=150, metadata=metadata)
        paths.append(path)
    return paths


def figure_names(clinical: list[dict]) -> list[str]:
    return [f"km_{e}_{c}" for e in ENDPOINTS if has_endpoint(clinical, e) for c, _ in COMPARISONS]


def draw_all(patients: list[dict], clinical: list[dict], outdir: str | Path) -> list[Path]:
    extra = {p["patient_id"]: p.get("extra", {}) for p in clinical}
    paths = []
    for endpoint in (e for e in ENDPOINTS if has_endpoint(clinical, e)):
        for column, order in COMPARISONS:
            data: dict[str, tuple[list[float], list[int]]] = {g: ([], []) for g in order}
            for patient in patients:
                values = extra.get(patient["patient_id"], {})
                if patient.get(column) in data and f"{endpoint}_months" in values:
                    data[patient[column]][0].append(float(values[f"{endpoint}_months"]))
                    data[patient[column]][1].append(int(values[f"{endpoint}_event"]))
            paths += save(km_figure(endpoint, column, data), outdir, f"km_{endpoint}_{column}")
    return paths
