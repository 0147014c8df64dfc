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
    output:
        done=f"{OUT}/figures/.done",
    log:
        f"{OUT}/logs/figures/figures.log",
    benchmark:
        f"{OUT}/benchmarks/figures/figures.tsv"
    conda:
        ENV
    resources:
        mem_mb=1500,
        runtime=15,
    shell:
        "{ROS1TRACE} figures --manifest {input.manifest} --tables-dir {OUT} --outdir {OUT}/figures"
        " --done {output.done} --log {log}"


rule report:
    input:
        manifest=rules.manifest.output[0],
        figures=rules.figures.output.done,
        stats=rules.stats.output,
        tables=rules.tables.output,
    output:
        f"{OUT}/report.html",
    log:
        f"{OUT}/logs/report/report.log",
    benchmark:
        f"{OUT}/benchmarks/report/report.tsv"
    conda:
        ENV
    resources:
        mem_mb=1000,
        runtime=10,
    shell:
        "{ROS1TRACE} report --manifest {input.manifest} --tables-dir {OUT} --out {output} --log {log}"
