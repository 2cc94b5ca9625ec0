"""The quality study's report section: its method in words, the accuracy figure (mean and interval
per workload and variant), the learning curves, and the time-to-accuracy rule; the tables come from
fwbench.studies.quality.tables.
"""

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from fwbench.core.columns import TEST_ACCURACY

METHOD = (
    "Final test accuracy after the workload's training recipe (the quality study), mean and standard "
    "deviation over seeds, beside the published reference (MNIST-1D: Greydanus, 2020: MLP 68 %, CNN 94 %, "
    "GRU 91 %). A recipe shorter than the published one (the `tiny` and `default` sizes of a workload "
    "that is not at its published recipe there) is not expected to reach the reference: such accuracies "
    "compare the frameworks at equal steps, not at convergence."
)
BASELINES_METHOD = (
    "What a model reaches without learning the task (`fwbench.runs.baselines`): always the training "
    "set's most frequent label, and, for next-token data, a bigram counter fitted on the training set. "
    "A workload's target (for time to accuracy) must lie above its baseline, and an accuracy at or below "
    "it means the recipe learned nothing the counter does not; a test checks the targets of the default "
    "and GPU scales."
)
TIME_TO_ACCURACY_METHOD = (
    "Time to the target accuracy (quality study), by MLPerf Training's rule: over the seeds, the fastest "
    "and the slowest run are dropped and the rest averaged; one run that never reached the target (or "
    "diverged) counts as the slowest and is dropped, and more than one makes the result invalid (shown as "
    "such, no time). With fewer than five runs nothing is dropped, so any miss makes it invalid. The time "
    "is the sum of the training steps up to the first evaluation at or above the target: compile time "
    "included (it is part of getting there), evaluations excluded. A run is seen at the target only at an "
    "evaluation, every `eval_every` steps (the same steps in every framework), so the time has that "
    "quantum: differences smaller than one evaluation interval are not resolved. The quality study runs "
    "with each framework's determinism switches on (its accuracies repeat bit for bit), which cost the "
    "frameworks differently: these times are not the speed study's."
)


def accuracy_figure(quality_ok: pd.DataFrame):
    """Final test accuracy (%) per workload and variant: mean over seeds with a 95 % bootstrap
    interval; None when no quality run finished with an accuracy."""
    if not len(quality_ok) or not quality_ok[TEST_ACCURACY].notna().any():
        return None
    fig, ax = plt.subplots(figsize=(8, 3.6))
    sns.pointplot(
        data=quality_ok.assign(accuracy_pct=100 * quality_ok[TEST_ACCURACY]),
        x="workload",
        y="accuracy_pct",
        hue="variant",
        dodge=0.4 if quality_ok["variant"].nunique() > 1 else False,  # seaborn divides by levels - 1
        linestyle="none",
        errorbar=("ci", 95),
        seed=0,
        ax=ax,
    )
    sns.move_legend(ax, "upper left", bbox_to_anchor=(1, 1), title=None)
    ax.set_ylabel("test accuracy (%)")
    return fig


def curves_figure(curves: pd.DataFrame):
    """Test accuracy during training (mean over seeds, band: range), each workload on its own step
    axis; None without curves."""
    if not len(curves):
        return None
    grid = sns.relplot(
        data=curves,
        x="step",
        y=TEST_ACCURACY,
        hue="variant",
        col="workload",
        col_wrap=3,
        kind="line",
        errorbar=("pi", 100),
        height=3.2,
        aspect=1.3,
        facet_kws={"sharey": False, "sharex": False},  # each workload its own length
    )
    grid.set_axis_labels("optimiser step", "test accuracy")
    return grid.figure
