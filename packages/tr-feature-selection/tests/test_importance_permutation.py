"""permutation_importance (MDA): exact drops for known models, clusters, leak guard, bad input."""

from __future__ import annotations

import json

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.linear_model import LinearRegression, LogisticRegression

from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    FeatureTypeError,
    FoldError,
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    LookaheadError,
    MissingColumnError,
    NonFiniteError,
    TimeTypeError,
    TrTypeError,
)
from tr_feature_selection.importance import PermutationImportance, permutation_importance


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 300
    frame = pd.DataFrame(
        {
            "time": pd.date_range("2021-01-01", periods=n, freq="D"),
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.normal(size=n),
        }
    )
    frame["y"] = frame["a"] + frame["b"]
    return frame


def _ic_drop(values: np.ndarray, target: np.ndarray, perm: np.ndarray) -> float:
    """Drop of the rank IC of a linear score that equals ``values`` once permuted."""
    return float(1.0 - spearmanr(values[perm], target).statistic)


def test_drops_are_the_ic_lost_under_the_documented_permutations(data) -> None:
    # y = a + b exactly, so a linear model's score IS y: baseline IC = 1. Permuting `a`
    # alone leaves the score a[perm] + b (c has coefficient 0: drop exactly 0).
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    res = permutation_importance(
        model,
        data,
        features=["a", "b", "c"],
        target="y",
        metric="ic",
        n_repeats=4,
        random_state=5,
    )
    assert res.baseline == pytest.approx(1.0)
    rng = np.random.default_rng(5)
    perms = [rng.permutation(len(data)) for _ in range(4)]
    a, b, y = (data[c].to_numpy() for c in ("a", "b", "y"))
    expected_a = [1.0 - spearmanr(a[p] + b, y).statistic for p in perms]
    assert res.drops.loc["a"].to_numpy() == pytest.approx(expected_a, abs=1e-9)
    assert res.drops.loc["c"].to_numpy() == pytest.approx(np.zeros(4), abs=1e-12)
    assert res.importance.index[-1] == "c"
    assert res.mean["a"] == pytest.approx(np.mean(expected_a))
    assert res.std["a"] == pytest.approx(np.std(expected_a, ddof=1))


