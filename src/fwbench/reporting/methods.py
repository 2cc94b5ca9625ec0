"""The report's methods and threats to validity, in words computed from the constants that define
them where they restate one, and how the study meets the 12 rules of Hoefler and Belli,
"Scientific Benchmarking of Parallel Computing Systems" (SC'15).
"""

import pandas as pd

from fwbench.runs.training import STEADY_DRIFT_LIMIT
from fwbench.studies.verdict import MIN_RUNS


def methods_markdown() -> str:
    return "\n".join(
        [
            "- **Runs**: every run is a fresh process training one workload in one framework and mode with "
            "one seed, in one of two studies. Processes are the unit of replication: five per variant by "
            f"default (at least {MIN_RUNS} for a verdict).",
            "- **Speed study** (every speed figure and speed claim): one rule for every mode. The "
            "first `warmup_steps` steps are timed one by one and reported apart (their time above the run's "
            "own steady median is its one-time cost: tracing, compiling, first use); then steady-state "
            "steps with no evaluation among them, sized by time as timeit's autorange sizes its loop: at "
            "least config `speed.min_timed_steps` and enough to fill `speed.timed_budget_s` at the step "
            "time the warm-up's second half measured, capped at the size's `max_timed_steps` (the count "
            "and the median's own standard error are recorded per run). A run's step time is their "
            "median, with IQR and p95; the medians of the first and second half of them are compared "
            f"(drift ratio; steady within {STEADY_DRIFT_LIMIT:.0%}) as the steady-state check.",
            "- **Quality study** (accuracy, learning curves, time to accuracy): the workload's training "
            "recipe (`total_steps`, a test-set evaluation every `eval_every` steps), in each framework's "
            "reference modes (config `quality_modes`); time to accuracy is the sum of the training steps "
            "until the first evaluation at or above the target, compile included.",
            "- **Step time**: `time.perf_counter_ns` around one training step (forward, loss, backward, "
            "optimiser update), read after the step returned its loss as a Python float, which synchronises "
            "the device; batch slicing and conversion sit outside the timer, and Python's garbage collector "
            "is paused during the steps (collected before them and at evaluations), in every framework.",
            "- **Determinism**: only the quality study sets the frameworks' determinism switches (its "
            "accuracies repeat bit for bit); the speed study and inference run each framework's default "
            "kernels, because determinism costs the frameworks differently.",
            "- **Compiled scope**: PyTorch's compiled modes compile the whole step function (forward, loss, "
            "backward, optimiser update); `tf.function` and XLA wrap the same step; `jax.jit` wraps Keras's "
            "stateless step (forward, loss, gradient, optimiser update), its state donated as Keras's own "
            "JAX trainer does. What each compiler made of it is recorded per run (graphs, graph breaks) "
            "and shown with the one-time cost.",
            "- **Keras `fit`** (mode `fit`) is the path Keras documents first and is measured as its own "
            "mode: `model.compile(jit_compile=..., steps_per_execution=1)`, then `model.fit` on the same "
            "batches in the same order, each step timed by a callback from the start of the batch to the "
            "moment Keras has its logs on the host. The other TensorFlow modes are custom loops, as is "
            "PyTorch's. The `jit_compile` each runtime's `fit` used is in its result file.",
            "- **Inference**: per workload, framework and mode of config `inference_modes`, `inference.runs` "
            "fresh processes, interleaved with every other timed job; per batch size at least "
            "`inference.min_repeats` timed calls after untimed warm-up calls, compiled modes compiling each "
            "batch size's static shape in the warm-up.",
            "- **Throughput** is samples per second at the median step time.",
            "- **Memory**, two readings measured alike: the resident set with the framework imported and "
            "the data loaded (what importing costs), and the peak above it from then on (the kernel's "
            "high-water mark reset there), less the batches built ahead of their steps (what the model "
            "and its training add); device memory from the framework's own allocator statistics on a "
            "GPU, null on a CPU.",
            "- **Statistics**: ratios of geometric means over runs per workload and device, with 95 % Welch "
            "t-intervals on log run times, combined over workloads by the geometric mean (the mean log "
            "ratio, with its own interval); a workload whose own interval lies on the other side of 1 is "
            "named beside the combined figure (`fwbench.core.stats`). A simulation test runs this code "
            "under no difference and under a known 10 % difference at 3 and 5 runs a side. The timed jobs "
            "(both studies and the inference sweeps) run one at a time in seeded interleaved rounds over "
            "every variant (`fwbench.runs.plan.timed_order`, handed to Snakemake as job priorities), so "
            "the machine's drift from hour to hour falls on every variant alike; each result records its "
            "place in the order (`run_order`).",
            "- **Verdicts**: the rules printed in @sec-verdict-rules, applied by `fwbench.ledger` "
            "(results/ledger.json).",
        ]
    )


