"""The claims ledger: one verdict per claim C1-C13 of ../shared/CLAIMS.md, from the aggregated tables.

Place in the pipeline: the report (report/index.py) calls `ledger(load_tables(results_dir))` after
aggregation and only displays the result; every rule below is implemented and unit-tested here.

The verdict rules are written down in GENERAL_RULES (for every claim) and RULES (per claim), with
the thresholds as named constants below; the report prints both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fwbench.frameworks import DISPLAY_NAMES, PARITY_REFERENCE, SHORT_NAMES, precision_of
from fwbench.inference_tables import scaling_per_run
from fwbench.labels import device_label
from fwbench.stats import (
    bootstrap_ci,
    combined_ratio_interval,
    difference_interval,
    geometric_mean_interval,
    signed_rank_p,
)

SUPPORTED, REFUTED, INCONCLUSIVE, NOT_TESTABLE = "supported", "refuted", "inconclusive", "not testable here"
MIN_RUNS = 3  # runs per side and stratum before a ratio counts
MIN_UNITS = 3  # workloads / faults before a comparison across them counts
MIN_CODE_UNITS = 10  # C8/C9: code units before the exact paired test counts
MIN_PAIRS = 6  # C7: (workload, fault) pairs; with fewer, a signed-rank test can never reach p < 0.05
CONFIDENCE = 0.95
# C5: "roughly equal" means within 25 % (fixed before the data). Justified against the noise of the
# reference machine: the median standard deviation of log step time between runs of one variant is
# 0.15 there (the default run of 2026-12-01), which at 5 runs a side leaves a 90 % interval of
# about x/1.19 around a true ratio of 1; a 10 % margin could never be met, whatever the frameworks.
# It stays below C6's 1.5x ("heavy"): a difference C6 would call heavy is never "roughly equal".
EQUIVALENCE_RATIO = 1.25
EQUIVALENCE_LEVEL = 0.90  # two one-sided tests at 5 % each: the 90 % interval within the margin (TOST)
HEAVY_SPEEDUP = 1.5  # C6: "heavy" tuning means graph mode at least 1.5x faster than eager
# C11: a port is easy when it needs few kinds of adaptation (each a documented convention
# difference: a weight-layout group, a padding or permute fix, a convention constant)
EASY_PORT_ADAPTATIONS = 2  # median over workloads at most this: supported
HARD_PORT_ADAPTATIONS = 4  # median at least this: refuted
NEAR_FULL_UTILISATION_PCT = 90.0  # C2: "near 100 %" means a mean utilisation of at least 90 %
# Accuracy of the two frameworks (not a claim of the article: the headline's accuracy
# sentence, and B2-accuracy beyond the article):
# equivalent when the 90 % interval of the difference of mean test accuracies (two one-sided
# tests at 5 %) lies within +-ACCURACY_MARGIN_PTS points, fixed in advance (the tolerance this
# study allows for reproducing a published accuracy).
ACCURACY_MARGIN_PTS = 2.0
ACCURACY_READINGS = ("equivalent", "different", "undecided")
SEED = 0
STEP_TIME = "step_time_ms_median"
# Every threshold a verdict reads, with what it decides and when it was set (the commit that set
# it): printed in the report, so a reader can see which rules were fixed before which runs. The
# 2026-12-01 rules replaced earlier ones after a review of earlier default runs (issue "Claims
# judged fairly"); they are frozen from then on and judge only runs made after them.
_SET_EARLY, _SET_C5, _SET_C11, _SET_C7 = (
    ("2026-11-25", "308a625"),
    ("2026-12-01", "dc8d42d"),
    ("2026-12-01", "55ac9fa"),
    ("2026-12-01", "7b35544"),
)
THRESHOLDS = {
    "CONFIDENCE": ("level of every interval but C5's (two one-sided tests)", *_SET_EARLY),
    "MIN_RUNS": ("ok runs per side and stratum before a ratio counts", *_SET_EARLY),
    "MIN_UNITS": ("workloads or fault classes before a comparison across them counts", *_SET_EARLY),
    "HEAVY_SPEEDUP": ("C6: graph-mode speed-up over eager that counts as heavy", *_SET_EARLY),
    "NEAR_FULL_UTILISATION_PCT": ("C2: mean GPU utilisation that counts as near 100 %", *_SET_EARLY),
    "EQUIVALENCE_RATIO": ("C5: margin of 'roughly equal' (either way)", *_SET_C5),
    "EQUIVALENCE_LEVEL": ("C5: interval of the two one-sided tests", *_SET_C5),
    "MIN_CODE_UNITS": ("C8, C9: code units before the signed-rank test counts", *_SET_C5),
    "EASY_PORT_ADAPTATIONS": ("C11: median adaptations of an easy port (at most)", *_SET_C11),
    "HARD_PORT_ADAPTATIONS": ("C11: median adaptations of a hard port (at least)", *_SET_C11),
    "MIN_PAIRS": ("C7: (workload, fault) pairs before the signed-rank test counts", *_SET_C7),
    "ACCURACY_MARGIN_PTS": ("headline: accuracy difference that counts as equal", *_SET_C7),
}
# Optional tables other pipeline stages write next to summary.csv (Tables field -> file name);
# absent ones are None. inference_sweep/_exports: fwbench.inference_tables; loc: fwbench.loc;
# debug: fwbench.debug_scoring; parity: the parity rule.
OPTIONAL_TABLES = {
    "inference": "inference_sweep.csv",
    "exports": "inference_exports.csv",
    "loc": "loc.csv",
    "debug": "debug.csv",
    "parity": "parity.csv",
    "quality": "quality.csv",
}

CLAIMS = {
    "C1": "Single-GPU training: PyTorch 2.x with torch.compile() is faster than TensorFlow's XLA",
    "C2": "torch.compile() can reach near 100 % GPU utilisation",
    "C3": "Large-scale inference: TensorFlow leads (stronger inference scaling)",
    "C4": "Memory use: PyTorch is lighter for prototyping",
    "C5": "CPU workloads: roughly equal",
    "C6": "TensorFlow graph mode provides heavy performance tuning",
    "C7": "Debugging is easier in PyTorch; TF graph-mode quirks still appear",
    "C8": "Custom models: PyTorch needs fewer tweaks; TensorFlow/Keras is more verbose",
    "C9": "Keras makes building standard models fast and clean",
    "C10": "Model export: both use ONNX; TensorFlow has more native formats",
    "C11": "Switching between them is easier now thanks to similar APIs",
    "C12": "Hardware performance differs across vendors (NVIDIA, Apple Silicon, AMD)",
    "C13": "TensorFlow shines in distributed multi-GPU training",
}

GENERAL_RULES = [
    "Effects are ratios of geometric means over runs (processes are the unit of replication; a run's own "
    "value is its median step time, its peak memory, ...), computed per stratum (one device and one "
    "workload) and combined over strata by their geometric mean. Uncertainty: a Welch t-interval on the "
    f"log scale, {CONFIDENCE:.0%}, per stratum and for the combined ratio (its coverage and its rate of "
    "false differences are checked by simulation at 3 and 5 runs a side); a stratum whose own interval "
    "lies on the other side of 1 is named beside the combined figure.",
    "Where a side is the best of several modes (C3, C5, C6), the best is chosen on the same runs the "
    "interval is computed from. Simulation at 5 runs a side, choosing 1 of 3 and 2 of 4 modes, shows "
    "the winner's interval still calls a difference where there is none at most 5 % of the time "
    "(4.8 % and 3.1 %) and covers the winning pair's true ratio at least 93 % of the time (95.5 % "
    "and 96.2 %), so it is not widened (a Bonferroni widening would cost power for no gain in "
    "error rate). Where a verdict is a union over workloads (C5 refuted when any workload is "
    "clearly outside), each workload is tested at 1/k of the error. Across claims there is no "
    "correction: each claim is its own question, read on its own, and its rule was written down "
    "before the data it judges (the thresholds table gives the date each was set).",
    f"A stratum counts only when both sides have at least {MIN_RUNS} runs with status ok; comparisons "
    f"across workloads or fault classes need at least {MIN_UNITS} of them, code-unit comparisons "
    f"{MIN_CODE_UNITS}. Otherwise the "
    "verdict is inconclusive and the reason says what is missing. Runs of a workload that failed its parity "
    "check (the two implementations are not the same model) are left out of every comparison.",
    "Directional claims (A is faster / lighter / shorter than B): supported when the interval of the ratio "
    "lies entirely on the claim's side of 1, refuted when it lies entirely on the other side, inconclusive "
    "when it contains 1 (the difference is inside run-to-run noise).",
    f"'Roughly equal' (C5) is an equivalence test per workload (two one-sided tests at 5 %: the "
    f"{EQUIVALENCE_LEVEL:.0%} interval of the workload's ratio within {1 / EQUIVALENCE_RATIO:.2f}-"
    f"{EQUIVALENCE_RATIO:.2f}, a margin fixed in advance above this machine's run-to-run noise): "
    "supported only when every workload is equivalent, refuted when any workload's interval lies "
    "entirely outside the margin, else inconclusive; a combined figure never decides it.",
    "A claim about hardware this run did not have (a GPU, several vendors, several GPUs) is not testable "
    "here, with the reason; the CPU figure is given as context where there is one.",
    "Missing evidence (a table or column another stage did not produce) gives inconclusive with the "
    "reason; no number is ever filled in.",
]
_DIRECTIONAL = (
    "supported if the 95 % CI of the ratio lies above 1, refuted if below 1, inconclusive if it contains 1"
)
RULES = {
    "C1": f"GPU runs only. Ratio TF XLA / PyTorch compile (both fp32) of the steady-state step time; "
    f"{_DIRECTIONAL}.",
    "C2": f"GPU runs of PyTorch compile. Mean NVML utilisation over runs: supported if its 95 % CI "
    f"lies at or above {NEAR_FULL_UTILISATION_PCT:.0f} %, refuted if below, else inconclusive. Model "
    "FLOP utilisation (against the datasheet peak of the precision each run used) is given beside it.",
    "C3": "Inference scaling, per run (process): throughput at the largest batch over throughput at "
    "batch 1, best fp32 mode of each framework; ratio TF / PyTorch of that figure; "
    f"{_DIRECTIONAL}. Batch-1 latency (p50, PyTorch / TF) is given beside it.",
    "C4": "Memory a prototyping (eager) run adds, same model and batch: on a GPU the framework "
    "allocator's device peak (NVML's per-process figure beside it), on the CPU the peak RSS above "
    "the RSS right after the framework was imported; ratio TF eager / PyTorch eager; "
    f"{_DIRECTIONAL}. The import footprint (RSS after import) is given beside it as its own figure.",
    "C5": f"CPU runs, equal thread counts, best fp32 mode of each framework, per workload: ratio of "
    f"step times PyTorch / TF with its {EQUIVALENCE_LEVEL:.0%} interval (two one-sided tests at 5 %); "
    f"supported if every workload's interval lies within "
    f"{1 / EQUIVALENCE_RATIO:.2f}-{EQUIVALENCE_RATIO:.2f}, refuted if any workload's interval at 1/k "
    "of the error (k workloads: one of k clearly outside is a union of k tests) lies entirely "
    "outside, else inconclusive.",
    "C6": f"Ratio TF eager / best TF graph mode (tf.function or XLA) of the step time: supported if the "
    f"95 % CI lies above {HEAVY_SPEEDUP}x, refuted if below, else inconclusive. The second reading "
    "(does graph mode make TF faster than PyTorch's eager mode?) is the ratio PyTorch eager / best TF "
    "graph mode, reported beside the verdict with its own directional reading.",
    "C7": "Debugging effort per (workload, fault) (0-100: detection, locality, message and the mode's "
    "inspectability; a fault that behaves differently by mode is a quirk, scored at its worst mode, "
    "and a mode that absorbed it counts as silent), paired by (workload, fault): difference "
    f"TF - PyTorch; supported if the Wilcoxon signed-rank test (two-sided, 5 %, at least {MIN_PAIRS} "
    "pairs) finds TF harder, refuted if it finds TF easier, else inconclusive.",
    "C8": "Tokens per code unit, ratio TF / PyTorch: the tokens each customisation changes, every "
    "workload's model definition, the training step and the evaluation; supported if the "
    f"Wilcoxon signed-rank test of the log ratios (two-sided, 5 %, exact where there are no ties, at "
    f"least {MIN_CODE_UNITS} units) "
    "finds TF longer, refuted if it finds TF shorter, else inconclusive.",
    "C9": "Tokens per code unit, ratio PyTorch / Keras: every workload's model definition and each "
    "region of the same standard program (PyTorch loop vs Keras compile/fit) and the whole program; "
    f"the same test (at least {MIN_CODE_UNITS} units): supported if Keras is shorter, refuted "
    "if longer, else inconclusive.",
    "C10": "Supported if ONNX export succeeds with matching outputs in both frameworks and TF has more "
    "native formats that export successfully than PyTorch; refuted if both export to ONNX and, of more "
    "native formats tried for TF than for PyTorch, no more succeed; else inconclusive.",
    "C11": "What switching costs, per workload: whether the port is the same model (parity: weights "
    "copied across, outputs and gradients agree) and how many adaptations it needed (kinds of fix "
    "marked '# port: KIND' in the model files: weight-layout groups, padding or permute fixes, "
    "convention constants; with their lines). Supported if every port passes parity and the median "
    f"port needs at most {EASY_PORT_ADAPTATIONS} adaptations, refuted if the median needs at least "
    f"{HARD_PORT_ADAPTATIONS}; inconclusive in between, when a port failed parity or could not be "
    "checked, or without the counts.",
    "C12": "GPU results from at least two vendors (CPUs are not vendors of this claim): the "
    "interaction, whether the PyTorch / TF step-time ratio differs by vendor; supported if the "
    "vendors' 95 % CIs do not overlap (a conservative test of the interaction), inconclusive if they "
    "overlap (no evidence of a difference is not evidence of none); not testable with fewer than "
    "two GPU vendors.",
    "C13": "Needs several GPUs: not testable on one machine with at most one GPU.",
}

EVIDENCE = {
    "C1": "sec-speed",
    "C2": "sec-gpu",
    "C3": "sec-inference",
    "C4": "sec-memory",
    "C5": "sec-speed",
    "C6": "sec-speed",
    "C7": "sec-debugging",
    "C8": "sec-loc",
    "C9": "sec-loc",
    "C10": "sec-inference",
    "C11": "sec-parity",
    "C12": "sec-devices",
    "C13": "sec-threats",
}

ARTICLE_FRAMEWORKS = ("torch", "tf")  # the article's claims C1-C13 compare these two

# Beyond the article (../shared/CLAIMS.md, B1 and B2; issue 15): questions the article never asks,
# judged by the same machinery, never changing a C-verdict. They separate the model API (Keras vs
# native PyTorch) from the runtime that executes it (TensorFlow, JAX), on one Keras model file.
BEYOND_CLAIMS = {
    "B1-speed": "B1, the runtime's share: the same Keras model trains faster on JAX than on TensorFlow "
    "(compiled step)",
    "B1-fit": "B1 with Keras's documented path: model.fit trains faster on JAX than on TensorFlow",
    "B1-memory": "B1: the same Keras model adds less memory on JAX than on TensorFlow (compiled step)",
    "B2-speed": "B2: Keras on JAX trains faster than native PyTorch (best mode of each)",
    "B2-memory": "B2: Keras on JAX adds less memory than native PyTorch",
    "B2-accuracy": "B2: Keras on JAX and native PyTorch reach the same accuracy",
}
_COMPILED_STEP = ("graph", "xla", "jit")  # the whole hand-written step compiled: the same scope
# (framework, modes) of the two sides of each ratio (first / second; above 1: the second is
# faster or lighter); None: the framework's fp32 modes, the best of them per stratum
BEYOND_SIDES = {
    "B1-speed": (("tf", ("graph", "xla")), ("jax", ("jit",))),
    "B1-fit": (("tf", ("fit",)), ("jax", ("fit",))),
    "B1-memory": (("tf", ("graph", "xla")), ("jax", ("jit",))),
    "B2-speed": (("torch", None), ("jax", None)),
    "B2-memory": (("torch", None), ("jax", None)),
}
_SAME_SCOPE = (
    "the best fp32 mode of each that compiles the whole hand-written step (TF tf.function or XLA, "
    "JAX jax.jit), per workload and device, combined by the geometric mean"
)
_MEMORY = (
    "memory a run adds (on a GPU the framework allocator's device peak, on the CPU the peak RSS "
    "above the RSS right after import, as in C4)"
)
BEYOND_RULES = {
    "B1-speed": f"Same Keras model file, same batches: ratio of step times TF / JAX, {_SAME_SCOPE}; "
    f"{_DIRECTIONAL}.",
    "B1-fit": f"Ratio of step times TF fit / JAX fit (model.fit on each runtime, fp32); {_DIRECTIONAL}.",
    "B1-memory": f"Ratio of the {_MEMORY}, TF / JAX, {_SAME_SCOPE}; {_DIRECTIONAL}.",
    "B2-speed": "Ratio of step times PyTorch / JAX, the best fp32 mode of each (PyTorch eager or "
    f"torch.compile of the whole step, JAX jit or fit); {_DIRECTIONAL}.",
    "B2-memory": f"Ratio of the {_MEMORY}, PyTorch / JAX, the lightest fp32 mode of each; {_DIRECTIONAL}.",
    "B2-accuracy": "Quality-study runs (the workload's recipe in quality_modes; at convergence with "
    "config/convergence.yaml): per workload the difference JAX - PyTorch of the mean test accuracy "
    f"with its {EQUIVALENCE_LEVEL:.0%} interval; supported if every workload is within "
    f"±{ACCURACY_MARGIN_PTS:g} points, refuted if any lies entirely outside, else inconclusive.",
}
BEYOND_EVIDENCE = dict.fromkeys(BEYOND_CLAIMS, "sec-jax")

UNSOURCED_FIGURES = [
    "Market shares of PyTorch and TensorFlow (in research papers, in industry, in production deployments)",
    "Survey percentages (developer preference, adoption, satisfaction)",
    "Job-market and community-size figures (postings, repositories, downloads)",
]

# Column names other stages may use for the same quantity (the first one present is read).
COLUMNS = {
    "gpu_util": ["gpu_utilization_pct_mean"],
    "throughput": ["throughput_samples_per_s", "throughput_samples_s"],
    "batch": ["batch_size"],
    "export_format": ["format", "export_format"],
    "parity_passed": ["passed", "parity_passed"],
}


@dataclass
class Tables:
    """The aggregated tables; every optional one may be None (that stage did not run)."""

    summary: pd.DataFrame
    inference: pd.DataFrame | None = None
    exports: pd.DataFrame | None = None
    loc: pd.DataFrame | None = None
    debug: pd.DataFrame | None = None
    parity: pd.DataFrame | None = None
    quality: pd.DataFrame | None = None  # the quality study's runs (beyond the article: B2-accuracy)


@dataclass
class Verdict:
    claim_id: str
    verdict: str
    effect: str
    evidence: str
    interval: tuple | None = None  # (ratio, ci_low, ci_high) where the effect is a ratio with a CI
    threshold: float = 1.0  # the ratio the verdict rule compares the interval with

    def row(self) -> dict:
        return {
            "claim": self.claim_id,
            "text": {**CLAIMS, **BEYOND_CLAIMS}[self.claim_id],
            "verdict": self.verdict,
            "effect": self.effect,
            "evidence": self.evidence,
            "rule": {**RULES, **BEYOND_RULES}[self.claim_id],
            **dict(zip(("ratio", "ci_low", "ci_high"), self.interval or (None,) * 3, strict=True)),
            "threshold": self.threshold,
        }


def load_tables(results_dir) -> Tables:
    results_dir = Path(results_dir)
    try:
        summary = pd.read_csv(results_dir / "summary.csv")
    except (FileNotFoundError, pd.errors.EmptyDataError):
        summary = pd.DataFrame(columns=["run_id", "workload", "framework", "mode", "status"])
    optional = {}
    for name, filename in OPTIONAL_TABLES.items():
        path = results_dir / filename
        try:
            optional[name] = pd.read_csv(path) if path.exists() else None
        except pd.errors.EmptyDataError:
            optional[name] = None
    return Tables(summary=summary, **optional)


def column(frame: pd.DataFrame | None, quantity: str) -> str | None:
    """The column of `frame` holding `quantity` (see COLUMNS), or None."""
    if frame is None:
        return None
    return next((name for name in COLUMNS[quantity] if name in frame), None)


# --- comparisons -----------------------------------------------------------------------------


def _with_device(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "device" not in frame:
        frame["device"] = device_label(frame)
    return frame


def _ok(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    if summary.empty or metric not in summary:
        return _with_device(summary.iloc[0:0])
    ok = summary[summary["status"].eq("ok")].copy()
    if "parity_passed" in ok:  # an implementation that differs from the reference's is another model;
        # the reference's own runs stay (a comparison with it loses its other side already)
        differs = ok["parity_passed"].astype(str).str.lower().eq("false")
        ok = ok[~(differs & ok["framework"].ne(PARITY_REFERENCE))]
    ok[metric] = pd.to_numeric(ok[metric], errors="coerce")
    return _with_device(ok.dropna(subset=[metric]))


def _side(stratum: pd.DataFrame, framework: str, modes, metric: str, *, lower_is_better=True):
    """Values of one side in one stratum: the given mode, or the best of several modes (by median)
    among those with at least MIN_RUNS runs. Returns (mode, values) or None.

    The best is chosen on the same runs the interval is then computed from, and the choice is not
    repeated inside the interval; tests/test_stats_ci.py checks by simulation, at the default 5 runs
    a side and the mode counts the claims choose from (1 of 3, 2 of 4), that the winner's interval
    still calls a difference where there is none at most 5 % of the time and covers the winning
    pair's true ratio at least 93 % of the time; so it is not widened for the choice."""
    candidates = [modes] if isinstance(modes, str) else list(modes)
    best = None
    for mode in candidates:
        values = stratum.loc[stratum["framework"].eq(framework) & stratum["mode"].eq(mode), metric]
        if len(values) < MIN_RUNS:
            continue
        key = np.median(values) if lower_is_better else -np.median(values)
        if best is None or key < best[0]:
            best = (key, mode, values.to_numpy())
    return None if best is None else (best[1], best[2])


