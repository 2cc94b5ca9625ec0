"""Data sets, generated locally (never downloaded) into data/generated/<name>.npz, byte for byte reproducible.

Every data set is an .npz with x_train, y_train, x_test, y_test (float32 inputs, int64 labels).
"""

import io
import zipfile

import numpy as np

from fwbench.atomic import atomic_output


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


GENERATORS = {"mnist1d": _mnist1d}


def write_npz_deterministic(path, arrays: dict) -> None:
    """Like np.savez, but with fixed zip timestamps and member order, so equal data hash equal."""
    with atomic_output(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, buffer.getvalue())


def generate(name: str, path) -> None:
    if name not in GENERATORS:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(GENERATORS))}")
    write_npz_deterministic(path, GENERATORS[name]())


def load(path) -> dict:
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}
