"""Method constants shared by the statistics and the report.

Kept in a module of their own (no scipy, no matplotlib) so that the report job, which only prints
them, does not pay for importing the libraries that use them.
"""

PERCENT_DECIMALS = 1
MIN_EXPECTED = 5  # Cochran: chi-square needs every expected count >= 5, else use Fisher
MAX_EXACT_TABLES = 200_000  # beyond this many tables with the observed margins, Monte-Carlo
MONTE_CARLO_RESAMPLES = 20_000
TIE_TOLERANCE = 1e-7  # R's fisher.test: tables within this relative probability count as ties