def compare(
    frame,
    numerator,
    denominator,
    metric,
    *,
    by=("device", "workload"),
    lower_is_better=True,
    level=CONFIDENCE,
):
    """Ratio metric(numerator) / metric(denominator) per stratum (geometric means over runs) and
    combined over strata, each with its t-interval (fwbench.stats.combined_ratio_interval).
    numerator / denominator: (framework, mode or tuple of modes: the best of them per stratum).
    Returns (result dict or None, list of strata without enough runs)."""
    strata, used, short = [], [], []
    for key, stratum in frame.groupby(list(by)):
        num = _side(stratum, *numerator, metric, lower_is_better=lower_is_better)
        den = _side(stratum, *denominator, metric, lower_is_better=lower_is_better)
        if num is None or den is None:
            short.append(" / ".join(map(str, key)))
            continue
        strata.append((num[1], den[1]))
        used.append({"stratum": key, "numerator_mode": num[0], "denominator_mode": den[0]})
    if not strata:
        return None, short
    result = combined_ratio_interval(strata, level=level)
    if result is None:  # a side with no positive, finite value: no ratio to take
        return None, short + [" / ".join(map(str, s["stratum"])) for s in used]
    for stratum, own in zip(used, result["per_stratum"], strict=True):
        stratum.update(own)
    result["strata"] = used
    return result, short


