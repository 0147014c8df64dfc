"""The study's figures as PNG + SVG under ``figures/`` (for stage ``figures``).

Figures (file stem: content)
* ``mutation_distribution``: emergent ROS1 mutations, patients and % of the cohort (Fig. 2a), then
  the patients without one in four rows (none detected, pre-existing only, indeterminate, not
  assessable), each in its own colour, so that every patient is drawn.
* ``mutation_rate_by_site``: emergent-mutation rate, extracranial-only vs intracranial-only, with
  Wilson 95% CIs, k/n and the p of the recommended test (Fig. 2b); the 3-site r x c p below.
* ``partner_group``: the same for CD74 vs non-CD74 (mutation rate among single-site patients and
  among all patients, and the rate of intracranial progression; Supplementary Figs 1-2).
* ``lollipop``: P08922 (NM_002944.2 numbering) with its domains, one stem per mutation and
  status with the number of patients; the kinase domain is drawn again, enlarged, below.
* ``oncoprint``: patients x tracks (progression site, fusion partner, 5'-ROS1 fusion, ROS1
  mutation status, off-target alteration, progression sample type), patients sorted by the tracks.
* ``cohort_flow``: patients -> progression site (with partner groups) -> resistance mechanism.

Every number comes from the cohort tables (``patients.tsv``, ``emergence.tsv``, ``variants.tsv``)
and the stats tables; nothing is recomputed here except counts.  Colours are the Okabe-Ito
palette (distinguishable with the common colour-vision deficiencies) and every category is also
labelled, so no figure depends on colour alone.  Each figure states its n.  An empty cohort, a
missing comparison or a group with no patients gives a figure that says so instead of an error.

Reproducibility: matplotlib's Agg PNG writer is deterministic; the SVGs get a fixed
``svg.hashsalt`` and no date, so reruns give byte-identical files.  No pyplot: figures are
``matplotlib.figure.Figure`` objects, rendered by Agg, freed when they go out of scope.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from ..reference.transcript import KINASE_DOMAIN, PROTEIN_ACCESSION, TRANSCRIPT, protein, resources_dir
from ..reference.transcript import read_tsv as read_reference
from ..tsv import atomic_path, read_tsv
from .figure_list import FIGURES


FORMATS = ("png", "svg")
DPI = 150
# Okabe & Ito (2008) colour-blind-safe palette.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
GREY, EMPTY = "#999999", "#EEEEEE"
SAMPLE_TYPE_COLOURS = {"tissue": SKY, "plasma": ORANGE, "csf": GREEN, "pleural_effusion": PURPLE, "other": YELLOW,
                       "several": BLUE, "no sample": EMPTY}
SITES = ("extracranial", "intracranial", "both")
SITE_LABELS = {"extracranial": "Extracranial-only", "intracranial": "Intracranial-only",
               "both": "Intra- and extracranial"}
SITE_COLOURS = {"extracranial": ORANGE, "intracranial": SKY, "both": GREEN}
GROUP_COLOURS = {**SITE_COLOURS, "CD74": BLUE, "non-CD74": PURPLE}
# One colour per partner the literature names (Okabe-Ito, the same in every cohort), then Paul Tol's
# colour-blind-safe "muted" colours for other partners, then grey "other" for the rest.
PARTNER_COLOURS = {"CD74": BLUE, "SDC4": ORANGE, "EZR": GREEN, "SLC34A2": VERMILLION, "TPM3": PURPLE,
                   "CCDC6": SKY, "GOPC": YELLOW, "no fusion found": EMPTY}
EXTRA_PARTNER_COLOURS = ("#882255", "#44AA99", "#999933", "#332288")
STATUS_COLOURS = {"emergent": VERMILLION, "pre_existing": ORANGE, "indeterminate": GREY, "none": EMPTY}
TEST_NAMES = {"fisher_exact": "Fisher's exact", "chi2": "Pearson χ²", "chi2_yates": "Yates χ²",
              "fisher_freeman_halton": "Fisher-Freeman-Halton"}
# SVG text stays text (editable, searchable); the hash salt fixes the SVG's element ids.
STYLE = {"svg.hashsalt": "ros1trace", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9,
         "axes.spines.top": False, "axes.spines.right": False}


# -- inputs ----------------------------------------------------------------------------------------
def load_tables(tables_dir: Path) -> dict[str, list[dict]]:
    """The cohort and stats tables under ``tables_dir``; a missing stats table reads as empty."""
    tables_dir = Path(tables_dir)
    names = {"patients": "patients.tsv", "variants": "variants.tsv", "fusions": "fusions.tsv",
             "emergence": "emergence.tsv", "comparisons": "stats/comparisons.tsv",
             "rxc": "stats/comparisons_rxc.tsv", "distribution": "stats/mutation_distribution.tsv"}
    return {key: read_tsv(tables_dir / name) if (tables_dir / name).exists() else []
            for key, name in names.items()}


def by_comparison(rows: list[dict]) -> dict[str, dict[str, dict]]:
    """comparison label -> test -> row."""
    grouped: dict[str, dict[str, dict]] = {}
    for row in rows:
        grouped.setdefault(row["comparison"], {})[row["test"]] = row
    return grouped


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def p_text(p_value) -> str:
    p = _float(p_value)
    if p is None:
        return "p not defined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _split(value: str) -> list[str]:
    return [item for item in (value or "").split(";") if item]


def _empty_message(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=GREY, fontsize=11)
    ax.set_axis_off()


# -- Fig. 2a ---------------------------------------------------------------------------------------
# (colour, hatch, meaning) of each row category of mutation_distribution.tsv
DISTRIBUTION_STYLE = {
    "emergent_mutation": (VERMILLION, "", "emergent ROS1 mutation (one row per mutation)"),
    "none_detected": (EMPTY, "", "none detected: no qualifying ROS1 mutation at progression"),
    "pre_existing_only": (ORANGE, "", "pre-existing only: ROS1 mutation(s) already at baseline"),
    "indeterminate": (GREY, "", "indeterminate: ROS1 mutation, baseline could not tell"),
    "not_assessable": ("#FFFFFF", "///", "not assessable: no progression small-variant sample"),
}


def _category(row: dict) -> str:
    """A row's category (tables written before the column existed: by their label)."""
    if row.get("category"):
        return row["category"]
    label = row["protein_change"].replace("-", "_").replace(" ", "_")
    return label if label in DISTRIBUTION_STYLE else "emergent_mutation"


