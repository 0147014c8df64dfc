# Figures (PNG + SVG) and the self-contained HTML report.


rule figures:
    input:
        manifest=rules.manifest.output[0],
        patients=rules.tables.output.patients,
        variants=rules.tables.output.variants,
        fusions=rules.tables.output.fusions,
        emergence=rules.tables.output.emergence,
        comparisons=rules.stats.output.comparisons,
        distribution=rules.stats.output.distribution,
        rxc=rules.stats.output.rxc,
    output:
        png=[
            report(
                f"{OUT}/figures/{name}.png",
                caption=f"../report/figure_{name}.rst",
                category="Figures",
            )
            for name in FIGURE_NAMES
        ],
        svg=[f"{OUT}/figures/{name}.svg" for name in FIGURE_NAMES],
        done=f"{OUT}/figures/.done",
    params:
        cli=ROS1TRACE,
        tables_dir=lambda w, input: os.path.dirname(input.patients),
        outdir=lambda w, output: os.path.dirname(output.done),
    log:
        f"{OUT}/logs/figures/figures.log",
    benchmark:
        f"{OUT}/benchmarks/figures/figures.tsv"
    conda:
        "../envs/cohort.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1500 * attempt,
        runtime=lambda wildcards, attempt: 15 * attempt,
    shell:
        "{params.cli} figures --manifest {input.manifest} --tables-dir {params.tables_dir} --outdir {params.outdir}"
        " --done {output.done} --log {log}"


rule report:
    input:
        manifest=rules.manifest.output[0],
        figures=rules.figures.output.done,
        stats=rules.stats.output,
        patients=rules.tables.output.patients,
        variants=rules.tables.output.variants,
        fusions=rules.tables.output.fusions,
        emergence=rules.tables.output.emergence,
        maf=rules.tables.output.maf,
        pages=rules.patient_pages.output[0],  # the patient table links to them
        audit=AUDIT_OUTPUTS,  # power, and the audit and survival tables when the run has them
    output:
        f"{OUT}/report.html",
    params:
        cli=ROS1TRACE,
        tables_dir=lambda w, input: os.path.dirname(input.patients),
    log:
        f"{OUT}/logs/report/report.log",
    benchmark:
        f"{OUT}/benchmarks/report/report.tsv"
    conda:
        "../envs/cohort.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 10 * attempt,
    shell:
        "{params.cli} report --manifest {input.manifest} --tables-dir {params.tables_dir} --out {output} --log {log}"