def directional(low: float, high: float, threshold: float = 1.0) -> str:
    """Supported above the threshold, refuted below it, inconclusive when the CI straddles it."""
    if low > threshold:
        return SUPPORTED
    if high < threshold:
        return REFUTED
    return INCONCLUSIVE


def equivalent(low: float, high: float, margin: float = EQUIVALENCE_RATIO, *, additive: bool = False) -> str:
    """Within the margin (a ratio's 1/margin..margin, or a difference's -margin..margin): supported;
    entirely outside it: refuted; else inconclusive."""
    lower = -margin if additive else 1 / margin
    if lower <= low and high <= margin:
        return SUPPORTED
    if low > margin or high < lower:
        return REFUTED
    return INCONCLUSIVE


def describe(result: dict, what: str) -> str:
    devices = {s["stratum"][0] for s in result["strata"]} if "strata" in result else set()
    workloads = len(result["strata"]) if "strata" in result else result["n_strata"]
    where = f", on {len(devices)} device{'s' * (len(devices) != 1)}" if devices else ""
    text = (
        f"{what} {result['ratio']:.2f}x, {result['level']:.0%} CI "
        f"{result['ci_low']:.2f}-{result['ci_high']:.2f}, n={result['n_min']}, "
        f"geometric mean over {workloads} workload{'s' * (workloads != 1)}{where}"
    )
    return text + against(result)


