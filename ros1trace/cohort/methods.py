"""Method constants shared by the statistics, the figures and the report.

Kept in a module of their own (no scipy, no matplotlib) so that the report job, which only prints
them, does not pay for importing the libraries that use them.
"""

PERCENT_DECIMALS = 1
MIN_EXPECTED = 5  # Cochran: chi-square needs every expected count >= 5, else use Fisher
MAX_EXACT_TABLES = 200_000  # beyond this many tables with the observed margins, Monte-Carlo
MONTE_CARLO_RESAMPLES = 20_000
TIE_TOLERANCE = 1e-7  # R's fisher.test: tables within this relative probability count as ties

CAPTIONS = {
    "mutation_distribution": "Emergent ROS1 mutations at progression: patients and % of all patients "
                             "(Fig. 2a). Every patient without one is in exactly one of the last four rows: "
                             "none detected (no qualifying ROS1 mutation at progression), pre-existing only "
                             "(already at baseline), indeterminate (a mutation whose baseline could not tell), "
                             "not assessable (no progression small-variant sample).",
    "mutation_rate_by_site": "Emergent ROS1 mutation rate, extracranial-only vs intracranial-only "
                             "progression, with Wilson 95% CIs and the recommended test's p (Fig. 2b).",
    "partner_group": "CD74-ROS1 vs non-CD74 fusions: emergent ROS1 mutation rate and intracranial "
                     "progression.",
    "lollipop": "ROS1 (P08922, NM_002944.2 numbering) with its domains and each qualifying mutation at "
                "progression; changes at one residue (G2032R, G2032K) are stacked on its stem, each with its "
                "own dot and label.",
    "oncoprint": "Patients x alterations: progression site, fusion partner (one colour each), 5'-ROS1 "
                 "fusion, ROS1 mutation, off-target alteration, progression sample type; rows of 100 "
                 "patients, each named.",
    "cohort_flow": "Cohort flow: patients, progression site (with partner groups), resistance mechanism.",
}
FIGURES = tuple(CAPTIONS)
