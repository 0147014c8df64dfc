# The study's statistics (Fisher / chi-square / Yates, Wilson CIs), table 1, mutation distribution.


rule stats:
    input:
        manifest=rules.manifest.output[0],
        patients=rules.tables.output.patients,
        emergence=rules.tables.output.emergence,
    output:
        comparisons=report(
            f"{OUT}/stats/comparisons.tsv",
            caption="../report/comparisons.rst",
            category="Statistical tests",
        ),
        rxc=report(
            f"{OUT}/stats/comparisons_rxc.tsv",
            caption="../report/comparisons_rxc.rst",
            category="Statistical tests",
        ),
        table1=report(
            f"{OUT}/stats/table1.tsv",
            caption="../report/table1.rst",
            category="Statistical tests",
        ),
        distribution=report(
            f"{OUT}/stats/mutation_distribution.tsv",
            caption="../report/mutation_distribution.rst",
            category="Statistical tests",
        ),
    params:
        cli=ROS1TRACE,
        outdir=lambda w, output: os.path.dirname(output.comparisons),
    log:
        f"{OUT}/logs/stats/stats.log",
    benchmark:
        f"{OUT}/benchmarks/stats/stats.tsv"
    conda:
        "../envs/cohort.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 15 * attempt,
    shell:
        "{params.cli} stats --manifest {input.manifest} --patients {input.patients}"
        " --emergence {input.emergence} --outdir {params.outdir} --log {log}"