def against(result: dict) -> str:
    """The strata whose own interval lies on the other side of 1 from the combined ratio: a
    combined figure never hides a workload that goes the other way."""
    if "strata" not in result or len(result["strata"]) < 2:
        return ""
    combined_above = result["ratio"] > 1
    other = [s for s in result["strata"] if (s["ci_high"] < 1 if combined_above else s["ci_low"] > 1)]
    if not other:
        return ""
    listed = ", ".join(
        f"{' / '.join(map(str, s['stratum']))} {s['ratio']:.2f}x (CI {s['ci_low']:.2f}-{s['ci_high']:.2f})"
        for s in other
    )
    return f"; but the other way in {listed}"


def _missing(short: list[str]) -> str:
    return f"fewer than {MIN_RUNS} ok runs per side in: {', '.join(short)}" if short else "no ok runs"


def _variant(result: dict, side: str, framework: str) -> str:
    """The variant one side of a comparison used (the modes picked as best, where there was a choice)."""
    modes = sorted({stratum[f"{side}_mode"] for stratum in result["strata"]})
    return f"{DISPLAY_NAMES[framework]} {'/'.join(modes)}"


def speed_verdict(frame, slow, fast, *, decide: Callable = directional) -> tuple[str, str, tuple | None]:
    """Verdict on 'fast is faster than slow': ratio step time slow / fast."""
    result, short = compare(frame, slow, fast, STEP_TIME)
    if result is None:
        return INCONCLUSIVE, _missing(short), None
    fast_name, slow_name = _variant(result, "denominator", fast[0]), _variant(result, "numerator", slow[0])
    text = describe(result, f"speed-up of {fast_name} over {slow_name} (step-time ratio):")
    return decide(result["ci_low"], result["ci_high"]), text, _interval(result)


def _interval(result: dict) -> tuple:
    return result["ratio"], result["ci_low"], result["ci_high"]


# --- one function per claim ------------------------------------------------------------------


def _gpu(frame: pd.DataFrame) -> pd.DataFrame:
    return (
        frame[frame["device_kind"].isin(["cuda", "gpu", "rocm", "mps"])]
        if "device_kind" in frame
        else frame[:0]
    )


def _cpu(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["device_kind"].eq("cpu")] if "device_kind" in frame else frame[:0]


def c1(t: Tables) -> Verdict:
    runs = _ok(t.summary, STEP_TIME)
    slow, fast = ("tf", "xla"), ("torch", "compile")
    if _gpu(runs).empty:
        _, context, _ = speed_verdict(_cpu(runs), slow, fast)
        return Verdict("C1", NOT_TESTABLE, f"no GPU in this run; on the CPU: {context}", EVIDENCE["C1"])
    verdict, text, interval = speed_verdict(_gpu(runs), slow, fast)
    return Verdict("C1", verdict, text, EVIDENCE["C1"], interval)


def c2(t: Tables) -> Verdict:
    runs = _ok(t.summary, STEP_TIME)
    gpu = _gpu(runs)
    if gpu.empty:
        return Verdict("C2", NOT_TESTABLE, "no GPU in this run", EVIDENCE["C2"])
    name = column(gpu, "gpu_util")
    values = (
        pd.Series(dtype=float)
        if name is None
        else gpu.loc[gpu["framework"].eq("torch") & gpu["mode"].eq("compile"), name]
    )
    values = pd.to_numeric(values, errors="coerce").dropna()
    if len(values) < MIN_RUNS:
        return Verdict(
            "C2",
            INCONCLUSIVE,
            f"GPU utilisation recorded for {len(values)} PyTorch compile runs (at least {MIN_RUNS} needed)",
            EVIDENCE["C2"],
        )
    mean, low, high = bootstrap_ci([values], np.mean, confidence=CONFIDENCE, seed=SEED)
    text = (
        f"mean GPU utilisation of PyTorch compile {mean:.1f} %, {CONFIDENCE:.0%} CI "
        f"{low:.1f}-{high:.1f}, n={len(values)}"
    )
    compiled = gpu[gpu["framework"].eq("torch") & gpu["mode"].isin(["compile", "compile_bf16"])]
    mfu = pd.to_numeric(compiled.get("mfu", pd.Series(dtype=float)), errors="coerce").dropna()
    if len(mfu):  # model FLOP utilisation, each run against the peak of its own precision
        text += f"; model FLOP utilisation (MFU) median {100 * mfu.median():.1f} % over {len(mfu)} runs"
    verdict = (
        SUPPORTED
        if low >= NEAR_FULL_UTILISATION_PCT
        else REFUTED
        if high < NEAR_FULL_UTILISATION_PCT
        else INCONCLUSIVE
    )
    return Verdict("C2", verdict, text, EVIDENCE["C2"])