def figure_mutation_distribution(distribution: list[dict], n_patients: int) -> Figure:
    fig = Figure(figsize=(7, max(3.8, min(16.0, 2.4 + 0.32 * len(distribution)))), layout="constrained")
    ax = fig.add_subplot()
    fig.suptitle(f"Emergent ROS1 mutations at progression (n = {n_patients} patients)", fontsize=11)
    if not n_patients:
        _empty_message(ax, "no patients in patients.tsv")
        return fig
    labels = [row["protein_change"] for row in distribution]
    counts = [int(row["n_patients"]) for row in distribution]
    categories = [_category(row) for row in distribution]
    y = np.arange(len(labels))
    for yi, count, category in zip(y, counts, categories):
        colour, hatch, _ = DISTRIBUTION_STYLE[category]
        ax.barh(yi, count, color=colour, hatch=hatch, edgecolor=BLACK, linewidth=0.4)
    for yi, row in zip(y, distribution):
        label = f"{row['n_patients']} ({row['pct_patients'] or 0}%)"
        ax.text(int(row["n_patients"]) + max(counts) * 0.01, yi, label, va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max(counts + [1]) * 1.25)
    ax.set_xlabel("patients")
    first_other = next((i for i, c in enumerate(categories) if c != "emergent_mutation"), None)
    if first_other:  # the rows of the patients without an emergent mutation, set apart
        ax.axhline(first_other - 0.5, color="#555555", linewidth=0.6, linestyle="--")
    without = sum(n for n, c in zip(counts, categories) if c != "emergent_mutation")
    ax.set_title(f"% of all patients; a patient with two emergent mutations is counted in both rows; the "
                 f"{without} without one\nare each in one of the last four rows", fontsize=8, color="#555555")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # patients are whole
    shown = [c for c in DISTRIBUTION_STYLE if c in categories]
    fig.legend(handles=[Patch(facecolor=DISTRIBUTION_STYLE[c][0], hatch=DISTRIBUTION_STYLE[c][1], edgecolor=BLACK,
                              linewidth=0.4, label=DISTRIBUTION_STYLE[c][2]) for c in shown],
               loc="outside lower center", ncols=2, fontsize=7, frameon=False)
    return fig


