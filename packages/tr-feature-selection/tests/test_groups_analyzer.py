"""FeatureGroupAnalyzer: hand-worked rows, the issue's example, synthetic-market ground truths."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

from tr_core.splits import time_train_test_split
from tr_core.synthetic import make_insider_trades
from tr_feature_selection.groups import FeatureGroupAnalyzer, LeakageWarning
from tr_sample_weighting import AlphaPowerWeighter, calculate_alpha_squared_weights


def small_xgb() -> XGBClassifier:
    return XGBClassifier(n_estimators=30, max_depth=3, learning_rate=0.1, n_jobs=1)


@pytest.fixture(scope="module")
def market() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    frame, truth = make_insider_trades(30_000, random_state=0)
    tr, te = time_train_test_split(frame, times="trade_date", test_size=0.3, label_ends="label_end")
    return frame.iloc[tr], frame.iloc[te], {k: list(v) for k, v in truth.groups.items()}


def tiny() -> tuple[pd.DataFrame, pd.DataFrame]:
    """30 training days and 10 test days; target = 2·a exactly, b is noise with holes."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2024-01-01", periods=40, freq="D")
    a = rng.normal(size=40)
    b = rng.normal(size=40)
    frame = pd.DataFrame({"trade_date": days, "a": a, "b": b, "alpha": 2.0 * a})
    frame.loc[[1, 3, 5], "a"] = np.nan  # 3 training rows lack a
    frame.loc[[2, 4, 6, 8, 10], "b"] = np.nan  # 5 other training rows lack b
    frame.loc[[7], "alpha"] = np.nan  # 1 training row lacks the target
    frame.loc[[32, 35], "a"] = np.nan  # 2 test rows lack a
    return frame.iloc[:30], frame.iloc[30:]


def test_tiny_frame_rows_per_group_and_perfect_linear_scores() -> None:
    train, test = tiny()
    analyzer = FeatureGroupAnalyzer(
        LinearRegression(), evaluation_metric="ic", n_buckets=2, verbose=False
    )
    with pytest.warns(LeakageWarning, match="'only_a'"):
        result = analyzer.test_feature_groups(train, test, {"only_a": ["a"], "only_b": ["b"]})
    t = result.table
    # a: rows 1, 3, 5 (NaN a) and 7 (NaN target) dropped; b: rows 2, 4, 6, 8, 10 and 7.
    assert t.loc["only_a", ["train_nan_dropped", "train_used"]].tolist() == [4, 26]
    assert t.loc["only_b", ["train_nan_dropped", "train_used"]].tolist() == [6, 24]
    assert t.loc["only_a", ["test_nan_dropped", "test_used"]].tolist() == [2, 8]
    assert t.loc["only_b", ["test_nan_dropped", "test_used"]].tolist() == [0, 10]
    # alpha = 2a exactly: the regression recovers it, so rank IC and AUC are 1.
    assert t.loc["only_a", "test_metric"] == pytest.approx(1.0)
    assert t.loc["only_a", "auc"] == pytest.approx(1.0)
    assert t.loc["only_a", "overfit_gap"] == pytest.approx(0.0, abs=1e-12)
    assert result.best() == "only_a"
    train_audit, test_audit = result.audits["only_a"]
    assert train_audit.positions.tolist() == [0, 2, 4, 6, *range(8, 30)]
    assert test_audit.positions.tolist() == [0, 1, 3, 4, 6, 7, 8, 9]


def test_issue_example_runs_as_written_with_the_default_model() -> None:
    frame, truth = make_insider_trades(8_000, random_state=1)
    tr, te = time_train_test_split(frame, times="trade_date", test_size=0.3, label_ends="label_end")
    train, test = frame.iloc[tr], frame.iloc[te]
    feature_groups = {k: list(v) for k, v in truth.groups.items()}

    # The issue's example, written with the spellings deprecated since: it keeps working
    # (with a FutureWarning each) until 0.2.
    analyzer = FeatureGroupAnalyzer(evaluation_metric="bucket_19_return")
    with pytest.warns(FutureWarning, match="`(weight_calculator|use_weighted)` is deprecated"):
        results = analyzer.test_feature_groups(
            train,
            test,
            feature_groups,
            use_weighted=True,
            weight_calculator=calculate_alpha_squared_weights,
        )

    table = results.to_frame()
    assert list(table.index) == list(feature_groups)
    assert results.metric == "bucket_19_return"
    assert results.weighted
    for group, cols in feature_groups.items():
        complete = test[[*cols, "alpha"]].notna().all(axis=1)
        top = results.buckets[group]["mean"].iloc[19]
        assert table.loc[group, "test_metric"] == pytest.approx(top)
        assert table.loc[group, "test_used"] == complete.sum()
    assert results.best() in {"insider", "technical"}


