"""The report's cost table on made-up benchmark files: families summed, each beside what it feeds."""

from fwbench.reporting import costs


def write(root, relative, seconds):
    path = root / "benchmarks" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"s\th:m:s\tmax_rss\n{seconds}\t0:00:01\t100\n")


def test_jobs_are_summed_per_family_beside_what_the_family_feeds(tmp_path):
    for seed, seconds in enumerate((10.0, 20.0, 30.0)):
        write(tmp_path, f"speed/train/mlp/tf-eager-seed{seed}.tsv", seconds)
    write(tmp_path, "speed/train/gru/tf-eager-seed0.tsv", 60.0)
    write(tmp_path, "debug/debug_probe/mlp/torch-eager-nan_loss.tsv", 5.0)
    write(tmp_path, "parity/parity/mlp/jax.tsv", 4.0)
    write(tmp_path, "report/report.tsv", 1.0)
    table = costs.cost_table(tmp_path).set_index(["study", "rule", "framework", "mode"])
    tf_eager = table.loc[("speed", "train", "TensorFlow/Keras", "eager")]
    assert tf_eager["processes"] == 4 and tf_eager["wall_time_min"] == 2.0
    assert "C1" in tf_eager["feeds"] and "section Speed" in tf_eager["feeds"]
    assert table.loc[("debug", "debug_probe", "PyTorch", "eager")]["feeds"].startswith("C7")
    assert table.loc[("parity", "parity", "JAX/Keras", "")]["processes"] == 1
    assert table.loc[("report", "report", "", "")]["feeds"] == costs.SHARED
    assert abs(table["share"].sum() - 1) < 1e-2 and table.index[0] == (
        "speed",
        "train",
        "TensorFlow/Keras",
        "eager",
    )


def test_no_benchmark_files_give_an_empty_table(tmp_path):
    assert list(costs.cost_table(tmp_path).columns) == costs.COLUMNS and not len(costs.cost_table(tmp_path))
