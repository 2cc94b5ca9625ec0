"""Made-up result tables for the claims' rules: the aggregated tables' shapes with effects, noise and
gaps chosen by the test, so that each rule can be asked what a given table makes it say."""

import numpy as np
import pandas as pd

from fwbench.ledger import Tables


def runs(
    step_ms: dict,
    *,
    device_kind="cpu",
    device_name="cpu",
    cpu_model="AMD EPYC",
    workloads=("mlp", "cnn1d"),
    seeds=3,
    noise=0.0,
    rss_mb=None,
    import_mb=None,
    threads=2,
) -> pd.DataFrame:
    """A summary table: step_ms maps (framework, mode) -> median step time; seeds runs each;
    rss_mb: framework -> the RSS a run adds over its import footprint (import_mb)."""
    rng = np.random.default_rng(1)
    rows = []
    for workload in workloads:
        for (framework, mode), ms in step_ms.items():
            for seed in range(seeds):
                rows.append(
                    {
                        "run_id": f"{workload}/{framework}-{mode}-seed{seed}",
                        "workload": workload,
                        "framework": framework,
                        "mode": mode,
                        "seed": seed,
                        "status": "ok",
                        "step_time_ms_median": ms * (1 + noise * rng.standard_normal()),
                        "host_rss_rise_mb": (rss_mb or {}).get(framework, 100.0) + seed,
                        "host_rss_baseline_mb": (import_mb or {}).get(framework, 300.0) + seed,
                        "device_kind": device_kind,
                        "device_name": device_name,
                        "cpu_model": cpu_model,
                        "threads_intra_op": threads,
                    }
                )
    return pd.DataFrame(rows)


def verdict_of(judge, **tables):
    """The Verdict a claim's judge gives on made-up tables (an empty summary where none is given)."""
    summary = tables.pop(
        "summary", pd.DataFrame(columns=["run_id", "workload", "framework", "mode", "status"])
    )
    return judge(Tables(summary=summary, **tables))


ALL_MODES = {
    ("torch", "eager"): 10.0,
    ("torch", "compile"): 8.0,
    ("tf", "eager"): 40.0,
    ("tf", "graph"): 9.0,
    ("tf", "xla"): 7.0,
}


THREE_WORKLOADS = ("mlp", "cnn1d", "gru")


def debug_table(
    tf_outcome,
    workloads=("mlp", "cnn1d"),
    tf_modes=("eager",),
    torch_modes=("eager",),
    torch_outcome="loud",
    inspect_kinds=None,
) -> pd.DataFrame:
    """Rows shaped like fwbench.studies.debug.tables's debug.csv: each framework's faults as given (an
    outcome, or a dict mode -> outcome; PyTorch loud by default), loud errors named and located alike;
    controls with the inspect kind of `inspect_kinds` ((framework, mode) -> kind; every_step else)."""
    rows = []
    faults = ("none", "shape_mismatch", "dtype_mismatch", "wrong_loss_input", "nan_bad_op")
    for workload in workloads:
        for fault in faults:
            for framework, modes, given in (
                ("torch", torch_modes, torch_outcome),
                ("tf", tf_modes, tf_outcome),
            ):
                for mode in modes:
                    outcome = given.get(mode) if isinstance(given, dict) else given
                    rows.append(
                        {
                            "workload": workload,
                            "fault": fault,
                            "framework": framework,
                            "mode": mode,
                            "outcome": "control" if fault == "none" else outcome,
                            "inspect_kind": (inspect_kinds or {}).get((framework, mode), "every_step"),
                            "names_shape": True,
                            "names_dtype": True,
                            "message_chars": 80,
                            "traceback_names_faulty_line": True,
                            "message_names_faulty_line": False,
                        }
                    )
    return pd.DataFrame(rows)


WORKLOADS_SIX = ("mlp", "cnn1d", "gru", "resnet", "transformer", "gpt")


CUSTOMISATION_EXTRA_TF_TOKENS = (30, 50, 20, 10, 15, 25, 5, 40, 35, 45)  # one per task, TF longer


def loc_table(
    tf_model_tokens=110, keras_fit_tokens=120, tf_extra=CUSTOMISATION_EXTRA_TF_TOKENS
) -> pd.DataFrame:
    """Rows shaped like fwbench.studies.loc.run's loc.csv: ten customisations (the tokens each changes,
    TF's longer by `tf_extra`), a sample program in 3 styles, six workloads' models and the harness
    regions each workload row repeats."""
    rows = [
        {
            "subject": "customisation",
            "name": f"task{index}",
            "framework": fw,
            "style": "x",
            "part": "variant",
            "tokens": 300,
            "changed_tokens": n,
        }
        for index, extra in enumerate(tf_extra)
        for fw, n in (("torch", 40), ("tf", 40 + extra))
    ]
    rows += [
        {"subject": "samples", "name": "mlp", "framework": fw, "style": style, "part": part, "tokens": n}
        for part in ("model", "train", "evaluate", "program")
        for fw, style, n in (
            ("torch", "torch_loop", 200),
            ("tf", "keras_fit", keras_fit_tokens),
            ("tf", "keras_custom_train_step", 260),
        )
    ]
    rows += [
        {"subject": "workload", "name": w, "framework": fw, "style": "x", "part": part, "tokens": n}
        for w in WORKLOADS_SIX
        for part, torch_n, tf_n in (
            ("model", 100, tf_model_tokens),
            ("train_step", 160, 200),
            ("evaluate", 80, 90),
        )
        for fw, n in (("torch", torch_n), ("tf", tf_n))
    ]
    return pd.DataFrame(rows)


def port_table(port_lines: dict, model_lines: int = 50) -> pd.DataFrame:
    """Model rows of loc.csv with their port counts: workload -> (PyTorch's, Keras's) lines marked
    '# port:', each side's model file `model_lines` long; one kind of fix per side that has lines."""
    return pd.DataFrame(
        [
            {
                "subject": "workload",
                "name": w,
                "framework": fw,
                "part": "model",
                "tokens": 100,
                "sloc": model_lines,
                "port_adaptations": int(n > 0),
                "port_lines": n,
            }
            for w, sides in port_lines.items()
            for fw, n in zip(("torch", "tf"), sides, strict=True)
        ]
    )


KERAS_RUNTIMES = {**ALL_MODES, ("tf", "fit"): 12.0, ("jax", "jit"): 5.0, ("jax", "fit"): 6.0}


def quality_runs(
    accuracy: dict, workloads=("mlp", "cnn1d"), seeds=5, sd=0.005, published_recipe=True
) -> pd.DataFrame:
    """Quality-study runs: accuracy maps framework -> mean test accuracy (0-1); `published_recipe`:
    whether the runs trained the workload's published recipe (accuracy at convergence)."""
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        [
            {
                "workload": w,
                "framework": fw,
                "status": "ok",
                "test_accuracy": acc + sd * rng.standard_normal(),
                "published_recipe": published_recipe,
            }
            for w in workloads
            for fw, acc in accuracy.items()
            for _ in range(seeds)
        ]
    )
