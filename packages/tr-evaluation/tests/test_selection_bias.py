"""Selection bias: tr-evaluation's DSR and PBO on the complete periods x trials matrix."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tr_evaluation.metrics import (
    SelectionBias,
    deflated_sharpe_ratio,
    period_matrix,
    probability_of_backtest_overfitting,
    selection_bias,
    sharpe_ratio,
)
from tr_evaluation.metrics.selection import MAX_PARTITIONS


def _matrix(n_periods: int = 24, n_trials: int = 6, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = rng.normal(0.01, 0.05, (n_periods, n_trials))
    values[:, min(2, n_trials - 1)] += 0.03  # trial 2 is really better
    periods = [f"2020-{m:02d}" for m in range(1, 13)] + [f"2021-{m:02d}" for m in range(1, 13)]
    return pd.DataFrame(values, index=periods[:n_periods], columns=list(range(n_trials)))


def test_equals_tr_evaluation_on_the_complete_rows() -> None:
    matrix = _matrix()
    matrix.iloc[[3, 10], [1]] = np.nan  # two periods where trial 1 had no top rows
    matrix.iloc[17, 4] = np.nan
    complete = matrix.drop(index=matrix.index[[3, 10, 17]])
    bias = selection_bias(matrix, 2)
    assert bias.n_periods == 21
    assert bias.n_trials == 6
    dsr = deflated_sharpe_ratio(complete[2].to_numpy(), trial_returns=complete)
    assert bias.deflated_sharpe == pytest.approx(dsr, rel=1e-12)
    pbo = probability_of_backtest_overfitting(complete, 16)
    assert bias.n_partitions == 16
    assert bias.pbo == pytest.approx(pbo.pbo, rel=1e-12)
    assert 0.0 <= bias.deflated_sharpe <= 1.0
    assert 0.0 <= bias.pbo <= 1.0
    assert bias.reason == ""
    # Ranked by the criterion the best was picked by: the mean return.
    by_mean = selection_bias(matrix, 2, metric="mean")
    mean_pbo = probability_of_backtest_overfitting(complete, 16, metric="mean").pbo
    assert by_mean.pbo == pytest.approx(mean_pbo, rel=1e-12)
    assert by_mean.deflated_sharpe == bias.deflated_sharpe  # the DSR is a Sharpe statistic


def test_pruned_trials_count_in_the_deflated_sharpe_ratios_n() -> None:
    """A pruned trial was a candidate that lost: N grows, the DSR can only fall."""
    matrix = _matrix()
    completed_only = selection_bias(matrix, 2)
    with_pruned = selection_bias(matrix, 2, n_tried=20)
    sharpes = [sharpe_ratio(matrix[c], periods_per_year=None) for c in matrix]
    expected = deflated_sharpe_ratio(
        matrix[2].to_numpy(), n_trials=20, sr_variance=float(np.var(sharpes, ddof=1))
    )
    assert with_pruned.deflated_sharpe == pytest.approx(expected, rel=1e-12)
    assert with_pruned.deflated_sharpe < completed_only.deflated_sharpe
    assert with_pruned.pbo == completed_only.pbo  # PBO compares completed trials only
    assert (with_pruned.n_trials, with_pruned.n_tried) == (6, 20)
    assert "over 20 trials (6 completed)" in with_pruned.reading
    # n_tried no larger than the completed trials changes nothing
    assert selection_bias(matrix, 2, n_tried=6) == completed_only


def test_partitions_are_even_and_capped() -> None:
    assert selection_bias(_matrix(n_periods=9), 2).n_partitions == 8
    assert selection_bias(_matrix(n_periods=24), 2).n_partitions == MAX_PARTITIONS


def test_too_few_trials_or_periods_give_nan_with_the_reason() -> None:
    one = selection_bias(_matrix(n_trials=1), 0)
    assert math.isnan(one.deflated_sharpe)
    assert math.isnan(one.pbo)
    assert one.reason == "fewer than 2 completed trials"
    short = selection_bias(_matrix(n_periods=3), 2)
    assert math.isnan(short.deflated_sharpe)
    assert math.isnan(short.pbo)
    assert "3 periods" in short.reason
    assert "4 needed" in short.reason
    assert short.reading.startswith("selection bias not measured: 3 periods")
    summary = short.summary()
    assert summary["deflated_sharpe"] is None
    assert summary["pbo"] is None


def test_reading_mentions_dsr_and_pbo() -> None:
    bias = selection_bias(_matrix(), 2)
    assert "DSR" in bias.reading
    assert "PBO" in bias.reading
    assert f"over {bias.n_trials} trials" in bias.reading
    strong = SelectionBias(0.99, 0.1, 10, 24, 16)
    assert "survives the number of trials" in strong.reading
    assert "selection mostly holds out of sample" in strong.reading
    weak = SelectionBias(0.4, 0.8, 10, 24, 16)
    assert "could be the luck of picking the best" in weak.reading
    assert "likely overfit" in weak.reading
    only_pbo = SelectionBias(math.nan, 0.3, 10, 24, 16, "DSR: failed")
    assert only_pbo.reading.startswith("PBO 0.30")
    assert only_pbo.summary()["deflated_sharpe"] is None


def test_a_failing_statistic_is_nan_with_its_reason() -> None:
    # The best trial's returns are constant: its Sharpe ratio is undefined, so tr-evaluation
    # refuses both statistics; the result says why instead of raising after the study ran.
    rng = np.random.default_rng(1)
    matrix = pd.DataFrame(
        {0: np.full(12, 0.01), 1: rng.normal(0, 0.05, 12), 2: rng.normal(0, 0.05, 12)}
    )
    bias = selection_bias(matrix, 0)
    assert math.isnan(bias.deflated_sharpe)
    assert math.isnan(bias.pbo)
    assert bias.n_partitions == 0
    assert "DSR: `trial_returns[0]` has zero dispersion" in bias.reason
    assert "PBO: " in bias.reason
    assert bias.reading.startswith("selection bias not measured: DSR:")
    assert "\n" not in bias.reading


def test_period_matrix_from_trial_records() -> None:
    records = {
        0: {"2020-02": 0.1, "2020-01": 0.2},
        3: {"2020-01": 0.3, "2020-02": None, "2020-03": 0.5},
    }
    matrix = period_matrix(records)
    assert list(matrix.index) == ["2020-01", "2020-02", "2020-03"]
    assert list(matrix.columns) == [0, 3]
    assert matrix.loc["2020-01", 3] == 0.3
    assert math.isnan(matrix.loc["2020-02", 3])
    assert math.isnan(matrix.loc["2020-03", 0])
