"""The study's figures, the one source of their names and captions.

* ``FIGURES``: the file stems, in the order the report shows them; the ``figures`` rule's outputs
  (``workflow/rules/common.smk`` reads them at parse time, so this module imports nothing: parsing
  the Snakefile must not load matplotlib), what :mod:`.plots` draws, what :mod:`.report` inlines.
* ``CAPTIONS``: the short caption under each figure in ``report.html``.
* ``REPORT_CAPTIONS``: the longer caption ``snakemake --report`` shows.  Snakemake's
  ``report(..., caption=...)`` takes a file, so ``workflow/report/figure_<name>.rst`` are written
  from here: after an edit, ``python -m ros1trace.cohort.figure_list`` (a test fails until the
  files are current).
"""

FIGURE_LIST = {  # name -> the caption in report.html, the caption in Snakemake's report
    "mutation_distribution": {
        "caption": (
            "Emergent ROS1 mutations at progression: patients and % of all patients (Fig. 2a). Every "
            "patient without one is in exactly one of the last four rows: none detected (no "
            "qualifying ROS1 mutation at progression), pre-existing only (already at baseline), "
            "indeterminate (a mutation whose baseline could not tell), not assessable (no progression "
            "small-variant sample)."
        ),
        "report": """\
Emergent ROS1 mutations at progression: patients and percent of all patients (the study's
Fig. 2a). Vermilion: one bar per emergent mutation (a patient with two emergent mutations is in
both bars). Every patient without an emergent mutation is in exactly one of the last four bars,
below the dashed line, so the bars account for the whole cohort: light grey *none detected* (no
qualifying ROS1 mutation at progression), orange *pre-existing only* (the ROS1 mutations at
progression were already at baseline), grey *indeterminate* (a ROS1 mutation at progression whose
baseline sample was absent or too shallow to tell whether it was there), hatched *not assessable*
(no progression small-variant sample, so no ROS1 mutation could be looked for).
""",
    },
    "mutation_rate_by_site": {
        "caption": (
            "Emergent ROS1 mutation rate, extracranial-only vs intracranial-only progression, with "
            "Wilson 95% CIs and the recommended test's p (Fig. 2b)."
        ),
        "report": """\
Rate of emergent ROS1 mutations in patients with extracranial-only vs intracranial-only
progression (the study's Fig. 2b), with k/n, Wilson 95% confidence intervals and the p of the
recommended test; the other tests and the three-site test are printed below the axis.
""",
    },
    "partner_group": {
        "caption": (
            "CD74-ROS1 vs non-CD74 fusions: emergent ROS1 mutation rate and intracranial progression."
        ),
        "report": """\
CD74-ROS1 vs non-CD74 ROS1 fusions: rate of emergent ROS1 mutations (single-site patients, and
all patients) and rate of intracranial progression, with Wilson 95% confidence intervals and p.
""",
    },
    "lollipop": {
        "caption": (
            "ROS1 (P08922, NM_002944.2 numbering) with its domains and each qualifying mutation at "
            "progression; changes at one residue (G2032R, G2032K) are stacked on its stem, each with "
            "its own dot and label."
        ),
        "report": """\
ROS1 (P08922, NM_002944.2 numbering) with the Pfam kinase domain (1945-2215) and FN3 repeats;
one stem per residue with a qualifying mutation at progression, its height the number of patients.
Changes at one residue (G2032R and G2032K) are stacked on that stem, each a segment ending in its
own dot, coloured by status, with its own label (a label moved to avoid another is joined to its
dot by a connector). The lower panel enlarges the kinase domain.
""",
    },
    "oncoprint": {
        "caption": (
            "Patients x alterations: progression site, fusion partner (one colour each), 5'-ROS1 "
            "fusion, ROS1 mutation, off-target alteration, progression sample type; rows of 100 "
            "patients, each named."
        ),
        "report": """\
One column per patient: progression site, fusion partner, 5'-ROS1 fusion, ROS1 mutation status,
off-target alteration and progression sample type; patients sorted by site, mutation status and
partner. Every partner the literature names (CD74, SDC4, EZR, SLC34A2, TPM3, CCDC6, GOPC) has its
own colour-blind-safe colour, as do up to four further partners; a legend per track names them.
Cohorts of more than 100 patients are drawn in rows of 100, each patient named below its column
(up to 1,000 patients; larger cohorts are drawn unlabelled).
""",
    },
    "cohort_flow": {
        "caption": (
            "Cohort flow: patients, progression site (with partner groups), resistance mechanism."
        ),
        "report": """\
Cohort flow: the patients of the run, their progression site (with CD74 / non-CD74 / no fusion
counts) and the resistance mechanism found, with the number of indeterminate patients left out of
the mutation rates.
""",
    },
}
FIGURES = tuple(FIGURE_LIST)
CAPTIONS = {name: figure["caption"] for name, figure in FIGURE_LIST.items()}
REPORT_CAPTIONS = {name: figure["report"] for name, figure in FIGURE_LIST.items()}
GENERATED = (".. Written by python -m ros1trace.cohort.figure_list from ros1trace/cohort/figure_list.py: "
             "edit there.\n\n")


def caption_file(name: str) -> str:
    """The text of ``workflow/report/figure_<name>.rst``."""
    return GENERATED + REPORT_CAPTIONS[name]


def main(folder: str | None = None) -> None:
    """Write every figure's ``figure_<name>.rst`` (default: the checkout's ``workflow/report``)."""
    from pathlib import Path

    target = Path(folder) if folder else Path(__file__).resolve().parents[2] / "workflow" / "report"
    for name in FIGURES:
        (target / f"figure_{name}.rst").write_text(caption_file(name), encoding="utf-8")


if __name__ == "__main__":
    import sys

    main(*sys.argv[1:2])
