# Beside the comparisons: the study's power (always), a paper's reported numbers against the run
# (config: reported), survival (when the patient sheet has pfs_/os_ columns).  Thin rules: each calls one
# ros1trace stage (ros1trace/stages/power.py, audit.py, survival.py).
from ros1trace.cohort.survival import COMPARISONS as SURVIVAL_COMPARISONS
from ros1trace.cohort.survival import ENDPOINTS, has_endpoint

# Known at parse time from the validated patient sheet: which endpoints it has values for.
SURVIVAL_ENDPOINTS = [e for e in ENDPOINTS if has_endpoint(MANIFEST["patients"], e)]
KM_FIGURES = [f"km_{e}_{c}" for e in SURVIVAL_ENDPOINTS for c, _ in SURVIVAL_COMPARISONS]
REPORTED = CONFIG.get("reported")
if REPORTED:
    from ros1trace.cohort.audit import load_reported

    try:  # a broken YAML stops the run before anything is written, in one line
        load_reported(REPORTED)
    except InputError as error:
        raise WorkflowError(str(error))


# What these rules add to the run's targets.
AUDIT_OUTPUTS = (
    [f"{OUT}/stats/power.tsv"]
    + ([f"{OUT}/audit/reported_vs_recomputed.tsv"] if REPORTED else [])
    + ([f"{OUT}/stats/survival.tsv"] if SURVIVAL_ENDPOINTS else [])
)


rule power:
    input:
        comparisons=rules.stats.output.comparisons,
    output:
        report(
            f"{OUT}/stats/power.tsv",
            caption="../report/power.rst",
            category="Statistical tests",
        ),
    params:
        cli=ROS1TRACE,
    log:
        f"{OUT}/logs/power/power.log",
    benchmark:
        f"{OUT}/benchmarks/power/power.tsv"
    conda:
        "../envs/audit.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 10 * attempt,
    shell:
        "{params.cli} power --comparisons {input.comparisons} --out {output} --log {log}"


if REPORTED:

    rule audit:
        input:
            reported=REPORTED,
            manifest=rules.manifest.output[0],
            patients=rules.tables.output.patients,
        output:
            report(
                f"{OUT}/audit/reported_vs_recomputed.tsv",
                caption="../report/audit.rst",
                category="Audit",
            ),
        params:
            cli=ROS1TRACE,
        log:
            f"{OUT}/logs/audit/audit.log",
        benchmark:
            f"{OUT}/benchmarks/audit/audit.tsv"
        conda:
            "../envs/audit.yaml"
        resources:
            mem_mb=lambda wildcards, attempt: 1000 * attempt,
            runtime=lambda wildcards, attempt: 10 * attempt,
        shell:
            "{params.cli} audit --reported {input.reported} --manifest {input.manifest}"
            " --patients {input.patients} --out {output} --log {log}"


if SURVIVAL_ENDPOINTS:

    rule survival:
        input:
            manifest=rules.manifest.output[0],
            patients=rules.tables.output.patients,
        output:
            table=report(
                f"{OUT}/stats/survival.tsv",
                caption="../report/survival.rst",
                category="Survival",
            ),
            png=[
                report(
                    f"{OUT}/figures/survival/{name}.png",
                    caption="../report/survival_figure.rst",
                    category="Survival",
                )
                for name in KM_FIGURES
            ],
            svg=[f"{OUT}/figures/survival/{name}.svg" for name in KM_FIGURES],
        params:
            cli=ROS1TRACE,
            figures=lambda w, output: os.path.dirname(output.png[0]),
        log:
            f"{OUT}/logs/survival/survival.log",
        benchmark:
            f"{OUT}/benchmarks/survival/survival.tsv"
        conda:
            "../envs/audit.yaml"
        resources:
            mem_mb=lambda wildcards, attempt: 1500 * attempt,
            runtime=lambda wildcards, attempt: 15 * attempt,
        shell:
            "{params.cli} survival --manifest {input.manifest} --patients {input.patients}"
            " --out {output.table} --figures {params.figures} --log {log}"
