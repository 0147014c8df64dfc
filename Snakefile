# ros1trace: ROS1 resistance mutations and fusions at crizotinib progression.
# Wiring only: every rule calls one subcommand of the ros1trace package (ros1trace/cli.py).

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/manifest.smk"
include: "workflow/rules/variants.smk"
include: "workflow/rules/fusions.smk"
include: "workflow/rules/emergence.smk"
include: "workflow/rules/cohort.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/audit.smk"
include: "workflow/rules/patient_pages.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        final_outputs(),
        AUDIT_OUTPUTS,
    default_target: True
