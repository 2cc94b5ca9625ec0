"""Data sets, generated locally (never downloaded) into data/generated/<name>.npz, byte for byte reproducible.

Every data set is an .npz with x_train, y_train, x_test, y_test: float32 inputs (int64 byte
tokens for the text sets) and int64 labels ((N,) classes, or (N, T) next bytes for pydoc_lm).
The text sets come in the window of the model that reads them (64 bytes; 1024 and 128 at the
workloads' gpu size, which names its own data set in workload.yaml).
The built-in generators are GENERATORS; a workload folder may bring its own (data.py with a
`generate() -> dict of arrays` function). Both are checked the same way (check_arrays) and
written the same way (fixed zip timestamps and member order), so equal data hash equal.
"""

import functools
import importlib.util
import io
import zipfile
from pathlib import Path

import numpy as np

from fwbench.core.atomic import atomic_output

SPLITS = ("x_train", "y_train", "x_test", "y_test")


class DatasetError(ValueError):
    """A generator returned something that is not a usable data set; the message says what."""


def _mnist1d() -> dict:
    """MNIST-1D with the package's standard arguments: 4000 train / 1000 test, length 40, seed 42."""
    from mnist1d.data import get_dataset_args, make_dataset

    data = make_dataset(get_dataset_args())
    return {
        "x_train": data["x"].astype(np.float32),
        "y_train": data["y"].astype(np.int64),
        "x_test": data["x_test"].astype(np.float32),
        "y_test": data["y_test"].astype(np.int64),
    }


def _digits32() -> dict:
    """scikit-learn's `digits` (1797 real 8x8 handwritten digits, shipped with the package), scaled
    to [0, 1] and upsampled 4x (nearest) to 32x32x3 channels-last images; a seeded 1497/300 split."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = np.kron(digits.images / 16.0, np.ones((4, 4)))[..., None].repeat(3, axis=-1)
    order = np.random.default_rng(0).permutation(len(images))
    train, test = order[:1497], order[1497:]
    x, y = images.astype(np.float32), digits.target.astype(np.int64)
    return {"x_train": x[train], "y_train": y[train], "x_test": x[test], "y_test": y[test]}


TEXT_WINDOW = 64  # bytes per sample of the text data sets


def _pydoc_topics_bytes() -> dict[str, np.ndarray]:
    """The standard library's pydoc_data.topics (the Python reference manual's topic texts), as
    UTF-8 bytes per topic; its exact text depends on the Python version (see the data's sha256)."""
    from pydoc_data.topics import topics

    return {
        name: np.frombuffer(text.encode("utf-8"), dtype=np.uint8) for name, text in sorted(topics.items())
    }


def _windows(data: np.ndarray, length: int) -> np.ndarray:
    """Non-overlapping windows of `length` bytes (the remainder is dropped), as int64 tokens."""
    count = len(data) // length
    return data[: count * length].reshape(count, length).astype(np.int64)


def _pydoc_lm(window: int = TEXT_WINDOW) -> dict:
    """Byte-level language modelling on all pydoc topics joined: x = `window` bytes, y = x shifted
    by one. The first 90 % of the text trains, the last 10 % tests (no window straddles the cut)."""
    text = np.concatenate(list(_pydoc_topics_bytes().values()))
    cut = int(len(text) * 0.9)
    split = {}
    for part, chunk in (("train", text[:cut]), ("test", text[cut:])):
        windows = _windows(chunk, window + 1)
        split[f"x_{part}"], split[f"y_{part}"] = windows[:, :-1], windows[:, 1:]
    return split


def _pydoc_topics(window: int = TEXT_WINDOW) -> dict:
    """Text classification: which of the 10 longest pydoc topics a `window`-byte window comes from.
    Each topic's first 80 % of windows train, the last 20 % test (no overlap between the two)."""
    by_topic = _pydoc_topics_bytes()
    longest = sorted(by_topic, key=lambda name: (-len(by_topic[name]), name))[:10]
    parts = {key: [] for key in ("x_train", "y_train", "x_test", "y_test")}
    for label, name in enumerate(sorted(longest)):
        windows = _windows(by_topic[name], window)
        cut = int(len(windows) * 0.8)
        for part, rows in (("train", windows[:cut]), ("test", windows[cut:])):
            parts[f"x_{part}"].append(rows)
            parts[f"y_{part}"].append(np.full(len(rows), label, dtype=np.int64))
    return {key: np.concatenate(value) for key, value in parts.items()}


GENERATORS = {
    "mnist1d": _mnist1d,
    "digits32": _digits32,
    "pydoc_lm": _pydoc_lm,
    "pydoc_topics": _pydoc_topics,
    # the same texts in the windows of the GPU-size models (their context: 1024 and 128 bytes)
    "pydoc_lm_1024": functools.partial(_pydoc_lm, window=1024),
    "pydoc_topics_128": functools.partial(_pydoc_topics, window=128),
}


def write_npz_deterministic(path, arrays: dict) -> None:
    """Like np.savez, but with fixed zip timestamps and member order, so equal data hash equal."""
    with atomic_output(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, buffer.getvalue())


def check_arrays(arrays, where: str) -> dict:
    """The four splits as numpy arrays, or DatasetError naming `where` and the problem: a dict with
    exactly SPLITS, numeric inputs, integer labels, as many labels as inputs, no empty split."""
    if not isinstance(arrays, dict) or set(arrays) != set(SPLITS):
        got = sorted(arrays) if isinstance(arrays, dict) else type(arrays).__name__
        raise DatasetError(f"{where}: generate() must return a dict with keys {', '.join(SPLITS)}; got {got}")
    checked = {key: np.asarray(value) for key, value in arrays.items()}
    for part in ("train", "test"):
        x, y = checked[f"x_{part}"], checked[f"y_{part}"]
        if x.dtype.kind not in "biuf":
            raise DatasetError(f"{where}: x_{part} has dtype {x.dtype}; use float32 (or int64 tokens)")
        if y.dtype.kind not in "iu":
            raise DatasetError(f"{where}: y_{part} has dtype {y.dtype}; labels must be integers (int64)")
        if len(x) == 0 or len(x) != len(y):
            raise DatasetError(
                f"{where}: x_{part} has {len(x)} rows and y_{part} {len(y)}; they must be equal and above 0"
            )
    return checked


def load_generator(source: Path):
    """The generate() function of a workload's own data.py."""
    spec = importlib.util.spec_from_file_location(f"fwbench_data_{Path(source).parent.name}", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "generate", None)):
        raise DatasetError(f"{source}: defines no generate() -> dict of arrays function")
    return module.generate


def generate(name: str, path, source: Path | None = None) -> None:
    """Write data set `name` to `path`: from a workload's own data.py (`source`), or built in."""
    if source is not None:
        arrays, where = load_generator(source)(), str(source)
    elif name in GENERATORS:
        arrays, where = GENERATORS[name](), f"fwbench.runs.datasets.GENERATORS[{name!r}]"
    else:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(GENERATORS))}")
    write_npz_deterministic(path, check_arrays(arrays, where))


def load(path) -> dict:
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}
