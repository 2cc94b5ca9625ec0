"""The run plan: which (study, workload, framework, mode, seed) runs a config asks for, and each run's spec.

Two training studies (fwbench.runs.training): the speed study runs every mode of `modes`, the quality
study the modes of `quality_modes`; both for every seed. Each run is a fresh process and a timed
job; all of them go through one interleaved order (timed_order).

A run spec is everything one run needs (a plain dict, passed from the Snakemake rule as params
and to the run process as JSON); its `config` part, hashed, is recorded in the result.
"""

import os
import random
import re

from fwbench import SCHEMA_DIR
from fwbench.core.columns import REFERENCE_ACCURACY
from fwbench.core.devices import nvidia_gpu_count
from fwbench.core.provenance import sha256_json
from fwbench.frameworks import FRAMEWORKS, PARITY_FRAMEWORKS, precision_of, runs_own_loop
from fwbench.runs.workloads import Workload

STUDIES = ("speed", "quality")  # the two training studies (fwbench.runs.training)
RESULT_PATTERNS = {
    "speed": "results/runs/{workload}/{framework}-{mode}-seed{seed}.json",
    "quality": "results/quality/{workload}/{framework}-{mode}-seed{seed}.json",
}
STUDY_MODES_KEY = {"speed": "modes", "quality": "quality_modes"}  # the config key of each study's modes
# Studies whose runs set each framework's determinism switches: the quality study (the same command
# twice gives the same accuracies). Timed runs (speed study, inference) use each framework's
# default, fast kernels: determinism costs each framework differently (PyTorch's deterministic mode
# also fills every new tensor with NaN), so forcing it would bias the speed comparison.
DETERMINISTIC_STUDIES = ("quality",)
DATA_PATTERN = "data/generated/{dataset}.npz"


INTEGER, NUMBER = re.compile(r"-?\d+"), re.compile(r"-?(\d+\.?\d*|\.\d+)([eE]-?\d+)?")


def _coerced(value, schema: dict, defs: dict):
    """`value` with every string that the schema wants as an integer, number or boolean turned into
    one where it reads as one; anything else is left for validation to name as the user typed it."""
    if "$ref" in schema:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    for alternative in schema.get("oneOf", []) + schema.get("anyOf", []):
        value = _coerced(value, alternative, defs)
    if isinstance(value, dict):
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        return {
            key: _coerced(item, properties.get(key, extra if isinstance(extra, dict) else {}), defs)
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_coerced(item, items if isinstance(items, dict) else {}, defs) for item in value]
    if not isinstance(value, str):
        return value
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "integer" in types and INTEGER.fullmatch(value):
        return int(value)
    if "number" in types and NUMBER.fullmatch(value):
        return float(value)
    if "boolean" in types and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if "null" in types and value.lower() in ("null", "none", "~"):
        return None
    return value


def coerce_command_line_types(config: dict, schema: dict | None = None) -> dict:
    """`snakemake --config seeds=[0,1]` or `--config 'inference={runs: 2}'` delivers the nested
    values as strings ('0', '2'); turn each one the config schema wants as an integer, number,
    boolean or null back into it, so that validation judges what the user meant (and says
    `-1 is less than the minimum of 0`, or names 'x' as typed, never "'2' is not of type 'integer'")."""
    if schema is None:
        import yaml

        schema = yaml.safe_load((SCHEMA_DIR / "config.schema.yaml").read_text())
    coerced = _coerced(config, schema, schema.get("$defs", {}))
    config.update(coerced)
    return config


def resolve_scale(config: dict, gpu_count: int | None = None) -> dict:
    """{'scale': the size block the runs use, 'scale_requested': the config's `scale`}.

    `auto` picks `gpu` where the runs compute on a GPU and `default` otherwise: device cpu means
    default, device cuda means gpu, and device auto means gpu exactly when NVML sees an NVIDIA GPU
    (the check fwbench.core.devices makes before any job, without importing a framework). Every run
    records both keys, so a result says which size it ran and why."""
    requested = config["scale"]
    if requested != "auto":
        return {"scale": requested, "scale_requested": requested}
    return {"scale": "gpu" if runs_on_gpu(config, gpu_count) else "default", "scale_requested": requested}


def runs_on_gpu(config: dict, gpu_count: int | None = None) -> bool:
    """Device cuda, or device auto where NVML sees an NVIDIA GPU."""
    if config["device"] != "auto":
        return config["device"] == "cuda"
    return (nvidia_gpu_count() if gpu_count is None else gpu_count) > 0


def environment_variant(config: dict, gpu_count: int | None = None) -> str:
    """The installable environment the runs need (requirements/<variant>.lock.txt and the rules'
    conda environment workflow/envs/<variant>.yaml): gpu where they compute on a GPU, else cpu."""
    return "gpu" if runs_on_gpu(config, gpu_count) else "cpu"


def run_id(workload: str, framework: str, mode: str, seed, study: str = "speed") -> str:
    """`workload/framework-mode-seedN`, prefixed `quality/` in the quality study."""
    base = f"{workload}/{framework}-{mode}-seed{seed}"
    return base if study == "speed" else f"{study}/{base}"


def result_path(run: dict) -> str:
    return RESULT_PATTERNS[run["study"]].format(**run)


def _check_names(key: str, wanted: list[str], available: dict[str, Workload]) -> None:
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise ValueError(
            f"config/config.yaml: {key}: unknown {', '.join(unknown)}; "
            f"available: {', '.join(sorted(available)) or '(none)'}"
        )