# -- rate panels (Fig. 2b, partner groups) ---------------------------------------------------------
def rate_panel(ax, tests: dict[str, dict], title: str, ylabel: str) -> None:
    """Two bars (group a, group b) with Wilson CIs, k/n, and the recommended test's p."""
    row = tests.get("fisher_exact") or next(iter(tests.values()))
    groups = [(row["group_a"], row["k_a"], row["n_a"], row["pct_a"], row["ci_low_a"], row["ci_high_a"]),
              (row["group_b"], row["k_b"], row["n_b"], row["pct_b"], row["ci_low_b"], row["ci_high_b"])]
    for x, (group, k, n, pct, low, high) in enumerate(groups):
        height = _float(pct) or 0.0
        ax.bar(x, height, width=0.6, color=GROUP_COLOURS.get(group, GREY), edgecolor=BLACK, linewidth=0.5)
        if _float(low) is not None:
            ax.errorbar(x, height, yerr=[[height - float(low)], [float(high) - height]], color=BLACK,
                        capsize=4, linewidth=1)
        ax.text(x, (_float(high) or height) + 3, f"{k}/{n}" if int(n) else "n = 0", ha="center", fontsize=9)
    ax.set_xticks([0, 1], [f"{SITE_LABELS.get(g[0], g[0])}\n(n = {g[2]})" for g in groups])
    ax.set_ylim(0, 125)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    chosen = next((r for r in tests.values() if r.get("recommended") == "true"), row)
    ax.plot([0, 0, 1, 1], [108, 111, 111, 108], color=BLACK, linewidth=0.8)
    ax.text(0.5, 113, f"{TEST_NAMES.get(chosen['test'], chosen['test'])} {p_text(chosen['p_value'])}",
            ha="center", fontsize=9)
    others = "; ".join(f"{TEST_NAMES.get(t, t)} {p_text(r['p_value'])}"
                       for t, r in tests.items() if r is not chosen)
    ax.text(0.5, -0.28, others, ha="center", transform=ax.transAxes, fontsize=7, color="#555555")


def figure_rate_by_site(comparisons: dict[str, dict[str, dict]], rxc: dict[str, dict[str, dict]]) -> Figure:
    fig = Figure(figsize=(4.6, 5))
    ax = fig.add_subplot()
    fig.subplots_adjust(bottom=0.22, top=0.86)
    tests = comparisons.get("ros1_mutation_by_progression_site")
    if not tests:
        _empty_message(ax, "ros1_mutation_by_progression_site\nnot in the config's comparisons")
        return fig
    rate_panel(ax, tests, "Emergent ROS1 mutation by progression site",
               "patients with an emergent ROS1 mutation (%)")
    three = rxc.get("ros1_mutation_by_progression_site_all", {})
    chosen = next((r for r in three.values() if r.get("recommended") == "true"), None)
    if chosen:
        fig.text(0.5, 0.015, f"All three sites ({chosen['n']} patients): "
                 f"{TEST_NAMES.get(chosen['test'], chosen['test'])} {p_text(chosen['p_value'])}",
                 ha="center", fontsize=7, color="#555555")
    return fig


PARTNER_PANELS = (
    ("ros1_mutation_by_partner_group", "Emergent ROS1 mutation\n(extracranial- or intracranial-only)",
     "patients with an emergent ROS1 mutation (%)"),
    ("ros1_mutation_by_partner_group_all", "Emergent ROS1 mutation\n(all patients)",
     "patients with an emergent ROS1 mutation (%)"),
    ("intracranial_progression_by_partner_group", "Intracranial progression\n(intracranial or both)",
     "patients with intracranial progression (%)"),
)


