"""The figures stage: every figure in PNG and SVG, labelled with n, for cohorts of 0, 1 and
1,000 patients, byte-identical on rerun."""

import json
import struct
import subprocess
import sys
import time

import pytest

from cohort_tables import patient, random_cohort, run_figures, run_stats, write_cohort
from ros1trace import plots

EXPECTED_PNG_SIZE = {  # figsize x 150 dpi
    "mutation_rate_by_site": (690, 750), "lollipop": (1500, 930), "oncoprint": (2100, 690),
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

    from ros1trace import stats_stage

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
