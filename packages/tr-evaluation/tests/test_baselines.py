"""BaselineEvaluator: permutation p-values, bootstrap intervals, single-feature rankers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import InvalidParameterError, LengthMismatchError, TrTypeError
from tr_evaluation.baselines import BaselineEvaluator, _random_top_size
from tr_evaluation.buckets import assign_buckets


def _data(n: int = 2000, seed: int = 0) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    features = pd.DataFrame({"signal": rng.normal(size=n), "noise": rng.normal(size=n)})
    returns = pd.Series(0.02 * features["signal"] + rng.normal(scale=0.05, size=n))
    scores = pd.Series(features["signal"] + rng.normal(scale=0.5, size=n))
    return scores, returns, features


def test_informative_model_beats_random_and_noise_does_not() -> None:
    scores, returns, features = _data()
    features.loc[:99, "noise"] = np.nan
    result = BaselineEvaluator(n_buckets=10, n_permutations=400, n_bootstrap=400).evaluate(
        scores, returns, features=features
    )
    table = result.to_frame()
    assert list(table.index) == ["model", "all trades", "random", "signal", "noise"]
    assert result.p_value == pytest.approx(1 / 401)
    assert table.loc["signal", "p_value"] == pytest.approx(1 / 401)
    assert table.loc["noise", "p_value"] > 0.01
    assert table.loc["noise", "n_rows"] == 1900
    model = table.loc["model"]
    assert model["ci_low"] < model["top_bucket_return"] < model["ci_high"]
    assert model["ci_low"] > table.loc["all trades", "ci_high"]
    assert table.loc["all trades", "top_bucket_return"] == pytest.approx(returns.mean())


def test_random_distribution_is_centred_on_the_unconditional_mean() -> None:
    scores, returns, _ = _data(n=1000, seed=1)
    result = BaselineEvaluator(n_buckets=10, n_permutations=2000, n_bootstrap=50).evaluate(
        scores, returns
    )
    # E[mean of a random subset] = overall mean; sd = sigma/sqrt(k) * sqrt((N-k)/(N-1))
    k = 100
    sd = returns.std() / np.sqrt(k) * np.sqrt((1000 - k) / 999)
    assert result.random_top_returns.mean() == pytest.approx(
        returns.mean(), abs=4 * sd / np.sqrt(2000)
    )
    assert result.random_top_returns.std() == pytest.approx(sd, rel=0.1)


@pytest.mark.parametrize(
    ("n_rows", "n_buckets"), [(20, 20), (37, 20), (1000, 10), (999, 7), (5, 2)]
)
def test_random_top_size_matches_assignment(n_rows: int, n_buckets: int) -> None:
    scores = np.random.default_rng(0).normal(size=n_rows)
    expected = int((assign_buckets(scores, n_buckets) == n_buckets - 1).sum())
    assert _random_top_size(n_rows, n_buckets) == expected


def test_seeded_and_weighted() -> None:
    scores, returns, _ = _data(n=500, seed=2)
    weights = np.random.default_rng(3).uniform(0.5, 2.0, size=500)
    kwargs = {"n_buckets": 5, "n_permutations": 100, "n_bootstrap": 100}
    a = BaselineEvaluator(**kwargs, random_state=7).evaluate(scores, returns, weights=weights)
    b = BaselineEvaluator(**kwargs, random_state=7).evaluate(scores, returns, weights=weights)
    c = BaselineEvaluator(**kwargs, random_state=8).evaluate(scores, returns, weights=weights)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert not np.array_equal(a.random_top_returns, c.random_top_returns)
    assert a.table.loc["all trades", "top_bucket_return"] == pytest.approx(
        np.average(returns, weights=weights)
    )
    assert a.table.loc["model", "top_bucket_return"] == pytest.approx(a.model.top_bucket_return)


def test_summary_and_plot(tmp_path: Path) -> None:
    scores, returns, features = _data(n=400)
    result = BaselineEvaluator(n_buckets=5, n_permutations=50, n_bootstrap=50).evaluate(
        scores, returns, features=features, times=pd.date_range("2020-01-01", periods=400)
    )
    summary = json.loads(json.dumps(result.summary(), allow_nan=False))
    assert summary["rankers"]["random"]["p_value"] is None
    assert summary["rankers"]["model"]["kind"] == "model"
    assert result.model.periods is not None
    path = tmp_path / "baselines.png"
    result.plot().savefig(path)
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"n_permutations": 0}, "n_permutations"),
        ({"n_bootstrap": 1.5}, "n_bootstrap"),
        ({"confidence": 1.0}, "confidence"),
    ],
)
def test_bad_parameters(params: dict, match: str) -> None:
    scores, returns, _ = _data(n=100)
    with pytest.raises(InvalidParameterError, match=match):
        BaselineEvaluator(**params).evaluate(scores, returns)


def test_bad_features() -> None:
    scores, returns, features = _data(n=100)
    with pytest.raises(TrTypeError, match="features"):
        BaselineEvaluator().evaluate(scores, returns, features=features.to_numpy())  # type: ignore[arg-type]
    with pytest.raises(LengthMismatchError, match="features"):
        BaselineEvaluator().evaluate(scores, returns, features=features.iloc[:50])
