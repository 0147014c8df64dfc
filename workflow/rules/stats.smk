# The study's statistics (Fisher / chi-square / Yates, Wilson CIs), table 1, mutation distribution.


rule stats:
    input:
        manifest=rules.manifest.output[0],
        patients=rules.tables.output.patients,
        emergence=rules.tables.output.emergence,
    output:
        comparisons=f"{OUT}/stats/comparisons.tsv",
        rxc=f"{OUT}/stats/comparisons_rxc.tsv",
        table1=f"{OUT}/stats/table1.tsv",
        distribution=f"{OUT}/stats/mutation_distribution.tsv",
    log:
        f"{OUT}/logs/stats/stats.log",
    benchmark:
        f"{OUT}/benchmarks/stats/stats.tsv"
    conda:
        ENV
    resources:
        mem_mb=1000,
        runtime=15,
    shell:
        "{ROS1TRACE} stats --manifest {input.manifest} --patients {input.patients}"
        " --emergence {input.emergence} --outdir {OUT}/stats --log {log}"