def test_per_group_dropna_keeps_more_training_rows_than_global_dropna(market) -> None:
    train, test, groups = market
    result = FeatureGroupAnalyzer(small_xgb(), random_state=0, verbose=False).test_feature_groups(
        train, test, groups
    )
    all_cols = [c for cols in groups.values() for c in cols]
    global_rows = int(train[[*all_cols, "alpha"]].notna().all(axis=1).sum())
    for group, cols in groups.items():
        exact = int(train[[*cols, "alpha"]].notna().all(axis=1).sum())
        assert result.table.loc[group, "train_used"] == exact
        assert result.table.loc[group, "train_nan_dropped"] == len(train) - exact
        assert exact > global_rows


def test_informative_groups_beat_noise(market) -> None:
    train, test, groups = market
    result = FeatureGroupAnalyzer(
        small_xgb(), evaluation_metric="ic", random_state=0, verbose=False
    ).test_feature_groups(train, test, groups)
    ic = result.table["test_metric"]
    assert ic["insider"] > ic["noise"] + 0.05
    assert ic["technical"] > ic["noise"] + 0.05
    assert result.best() in {"insider", "technical"}


def test_fillna_zero_by_hand_scores_worse_than_per_group_dropna(market) -> None:
    """On the groups missing not at random, a constant fill hurts on the very same test rows.

    Both models are judged on the test rows complete in the group. The linear model
    shows the damage plainly; tree models partly isolate the planted value (see
    docs/tr-feature-selection/feature-groups.md).
    """
    train, test, groups = market
    model = make_pipeline(StandardScaler(), LogisticRegression())
    analyzer = FeatureGroupAnalyzer(
        model, evaluation_metric="top_bucket_return", n_buckets=10, verbose=False
    )
    for group in ("insider", "technical"):
        cols = groups[group]
        same_test_rows = test.dropna(subset=cols)
        filled = train.copy()
        filled[cols] = filled[cols].fillna(0)  # the anti-pattern under test, done by hand
        honest = analyzer.test_feature_groups(train, same_test_rows, {group: cols}).table
        bad = analyzer.test_feature_groups(filled, same_test_rows, {group: cols}).table
        assert bad.loc[group, "train_used"] > honest.loc[group, "train_used"]
        assert bad.loc[group, "test_metric"] < honest.loc[group, "test_metric"]
        assert bad.loc[group, "ic"] < honest.loc[group, "ic"] - 0.02


def test_leaked_future_alpha_is_flagged(market) -> None:
    train, test, groups = market
    rng = np.random.default_rng(5)
    leaky_train = train.assign(leak=train["alpha"] + rng.normal(0, 0.01, len(train)))
    leaky_test = test.assign(leak=test["alpha"] + rng.normal(0, 0.01, len(test)))
    analyzer = FeatureGroupAnalyzer(small_xgb(), random_state=0, verbose=False)
    with pytest.warns(LeakageWarning, match=r"'leaky'.*computed from the outcome"):
        result = analyzer.test_feature_groups(
            leaky_train, leaky_test, {"insider": groups["insider"], "leaky": ["leak"]}
        )
    assert result.table.loc["leaky", "auc"] > 0.8 > result.table.loc["insider", "auc"]


def test_identical_for_any_n_jobs_and_inputs_untouched(market) -> None:
    train, test, groups = market
    before = (train.copy(), test.copy())
    tables = []
    for n_jobs in (None, 1, 2, 4):
        analyzer = FeatureGroupAnalyzer(small_xgb(), random_state=3, n_jobs=n_jobs, verbose=False)
        tables.append(analyzer.test_feature_groups(train, test, groups).to_frame())
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    pd.testing.assert_frame_equal(train, before[0])
    pd.testing.assert_frame_equal(test, before[1])