def c3(t: Tables) -> Verdict:
    frame = t.inference
    batch, throughput = column(frame, "batch"), column(frame, "throughput")
    if frame is None or batch is None or throughput is None or frame.empty or "run" not in frame:
        return Verdict("C3", INCONCLUSIVE, "no inference results in this run", EVIDENCE["C3"])
    frame = _with_device(frame)
    if "mode" not in frame and "target" in frame:  # the sweep's target: a mode, or "export:<format>"
        frame = frame[~frame["target"].astype(str).str.startswith("export:")].rename(
            columns={"target": "mode"}
        )
    if "status" in frame:
        frame = frame[frame["status"].eq("ok")]
    frame = frame[frame["mode"].map(precision_of).eq("fp32")]  # same precision on both sides
    per_run = scaling_per_run(
        frame.rename(columns={batch: "batch_size", throughput: "throughput_samples_per_s"}),
        by=("device", "workload", "mode"),
    )
    modes = {fw: tuple(per_run.loc[per_run["framework"].eq(fw), "mode"].unique()) for fw in DISPLAY_NAMES}
    result, short = compare(
        per_run, ("tf", modes["tf"]), ("torch", modes["torch"]), "scaling", lower_is_better=False
    )
    if result is None:
        return Verdict("C3", INCONCLUSIVE, f"inference scaling: {_missing(short)}", EVIDENCE["C3"])
    text = describe(result, "inference scaling (largest-batch over batch-1 throughput) TF / PyTorch:")
    latency, _ = compare(per_run, ("torch", modes["torch"]), ("tf", modes["tf"]), "latency_ms_p50_batch1")
    if latency is not None:
        text += (
            f"; batch-1 latency (p50) PyTorch / TF {latency['ratio']:.2f}x "
            f"({CONFIDENCE:.0%} CI {latency['ci_low']:.2f}-{latency['ci_high']:.2f})"
        )
    return Verdict(
        "C3", directional(result["ci_low"], result["ci_high"]), text, EVIDENCE["C3"], _interval(result)
    )


def _memory_runs(summary: pd.DataFrame) -> tuple[pd.DataFrame, str, str]:
    """The memory a run adds: the framework's device peak on a GPU, the RSS rise on the CPU;
    (ok runs with it, its column, what it is)."""
    on_gpu = _gpu(_ok(summary, "device_peak_memory_mb"))
    if not on_gpu.empty:
        return on_gpu, "device_peak_memory_mb", "peak device memory (framework allocator)"
    return _ok(summary, "host_rss_rise_mb"), "host_rss_rise_mb", "host memory a run adds"


def c4(t: Tables) -> Verdict:
    """The memory a run adds: the framework's device peak on a GPU, the RSS rise on the CPU."""
    runs, metric, what = _memory_runs(t.summary)
    eager = ("tf", "eager"), ("torch", "eager")
    result, short = compare(runs, *eager, metric)
    if result is None:
        return Verdict("C4", INCONCLUSIVE, _missing(short), EVIDENCE["C4"])
    text = describe(result, f"{what} TF eager / PyTorch eager:")
    for extra, name in (
        ("gpu_process_memory_mb_max", "NVML per-process memory"),
        ("host_rss_baseline_mb", "import footprint (RSS after import)"),
    ):
        beside, _ = compare(_ok(t.summary, extra), *eager, extra)
        if beside is not None:
            text += f"; {name} TF / PyTorch {_ratio_and_interval(beside)}"
    return Verdict(
        "C4", directional(result["ci_low"], result["ci_high"]), text, EVIDENCE["C4"], _interval(result)
    )


def _ratio_and_interval(result: dict) -> str:
    return f"{result['ratio']:.2f}x ({result['ci_low']:.2f}-{result['ci_high']:.2f})"


def _per_stratum(result: dict) -> str:
    return ", ".join(
        f"{' / '.join(map(str, s['stratum'][1:]))} {s['ratio']:.2f}x ({s['ci_low']:.2f}-{s['ci_high']:.2f})"
        for s in result["strata"]
    )


def c5(t: Tables) -> Verdict:
    """Equivalence per workload (TOST); the combined ratio is shown, never used to decide.

    Every workload equivalent is an intersection of tests, each at the plain level (an
    intersection-union test needs no correction); one workload clearly outside is a union over the
    k workloads, so each is judged on its interval at 1/k of the error (Bonferroni)."""
    cpu = _cpu(_ok(t.summary, STEP_TIME))
    cpu = cpu[cpu["mode"].map(precision_of).eq("fp32")]  # same precision on both sides
    if cpu.empty:
        return Verdict("C5", NOT_TESTABLE, "no CPU runs in this result set", EVIDENCE["C5"])
    if "threads_intra_op" in cpu:
        if cpu.groupby("device")["threads_intra_op"].nunique().gt(1).any():
            return Verdict(
                "C5", INCONCLUSIVE, "thread counts differ between runs on the same CPU", EVIDENCE["C5"]
            )
    modes = {fw: tuple(cpu.loc[cpu["framework"].eq(fw), "mode"].unique()) for fw in DISPLAY_NAMES}
    sides = ("torch", modes["torch"]), ("tf", modes["tf"])
    tost, short = compare(cpu, *sides, STEP_TIME, level=EQUIVALENCE_LEVEL)
    combined, _ = compare(cpu, *sides, STEP_TIME)
    if tost is None:
        return Verdict("C5", INCONCLUSIVE, _missing(short), EVIDENCE["C5"])
    workloads = len(tost["strata"])
    wide, _ = compare(cpu, *sides, STEP_TIME, level=1 - (1 - EQUIVALENCE_LEVEL) / workloads)
    per_workload = [
        SUPPORTED
        if equivalent(s["ci_low"], s["ci_high"]) == SUPPORTED
        else REFUTED
        if equivalent(w["ci_low"], w["ci_high"]) == REFUTED
        else INCONCLUSIVE
        for s, w in zip(tost["strata"], wide["strata"], strict=True)
    ]
    verdict = (
        REFUTED
        if REFUTED in per_workload
        else SUPPORTED
        if all(v == SUPPORTED for v in per_workload) and len(per_workload) >= MIN_UNITS and not short
        else INCONCLUSIVE
    )
    counts = ", ".join(
        f"{per_workload.count(v)} {label}"
        for v, label in ((SUPPORTED, "equivalent"), (REFUTED, "clearly outside"), (INCONCLUSIVE, "undecided"))
    )
    text = (
        f"step time PyTorch / TF, best fp32 mode of each, per workload (margin {EQUIVALENCE_RATIO:.2f}x, "
        f"{EQUIVALENCE_LEVEL:.0%} CI): {_per_stratum(tost)}; {counts} of {len(per_workload)} workloads "
        f"(clearly outside: the {wide['level']:.1%} interval, for {workloads} workloads, outside the margin)"
        + (f"; {_missing(short)}" if short else "")
        + f"; combined {combined['ratio']:.2f}x (not used to decide)"
    )
    return Verdict("C5", verdict, text, EVIDENCE["C5"], _interval(combined), EQUIVALENCE_RATIO)


def c6(t: Tables) -> Verdict:
    """Two readings: graph mode against TF eager (the claim's), and against PyTorch eager."""
    runs, graph = _ok(t.summary, STEP_TIME), ("tf", ("graph", "xla"))
    verdict, text, interval = speed_verdict(
        runs, ("tf", "eager"), graph, decide=lambda low, high: directional(low, high, HEAVY_SPEEDUP)
    )
    versus_torch, torch_text, _ = speed_verdict(runs, ("torch", "eager"), graph)
    if not torch_text.startswith("speed-up"):  # no comparison with PyTorch eager could be made
        return Verdict("C6", verdict, text, EVIDENCE["C6"], interval, HEAVY_SPEEDUP)
    reading = {
        SUPPORTED: "TF's graph modes are also faster than PyTorch's eager mode",
        REFUTED: "yet TF's graph modes stay slower than PyTorch's eager mode: the tuning mostly removes "
        "Keras eager's own overhead",
        INCONCLUSIVE: "TF's graph modes are not distinguishable from PyTorch's eager mode: the tuning mostly "
        "removes Keras eager's own overhead",
    }[versus_torch]
    prefix = "the claim's reading (against TF eager): " if verdict == SUPPORTED else ""
    return Verdict(
        "C6",
        verdict,
        f"{prefix}{text}. Against PyTorch eager: {torch_text}; {reading}",
        EVIDENCE["C6"],
        interval,
        HEAVY_SPEEDUP,
    )


