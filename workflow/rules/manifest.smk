# The run manifest: validated sheets and config, written once for every job.


rule manifest:
    input:
        samples=MANIFEST["samples_sheet"],
        patients=MANIFEST["patients_sheet"],
        fasta=MANIFEST["reference_fasta"],
    output:
        f"{OUT}/work/manifest.json",
    params:
        cli=ROS1TRACE,
        config=json.dumps(config, sort_keys=True),
        # the resolved batch_size (auto follows --cores/--jobs): a new layout rewrites the manifest
        batch_size=MANIFEST["batch_size"],
    log:
        f"{OUT}/logs/manifest/manifest.log",
    benchmark:
        f"{OUT}/benchmarks/manifest/manifest.tsv"
    conda:
        "../envs/manifest.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 500 * attempt,
        runtime=lambda wildcards, attempt: 10 * attempt,
    shell:
        "{params.cli} manifest --config-json {params.config:q} --batch-size {params.batch_size} --out {output} --log {log}"
