"""The study registry: one row per study, as fwbench.frameworks has one per framework.

A study is a folder here, src/fwbench/studies/<name>/, with the same file names in each (those it
needs): columns.py (its tables' column names, once), run.py (what one of its jobs runs), tables.py
(its result files -> its tables), claims.py (its claims as `Claim` rows, with their thresholds at
the top), report.py (its report section's figures and tables); and one rule file,
workflow/rules/<name>.smk. Its row below names the config blocks it reads, the result schemas it
writes, the tables it leaves under results/ (which the ledger and the report read), and its report
section. verdict.py, beside the folders, holds what
every study's claims share.

Adding a study is a folder, a row here and a rule file: the Snakefile includes the rule file, the
report and the ledger take its tables, fwbench.ledger gathers its claims, and the report shows its
section (report/index.py's own, or the generic one of `report.section` when index.py has none).
"""

import importlib
from dataclasses import dataclass, field
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Study:
    name: str  # the folder, the rule file, the name in config `studies`
    title: str  # its report section's heading
    section: str  # its report section's anchor
    tables: dict[str, str] = field(default_factory=dict)  # table name -> file under results/
    result_kinds: tuple[str, ...] = ()  # schemas of its result files (workflow/schemas/<kind>.schema.json)
    config_keys: tuple[str, ...] = ()  # the config blocks it reads
    optional: bool = True  # runs only when config `studies` names it (else whenever its modes are set)

    @property
    def rule_file(self) -> str:
        return f"workflow/rules/{self.name}.smk"

    def module(self, part: str):
        """The study's `part` module (run, tables, claims, report), or None where it has none."""
        if not (FOLDER / self.name / f"{part}.py").is_file():
            return None
        return importlib.import_module(f"{__name__}.{self.name}.{part}")


REGISTRY = {
    study.name: study
    for study in (
        Study(
            "speed",
            "Speed",
            "sec-speed",
            {"summary": "summary.csv"},
            ("result",),
            ("modes", "seeds"),
            optional=False,
        ),
        Study(
            "quality",
            "Accuracy",
            "sec-accuracy",
            {"quality": "quality.csv", "curves": "curves.csv", "baselines": "baselines.csv"},
            ("result",),
            ("quality_modes", "quality_workloads", "seeds"),
            optional=False,
        ),
        Study(
            "parity",
            "Parity: the same model in every framework",
            "sec-parity",
            {"parity": "parity.csv"},
            ("parity",),
        ),
        Study(
            "inference",
            "Inference and export",
            "sec-inference",
            {"inference": "inference_sweep.csv", "exports": "inference_exports.csv"},
            ("inference",),
            ("inference", "inference_modes"),
        ),
        Study(
            "harness_overhead",
            "Harness overhead",
            "sec-harness-overhead",
            {"harness_overhead": "harness_overhead.json"},
            ("harness_overhead",),
            ("harness_overhead",),
        ),
        Study("loc", "Lines of code", "sec-loc", {"loc": "loc.csv"}, ("loc",)),
        Study(
            "debug",
            "Debugging effort",
            "sec-debugging",
            {"debug": "debug.csv", "debug_index": "debug_index.csv"},
            ("debug",),
            ("debug_workloads", "debug_faults", "debug_steps"),
        ),
    )
}
STUDIES = tuple(REGISTRY)
OPTIONAL_STUDIES = tuple(name for name, study in REGISTRY.items() if study.optional)


def active(config_studies) -> list[Study]:
    """The studies a config runs: every study that is not optional, and the optional ones it names."""
    return [study for study in REGISTRY.values() if not study.optional or study.name in config_studies]


def check_names(config_studies) -> str | None:
    """One line naming the unknown studies of config `studies` and the known ones, or None."""
    unknown = sorted(set(config_studies) - set(OPTIONAL_STUDIES))
    if not unknown:
        return None
    return (
        f"config/config.yaml: studies: unknown {', '.join(unknown)}; "
        f"available: {', '.join(OPTIONAL_STUDIES)} (fwbench.studies.REGISTRY)"
    )