def figure_partner_group(comparisons: dict[str, dict[str, dict]]) -> Figure:
    panels = [p for p in PARTNER_PANELS if p[0] in comparisons]
    fig = Figure(figsize=(4.2 * max(1, len(panels)), 5))
    fig.suptitle("CD74-ROS1 vs non-CD74 ROS1 fusions", fontsize=11)
    fig.subplots_adjust(bottom=0.22, top=0.80, wspace=0.45)
    if not panels:
        _empty_message(fig.add_subplot(), "no partner-group comparison in the config's comparisons")
        return fig
    for i, (label, title, ylabel) in enumerate(panels):
        rate_panel(fig.add_subplot(1, len(panels), i + 1), comparisons[label], title, ylabel)
    return fig


# -- lollipop --------------------------------------------------------------------------------------
def residue(change: str) -> int | None:
    match = re.match(r"[A-Z*](\d+)", change or "")
    return int(match[1]) if match else None


def mutation_counts(emergence: list[dict]) -> dict[tuple[str, str], int]:
    """(protein_change, status) -> patients, for qualifying mutations seen at progression."""
    seen: dict[tuple[str, str], set[str]] = {}
    for row in emergence:
        if row.get("qualifying", "true") != "true" or row.get("status") == "lost":
            continue
        if residue(row.get("protein_change", "")) is None:
            continue
        seen.setdefault((row["protein_change"], row["status"]), set()).add(row["patient_id"])
    return {key: len(ids) for key, ids in seen.items()}


def domains() -> list[tuple[str, int, int]]:
    """(name, start, end) of the drawn domains: the kinase (Pfam) and the others not inside it."""
    rows = read_reference(resources_dir() / "reference" / "ros1_domains.tsv")
    kinase = ("Kinase domain", *KINASE_DOMAIN)
    others = [(r["domain"].split(" (")[0], int(r["aa_start"]), int(r["aa_end"])) for r in rows]
    return [kinase] + [d for d in others if d[2] < KINASE_DOMAIN[0] or d[1] > KINASE_DOMAIN[1]]


def _protein_axis(ax, start: int, end: int, ymax: float, top: int) -> None:
    """The protein backbone and its domains under the stems; integer patient ticks 0..``top``."""
    unit = ymax * 0.06
    ax.add_patch(Rectangle((start, -2.2 * unit), end - start, 1.2 * unit, color="#CCCCCC", zorder=1))
    for name, first, last in domains():
        if last < start or first > end:
            continue
        colour = BLUE if name == "Kinase domain" else SKY
        ax.add_patch(Rectangle((first, -2.8 * unit), last - first, 2.4 * unit, color=colour, zorder=2))
        if (last - first) / (end - start) > 0.03:
            ax.text((first + last) / 2, -1.6 * unit, name if name == "Kinase domain" else "FN3", ha="center",
                    va="center", fontsize=6, color="white", zorder=3)
    ax.set_xlim(start, end)
    ax.set_ylim(-3 * unit, ymax)
    # patients are whole and never negative: ticks only from 0 to the tallest stack
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top] or [0, top])
    ax.spines["left"].set_bounds(0, top)
    ax.spines["bottom"].set_visible(False)


def stacks(counts: dict[tuple[str, str], int]) -> dict[int, list[tuple[str, str, int, int]]]:
    """Residue -> its changes stacked: (change, status, patients, top of its segment).

    Changes at one residue (G2032R, G2032K) share one stem; each is a segment of it, so the stem's
    height is the residue's patients and each dot sits at the top of its own segment."""
    order = {s: i for i, s in enumerate(STATUS_COLOURS)}
    by_residue: dict[int, list[tuple[str, str, int]]] = {}
    for (change, status), count in counts.items():
        by_residue.setdefault(residue(change), []).append((change, status, count))
    stacked = {}
    for pos, items in by_residue.items():
        items.sort(key=lambda item: (-item[2], item[0], order.get(item[1], 9)))
        top, segments = 0, []
        for change, status, count in items:
            top += count
            segments.append((change, status, count, top))
        stacked[pos] = segments
    return stacked


