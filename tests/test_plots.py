"""The figures stage: every figure in PNG and SVG, labelled with n, for cohorts of 0, 1 and
1,000 patients, byte-identical on rerun."""

import json
import struct
import subprocess
import sys
import time

import pytest

from cohort_tables import patient, random_cohort, run_figures, run_stats, write_cohort
from ros1trace.cohort import plots

EXPECTED_PNG_SIZE = {  # figsize x 150 dpi
    "mutation_rate_by_site": (690, 750), "lollipop": (1500, 930),
    "oncoprint": (2100, 3270),  # 10 rows of 100 patients
    "cohort_flow": (1500, 900), "partner_group": (1890, 750),
}


def build(folder, cohort, **config):
    paths = write_cohort(folder, cohort, **config)
    run_stats(paths)
    return run_figures(paths)


def png_size(path):
    return struct.unpack(">II", path.read_bytes()[16:24])


def expected_files():
    return sorted(f"{name}.{fmt}" for name in plots.FIGURES for fmt in plots.FORMATS)


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    folder = tmp_path_factory.mktemp("thousand")
    started = time.perf_counter()
    figures = build(folder, random_cohort(1000))
    return figures, time.perf_counter() - started


def test_thousand_patient_cohort_gives_every_figure_quickly(thousand):
    figures, seconds = thousand
    assert sorted(p.name for p in figures.iterdir() if not p.name.startswith(".")) == expected_files()
    assert seconds < 30
    assert "n = 1000 patients" in (figures / "oncoprint.svg").read_text()


def test_png_sizes_are_the_figure_sizes_at_150_dpi(thousand):
    figures, _ = thousand
    for name, size in EXPECTED_PNG_SIZE.items():
        assert png_size(figures / f"{name}.png") == size, name


def test_done_flag_is_written_last_and_lists_the_files(thousand):
    figures, _ = thousand
    done = figures / ".done"
    assert json.loads(done.read_text()) == expected_files()
    assert all(done.stat().st_mtime_ns >= (figures / name).stat().st_mtime_ns for name in expected_files())


def test_one_patient_cohort_gives_every_figure_with_its_n(tmp_path):
    figures = build(tmp_path, {"patients": [patient("ONLY", status="emergent", mutations="G2032R")],
                               "emergence": [{"patient_id": "ONLY", "protein_change": "G2032R", "status": "emergent",
                                              "progression_vaf": 0.2, "qualifying": True}]})
    assert sorted(p.name for p in figures.iterdir() if not p.name.startswith(".")) == expected_files()
    assert "n = 1 patients" in (figures / "mutation_distribution.svg").read_text()
    rate = (figures / "mutation_rate_by_site.svg").read_text()
    assert "1/1" in rate and "n = 0" in rate  # the empty intracranial group is labelled, not dropped
    assert "G2032R" in (figures / "lollipop.svg").read_text()


def test_empty_cohort_gives_figures_that_say_so(tmp_path):
    figures = build(tmp_path, {"patients": []})
    assert sorted(p.name for p in figures.iterdir() if not p.name.startswith(".")) == expected_files()
    assert "no patients in patients.tsv" in (figures / "oncoprint.svg").read_text()


def test_comparisons_left_out_of_the_config_give_a_placeholder_panel(tmp_path):
    figures = build(tmp_path, random_cohort(20), comparisons=["ros1_mutation_by_progression_site"])
    assert "no partner-group comparison" in (figures / "partner_group.svg").read_text()
    assert "Fisher" in (figures / "mutation_rate_by_site.svg").read_text()


def test_figures_are_byte_identical_on_rerun(tmp_path):
    first = build(tmp_path / "a", random_cohort(40, seed=11))
    second = build(tmp_path / "b", random_cohort(40, seed=11))
    for name in expected_files():
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_svg_has_no_date_and_no_external_references(thousand):
    figures, _ = thousand
    svg = (figures / "cohort_flow.svg").read_text()
    assert "<dc:date>" not in svg and "xlink:href=\"http" not in svg


def test_figures_stage_runs_from_the_command_line(tmp_path):
    paths = write_cohort(tmp_path, random_cohort(10))
    done = tmp_path / "figures" / ".done"
    subprocess.run([sys.executable, "-m", "ros1trace.cli", "figures", "--manifest", str(paths["manifest"]),
                    "--tables-dir", str(tmp_path), "--outdir", str(tmp_path / "figures"), "--done", str(done)],
                   check=True, capture_output=True)
    assert done.exists()


