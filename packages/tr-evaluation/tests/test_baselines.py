"""BaselineEvaluator: permutation p-values, bootstrap intervals, single-feature rankers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    IndexAlignmentError,
    InvalidParameterError,
    LengthMismatchError,
    TrTypeError,
)
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


def test_tied_feature_with_an_empty_top_bucket_uses_its_best_rows() -> None:
    # regression: a 0/1 flag (or a 5-level role code) leaves bucket n-1 empty, because
    # ties share their average rank; evaluate() used to divide by zero on it.
    rng = np.random.default_rng(5)
    n = 200
    flag = np.r_[np.zeros(100), np.ones(100)]
    returns = pd.Series(0.01 * flag + rng.normal(scale=0.02, size=n))
    scores = pd.Series(rng.normal(size=n))
    features = pd.DataFrame({"flag": flag, "sparse": np.r_[np.full(n - 3, np.nan), 1.0, 2.0, 3.0]})
    with pytest.warns(UserWarning, match="features") as record:
        result = BaselineEvaluator(n_buckets=5, n_permutations=200, n_bootstrap=200).evaluate(
            scores, returns, features=features
        )
    messages = " ".join(str(w.message) for w in record)
    assert "`features['flag']` leaves the top bucket 4 empty" in messages
    assert "highest non-empty bucket 3 (100 of 200 rows)" in messages
    assert "`features['sparse']` has 3 rows" in messages
    row = result.table.loc["flag"]
    assert row["top_rows"] == 100
    assert row["top_bucket_return"] == pytest.approx(returns[flag == 1].mean())
    assert row["spread"] == pytest.approx(returns[flag == 1].mean() - returns[flag == 0].mean())
    assert row["ci_low"] < row["top_bucket_return"] < row["ci_high"]
    # random halves of the rows rarely beat the half that really earns 1% more
    assert row["p_value"] < 0.05
    sparse = result.table.loc["sparse"]
    assert sparse["n_rows"] == 3
    assert sparse["top_rows"] == 0
    assert np.isnan(
        sparse[["top_bucket_return", "ci_low", "ci_high", "p_value"]].astype(float)
    ).all()
    assert result.table.loc["model", "top_rows"] == 40
    json.dumps(result.summary(), allow_nan=False)


def test_tied_model_scores_are_compared_with_random_selections_of_their_size() -> None:
    rng = np.random.default_rng(6)
    n = 300
    scores = pd.Series(np.repeat([0.0, 1.0, 2.0], 100))  # a 3-level model
    returns = pd.Series(0.01 * scores + rng.normal(scale=0.02, size=n))
    with pytest.warns(UserWarning, match="`scores` leaves the top bucket 9 empty"):
        result = BaselineEvaluator(n_buckets=10, n_permutations=300, n_bootstrap=100).evaluate(
            scores, returns
        )
    model = result.table.loc["model"]
    assert model["top_rows"] == 100
    assert model["top_bucket_return"] == pytest.approx(returns[scores == 2.0].mean())
    assert model["p_value"] == pytest.approx(1 / 301)
    # the random-score row keeps the tie-free top size
    assert result.table.loc["random", "top_rows"] == 30


def test_features_are_paired_by_label_not_by_position() -> None:
    # regression (issue 10): a features frame in another row order was paired by position,
    # so the informative `signal` ranker was scored against the wrong returns (p ~ 0.5).
    scores, returns, features = _data(n=1000, seed=3)
    evaluator = BaselineEvaluator(n_buckets=10, n_permutations=200, n_bootstrap=100)
    aligned = evaluator.evaluate(scores, returns, features=features).to_frame()
    shuffled = features.sample(frac=1.0, random_state=7)
    assert not shuffled.index.equals(features.index)
    result = evaluator.evaluate(scores, returns, features=shuffled).to_frame()
    pd.testing.assert_frame_equal(result, aligned)
    assert result.loc["signal", "p_value"] == pytest.approx(1 / 201)


def test_scores_returns_weights_are_paired_by_label() -> None:
    scores, returns, features = _data(n=600, seed=4)
    weights = pd.Series(np.linspace(0.5, 1.5, 600))
    evaluator = BaselineEvaluator(n_buckets=5, n_permutations=100, n_bootstrap=50)
    aligned = evaluator.evaluate(scores, returns, features=features, weights=weights).to_frame()
    order = np.random.default_rng(0).permutation(600)
    result = evaluator.evaluate(
        scores,
        returns.iloc[order],
        features=features.iloc[order[::-1]],
        weights=weights.iloc[order],
    ).to_frame()
    pd.testing.assert_frame_equal(result, aligned)


def test_features_with_other_row_labels_are_refused() -> None:
    scores, returns, features = _data(n=100)
    moved = features.set_axis(features.index + 1000)
    with pytest.raises(IndexAlignmentError, match="`features` does not describe the same rows"):
        BaselineEvaluator(n_permutations=10, n_bootstrap=10).evaluate(
            scores, returns, features=moved
        )


def test_features_frame_sets_the_rows_for_plain_arrays() -> None:
    # Plain arrays have no labels: they are taken by position, the frame's rows.
    scores, returns, features = _data(n=300, seed=6)
    evaluator = BaselineEvaluator(n_buckets=5, n_permutations=50, n_bootstrap=20)
    labelled = evaluator.evaluate(scores, returns, features=features).to_frame()
    plain_arrays = evaluator.evaluate(
        scores.to_numpy(), returns.to_numpy(), features=features
    ).to_frame()
    pd.testing.assert_frame_equal(plain_arrays, labelled)


def test_result_repr_is_short() -> None:
    scores, returns, features = _data(n=2000)
    result = BaselineEvaluator(n_buckets=10, n_permutations=5000, n_bootstrap=20).evaluate(
        scores, returns, features=features
    )
    text = repr(result)
    assert len(text) < 400
    assert text.startswith("BaselineResult(n_rows=2000, n_buckets=10, ")
    assert "n_permutations=5000" in text
    assert "'signal'" in text


def test_rankers_through_joblib_give_the_same_table_for_any_n_jobs() -> None:
    # Issue 10: the single-feature rankers run through joblib (so a Dask cluster can take
    # over); each ranker has its own child seed, so the table does not depend on n_jobs
    # or on which worker computed a ranker — and warnings still reach the caller.
    scores, returns, features = _data(n=600)
    features["flag"] = np.r_[np.zeros(300), np.ones(300)]
    evaluator = {"n_buckets": 5, "n_permutations": 200, "n_bootstrap": 200, "random_state": 3}
    tables = []
    for n_jobs in (1, 2, None):
        with pytest.warns(UserWarning, match="`features\\['flag'\\]` leaves the top bucket"):
            result = BaselineEvaluator(**evaluator, n_jobs=n_jobs).evaluate(
                scores, returns, features=features
            )
        tables.append(result.to_frame())
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    # Adding a ranker does not change the numbers of the others.
    fewer = BaselineEvaluator(**evaluator).evaluate(scores, returns, features=features[["signal"]])
    pd.testing.assert_frame_equal(
        fewer.to_frame().loc[["model", "signal"]], tables[0].loc[["model", "signal"]]
    )


def test_bad_n_jobs_is_refused_before_any_work() -> None:
    scores, returns, _ = _data(n=200)
    with pytest.raises(InvalidParameterError, match="`n_jobs` must be None"):
        BaselineEvaluator(n_jobs=0).evaluate(scores, returns)