MAX_LABELS = 20


def _lollipops(ax, counts: dict[tuple[str, str], int], start: int, end: int, ymax: float,
               skip_labels: tuple[int, int] | None = None) -> None:
    """Stems for the residues between start and end, each change a dot on its residue's stem with
    its own label; labels that would collide move up, joined to their dot by a connector.  Changes
    inside ``skip_labels`` are drawn enlarged elsewhere and not labelled here."""
    stacked = {pos: segs for pos, segs in stacks(counts).items() if start <= pos <= end}
    statuses_of: dict[str, int] = Counter(change for segs in stacked.values() for change, *_ in segs)
    labels = []
    for pos, segments in sorted(stacked.items()):
        ax.plot([pos, pos], [0, segments[-1][3]], color="#555555", linewidth=0.8, zorder=2)
        for change, status, count, top in segments:
            ax.scatter([pos], [top], s=36, color=STATUS_COLOURS.get(status, GREY), edgecolor=BLACK,
                       linewidth=0.5, zorder=4)
            if not (skip_labels and skip_labels[0] <= pos <= skip_labels[1]):
                text = change if statuses_of[change] == 1 else f"{change} ({status.replace('_', '-')})"
                labels.append((pos, float(top), text + (f" ×{count}" if count > 1 else ""), count))
    # a label's height in data units: one 7-pt text line (8.5 pt with leading) on this axes' height
    bottom, top = ax.get_ylim()
    inches = ax.get_position().height * ax.figure.get_figheight()
    width, height, gap = (end - start) * 0.075, (top - bottom) * (8.5 / 72) / inches, (end - start) * 0.008
    # the most frequent only: a crowded cohort keeps the figure readable
    labels = sorted(labels, key=lambda item: (-item[3], item[0], item[2]))[:MAX_LABELS]
    placed: list[tuple[float, float]] = []
    dots = [(pos, float(top)) for pos, segs in stacked.items() for *_, top in segs]
    for pos, y_dot, text, _ in sorted(labels, key=lambda item: (item[1], item[0])):
        x, y = pos + gap, y_dot
        obstacles = placed + [(dx, dy) for dx, dy in dots if dx > pos and (dx, dy) != (pos, y_dot)]
        while any(-gap * 0.5 < px - x < width and abs(y - py) < height for px, py in placed) or any(
                0 <= dx - x < width and abs(y - dy) < height * 0.8 for dx, dy in obstacles[len(placed):]):
            y += height  # up until the label overlaps no other label and no neighbour's dot
        placed.append((x, y))
        if y != y_dot:  # the connector ties a moved label to its own dot
            ax.plot([pos, pos + gap * 0.6, x], [y_dot, y, y], color="#444444", linewidth=0.6, zorder=3)
        ax.text(x, y, text, fontsize=7, ha="left", va="center", zorder=5,
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    if placed:  # moved labels must stay inside their own panel
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, max(top, max(y for _, y in placed) + height))


def figure_lollipop(emergence: list[dict], n_patients: int) -> Figure:
    counts = mutation_counts(emergence)
    length = len(protein())
    fig = Figure(figsize=(10, 6.2))
    fig.suptitle(f"ROS1 mutations at progression ({PROTEIN_ACCESSION} / {TRANSCRIPT} numbering, "
                 f"{length} aa; n = {n_patients} patients)", fontsize=10)
    full, zoom = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
    fig.subplots_adjust(hspace=0.45, top=0.9, bottom=0.09)
    tallest = max((segs[-1][3] for segs in stacks(counts).values()), default=1)
    ymax = tallest * 1.4
    margin = 15
    kinase = (KINASE_DOMAIN[0] - margin, KINASE_DOMAIN[1] + margin)
    for ax, (start, end) in ((full, (1, length)), (zoom, kinase)):
        _protein_axis(ax, start, end, ymax, tallest)
        _lollipops(ax, counts, start, end, ymax, KINASE_DOMAIN if ax is full else None)
        ax.set_ylabel("patients")
    full.set_title("full length (kinase-domain changes are labelled below)", fontsize=8, loc="left")
    zoom.set_title(f"kinase domain (Pfam PF07714, {KINASE_DOMAIN[0]}-{KINASE_DOMAIN[1]}), enlarged; "
                   "changes at one residue share its stem, stacked", fontsize=8, loc="left")
    zoom.set_xlabel("residue")
    if not counts:
        full.text(0.5, 0.6, "no qualifying ROS1 mutation at progression", transform=full.transAxes,
                  ha="center", color=GREY)
    handles = [Patch(color=c, label=s.replace("_", "-")) for s, c in STATUS_COLOURS.items() if s != "none"]
    full.legend(handles=handles, loc="upper left", fontsize=7, frameon=False, title="status",
                title_fontsize=7)
    return fig


