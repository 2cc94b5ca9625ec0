"""The shared training loop's pieces: data order, loss/accuracy, timing statistics."""

import numpy as np
import pytest

from fwbench.core import memory
from fwbench.core.stats import summarise_ms
from fwbench.runs.training import batch_indices, cross_entropy_and_accuracy


def test_batches_are_seeded_epoch_permutations_without_a_partial_batch():
    batches = list(batch_indices(10, 3, 7, seed=1))
    assert len(batches) == 7 and all(len(b) == 3 for b in batches)
    first_epoch = np.concatenate(batches[:3])
    assert len(set(first_epoch)) == 9  # a permutation; the 10th sample waits for the next epoch
    again = list(batch_indices(10, 3, 7, seed=1))
    assert all((a == b).all() for a, b in zip(batches, again, strict=True))
    assert not all((a == b).all() for a, b in zip(batches, batch_indices(10, 3, 7, seed=2), strict=True))


def test_batch_larger_than_the_data_is_an_error():
    with pytest.raises(ValueError, match="larger than"):
        next(batch_indices(5, 10, 1, seed=0))


def test_cross_entropy_and_accuracy_match_hand_computed_values():
    logits = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    labels = np.array([0, 0, 1])
    loss, accuracy = cross_entropy_and_accuracy(logits, labels)
    expected = -np.mean([2 - np.log(np.exp(2) + 1), 0 - np.log(1 + np.exp(3)), 1 - np.log(2 * np.e)])
    assert loss == pytest.approx(expected)
    assert accuracy == pytest.approx(1 / 3)  # argmax ties go to the first class


def test_sequence_logits_are_scored_per_position():
    logits = np.zeros((2, 4, 5))
    logits[..., 3] = 10
    loss, accuracy = cross_entropy_and_accuracy(logits, np.full((2, 4), 3))
    assert accuracy == 1.0 and loss < 1e-3


def test_summarise_ms():
    stats = summarise_ms(range(1, 101))
    assert stats["n"] == 100 and stats["median"] == pytest.approx(50.5)
    assert stats["iqr"] == pytest.approx(49.5) and stats["min"] == 1
    assert summarise_ms([]) is None


@pytest.mark.skipif(not memory.CLEAR_REFS.exists(), reason="the peak RSS can be reset on Linux only")
def test_the_peak_rss_is_reset_so_that_a_peak_covers_one_phase_of_a_run():
    transient = np.ones(40_000_000)  # 305 MiB, then freed: the kind of peak an import leaves behind
    del transient
    lifetime = memory.peak_rss_mb()
    assert memory.reset_peak_rss()
    assert memory.peak_rss_mb() < lifetime - 200
