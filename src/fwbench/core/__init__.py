"""The framework-neutral floor every other layer stands on: atomic writes, result schemas,
provenance, statistics, memory and device probes, labels, the NVML sampler, how framework processes
exit, and the workaround for Snakemake's scheduler wake-ups. Imports nothing of fwbench but the
framework registry."""