def fault_efforts(debug: pd.DataFrame) -> pd.DataFrame:
    """Per (workload, fault, framework) of the fault-injection runs (debug.csv): the effort (0-100)
    of fwbench.debug_scoring's per-fault components (detection, locality, message) and the
    inspectability of the mode, weighted as in the index. A fault that behaves differently in the
    framework's modes is a quirk: a mode that absorbed it is scored as silent and undetected (code
    that works in one mode and not another is what "graph-mode quirks" means), and the fault's
    effort is its worst mode's; otherwise the mean over modes. Controls are left out."""
    from fwbench.debug_scoring import INSPECT_SCORE, effort_components, weighted_effort

    control = debug[debug["fault"].eq("none")]
    inspect = {
        (r.workload, r.framework, r.mode): INSPECT_SCORE.get(getattr(r, "inspect_kind", None))
        for r in control.itertuples()
    }
    rows = []
    for (workload, fault, framework), group in debug[debug["fault"].ne("none")].groupby(
        ["workload", "fault", "framework"]
    ):
        outcomes = set(group["outcome"]) - {"not_applicable", "no_result"}
        quirk = len(outcomes) > 1
        efforts = []
        for _, run in group.iterrows():
            if quirk and run["outcome"] == "absorbed":
                run = run.copy()
                run["outcome"] = "silent_undetected"
            components = effort_components(run)
            if components is not None:
                components["inspectability"] = inspect.get((workload, framework, run["mode"]))
                efforts.append(weighted_effort(components))
        if efforts:
            effort = max(efforts) if quirk else float(np.mean(efforts))
            rows.append(
                {
                    "workload": workload,
                    "fault": fault,
                    "framework": framework,
                    "effort": effort,
                    "quirk": quirk,
                }
            )
    return pd.DataFrame(rows, columns=["workload", "fault", "framework", "effort", "quirk"])


def c7(t: Tables) -> Verdict:
    """Paired by (workload, fault): TF - PyTorch effort, with the Wilcoxon signed-rank test."""
    debug = t.debug
    if debug is None or debug.empty or "outcome" not in debug:
        return Verdict("C7", INCONCLUSIVE, "no fault-injection results in this run", EVIDENCE["C7"])
    efforts = fault_efforts(debug)
    per_pair = efforts.pivot_table(index=["workload", "fault"], columns="framework", values="effort")
    paired = (
        (per_pair["tf"] - per_pair["torch"]).dropna() if {"tf", "torch"} <= set(per_pair) else pd.Series()
    )
    if len(paired) < MIN_PAIRS:
        measured = f"{len(paired)} (workload, fault) pairs measured in both frameworks"
        return Verdict("C7", INCONCLUSIVE, f"{measured} (at least {MIN_PAIRS} needed)", EVIDENCE["C7"])
    p_value = signed_rank_p(paired)
    diff = float(paired.mean())
    verdict = by_signed_rank(p_value, diff > 0)
    quirks = efforts[efforts["quirk"]]
    more, less = int((paired > 0).sum()), int((paired < 0).sum())
    text = (
        f"debugging effort (0-100, per workload and fault; detection, locality, message and "
        f"inspectability) TF - PyTorch {diff:+.1f} points on average; TF more in {more}, less in {less}, "
        f"equal in {len(paired) - more - less} of {len(paired)} (workload, fault) pairs; Wilcoxon "
        f"signed-rank test (two-sided) p = {p_value:.3g}"
    )
    if len(quirks):
        listed = ", ".join(f"{r.framework} {r.fault} ({r.workload})" for r in quirks.itertuples())
        text += f"; behaves differently by mode (quirks, scored at their worst mode): {listed}"
    return Verdict("C7", verdict, text, EVIDENCE["C7"])


def by_signed_rank(p_value: float, effect_positive: bool) -> str:
    """Supported when the two-sided test is significant at 1 - CONFIDENCE and the effect is on the
    claim's side (positive), refuted when significant the other way, else inconclusive."""
    if p_value >= 1 - CONFIDENCE:
        return INCONCLUSIVE
    return SUPPORTED if effect_positive else REFUTED


def _units(frame: pd.DataFrame, unit, value: str, numerator, denominator) -> pd.DataFrame:
    """One row per code unit: the value (tokens) of each side; unit(frame) names each row's unit."""
    rows = frame.assign(unit=unit(frame), value=pd.to_numeric(frame[value], errors="coerce"))
    sides = {
        side: rows[select(rows)].drop_duplicates("unit").set_index("unit")["value"]
        for side, select in (("numerator", numerator), ("denominator", denominator))
    }
    return pd.DataFrame(sides).dropna()


def paired_code_test(units: pd.DataFrame, what: str) -> tuple[str, str, tuple | None]:
    """Ratio numerator / denominator per code unit; decided by the Wilcoxon signed-rank test of the
    log ratios (two-sided, 5 %; exact where there are no ties): line counts are exact, the units
    are the sample. The
    geometric mean with its t-interval is shown, not used to decide."""
    ratios = (units["numerator"] / units["denominator"]).replace([np.inf, -np.inf], np.nan).dropna()
    ratios = ratios[ratios > 0]
    logs = np.log(ratios.to_numpy())
    longer, shorter = int((logs > 0).sum()), int((logs < 0).sum())
    equal = len(logs) - longer - shorter
    counts = f"larger in {longer}, smaller in {shorter}, equal in {equal} of {len(logs)} units"
    if len(logs) < MIN_CODE_UNITS:
        return INCONCLUSIVE, f"{what} {counts} (at least {MIN_CODE_UNITS} units needed)", None
    ratio, low, high = geometric_mean_interval(ratios)
    p_value = signed_rank_p(logs)
    verdict = by_signed_rank(p_value, ratio > 1)
    text = (
        f"{what} geometric mean {ratio:.2f}x ({CONFIDENCE:.0%} CI {low:.2f}-{high:.2f}); {counts}; "
        f"Wilcoxon signed-rank test (two-sided) p = {p_value:.3g}; units: {', '.join(ratios.index)}"
    )
    return verdict, text, (ratio, low, high)


def _workload_models(loc: pd.DataFrame) -> pd.DataFrame:
    return loc[loc["subject"].eq("workload") & loc["part"].eq("model")]


def c8(t: Tables) -> Verdict:
    """Code units: the tokens each customisation changes against its framework's baseline program,
    every workload's model definition, and the shared training step and evaluation (one unit
    each: every workload uses the same harness regions)."""
    loc = t.loc
    if loc is None or loc.empty or "subject" not in loc:
        return Verdict("C8", INCONCLUSIVE, "no lines-of-code results in this run", EVIDENCE["C8"])
    tf, torch = (lambda f: f["framework"].eq("tf")), (lambda f: f["framework"].eq("torch"))
    harness = loc[loc["subject"].eq("workload") & loc["part"].isin(["train_step", "evaluate"])]
    units = pd.concat(
        [
            _units(
                loc[loc["subject"].eq("customisation")],
                lambda f: "customisation " + f["name"],
                "changed_tokens",
                tf,
                torch,
            ),
            _units(_workload_models(loc), lambda f: f["name"] + " model", "tokens", tf, torch),
            _units(harness, lambda f: f["part"] + " (harness)", "tokens", tf, torch),
        ]
    )
    verdict, text, interval = paired_code_test(units, "tokens TF / PyTorch per unit:")
    return Verdict("C8", verdict, text, EVIDENCE["C8"], interval)