# -- oncoprint -------------------------------------------------------------------------------------
def _top_categories(values: list[str], keep: int, fixed: dict[str, str],
                    palette: list[str]) -> dict[str, str]:
    """Colour for each category: the fixed ones, then the ``keep`` most frequent, then 'other'."""
    counts = Counter(v for v in values if v not in fixed)
    colours = dict(fixed)
    ranked = sorted(counts, key=lambda v: (-counts[v], v))
    for value, colour in zip(ranked[:keep], palette):
        colours[value] = colour
    if len(ranked) > keep:
        colours["other"] = GREY
    return colours


Track = tuple[str, list[str], dict[str, str]]


def oncoprint_tracks(patients: list[dict], variants: list[dict]) -> list[Track]:
    """(track name, category per patient, category -> colour) in display order."""
    sample_types: dict[str, set[str]] = {}
    for v in variants:
        if v.get("timepoint") == "progression" and v.get("sample_type"):
            sample_types.setdefault(v["patient_id"], set()).add(v["sample_type"])

    def sample_type(p: dict) -> str:
        listed = (_split(p.get("progression_sample_types", ""))
                  or sorted(sample_types.get(p["patient_id"], ())))
        if not listed:
            return "no sample"
        return listed[0] if len(listed) == 1 else "several"

    def off_target(p: dict) -> str:
        first = _split(p.get("off_target_alterations", ""))
        return re.sub(r"\s*\(.*\)$", "", first[0]) if first else "none"

    raw = [
        ("Progression site", [p.get("progression_site", "") for p in patients], dict(SITE_COLOURS), 0, []),
        ("Fusion partner", [p.get("fusion_partner") or "no fusion found" for p in patients],
         dict(PARTNER_COLOURS), len(EXTRA_PARTNER_COLOURS), list(EXTRA_PARTNER_COLOURS)),
        ("5'-ROS1 fusion", ["yes" if p.get("five_prime_ros1_partners") else "no" for p in patients],
         {"yes": PURPLE, "no": EMPTY}, 0, []),
        ("ROS1 mutation", [p.get("ros1_mutation_status") or "none" for p in patients],
         dict(STATUS_COLOURS), 0, []),
        ("Off-target", [off_target(p) for p in patients], {"none": EMPTY}, 3, [GREEN, YELLOW, BLUE]),
        # Every sample type of the contract has its own colour: grouping rare ones as "other" would
        # merge them with the sheet's own "other" type.
        ("Sample type", [sample_type(p) for p in patients], dict(SAMPLE_TYPE_COLOURS), 0, []),
    ]
    tracks = []
    for name, values, fixed, keep, palette in raw:
        colours = _top_categories(values, keep, fixed, palette)
        tracks.append((name, [v if v in colours else "other" for v in values], colours))
    return tracks


def _sort_key(p: dict):
    order = {s: i for i, s in enumerate(SITES)}
    status = {s: i for i, s in enumerate(STATUS_COLOURS)}
    partner = {"CD74": 0, "non-CD74": 1, "none": 2}
    return (order.get(p.get("progression_site"), 9), status.get(p.get("ros1_mutation_status"), 9),
            partner.get(p.get("partner_group"), 9), p.get("fusion_partner", ""), p["patient_id"])


