"""The inference study's column names (results/inference_sweep.csv, results/inference_exports.csv and
the inference result files), defined once: its run writes them, its tables, claims and report read them.
"""

EXPORT_TIME_S = "export_time_s"
FILE_SIZE_BYTES = "file_size_bytes"
LATENCY_MS_MEAN = "latency_ms_mean"
LATENCY_MS_P50 = "latency_ms_p50"
LATENCY_MS_P50_BATCH1 = "latency_ms_p50_batch1"
LATENCY_MS_P95 = "latency_ms_p95"
MAX_ABS_DIFF = "max_abs_diff"
N_CALLS = "n_calls"
THROUGHPUT_SAMPLES_PER_S_MAX = "throughput_samples_per_s_max"
TOOL = "tool"
