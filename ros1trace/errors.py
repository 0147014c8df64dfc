"""The one exception type for bad user input.

Its message is a single line naming the file, the row or record, and what to fix; the CLI and
the Snakefile print it as it is (no traceback) and write no output.
"""


class InputError(Exception):
    """Bad input from the user: config, sheets, VCF records, fusion files, FASTA."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))  # always one line