def selected_workloads(config: dict, available: dict[str, Workload]) -> list[Workload]:
    """The workloads the config runs; ValueError (one line) if any config key that names
    workloads (workloads, harness_overhead.workload, debug_workloads, quality_workloads) names an
    unknown one."""
    overhead = config.get("harness_overhead", {}).get("workload")
    if overhead is not None:
        _check_names("harness_overhead.workload", [overhead], available)
    for key in ("debug_workloads", "quality_workloads"):
        named = config.get(key, "all")
        if named != "all":
            _check_names(key, named, available)
    wanted = config["workloads"]
    if wanted == "all":
        return list(available.values())
    _check_names("workloads", wanted, available)
    return [available[name] for name in wanted]


def study_workloads(config: dict, workloads: list[Workload], study: str) -> list[Workload]:
    """The workloads a training study runs: every selected one in the speed study; in the quality
    study those of `quality_workloads` ("all", the default: every selected one) among them."""
    wanted = config.get("quality_workloads", "all") if study == "quality" else "all"
    return workloads if wanted == "all" else [w for w in workloads if w.name in wanted]


def planned_runs(config: dict, workloads: list[Workload]) -> list[dict]:
    """One entry (study, workload, framework, mode, seed) per run the config asks for."""
    return [
        {"study": study, "workload": w.name, "framework": fw, "mode": mode, "seed": seed}
        for study in STUDIES
        for w in study_workloads(config, workloads, study)
        for fw in FRAMEWORKS
        for mode in config.get(STUDY_MODES_KEY[study], {}).get(fw, [])
        for seed in config["seeds"]
    ]


def configured_frameworks(config: dict) -> list[str]:
    """The frameworks with a mode in any study of the config, in registry order."""
    keys = (*STUDY_MODES_KEY.values(), "inference_modes")
    return [fw for fw in FRAMEWORKS if any(config.get(key, {}).get(fw) for key in keys)]


def parity_frameworks(config: dict) -> list[str]:
    """The frameworks the parity study checks against the reference: the configured parity ones."""
    return [fw for fw in configured_frameworks(config) if fw in PARITY_FRAMEWORKS]


def inference_modes(config: dict) -> dict:
    """The inference sweep's modes per framework: `inference_modes`, else the speed study's `modes`."""
    return config.get("inference_modes", config.get("modes", {}))


def inference_runs(config: dict, workloads: list[Workload]) -> list[dict]:
    """`inference.runs` inference jobs (study "inference", index `run`) per (workload, framework,
    mode) of inference_modes; a mode that runs the framework's own training loop (Keras fit) has
    no inference mode of its own."""
    return [
        {"study": "inference", "workload": w.name, "framework": fw, "mode": mode, "run": i}
        for w in workloads
        for fw in FRAMEWORKS
        for mode in inference_modes(config).get(fw, [])
        if not runs_own_loop(fw, mode)
        for i in range(config["inference"]["runs"])
    ]


ORDER_SEED = 0  # of the timed runs' order (timed_order)


def variant(run: dict) -> tuple:
    return (run.get("study", "speed"), run["workload"], run["framework"], run["mode"])


def timed_key(run: dict) -> tuple:
    """A timed job's identity in the order: its variant and its index (seed, or inference run)."""
    return (*variant(run), int(run["seed"] if "seed" in run else run["run"]))


def timed_order(runs: list[dict], seed: int = ORDER_SEED) -> list[dict]:
    """The planned runs in the order they are timed: interleaved, never blocked by variant.

    Round r holds the r-th seed of every variant, shuffled with a seeded generator (Hoefler and
    Belli's rule of randomised order: a slow hour of a shared machine then hits every variant
    alike instead of the frameworks that happened to run in it); the next round's first variant
    is never the one that ended the round before. So two consecutive timed runs never belong to
    the same variant while another variant has runs pending."""
    rng = random.Random(seed)
    by_variant: dict[tuple, list[dict]] = {}
    for run in runs:
        by_variant.setdefault(variant(run), []).append(run)
    order, rounds = [], max((len(v) for v in by_variant.values()), default=0)
    for r in range(rounds):
        members = [v for v in by_variant if len(by_variant[v]) > r]
        rng.shuffle(members)
        if order and len(members) > 1 and members[0] == variant(order[-1]):
            members.append(members.pop(0))
        order.extend(by_variant[v][r] for v in members)
    return order


def with_config_hash(run_config: dict) -> dict:
    """`run_config` with `config_hash`: the SHA-256 of everything else in it."""
    body = {key: value for key, value in run_config.items() if key != "config_hash"}
    return {**body, "config_hash": sha256_json(body)}


def run_spec(
    workload: Workload, framework: str, mode: str, seed: int, config: dict, study: str = "speed"
) -> dict:
    scale = config["scale"]
    run_config = {
        "study": study,
        "workload": workload.name,
        "framework": framework,
        "mode": mode,
        "precision": precision_of(mode),
        "seed": int(seed),
        "scale": scale,
        "scale_requested": config.get("scale_requested", scale),
        "dataset": workload.dataset(scale),
        "size": workload.size(scale),
        "optimizer": workload.spec["optimizer"],
        "model_args": workload.model_args(scale),
        "device": config["device"],
        "deterministic": study in DETERMINISTIC_STUDIES,
        REFERENCE_ACCURACY: workload.spec.get(REFERENCE_ACCURACY),
        # the speed study's rule of how many steady-state steps to time (config `speed`)
        **({"timing": dict(config["speed"])} if study == "speed" and "speed" in config else {}),
    }
    return {
        "run_id": run_id(workload.name, framework, mode, seed, study),
        "study": study,
        "workload": workload.name,
        "framework": framework,
        "mode": mode,
        "seed": int(seed),
        "scale": scale,
        "device": config["device"],
        "impl_path": os.path.relpath(workload.impl_path(framework)),  # relative to the workdir
        "data_path": DATA_PATTERN.format(dataset=workload.dataset(scale)),
        "config": with_config_hash(run_config),
    }