PER_PANEL = 100  # patients per oncoprint row of panels: ids stay readable (about 6 pt a column)
MAX_LABELLED = 1000  # above this, one unlabelled panel (the ids are in patients.tsv)
PANEL_INCHES = 2.1  # one panel: 6 tracks, the patient ids below, a gap


def _oncoprint_panel(grid, tracks: list[Track], patients: list[dict], columns: int, ids: bool) -> None:
    image = np.array([[matplotlib.colors.to_rgb(colours[v]) for v in values]
                      for _, values, colours in tracks])
    grid.imshow(image, aspect="auto", interpolation="nearest", extent=(-0.5, len(patients) - 0.5,
                                                                       len(tracks) - 0.5, -0.5))
    grid.set_xlim(-0.5, columns - 0.5)  # every panel's columns as wide as the first's
    grid.set_ylim(len(tracks) - 0.5, -0.5)
    grid.set_yticks(range(len(tracks)), [t[0] for t in tracks])
    grid.hlines(np.arange(len(tracks) - 1) + 0.5, -0.5, len(patients) - 0.5, color="white", linewidth=2)
    if columns <= PER_PANEL:  # cell borders only where cells are wide enough to see them
        grid.vlines(np.arange(len(patients) - 1) + 0.5, -0.5, len(tracks) - 0.5, color="white", linewidth=0.6)
    if ids:
        grid.set_xticks(range(len(patients)), [p["patient_id"] for p in patients], rotation=90,
                        fontsize=7 if columns <= 60 else 6)
        grid.tick_params(axis="x", length=0, pad=2)
    else:
        grid.set_xticks([])
        grid.set_xlabel("patients (sorted by site, ROS1 mutation status, partner; ids in patients.tsv)")
    for spine in grid.spines.values():
        spine.set_visible(False)


