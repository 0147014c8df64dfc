"""The captions under workflow/report/ work with ``snakemake --report``: one per stats table and
figure, rendered (Jinja + reStructuredText) by Snakemake itself in a small workflow that declares
the same outputs the way the real rules should (``report(..., caption=...)``)."""

import shutil
import subprocess
import sys
from pathlib import Path

from matplotlib.figure import Figure

from ros1trace.cohort import figure_list, plots

CAPTIONS = Path(__file__).resolve().parents[1] / "workflow" / "report"
STATS_TABLES = ("comparisons", "comparisons_rxc", "table1", "mutation_distribution")
COHORT_CAPTIONS = ("patients", "variants", "fusions", "emergence", "maf", "patient_pages")
SNAKEFILE = """
configfile: "config.yaml"
report: "report/workflow.rst"

TABLES = {tables!r}
FIGURES = {figures!r}

rule all:
    input: expand("out/stats/{{t}}.tsv", t=TABLES), expand("out/figures/{{f}}.png", f=FIGURES)

rule stats:
    output: [report(f"out/stats/{{t}}.tsv", caption=f"report/{{t}}.rst", category="Statistical tests") for t in TABLES]
    shell: "exit 1"  # the outputs are written by the test

rule figures:
    output: [report(f"out/figures/{{f}}.png", caption=f"report/figure_{{f}}.rst", category="Figures") for f in FIGURES]
    shell: "exit 1"
"""


def test_every_stats_table_and_figure_has_a_caption():
    names = {p.stem for p in CAPTIONS.glob("*.rst")}
    assert {"workflow", *STATS_TABLES, *COHORT_CAPTIONS, *(f"figure_{f}" for f in plots.FIGURES)} <= names


def test_the_figure_captions_are_those_of_the_figure_list():
    stale = [name for name in figure_list.FIGURES
             if (CAPTIONS / f"figure_{name}.rst").read_text() != figure_list.caption_file(name)]
    assert not stale, f"run python -m ros1trace.cohort.figure_list to rewrite {stale}"


def test_snakemake_report_renders_the_captions(tmp_path):
    shutil.copytree(CAPTIONS, tmp_path / "report")
    for table in STATS_TABLES:
        path = tmp_path / "out" / "stats" / f"{table}.tsv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a\tb\n1\t2\n")
    (tmp_path / "out" / "figures").mkdir()
    for name in plots.FIGURES:
        Figure(figsize=(1, 1)).savefig(tmp_path / "out" / "figures" / f"{name}.png")
    (tmp_path / "Snakefile").write_text(SNAKEFILE.format(tables=list(STATS_TABLES), figures=list(plots.FIGURES)))
    (tmp_path / "config.yaml").write_text("seed: 4242\nmin_power: 0.9\ngenome_build: GRCh37\n")
    # The outputs exist already: --report renders them and their captions (metadata is not needed).
    result = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", "--report", "report.html"],
                            cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (tmp_path / "report.html").read_text()
    assert "Monte-Carlo seed 4242" in page  # the workflow description, with the config filled in
    assert "genome build GRCh37" in page
    assert "Fisher-Freeman-Halton exact test" in page  # a table caption
    assert "enlarges the kinase domain" in page  # a figure caption
    assert "pre-existing only" in page and "not assessable" in page  # Fig. 2a says what each row means
    assert "(ERROR/" not in result.stderr and "(SEVERE/" not in result.stderr
    # no docutils warning (a category named like Snakemake's own Statistics page gave one per caption);
    # this test's outputs have no metadata, so the real run's check of every warning is in
    # test_report_browser.py
    assert "(WARNING/" not in result.stderr and "Duplicate explicit target" not in result.stderr