def c9(t: Tables) -> Verdict:
    """Code units: every workload's model definition (PyTorch module vs Keras layers) and each
    region of the same standard program (loc.csv subject 'samples'): PyTorch loop vs Keras
    compile/fit, and the whole program."""
    loc = t.loc
    if loc is None or loc.empty or "style" not in loc or not loc["style"].eq("keras_fit").any():
        return Verdict(
            "C9", INCONCLUSIVE, "no line counts of a Keras compile/fit program in this run", EVIDENCE["C9"]
        )
    samples = loc[loc["subject"].eq("samples")]
    units = pd.concat(
        [
            _units(
                _workload_models(loc),
                lambda f: f["name"] + " model",
                "tokens",
                lambda f: f["framework"].eq("torch"),
                lambda f: f["framework"].eq("tf"),
            ),
            _units(
                samples,
                lambda f: "sample " + f["part"],
                "tokens",
                lambda f: f["style"].eq("torch_loop"),
                lambda f: f["style"].eq("keras_fit"),
            ),
        ]
    )
    verdict, text, interval = paired_code_test(units, "tokens PyTorch / Keras per unit:")
    return Verdict("C9", verdict, text, EVIDENCE["C9"], interval)


def c10(t: Tables) -> Verdict:
    frame, fmt = t.exports, column(t.exports, "export_format")
    if frame is None or fmt is None or frame.empty or "status" not in frame:
        return Verdict("C10", INCONCLUSIVE, "no export results in this run", EVIDENCE["C10"])
    ok = frame["status"].eq("ok")
    if "outputs_match" in frame:
        ok &= frame["outputs_match"].astype(str).str.lower().eq("true")
    is_onnx = frame[fmt].astype(str).str.contains("onnx", case=False)
    onnx = {fw: bool((ok & is_onnx & frame["framework"].eq(fw)).any()) for fw in ARTICLE_FRAMEWORKS}
    native, tried = (
        {
            fw: frame.loc[rows & ~is_onnx & frame["framework"].eq(fw), fmt].nunique()
            for fw in ARTICLE_FRAMEWORKS
        }
        for rows in (ok, frame["status"].notna())
    )
    text = (
        f"ONNX export with matching outputs: PyTorch {'yes' if onnx['torch'] else 'no'}, "
        f"TF {'yes' if onnx['tf'] else 'no'}; native formats that exported / were tried: "
        f"PyTorch {native['torch']}/{tried['torch']}, TF {native['tf']}/{tried['tf']}"
    )
    if not all(onnx.values()):
        return Verdict("C10", INCONCLUSIVE, text, EVIDENCE["C10"])
    if native["tf"] > native["torch"]:
        return Verdict("C10", SUPPORTED, text, EVIDENCE["C10"])
    if tried["tf"] <= tried["torch"]:  # the count is the study's choice of formats, not a measurement
        return Verdict(
            "C10",
            INCONCLUSIVE,
            f"{text}; the study tries no more native formats for TF than "
            "for PyTorch, so it cannot count them",
            EVIDENCE["C10"],
        )
    return Verdict("C10", REFUTED, text, EVIDENCE["C10"])


def port_costs(loc: pd.DataFrame | None) -> pd.DataFrame | None:
    """Per workload (index): the adaptations its port needed (kinds of `# port:` fix over the
    workload's model files of the article's two frameworks, fwbench.loc; the Keras file the TF
    and JAX runtimes share is counted once) and their lines; None without the counts."""
    if loc is None or "port_adaptations" not in loc:
        return None
    models = _workload_models(loc)
    models = models[models["framework"].isin(ARTICLE_FRAMEWORKS)] if "framework" in models else models
    models = models.assign(
        port_adaptations=lambda f: pd.to_numeric(f["port_adaptations"], errors="coerce"),
        port_lines=lambda f: pd.to_numeric(f["port_lines"], errors="coerce"),
    )
    return models.groupby("name")[["port_adaptations", "port_lines"]].sum()


def c11(t: Tables) -> Verdict:
    """What switching costs: the port passes parity, and the adaptations it needed. Parity results
    (parity.csv: workload, status, passed): a check that could not run (status not ok) is neither a
    pass nor a failure; a port that failed parity is not the same model, which says something about
    the port, not the APIs: inconclusive."""
    frame = t.parity if t.parity is not None else t.summary
    if frame is not None and "framework" in frame:  # the article's switch: PyTorch <-> TensorFlow/Keras
        frame = frame[frame["framework"].eq("tf")]
    passed = column(frame, "parity_passed")
    costs = port_costs(t.loc)
    if frame is None or passed is None or frame.empty or costs is None:
        return Verdict(
            "C11", INCONCLUSIVE, "no parity or port-adaptation results in this run", EVIDENCE["C11"]
        )
    checked = frame[frame["status"].eq("ok")] if "status" in frame else frame
    errored = sorted(set(frame["workload"]) - set(checked["workload"]))
    per_workload = checked.groupby("workload")[passed].agg(
        lambda v: v.astype(str).str.lower().eq("true").all()
    )
    failed = sorted(per_workload[~per_workload].index)
    costs = costs[costs.index.isin(per_workload.index)]
    median = float(costs["port_adaptations"].median()) if len(costs) else float("nan")
    listed = ", ".join(
        f"{name} {int(row.port_adaptations)} ({int(row.port_lines)} lines)" for name, row in costs.iterrows()
    )
    text = (
        f"parity passed for {int(per_workload.sum())} of {len(per_workload)} workloads checked"
        + (f" (failed: {', '.join(failed)})" if failed else "")
        + (f"; the check could not run for: {', '.join(errored)}" if errored else "")
        + f"; adaptations each port needed (kinds of fix, lines): {listed}; median {median:g}"
    )
    if failed or errored or per_workload.empty or costs.empty:
        verdict = INCONCLUSIVE
    elif median <= EASY_PORT_ADAPTATIONS:
        verdict = SUPPORTED
    elif median >= HARD_PORT_ADAPTATIONS:
        verdict = REFUTED
    else:
        verdict = INCONCLUSIVE
    return Verdict("C11", verdict, text, EVIDENCE["C11"])


def vendor(device: str) -> str:
    lowered = device.lower()
    for name, marks in {
        "NVIDIA": ("nvidia", "geforce", "tesla", "quadro", " rtx", "h100", "a100"),
        "AMD": ("amd", "radeon", "instinct"),
        "Apple": ("apple", "mps", " m1", " m2", " m3", " m4"),
        "Intel": ("intel",),
    }.items():
        if any(mark in f" {lowered}" for mark in marks):
            return name
    return device


