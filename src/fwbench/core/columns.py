"""The columns of the aggregated run tables (results/summary.csv for the speed study,
results/quality.csv for the quality study, one row per run each): the name of every measured
column, defined once here and imported wherever a run's metric is written or a table is read.

Place in the pipeline: the training loop and the run process write these keys into a result file's
`metrics` (fwbench.runs.training, fwbench.runs.run_one), fwbench.runs.aggregate flattens them into
the tables, and the studies' claims and report sections read them. The identity columns (run_id,
study, workload, framework, mode, seed, scale, status) are the result schema's identity fields and
the Snakemake wildcards, spelled as the schema spells them.
"""

# speed: the steady-state step time of a run (the median of its timed steps) and its spread
STEP_TIME_PREFIX = "step_time_ms"
STEP_TIME = "step_time_ms_median"
STEP_TIME_IQR = "step_time_ms_iqr"
STEP_TIME_N = "step_time_ms_n"  # the steady-state steps the run timed (config speed sizes it)
# the per-run median's own standard error relative to it (fwbench.runs.training.median_relative_se)
MEDIAN_RELATIVE_SE = "step_time_median_relative_se"
THROUGHPUT = "throughput_samples_per_s"
FIRST_STEP = "first_step_time_ms"
# start-up: what a run lives through before its first finished step (the decision guide's "rapid
# prototyping"): process start to the framework imported and set up, the model built, the first
# training step finished
IMPORT_TIME = "import_time_s"
BUILD_TIME = "build_time_s"
TIME_TO_FIRST_STEP = "time_to_first_step_s"
WARMUP_TIME = "warmup_time_s"
ONE_TIME_COST = "one_time_cost_s"
DRIFT_RATIO = "steady_drift_ratio"
STEADY = "steady"
COMPILE_GRAPHS = "compile_graphs"
COMPILE_GRAPH_BREAKS = "compile_graph_breaks"
XLA_FLOPS = "compile_xla_flops_per_step"
MODEL_FLOPS = "model_flops_per_step"
ACHIEVED_TFLOPS = "achieved_tflops"
MFU = "mfu"

# memory: RSS_BASELINE is the RSS with the framework imported and the data loaded (what importing
# costs, the data being the same in every framework); RSS_RISE what the model and its training add
# above it (the peak from there on, the prebuilt batches taken out); PEAK_RSS the lifetime peak
RSS_BASELINE = "host_rss_baseline_mb"
PEAK_RSS = "host_peak_rss_mb"
RSS_RISE = "host_rss_rise_mb"
PEAK_RESET = "host_peak_reset"  # the high-water mark was reset at the baseline (Linux)
PREBUILT_BATCHES = "prebuilt_batches_mb"  # the batches' bytes the loop held at once
DEVICE_PEAK = "device_peak_memory_mb"
DEVICE_RESERVED = "device_peak_reserved_mb"

# quality
TEST_ACCURACY = "test_accuracy"
TARGET_ACCURACY = "target_accuracy"
TIME_TO_ACCURACY = "time_to_accuracy_s"
REFERENCE_ACCURACY = "reference_accuracy"
# results/baselines.csv (fwbench.runs.baselines): accuracy without learning, per workload
MAJORITY_ACCURACY = "majority_accuracy"
BIGRAM_ACCURACY = "bigram_accuracy"
BASELINE_ACCURACY = "baseline_accuracy"
EVAL_EVERY = "eval_every"
# the run trained its workload's published recipe (the size's published_recipe): accuracy at convergence
PUBLISHED_RECIPE = "published_recipe"

# provenance and flags
DEVICE_KIND = "device_kind"
DEVICE_NAME = "device_name"
CPU_MODEL = "cpu_model"
THREADS_INTRA = "threads_intra_op"
PARITY_PASSED = "parity_passed"
BATCH_SIZE = "batch_size"

# parity (results/parity.csv, fwbench.studies.parity.tables): the compiled modes whose check against
# eager ran and differed, those that matched, and those whose check could not run, as
# "framework mode; ..." per workload; the runs' flags (fwbench.runs.aggregate.add_parity) read them
COMPILED_MODES_DIFFER = "compiled_modes_differ"
COMPILED_MODES_MATCH = "compiled_modes_same"
COMPILED_MODES_UNCHECKED = "compiled_modes_unchecked"
COMPILED_DIFFERS = "compiled_differs"  # per run: its mode computed something else than eager

# read across studies: the lines-of-code table's lines and port columns (claim C11, parity study), and a
# check's outcome that parity and export results both record
OUTPUTS_MATCH = "outputs_match"
PART = "part"
PORT_ADAPTATIONS = "port_adaptations"
PORT_LINES = "port_lines"
PORT_TOKENS = "port_tokens"
SLOC = "sloc"