def _oncoprint_legend(fig: Figure, tracks: list[Track], top: float) -> None:
    """One small legend per track (titled with the track), stacked down the right-hand side from
    ``top`` (figure fraction); up to four categories a line."""
    line = 10.5 / 72 / fig.get_figheight()  # one 6.5-pt legend line, in figure fraction
    y = top
    for name, values, colours in tracks:
        present = [c for c in colours if c in set(values)]
        handles = [Patch(facecolor=colours[c], edgecolor=BLACK, linewidth=0.3, label=c.replace("_", " "))
                   for c in present]
        fig.legend(handles=handles, title=name, loc="upper left", bbox_to_anchor=(0.715, y), ncols=4,
                   fontsize=6.5, title_fontsize=7, frameon=False, alignment="left", handlelength=1.2,
                   handleheight=0.9, columnspacing=0.9, labelspacing=0.25, borderpad=0.1, borderaxespad=0)
        y -= line * (1.6 + -(-len(present) // 4)) + 0.06 / fig.get_figheight()


def figure_oncoprint(patients: list[dict], variants: list[dict]) -> Figure:
    patients = sorted(patients, key=_sort_key)
    tracks = oncoprint_tracks(patients, variants)
    n = len(patients)
    ids = 0 < n <= MAX_LABELLED
    panels = -(-n // PER_PANEL) if ids and n > PER_PANEL else 1
    columns = PER_PANEL if panels > 1 else max(n, 1)
    height = 4.6 if panels == 1 else 0.8 + panels * PANEL_INCHES
    fig = Figure(figsize=(14, height))
    fig.suptitle(f"Patients x alterations (n = {n} patients)", fontsize=11)
    if panels == 1:
        bottom = 0.22 if ids else 0.1  # room for patient ids
        rects = [(0.1, bottom, 0.6, 0.86 - bottom)]
    else:  # rows of PER_PANEL patients, top to bottom, each with its ids
        top_inch, track_inch = 0.8, 1.2
        rects = [(0.1, 1 - (top_inch + k * PANEL_INCHES + track_inch) / height, 0.6, track_inch / height)
                 for k in range(panels)]
    grids = [fig.add_axes(rect) for rect in rects]
    if not patients:
        _empty_message(grids[0], "no patients in patients.tsv")
        return fig
    for k, grid in enumerate(grids):
        chunk = slice(k * columns, (k + 1) * columns)
        _oncoprint_panel(grid, [(name, values[chunk], colours) for name, values, colours in tracks],
                         patients[chunk], columns, ids)
    _oncoprint_legend(fig, tracks, rects[0][1] + rects[0][3])
    return fig


# -- cohort flow -----------------------------------------------------------------------------------
MECHANISMS = (("ros1_on_target", "ROS1 on-target"), ("off_target", "off-target"),
              ("none_detected", "none detected"), ("not_assessable", "not assessable"))


def _box(ax, x: float, y: float, text: str, colour: str = "white") -> None:
    ax.text(x, y, text, ha="center", va="center", fontsize=8.5, transform=ax.transAxes,
            bbox={"boxstyle": "round,pad=0.5", "facecolor": colour, "edgecolor": BLACK, "linewidth": 0.8})


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start, xycoords="axes fraction",
                arrowprops={"arrowstyle": "->", "color": "#444444", "linewidth": 1})


def figure_cohort_flow(patients: list[dict]) -> Figure:
    fig = Figure(figsize=(10, 6))
    ax = fig.add_axes((0, 0, 1, 0.94))
    ax.set_axis_off()
    fig.suptitle("Cohort flow: patients -> progression site -> resistance mechanism", fontsize=11)
    _box(ax, 0.5, 0.9, f"{len(patients)} patients in patients.tsv")
    xs = dict(zip(SITES, (1 / 6, 3 / 6, 5 / 6)))
    for site, x in xs.items():
        group = [p for p in patients if p.get("progression_site") == site]
        partners = Counter(p.get("partner_group") or "none" for p in group)
        mechanisms = Counter(p.get("resistance_mechanism") for p in group)
        statuses = Counter(p.get("ros1_mutation_status") for p in group)
        rated = sum(statuses[s] for s in ("emergent", "pre_existing", "none"))
        _arrow(ax, (0.5, 0.84), (x, 0.69))
        _box(ax, x, 0.6, f"{SITE_LABELS[site]}\nn = {len(group)}\nCD74 {partners['CD74']} · "
             f"non-CD74 {partners['non-CD74']} · no fusion {partners['none']}", SITE_COLOURS[site] + "55")
        _arrow(ax, (x, 0.51), (x, 0.4))
        lines = [f"{label}: {mechanisms[key]}" for key, label in MECHANISMS]
        lines.append(f"emergent ROS1 mutation: {statuses['emergent']}/{rated}")
        lines.append(f"indeterminate (excluded from rates): {statuses['indeterminate']}")
        _box(ax, x, 0.22, "\n".join(lines))
    return fig


# -- output ----------------------------------------------------------------------------------------
def save(fig: Figure, outdir: Path, name: str) -> list[Path]:
    """Write ``name``.png and ``name``.svg atomically; returns the paths."""
    paths = []
    for fmt in FORMATS:
        path = Path(outdir) / f"{name}.{fmt}"
        metadata = {"Date": None, "Creator": "ros1trace"} if fmt == "svg" else {"Software": "ros1trace"}
        with atomic_path(path) as temporary:
            fig.savefig(temporary, format=fmt, dpi=DPI, metadata=metadata)
        paths.append(path)
    return paths


def make_figures(tables: dict[str, list[dict]], outdir: Path) -> list[Path]:
    comparisons, rxc = by_comparison(tables["comparisons"]), by_comparison(tables["rxc"])
    n_patients = len(tables["patients"])
    builders = {
        "mutation_distribution": lambda: figure_mutation_distribution(tables["distribution"], n_patients),
        "mutation_rate_by_site": lambda: figure_rate_by_site(comparisons, rxc),
        "partner_group": lambda: figure_partner_group(comparisons),
        "lollipop": lambda: figure_lollipop(tables["emergence"], n_patients),
        "oncoprint": lambda: figure_oncoprint(tables["patients"], tables["variants"]),
        "cohort_flow": lambda: figure_cohort_flow(tables["patients"]),
    }
    paths = []
    with matplotlib.rc_context(STYLE):
        for name in FIGURES:
            paths += save(builders[name](), outdir, name)
    return paths
