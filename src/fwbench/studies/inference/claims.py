"""The inference study's claims: large-scale inference (C3) and model export (C10). Each rule is
stated here before the data it judges; fwbench.ledger applies them to results/inference_sweep.csv
and results/inference_exports.csv.
"""

from fwbench.core.columns import THROUGHPUT
from fwbench.frameworks import DISPLAY_NAMES, precision_of
from fwbench.studies.inference.tables import scaling_per_run
from fwbench.studies.verdict import (
    ARTICLE_FRAMEWORKS,
    CONFIDENCE,
    DIRECTIONAL,
    INCONCLUSIVE,
    REFUTED,
    SUPPORTED,
    Claim,
    Verdict,
    column,
    compare,
    missing_runs,
    ratio_verdict,
    with_device,
)


def c3(tables) -> Verdict:
    frame = tables.inference
    batch, throughput = column(frame, "batch"), column(frame, "throughput")
    if frame is None or batch is None or throughput is None or frame.empty or "run" not in frame:
        return Verdict(INCONCLUSIVE, "no inference results in this run")
    frame = with_device(frame)
    if "mode" not in frame and "target" in frame:  # the sweep's target: a mode, or "export:<format>"
        frame = frame[~frame["target"].astype(str).str.startswith("export:")].rename(
            columns={"target": "mode"}
        )
    if "status" in frame:
        frame = frame[frame["status"].eq("ok")]
    frame = frame[frame["mode"].map(precision_of).eq("fp32")]  # same precision on both sides
    per_run = scaling_per_run(
        frame.rename(columns={batch: "batch_size", throughput: THROUGHPUT}),
        by=("device", "workload", "mode"),
    )
    modes = {fw: tuple(per_run.loc[per_run["framework"].eq(fw), "mode"].unique()) for fw in DISPLAY_NAMES}
    result, short = compare(
        per_run, ("tf", modes["tf"]), ("torch", modes["torch"]), "scaling", lower_is_better=False
    )
    if result is None:
        return Verdict(INCONCLUSIVE, f"inference scaling: {missing_runs(short)}", missing=list(short))
    verdict = ratio_verdict(
        result, short, "inference scaling (largest-batch over batch-1 throughput) TF / PyTorch:"
    )
    latency, _ = compare(per_run, ("torch", modes["torch"]), ("tf", modes["tf"]), "latency_ms_p50_batch1")
    if latency is not None:
        verdict.effect += (
            f"; batch-1 latency (p50) PyTorch / TF {latency['ratio']:.2f}x "
            f"({CONFIDENCE:.0%} CI {latency['ci_low']:.2f}-{latency['ci_high']:.2f})"
        )
    return verdict


def c10(tables) -> Verdict:
    frame, fmt = tables.exports, column(tables.exports, "export_format")
    if frame is None or fmt is None or frame.empty or "status" not in frame:
        return Verdict(INCONCLUSIVE, "no export results in this run")
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
        return Verdict(INCONCLUSIVE, text)
    if native["tf"] > native["torch"]:
        return Verdict(SUPPORTED, text)
    if tried["tf"] <= tried["torch"]:  # the count is the study's choice of formats, not a measurement
        return Verdict(
            INCONCLUSIVE,
            f"{text}; the study tries no more native formats for TF than "
            "for PyTorch, so it cannot count them",
        )
    return Verdict(REFUTED, text)


CLAIMS = (
    Claim(
        "C3",
        "Large-scale inference: TensorFlow leads (stronger inference scaling)",
        "Inference scaling, per run (process): throughput at the largest batch over throughput at "
        "batch 1, best fp32 mode of each framework; ratio TF / PyTorch of that figure; "
        f"{DIRECTIONAL}. Batch-1 latency (p50, PyTorch / TF) is given beside it.",
        "sec-inference",
        c3,
        thresholds=("CONFIDENCE", "MIN_RUNS"),
    ),
    Claim(
        "C10",
        "Model export: both use ONNX; TensorFlow has more native formats",
        "Supported if ONNX export succeeds with matching outputs in both frameworks and TF has more "
        "native formats that export successfully than PyTorch; refuted if both export to ONNX and, of more "
        "native formats tried for TF than for PyTorch, no more succeed; else inconclusive.",
        "sec-inference",
        c10,
    ),
)