def test_mutation_distribution_figure_draws_every_row_in_its_category_colour_with_a_legend(tmp_path):
    from matplotlib.colors import to_hex

    from ros1trace.cohort import study_stats as stats_stage

    patients = [patient("E1", status="emergent", mutations="G2032R"),
                patient("E2", status="emergent", mutations="L2026M"), patient("N1"), patient("X1", status="pre_existing", ros1_mutations_at_progression="L2086F"),
                patient("I1", status="indeterminate", ros1_mutations_at_progression="G2032R"),
                patient("A1", status="indeterminate")]
    rows = stats_stage.mutation_distribution(patients, [])
    fig = plots.figure_mutation_distribution(rows, len(patients))
    [ax] = fig.axes
    bars = [(to_hex(p.get_facecolor()), p.get_hatch() or "") for p in ax.patches]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["L2026M", "G2032R", "none detected", "pre-existing only", "indeterminate", "not assessable"]
    assert bars[0] == bars[1]  # emergent mutations share one colour
    assert len(set(bars[1:])) == 5  # and every other row has its own
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == 5 and all(":" in text for text in legend[1:])  # each row says what it means
    assert "the 4 without one" in ax.get_title()


def _lollipop_cohort():
    changes = [("G2032R", "emergent")] * 5 + [("G2032K", "emergent")] * 2 + [("G2032R", "pre_existing"),
                                                                           ("D2033N", "emergent")]
    return [{"patient_id": f"p{i}", "protein_change": c, "status": s, "qualifying": "true"}
            for i, (c, s) in enumerate(changes)]


def test_lollipop_stacks_changes_at_one_residue_each_with_its_own_label_and_dot():
    fig = plots.figure_lollipop(_lollipop_cohort(), 9)
    zoom = fig.axes[1]
    assert plots.stacks(plots.mutation_counts(_lollipop_cohort()))[2032] == [
        ("G2032R", "emergent", 5, 5), ("G2032K", "emergent", 2, 7), ("G2032R", "pre_existing", 1, 8)]
    labels = {t.get_text(): t.get_position() for t in zoom.texts
              if t.get_text().startswith(("G2032", "D2033"))}
    assert set(labels) == {"G2032R (emergent) ×5", "G2032K ×2", "G2032R (pre-existing)", "D2033N"}
    dots = sorted(tuple(o) for c in zoom.collections for o in c.get_offsets())
    assert [(2032.0, 5.0), (2032.0, 7.0), (2032.0, 8.0)] == [d for d in dots if d[0] == 2032]
    for text, (x, y) in labels.items():  # every label sits beside its own dot, none floats free
        own = {"G2032R (emergent) ×5": 5, "G2032K ×2": 7, "G2032R (pre-existing)": 8, "D2033N": 1}[text]
        connected = any(line.get_ydata()[0] == own and line.get_ydata()[-1] == y for line in zoom.lines)
        assert y == own or connected, text
    ys = [y for _, y in labels.values()]
    assert len(set(ys)) == len(ys)


def test_lollipop_patient_ticks_are_whole_and_not_negative():
    fig = plots.figure_lollipop(_lollipop_cohort(), 9)
    for ax in fig.axes[:2]:
        ticks = list(ax.get_yticks())
        assert ticks and all(t >= 0 and float(t).is_integer() for t in ticks), ticks


def test_oncoprint_gives_every_partner_its_own_colour_with_a_legend():
    partners = ["CD74", "SDC4", "EZR", "SLC34A2", "TPM3", "CCDC6", "GOPC", "MYO5A", None]
    patients = [patient(f"X{i}", partner=p) for i, p in enumerate(partners)]
    tracks = dict((name, colours) for name, _, colours in plots.oncoprint_tracks(patients, []))
    colours = tracks["Fusion partner"]
    named = [p or "no fusion found" for p in partners]
    assert len({colours[p] for p in named}) == len(named)  # no partner lumped into grey
    assert plots.GREY not in {colours[p] for p in named}
    fig = plots.figure_oncoprint(patients, [])
    legend = next(lg for lg in fig.legends if lg.get_title().get_text() == "Fusion partner")
    assert {t.get_text() for t in legend.get_texts()} == set(named)


@pytest.mark.parametrize("n", [10, 1000])
def test_oncoprint_names_every_patient_in_readable_type(n):
    cohort = random_cohort(n)
    fig = plots.figure_oncoprint(cohort["patients"], cohort["variants"])
    ticks = [t for ax in fig.axes for t in ax.get_xticklabels() if t.get_text()]
    assert sorted(t.get_text() for t in ticks) == sorted(p["patient_id"] for p in cohort["patients"])
    assert min(t.get_fontsize() for t in ticks) >= 6
    columns = max(len(ax.get_xticklabels()) for ax in fig.axes)
    width_pt = fig.axes[0].get_position().width * fig.get_figwidth() * 72
    assert width_pt / columns >= 6  # a column is at least as wide as the 6-pt text it carries