THREATS = [
    "**Small machine, shared**: the reference runs use a 2-core CPU that other jobs may share; timed "
    "runs never overlap each other, but outside load can widen the intervals. The intervals are there "
    "to show it.",
    f"**Few repeats**: five runs per variant by default (at least {MIN_RUNS} count) give wide "
    "intervals; a claim whose interval contains 1 is reported as inconclusive, never as a tie.",
    "**Recipes shorter than published**: a workload whose size runs fewer steps than its published "
    "recipe is not at convergence; its accuracies compare the frameworks at equal steps (@sec-accuracy "
    "says which).",
    "**Small models**: the workloads are small, so per-step framework overhead weighs more than it "
    "would with large models; results need not carry over to large-scale training.",
    "**One device kind per machine**: claims about GPUs (C1, C2), several vendors (C12) and several "
    "GPUs (C13) are not testable on a CPU-only machine; C13 is not testable on one machine at all: "
    "the study has no distributed training code (every run is one process on one device).",
    "**Threads equal in number, not in meaning**: PyTorch and TF get the same intra-op and inter-op "
    "pool sizes, but TF's inter-op pool runs independent ops at once while PyTorch's sits idle in "
    "eager execution, and nothing is pinned to a core; JAX has no thread setting (XLA's CPU pool has "
    "one thread per CPU the process may use), so a JAX run of n threads is confined to n CPUs (CPU "
    "affinity), the one place a run is pinned. Denormals are left at each framework's default and "
    "recorded (@sec-provenance, `denormals_flushed`); the threading and numerics environment "
    "variables a run saw are in each result file (`provenance.runtime_env`).",
    "**Reproducible on one machine, not bit for bit across machines**: the same command on the same "
    "machine gives the same accuracies (tests check it), but oneDNN and XLA choose kernels by the "
    "CPU's instruction set, so another CPU model can give slightly different accuracies from the same "
    "commit. The CPU model is in @sec-provenance.",
    "**Idiom**: each framework is written the way its own documentation writes it; another author's "
    "idiom could change line counts and, less likely, speed.",
    "**Versions**: one version of each framework (see @sec-provenance); results can change with the "
    "next release.",
]


def threats_markdown() -> str:
    return "\n".join(f"- {threat}" for threat in THREATS)


HOEFLER_BELLI_RULES = [
    (
        "1",
        "Speedup: say what the base case is and give its absolute performance.",
        "No parallel speedup is reported; every ratio sits beside the absolute step times it is made of "
        "(Speed section).",
    ),
    (
        "2",
        "Say why only a subset of benchmarks or of the machine's resources is used.",
        "The config names the workloads (recorded in each result's config): the default leaves out the "
        "transformer encoder to fit its time budget on 2 cores (its kernels are gpt's; config/full.yaml "
        "runs every workload); runs use all cores, the thread counts are recorded (Provenance section).",
    ),
    (
        "3",
        "Arithmetic mean only for costs, harmonic mean for rates.",
        "Step times are summarised by the median (robust to the outliers of a shared machine, rule 7); "
        "throughput is the batch size over that median step time (a rate derived from a cost, not a "
        "mean of rates).",
    ),
    (
        "4",
        "Avoid summarising ratios; if you must, use the geometric mean.",
        "Claims are about ratios, so the ledger uses the geometric mean of per-workload ratios; the costs "
        "behind them are in the tables.",
    ),
    (
        "5",
        "Say whether measurements are deterministic; give CIs for nondeterministic data.",
        "Accuracies and losses (the quality study, which sets each framework's determinism switches) "
        "are deterministic on the CPU (tested); timed runs use each framework's default kernels, and "
        "timings are not deterministic: 95 % intervals over runs (processes), interleaved.",
    ),
    (
        "6",
        "Do not assume normality without checking.",
        "Timing ratios use a Welch t-interval on log run times (multiplicative noise); its coverage and its "
        "rate of false differences are checked by simulation at the numbers of runs used. Within a run: "
        "medians and IQRs, no normality assumed.",
    ),
    (
        "7",
        "Check whether the mean or median is useful; some problems need other percentiles.",
        "Per run: median, IQR and p95 of step times; first step and warm-up reported separately.",
    ),
    (
        "8",
        "Compare nondeterministic data in a statistically sound way (CIs, ANOVA).",
        "A ratio whose 95 % CI contains 1 is 'inconclusive'; C12 compares devices by non-overlapping CIs.",
    ),
    (
        "9",
        "Document all varying factors and the complete set-up.",
        "Every result records commit, config hash, package versions, host, CPU, device, threads and data "
        "hash (Provenance section).",
    ),
    (
        "10",
        "Report measurement, synchronisation and summarisation methods.",
        "perf_counter_ns around one training step, after it returned a Python float (device sync), with "
        "Python's garbage collector paused; the speed study times at least 200 steady-state steps after "
        "a warm-up timed apart, with no evaluation among them, and checks the steady state (first vs "
        "second half); summaries as in rules 3 and 7 (Methods section).",
    ),
    (
        "11",
        "Show upper performance bounds where possible.",
        "Model FLOP utilisation against the device's peak where a GPU is known; on a CPU no bound is shown "
        "(partly met).",
    ),
    (
        "12",
        "Plot as much information as needed; connect points only where interpolation is valid.",
        "Figures show every run as a point with the interval; lines only for learning curves over steps.",
    ),
]


def hoefler_belli_table() -> pd.DataFrame:
    return pd.DataFrame(
        HOEFLER_BELLI_RULES, columns=["rule", "Hoefler & Belli (SC'15)", "how fwbench meets it"]
    )