def c12(t: Tables) -> Verdict:
    """GPUs grouped by vendor; the interaction (the framework ratio differs by vendor)."""
    runs = _gpu(_ok(t.summary, STEP_TIME))
    if runs.empty:
        return Verdict("C12", NOT_TESTABLE, "no GPU results in this result set", EVIDENCE["C12"])
    runs = runs.assign(vendor=runs["device"].map(vendor))
    vendors = sorted(runs["vendor"].unique())
    if len(vendors) < 2:
        return Verdict(
            "C12",
            NOT_TESTABLE,
            f"GPU results from one vendor only ({vendors[0]}); bring in another "
            "machine's results (README, 'Several machines, one report')",
            EVIDENCE["C12"],
        )
    intervals = {}
    for name, group in runs.groupby("vendor"):
        result, _ = compare(
            group, ("torch", tuple(group["mode"].unique())), ("tf", tuple(group["mode"].unique())), STEP_TIME
        )
        if result is not None:
            intervals[name] = result
    if len(intervals) < 2:
        return Verdict(
            "C12",
            INCONCLUSIVE,
            f"fewer than {MIN_RUNS} runs per framework on all but one vendor",
            EVIDENCE["C12"],
        )
    parts = [f"{name}: {_ratio_and_interval(r)}" for name, r in intervals.items()]
    disjoint = max(r["ci_low"] for r in intervals.values()) > min(r["ci_high"] for r in intervals.values())
    text = "step time PyTorch / TF, best mode of each, per GPU vendor: " + "; ".join(parts)
    if not disjoint:
        text += "; the intervals overlap: no difference shown (which is not a difference ruled out)"
    return Verdict("C12", SUPPORTED if disjoint else INCONCLUSIVE, text, EVIDENCE["C12"])


def c13(t: Tables) -> Verdict:
    return Verdict(
        "C13",
        NOT_TESTABLE,
        "one machine with at most one GPU; multi-GPU jobs can be run through the "
        "cluster profiles, but none were in this result set",
        EVIDENCE["C13"],
    )


def accuracy_equivalence(quality: pd.DataFrame, pair: tuple[str, str] = ("tf", "torch")) -> pd.DataFrame:
    """Per workload (quality-study runs with status ok): the difference pair[0] - pair[1] (TF -
    PyTorch by default) of the mean test accuracy in points, its 90 % Welch interval, and the
    reading: equivalent (inside the margin), different (entirely outside), or undecided."""
    rows = []
    ok = quality[quality["status"].eq("ok")] if "status" in quality else quality
    for workload, group in ok.groupby("workload"):
        sides = [
            100 * pd.to_numeric(group.loc[group["framework"].eq(fw), "test_accuracy"], errors="coerce")
            for fw in pair
        ]
        diff, low, high = difference_interval(*sides, level=EQUIVALENCE_LEVEL)
        verdict = (
            equivalent(low, high, ACCURACY_MARGIN_PTS, additive=True) if np.isfinite(low) else INCONCLUSIVE
        )
        reading = dict(zip((SUPPORTED, REFUTED, INCONCLUSIVE), ACCURACY_READINGS, strict=True))[verdict]
        rows.append(
            {"workload": workload, "difference_pts": diff, "ci_low": low, "ci_high": high, "reading": reading}
        )
    return pd.DataFrame(rows, columns=["workload", "difference_pts", "ci_low", "ci_high", "reading"])


CLAIM_FUNCTIONS = [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13]


def _fp32(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["mode"].map(precision_of).eq("fp32")] if len(frame) else frame


def _resolved(runs: pd.DataFrame, side: tuple) -> tuple:
    framework, modes = side
    return framework, tuple(
        runs.loc[runs["framework"].eq(framework), "mode"].unique()
    ) if modes is None else modes


def _beyond_ratio(t: Tables, claim_id: str) -> tuple[dict | None, list, str, tuple, tuple]:
    """compare() of one ratio comparison of BEYOND_SIDES on its metric: (result, short strata,
    what the metric is, first side, second side)."""
    if claim_id.endswith("memory"):
        runs, metric, what = _memory_runs(t.summary)
    else:
        runs, metric, what = _ok(t.summary, STEP_TIME), STEP_TIME, "step time"
    runs = _fp32(runs)
    first, second = (_resolved(runs, side) for side in BEYOND_SIDES[claim_id])
    result, short = compare(runs, first, second, metric)
    return result, short, what, first, second


def beyond_ratio(t: Tables, claim_id: str) -> Verdict:
    """A ratio comparison of BEYOND_SIDES: above 1, the second side is faster (or lighter)."""
    result, short, what, first, second = _beyond_ratio(t, claim_id)
    if result is None:
        return Verdict(claim_id, INCONCLUSIVE, _missing(short), BEYOND_EVIDENCE[claim_id])
    names = _variant(result, "numerator", first[0]), _variant(result, "denominator", second[0])
    text = describe(result, f"{what} {names[0]} / {names[1]}:")
    verdict = directional(result["ci_low"], result["ci_high"])
    return Verdict(claim_id, verdict, text, BEYOND_EVIDENCE[claim_id], _interval(result))


def b2_accuracy(t: Tables) -> Verdict:
    quality = t.quality
    if quality is None or quality.empty or "test_accuracy" not in quality:
        return Verdict("B2-accuracy", INCONCLUSIVE, "no quality-study runs", BEYOND_EVIDENCE["B2-accuracy"])
    tested = accuracy_equivalence(quality, ("jax", "torch")).dropna(subset=["difference_pts"])
    if tested.empty:
        return Verdict(
            "B2-accuracy",
            INCONCLUSIVE,
            "no workload with quality runs in both",
            BEYOND_EVIDENCE["B2-accuracy"],
        )
    readings = dict(zip(ACCURACY_READINGS, (SUPPORTED, REFUTED, INCONCLUSIVE), strict=True))
    per_workload = tested["reading"].map(readings)
    verdict = (
        REFUTED
        if per_workload.eq(REFUTED).any()
        else SUPPORTED
        if per_workload.eq(SUPPORTED).all()
        else INCONCLUSIVE
    )
    listed = ", ".join(
        f"{r.workload} {r.difference_pts:+.1f} ({r.ci_low:+.1f} to {r.ci_high:+.1f}, {r.reading})"
        for r in tested.itertuples()
    )
    text = f"test accuracy JAX - PyTorch, points ({EQUIVALENCE_LEVEL:.0%} CI): {listed}"
    return Verdict("B2-accuracy", verdict, text, BEYOND_EVIDENCE["B2-accuracy"])


def beyond_article(tables: Tables) -> pd.DataFrame:
    """One row per question of BEYOND_CLAIMS, in the ledger's columns."""
    rows = [beyond_ratio(tables, claim_id).row() for claim_id in BEYOND_SIDES]
    return pd.DataFrame([*rows, b2_accuracy(tables).row()])


def beyond_article_strata(tables: Tables) -> pd.DataFrame:
    """Per ratio comparison, workload and device: the ratio, the modes it compared, its interval."""
    rows = []
    for claim_id in BEYOND_SIDES:
        result, _, what, first, second = _beyond_ratio(tables, claim_id)
        for stratum in (result or {}).get("strata", []):
            rows.append(
                {
                    "comparison": claim_id,
                    "device": stratum["stratum"][0],
                    "workload": stratum["stratum"][1],
                    "ratio": f"{what}, {SHORT_NAMES[first[0]]} {stratum['numerator_mode']} / "
                    f"{SHORT_NAMES[second[0]]} {stratum['denominator_mode']}",
                    "value": stratum["ratio"],
                    "ci_low": stratum["ci_low"],
                    "ci_high": stratum["ci_high"],
                }
            )
    return pd.DataFrame(
        rows, columns=["comparison", "device", "workload", "ratio", "value", "ci_low", "ci_high"]
    )


def ledger(tables: Tables) -> pd.DataFrame:
    """One row per claim C1-C13: claim, text, verdict, effect, evidence (a report anchor), rule."""
    return pd.DataFrame([claim(tables).row() for claim in CLAIM_FUNCTIONS])