def test_weighting_changes_the_model_and_every_form_of_sample_weight_agrees(market) -> None:
    train, test, groups = market
    g = {"insider": groups["insider"]}
    analyzer = FeatureGroupAnalyzer(small_xgb(), random_state=0, verbose=False)
    plain = analyzer.test_feature_groups(train, test, g).table
    weighter = AlphaPowerWeighter(scale="fraction", column="alpha")
    by_obj = analyzer.test_feature_groups(train, test, g, sample_weight=weighter).table
    assert by_obj.loc["insider", "train_metric"] != plain.loc["insider", "train_metric"]
    # The same weights as a column, an array and a Series in another order (matched by label).
    w = weighter(train)
    by_array = analyzer.test_feature_groups(train, test, g, sample_weight=w).table
    by_column = analyzer.test_feature_groups(train.assign(w=w), test, g, sample_weight="w").table
    shuffled = pd.Series(w, index=train.index).sample(frac=1.0, random_state=0)
    by_series = analyzer.test_feature_groups(train, test, g, sample_weight=shuffled).table
    for table in (by_array, by_column, by_series):
        pd.testing.assert_frame_equal(table, by_obj)
    # The deprecated function of the target gets scale=target_units, as before.
    with pytest.warns(FutureWarning, match="`weight_calculator` is deprecated"):
        by_fn = analyzer.test_feature_groups(
            train, test, g, weight_calculator=calculate_alpha_squared_weights
        ).table
    pd.testing.assert_frame_equal(by_fn, by_obj)
    seen: list[int] = []

    def uniform(frame: pd.DataFrame) -> np.ndarray:
        seen.append(len(frame))
        return np.ones(len(frame))

    by_uniform = analyzer.test_feature_groups(train, test, g, sample_weight=uniform).table
    # Called once, on the group's complete training rows only.
    assert seen == [int(plain.loc["insider", "train_used"])]
    pd.testing.assert_frame_equal(by_uniform, plain)


def test_filter_func_rows_are_counted_and_removed_first(market) -> None:
    train, test, groups = market
    analyzer = FeatureGroupAnalyzer(
        small_xgb(),
        filter_func=lambda f: (f["ins_log_value"] > 4.0).to_numpy(),
        random_state=0,
        verbose=False,
    )
    t = analyzer.test_feature_groups(train, test, {"technical": groups["technical"]}).table
    keep = train["ins_log_value"] > 4.0  # NaN compares False: removed by the filter
    assert t.loc["technical", "train_filtered"] == (~keep).sum()
    complete = train.loc[keep, [*groups["technical"], "alpha"]].notna().all(axis=1)
    assert t.loc["technical", "train_used"] == complete.sum()
    assert t.loc["technical", "train_nan_dropped"] == (~complete).sum()
    assert t.loc["technical", "test_filtered"] == (~(test["ins_log_value"] > 4.0)).sum()


def test_native_policy_uses_every_row_with_a_target(market) -> None:
    train, test, groups = market
    analyzer = FeatureGroupAnalyzer(small_xgb(), nan_policy="native", random_state=0, verbose=False)
    t = analyzer.test_feature_groups(train, test, {"insider": groups["insider"]}).table
    assert t.loc["insider", "train_used"] == len(train)
    assert t.loc["insider", "train_nan_dropped"] == 0


def test_summary_is_json_and_plot_renders(market, tmp_path: Path) -> None:
    train, test, groups = market
    result = FeatureGroupAnalyzer(small_xgb(), random_state=0, verbose=False).test_feature_groups(
        train, test, {"insider": groups["insider"], "noise": groups["noise"]}
    )
    summary = json.loads(json.dumps(result.summary()))
    assert summary["best"] == result.best()
    assert summary["groups"]["noise"]["test_used"] == result.table.loc["noise", "test_used"]
    fig = result.plot()
    fig.savefig(tmp_path / "groups.png")
    assert (tmp_path / "groups.png").stat().st_size > 0
    assert result.groups == ["insider", "noise"]


def test_no_warning_for_ordinary_groups(market) -> None:
    train, test, groups = market
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakageWarning)
        FeatureGroupAnalyzer(small_xgb(), random_state=0, verbose=False).test_feature_groups(
            train, test, {"market": groups["market"]}
        )