def test_a_cluster_is_permuted_with_one_row_permutation(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    res = permutation_importance(
        model,
        data,
        features=["a", "b", "c"],
        target="y",
        metric="ic",
        n_repeats=3,
        clusters={"ab": ["a", "b"]},
        random_state=7,
    )
    # a and b shuffled together: the score becomes y[perm] — its IC with y is that of a
    # permuted copy of y.
    rng = np.random.default_rng(7)
    y = data["y"].to_numpy()
    expected = [_ic_drop(y, y, rng.permutation(len(y))) for _ in range(3)]
    assert list(res.drops.index) == ["ab", "c"]
    assert res.drops.loc["ab"].to_numpy() == pytest.approx(expected, abs=1e-9)
    assert res.members == {"ab": ("a", "b"), "c": ("c",)}
    assert res.to_frame().loc["ab", "n_features"] == 2


def test_a_units_result_does_not_depend_on_the_other_units(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    common = {"target": "y", "metric": "ic", "n_repeats": 3, "random_state": 1}
    alone = permutation_importance(model, data, features=["a", "b", "c"], **common)
    clustered = permutation_importance(
        model, data, features=["a", "b", "c"], clusters={"bc": ["b", "c"]}, **common
    )
    pd.testing.assert_series_equal(alone.drops.loc["a"], clustered.drops.loc["a"])


def test_same_seed_same_result_and_frame_untouched(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    before = data.copy()
    runs = [
        permutation_importance(
            model,
            data,
            features=["a", "b", "c"],
            target="y",
            metric="spread",
            n_buckets=5,
            random_state=seed,
        )
        for seed in (3, 3, 4)
    ]
    pd.testing.assert_frame_equal(runs[0].drops, runs[1].drops)
    assert not runs[0].drops.equals(runs[2].drops)
    pd.testing.assert_frame_equal(data, before)


def test_feature_order_follows_the_model(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    kwargs = {"target": "y", "metric": "ic", "random_state": 0}
    one = permutation_importance(model, data, features=["c", "a", "b"], **kwargs)
    two = permutation_importance(model, data, features=["a", "b", "c"], **kwargs)
    assert one.baseline == pytest.approx(1.0)
    pd.testing.assert_series_equal(one.mean.sort_index(), two.mean.sort_index())


def test_classifier_with_auc_and_a_label_rule(data) -> None:
    labels = (data["y"] > 0.5).astype(int)
    model = LogisticRegression().fit(data[["a", "b", "c"]], labels)
    res = permutation_importance(
        model, data, features=["a", "b", "c"], target="y", label=0.5, random_state=0
    )
    assert res.metric == "auc"
    assert 0.95 < res.baseline <= 1.0
    assert set(res.importance.index[:2]) == {"a", "b"}


def test_result_outputs(data, tmp_path) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    res = permutation_importance(
        model,
        data,
        features=["a", "b", "c"],
        target="y",
        metric="ic",
        n_repeats=2,
        clusters={"ab": ["a", "b"]},
        random_state=0,
        verbose=False,
    )
    assert isinstance(res, PermutationImportance)
    frame = res.to_frame()
    assert list(frame.columns) == ["mean", "std", "n_features", "features"]
    assert frame.index.tolist() == res.importance.index.tolist() == ["ab", "c"]
    summary = json.loads(json.dumps(res.summary()))
    assert summary["clusters"] == {"ab": ["a", "b"]}
    assert summary["n_repeats"] == 2
    assert summary["n_rows"] == len(data)
    fig = res.plot()
    fig.savefig(tmp_path / "mda.png")
    assert (tmp_path / "mda.png").stat().st_size > 0
    single = permutation_importance(
        model, data, features=["a", "b", "c"], target="y", metric="ic", n_repeats=1
    )
    assert single.std.isna().all()
    assert json.loads(json.dumps(single.summary()))["std"]["a"] is None


def test_leak_guard(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    kwargs = {"features": ["a", "b", "c"], "target": "y", "metric": "ic", "times": "time"}
    later = data[data["time"] > "2021-03-01"]
    permutation_importance(model, later, train_end="2021-03-01", **kwargs)
    with pytest.raises(
        LookaheadError, match=r"at or before `train_end`=2021-03-01.*earliest row 59 at 2021-03-01"
    ) as info:
        permutation_importance(model, data.iloc[59:], train_end="2021-03-01", **kwargs)
    # The verdict is tr-core's fold check, with the scored rows as the test side.
    assert isinstance(info.value.__cause__, FoldError)
    with pytest.raises(LookaheadError, match=r"earliest row 0 at 2021-01-01"):
        permutation_importance(model, data, train_end=data["time"].max(), **kwargs)
    with pytest.raises(InvalidParameterError, match="both `times`"):
        permutation_importance(model, later, **kwargs)
    with pytest.raises(MissingColumnError, match="'when'"):
        permutation_importance(model, later, **{**kwargs, "times": "when"}, train_end="2021-03-01")
    with pytest.raises(InvalidParameterError, match="`train_end` must be a timestamp"):
        permutation_importance(model, later, **kwargs, train_end="soon")
    # Times given as a Series must carry the frame's rows: other labels are refused.
    shifted = later["time"].reset_index(drop=True)
    with pytest.raises(IndexAlignmentError, match="`times` does not describe the same rows"):
        permutation_importance(model, later, **{**kwargs, "times": shifted}, train_end="2021-03-01")
    permutation_importance(
        model, later, **{**kwargs, "times": later["time"]}, train_end="2021-03-01"
    )
    # A naive train_end is never compared with tz-aware times (it would shift by the offset).
    aware = later["time"].dt.tz_localize("America/New_York")
    with pytest.raises(TimeTypeError, match="`times`"):
        permutation_importance(model, later, **{**kwargs, "times": aware}, train_end="2021-03-01")


def test_leak_guard_pairs_a_times_series_by_label(data) -> None:
    # The same rows in reverse order are matched by index label (was refused): the guard
    # names row 59, the one decided on train_end, not the row at its position (299).
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    scored = data.iloc[59:]
    reversed_times = scored["time"].iloc[::-1]
    with pytest.raises(LookaheadError, match="earliest row 59 at 2021-03-01"):
        permutation_importance(
            model,
            scored,
            features=["a", "b", "c"],
            target="y",
            times=reversed_times,
            train_end="2021-03-01",
        )
    later = data.iloc[60:]
    res = permutation_importance(
        model,
        later,
        features=["a", "b", "c"],
        target="y",
        metric="ic",
        times=later["time"].iloc[::-1],
        train_end="2021-03-01",
        random_state=0,
    )
    assert res.baseline == pytest.approx(1.0)


def test_time_is_a_deprecated_spelling_of_times(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    later = data[data["time"] > "2021-03-01"]
    kwargs = {"features": ["a", "b", "c"], "target": "y", "metric": "ic", "random_state": 0}
    new = permutation_importance(model, later, times="time", train_end="2021-03-01", **kwargs)
    with pytest.warns(FutureWarning, match="`time` is deprecated .* use `times`"):
        old = permutation_importance(model, later, time="time", train_end="2021-03-01", **kwargs)
    pd.testing.assert_frame_equal(new.drops, old.drops)
    with pytest.warns(FutureWarning), pytest.raises(LookaheadError):
        permutation_importance(model, data, time="time", train_end="2021-03-01", **kwargs)
    with pytest.raises(InvalidParameterError, match="pass `times` only"):
        permutation_importance(
            model, later, times="time", time="time", train_end="2021-03-01", **kwargs
        )


def test_results_do_not_depend_on_n_jobs(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    kwargs = {
        "features": ["a", "b", "c"],
        "target": "y",
        "metric": "spread",
        "n_buckets": 5,
        "n_repeats": 3,
        "clusters": {"bc": ["b", "c"]},
        "random_state": 2,
    }
    one = permutation_importance(model, data, n_jobs=1, **kwargs)
    with joblib.parallel_config(backend="threading"):
        two = permutation_importance(model, data, n_jobs=2, **kwargs)
    pd.testing.assert_frame_equal(one.drops, two.drops)
    with pytest.raises(InvalidParameterError, match="`n_jobs` must be"):
        permutation_importance(model, data, n_jobs=1.5, **kwargs)


def test_repr_is_one_short_line(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    res = permutation_importance(
        model, data, features=["a", "b", "c"], target="y", metric="ic", n_repeats=2
    )
    text = repr(res)
    assert "\n" not in text
    assert len(text) < 200
    assert text.startswith("PermutationImportance(metric='ic', baseline=1, 3 units x 2 repeats")
    assert "on 300 rows, top: " in text


def test_bad_input(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    feats = ["a", "b", "c"]
    with pytest.raises(InvalidParameterError, match="not fitted"):
        permutation_importance(LinearRegression(), data, features=feats, target="y")
    with pytest.raises(MissingColumnError, match=r"\['zz'\]"):
        permutation_importance(model, data, features=["a", "b", "zz"], target="y")
    with pytest.raises(MissingColumnError, match="'ret'"):
        permutation_importance(model, data, features=feats, target="ret")
    with pytest.raises(InvalidParameterError, match="empty"):
        permutation_importance(model, data, features=[], target="y")
    with pytest.raises(InvalidParameterError, match=r"'b' is in cluster 'x' and in cluster 'z'"):
        permutation_importance(
            model, data, features=feats, target="y", clusters={"x": ["a", "b"], "z": ["b"]}
        )
    with pytest.raises(InvalidParameterError, match="not in `features`"):
        permutation_importance(model, data, features=feats, target="y", clusters={"x": ["q"]})
    with pytest.raises(FeatureTypeError, match="'c'"):
        permutation_importance(model, data.assign(c="high"), features=feats, target="y")
    with pytest.raises(NonFiniteError, match=r"target 'y'.*NaN in row \[4\]"):
        permutation_importance(
            model, data.assign(y=data["y"].where(data.index != 4)), features=feats, target="y"
        )
    with pytest.raises(InvalidParameterError, match=r"not trained on \['d'\]"):
        permutation_importance(model, data.assign(d=1.0), features=[*feats, "d"], target="y")
    with pytest.raises(InvalidParameterError, match="n_repeats"):
        permutation_importance(model, data, features=feats, target="y", n_repeats=0)
    with pytest.raises(EmptyDataError):
        permutation_importance(model, data.iloc[:0], features=feats, target="y")
    with pytest.raises(InsufficientDataError, match="all of class 1"):
        permutation_importance(model, data.assign(y=1.0), features=feats, target="y")


def test_a_model_without_feature_names_gets_the_columns_in_the_given_order(data) -> None:
    X = data[["a", "b", "c"]].to_numpy()
    model = LinearRegression().fit(X, data["y"])
    res = permutation_importance(
        model, data, features=["a", "b", "c"], target="y", metric="ic", random_state=0
    )
    assert res.baseline == pytest.approx(1.0)
    assert res.mean["c"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("clusters", "message"),
    [
        ([("x", ["a"])], "must map"),
        ({1: ["a"]}, "must be strings"),
        ({"x": []}, "at least one feature"),
        ({"x": "a"}, "at least one feature"),
        ({"a": ["b", "c"]}, "also the name of a feature"),
    ],
)
def test_bad_clusters(data, clusters, message) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    with pytest.raises(InvalidParameterError, match=message):
        permutation_importance(model, data, features=["a", "b", "c"], target="y", clusters=clusters)


def test_bad_frames(data) -> None:
    model = LinearRegression().fit(data[["a", "b", "c"]], data["y"])
    with pytest.raises(TrTypeError, match="DataFrame"):
        permutation_importance(model, data.to_numpy(), features=["a"], target="y")
    with pytest.raises(InvalidParameterError, match=r"\['a'\] more than once"):
        permutation_importance(model, data, features=["a", "a", "b", "c"], target="y")
    twice = pd.concat([data, data[["a"]]], axis=1)
    with pytest.raises(DuplicateColumnError, match="several columns named"):
        permutation_importance(model, twice, features=["a", "b", "c"], target="y")
