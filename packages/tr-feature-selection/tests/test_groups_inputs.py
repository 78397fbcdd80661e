"""Bad input to FeatureGroupAnalyzer: clear errors naming the group, the column and the fix."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

from tr_core.contract import DataContract
from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    FeatureTypeError,
    FoldError,
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    LookaheadError,
    MissingColumnError,
    NonFiniteError,
    TimeTypeError,
    TrTypeError,
    ZeroWeightError,
)
from tr_feature_selection.groups import FeatureGroupAnalyzer, check_nan_policy
from tr_feature_selection.groups.parallel import thread_plan
from tr_feature_selection.groups.weights import calculator_kind


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(1)
    n = 200
    frame = pd.DataFrame(
        {
            "trade_date": pd.date_range("2023-01-02", periods=n, freq="D"),
            "label_end": pd.date_range("2023-01-12", periods=n, freq="D"),
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": np.nan,
            "alpha": rng.normal(0, 0.05, size=n),
        }
    )
    return frame.iloc[:150], frame.iloc[150:]


def run(analyzer: FeatureGroupAnalyzer | None = None, groups=None, train=None, test=None, **kw):
    tr, te = frames()
    analyzer = analyzer or FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=5, n_jobs=1), verbose=False
    )
    return analyzer.test_feature_groups(
        tr if train is None else train,
        te if test is None else test,
        {"g": ["a", "b"]} if groups is None else groups,
        **kw,
    )


@pytest.mark.parametrize("fill", ["zero", 0, 0.0, "mean", "median", "ffill", "fillna", "-1"])
def test_constant_fills_are_refused_with_the_reason(fill) -> None:
    with pytest.raises(InvalidParameterError, match=r"zero .* is a real value.*a third"):
        check_nan_policy(fill)
    with pytest.raises(InvalidParameterError, match="not 'missing'"):
        run(FeatureGroupAnalyzer(nan_policy=fill, verbose=False))


def test_unknown_policy_lists_the_two() -> None:
    with pytest.raises(InvalidParameterError, match=r"drop_per_group.*native"):
        check_nan_policy("drop")
    with pytest.raises(InvalidParameterError, match=r"drop_per_group.*native"):
        check_nan_policy(None)


def test_bad_groups_name_the_group() -> None:
    with pytest.raises(MissingColumnError, match=r"'g'.*\['zz'\].*train"):
        run(groups={"g": ["a", "zz"]})
    with pytest.raises(InvalidParameterError, match="'empty' is empty"):
        run(groups={"empty": []})
    with pytest.raises(InvalidParameterError, match="list of column names"):
        run(groups={"g": "a"})
    with pytest.raises(InvalidParameterError, match="non-empty mapping"):
        run(groups={})
    with pytest.raises(InvalidParameterError, match="names must be non-empty strings"):
        run(groups={1: ["a"]})
    with pytest.raises(DuplicateColumnError, match=r"'g' lists \['a'\]"):
        run(groups={"g": ["a", "a"]})
    with pytest.raises(InvalidParameterError, match=r"'g' holds \['alpha'\]"):
        run(groups={"g": ["a", "alpha"]})
    tr, te = frames()
    with pytest.raises(FeatureTypeError, match=r"group 'g': column 's'"):
        run(groups={"g": ["a", "s"]}, train=tr.assign(s="x"), test=te.assign(s="x"))


def test_group_without_complete_rows_is_named() -> None:
    with pytest.raises(InsufficientDataError, match=r"'hollow' has no usable training row.*'c'"):
        run(groups={"fine": ["a"], "hollow": ["a", "c"]})
    _tr, te = frames()
    te = te.assign(b=np.nan)
    with pytest.raises(InsufficientDataError, match="'g' has no usable test row"):
        run(test=te)


def test_test_before_train_and_overlapping_labels() -> None:
    # The pair is checked as one forward fold by tr_core.splits.checked_folds: FoldError
    # is a LookaheadError, so callers catching the old type still catch it.
    tr, te = frames()
    with pytest.raises(FoldError, match=r"strictly after.*at or after the first test time"):
        run(train=te, test=tr)
    with pytest.raises(LookaheadError, match="time_train_test_split"):
        run(train=te, test=tr)
    same_day = te.assign(trade_date=tr["trade_date"].iloc[-1])
    with pytest.raises(FoldError, match=r"training row \[149\] \(1 row\) are decided at or after"):
        run(test=same_day)
    analyzer = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=5, n_jobs=1), label_ends="label_end", verbose=False
    )
    # Label ends run 10 days past each day: the last 10 training windows reach day 150.
    with pytest.raises(FoldError, match=r"0: 10 training rows have label windows"):
        run(analyzer)
    assert run(analyzer, train=tr.iloc[:140]).table.loc["g", "train_used"] == 140
    with pytest.raises(MissingColumnError, match="`times`='when' is not a column of the train"):
        run(FeatureGroupAnalyzer(times="when", verbose=False))
    with pytest.raises(MissingColumnError, match="`label_ends`='stop'"):
        run(FeatureGroupAnalyzer(label_ends="stop", verbose=False))
    skipped = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=5, n_jobs=1), times=None, verbose=False
    )
    assert run(skipped, train=te, test=tr).table.loc["g", "train_used"] == 50


def test_constant_target_names_the_group() -> None:
    tr, _te = frames()
    with pytest.raises(InsufficientDataError, match=r"feature group 'g'.*constant target"):
        run(train=tr.assign(alpha=-0.01))
    analyzer = FeatureGroupAnalyzer(LinearRegression(), verbose=False)
    with pytest.raises(InsufficientDataError, match=r"constant .*feature group 'g'"):
        run(analyzer, train=tr.assign(alpha=0.02))


def test_frames_and_target() -> None:
    tr, te = frames()
    with pytest.raises(TrTypeError, match="`train` must be a pandas DataFrame"):
        run(train=tr.to_numpy())
    with pytest.raises(EmptyDataError, match="test frame has no rows"):
        run(test=te.iloc[:0])
    with pytest.raises(MissingColumnError, match="target column 'ret'"):
        run(FeatureGroupAnalyzer(target="ret", verbose=False))
    with pytest.raises(NonFiniteError, match="'a' has infinite"):
        run(train=tr.assign(a=np.inf))


def test_parameters() -> None:
    bad = [
        {"n_buckets": 1},
        {"evaluation_metric": "sharpe"},
        {"evaluation_metric": "bucket_25_return"},
        {"max_plausible_auc": 0.4},
        {"target_units": "pct"},
        {"n_jobs": 0},
        {"target": 3},
    ]
    for kw in bad:
        with pytest.raises(InvalidParameterError):
            run(FeatureGroupAnalyzer(**kw, verbose=False))
    with pytest.raises(InvalidParameterError, match="classifier or regressor"):
        run(FeatureGroupAnalyzer(StandardScaler(), verbose=False))
    with pytest.raises(InvalidParameterError, match="DataContract"):
        run(FeatureGroupAnalyzer(contract={"target": "alpha"}, verbose=False))
    tr, te = frames()
    with pytest.raises(InvalidParameterError, match="no `contract`"):
        FeatureGroupAnalyzer(verbose=False).test_feature_groups(tr, te)


def test_weighting_options() -> None:
    def ones(frame):
        return np.ones(len(frame))

    with pytest.raises(LengthMismatchError, match=r"`sample_weight` \(feature group 'g'\)"):
        run(sample_weight=lambda f: np.ones(3))
    with pytest.raises(NonFiniteError, match="`sample_weight`"):
        run(sample_weight=lambda f: np.full(len(f), np.nan))
    with pytest.raises(InvalidParameterError, match="negative"):
        run(sample_weight=lambda f: -np.ones(len(f)))
    with pytest.raises(ZeroWeightError, match="all zero"):
        run(sample_weight=lambda f: np.zeros(len(f)))
    with pytest.raises(LengthMismatchError, match="`sample_weight` has 3 weights"):
        run(sample_weight=np.ones(3))
    with pytest.raises(MissingColumnError, match="`sample_weight`='w'"):
        run(sample_weight="w")
    with pytest.raises(TrTypeError, match="`sample_weight` must be"):
        run(sample_weight={"a": 1})
    # The deprecated spellings keep their consistency checks, named as the caller wrote them.
    with (
        pytest.raises(InvalidParameterError, match="`use_weighted`=True but no weights"),
    ):
        run(use_weighted=True)
    with pytest.raises(InvalidParameterError, match="`use_weighted`=False contradicts"):
        run(use_weighted=False, sample_weight=ones)
    with pytest.raises(InvalidParameterError, match="True or False"):
        run(use_weighted=1, sample_weight=ones)
    with pytest.raises(InvalidParameterError, match="`weight_calculator` must be callable"):
        run(weight_calculator=3)
    with (
        pytest.warns(FutureWarning, match="`weight_calculator` is deprecated"),
        pytest.raises(LengthMismatchError, match=r"`weight_calculator` \(feature group 'g'\)"),
    ):
        run(weight_calculator=lambda a: np.ones(3))
    with pytest.raises(InvalidParameterError, match="pass `sample_weight` only"):
        run(sample_weight=ones, weight_calculator=ones)


def test_calculator_kind_rule() -> None:
    def by_frame(data):
        return data

    def scaled(alpha, *, scale):
        return alpha

    def defaulted(alpha, scale=0.05):
        return alpha

    assert calculator_kind(by_frame) == "frame"
    assert calculator_kind(scaled) == "target_scaled"
    # A scale the caller bound or defaulted is theirs: never replaced by target_units.
    assert calculator_kind(partial(scaled, scale=0.05)) == "target"
    assert calculator_kind(defaulted) == "target"
    assert calculator_kind(len) == "target"
    assert calculator_kind(np.ones_like) == "target"


def test_native_policy_needs_a_model_that_routes_nan() -> None:
    tr, _te = frames()
    analyzer = FeatureGroupAnalyzer(LogisticRegression(), nan_policy="native", verbose=False)
    with pytest.raises(InvalidParameterError, match=r"'g' has NaN in \['b'\].*drop_per_group"):
        run(analyzer, train=tr.assign(b=tr["b"].where(tr["a"] > 0)))
    assert run(analyzer).table.loc["g", "train_used"] == 150


def test_filter_func_mask_checks() -> None:
    with pytest.raises(InvalidParameterError, match="one bool per row of the train frame"):
        run(FeatureGroupAnalyzer(filter_func=lambda f: f["a"], verbose=False))
    with pytest.raises(LengthMismatchError, match="filter_func"):
        run(FeatureGroupAnalyzer(filter_func=lambda f: np.ones(3, bool), verbose=False))


def test_contract_supplies_roles_and_groups() -> None:
    tr, te = frames()
    contract = DataContract(
        "trade_date", "alpha", ["a", "b"], groups={"ab": ["a", "b"]}, target_units="fraction"
    )
    analyzer = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=5, n_jobs=1), target="ignored", contract=contract, verbose=False
    )
    result = analyzer.test_feature_groups(tr, te)
    assert result.groups == ["ab"]


def test_thread_plan() -> None:
    assert thread_plan(None, 4) == (None, None)
    assert thread_plan(1, 4) == (1, 1)
    assert thread_plan(3, 2) == (2, 1)
    assert thread_plan(-1, 1)[0] == 1
    with pytest.raises(InvalidParameterError, match="n_jobs"):
        thread_plan(True, 3)


def test_filter_mask_and_weights_are_matched_by_label() -> None:
    # Applied by position, a sorted Series kept/weighted other rows; it is matched by label.
    tr, _te = frames()
    keep = run(FeatureGroupAnalyzer(filter_func=lambda f: f["a"] > 0, verbose=False))
    assert keep.table.loc["g", "train_used"] == int((tr["a"] > 0).sum())
    shuffled = run(
        FeatureGroupAnalyzer(filter_func=lambda f: (f["a"] > 0).sort_values(), verbose=False)
    )
    pd.testing.assert_frame_equal(shuffled.table, keep.table)
    with pytest.raises(IndexAlignmentError, match="`filter_func` does not describe the same rows"):
        run(FeatureGroupAnalyzer(filter_func=lambda f: (f["a"] > 0).set_axis(f.index + 1)))

    def by_alpha(f):
        return f["alpha"].abs() + 0.01

    weighted = run(sample_weight=by_alpha).table
    resorted = run(sample_weight=lambda f: by_alpha(f).sort_values()).table
    pd.testing.assert_frame_equal(resorted, weighted)
    with pytest.raises(IndexAlignmentError, match="sample_weight"):
        run(sample_weight=lambda f: by_alpha(f).set_axis(f.index + 1))


def test_filter_accepts_a_nullable_boolean_mask() -> None:
    tr, te = frames()
    as_float64 = {"a": "Float64"}
    analyzer = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=5, n_jobs=1), filter_func=lambda f: f["a"] > 0, verbose=False
    )
    result = run(analyzer, train=tr.astype(as_float64), test=te.astype(as_float64))
    assert result.table.loc["g", "train_filtered"] == int((tr["a"] <= 0).sum())
    holes = tr.astype(as_float64).assign(a=lambda f: f["a"].mask(f.index % 10 == 0))
    with pytest.raises(InvalidParameterError, match="one bool per row of the train frame"):
        run(analyzer, train=holes, test=te.astype(as_float64))


def test_label_end_in_another_timezone_than_the_times_is_refused() -> None:
    # Naive times are read as UTC; a Berlin label end of 10:00 (09:00 UTC) compared with
    # a naive first test time of 09:30 would let a label window overlapping the test through.
    tr, te = frames()
    tr = tr.assign(label_end=(tr["trade_date"] + pd.Timedelta(hours=10)).dt.tz_localize("CET"))
    te = te.assign(trade_date=tr["trade_date"].iloc[-1] + pd.Timedelta(hours=9, minutes=30))
    analyzer = FeatureGroupAnalyzer(label_ends="label_end", verbose=False)
    with pytest.raises(TimeTypeError, match=r"`train\['label_end'\]` carry a timezone"):
        run(analyzer, train=tr, test=te)


def test_fewer_usable_rows_than_buckets_names_the_group() -> None:
    _tr, te = frames()
    with pytest.raises(InsufficientDataError, match=r"'g' has 10 usable test rows.*n_buckets=20"):
        run(test=te.iloc[:10])
    sparse = te.assign(b=te["b"].where(np.arange(len(te)) < 12))
    with pytest.raises(InsufficientDataError, match=r"'g' has 12 usable test rows \(38 of 50"):
        run(test=sparse)
    one_row = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=5, n_jobs=1), n_buckets=2, evaluation_metric="ic", verbose=False
    )
    assert run(one_row, test=te.iloc[:2]).table.loc["g", "test_used"] == 2


def test_unknown_label_ends_of_test_rows_are_not_an_error() -> None:
    # Review of issue 10: the forward check read the *test* frame's label ends, so a test
    # row whose outcome window is still open (NaT) raised TimeColumnError. Only training
    # windows can reach across a forward split.
    tr, te = frames()
    tr = tr.iloc[:-10]  # purged: no training window reaches the first test day
    te = te.copy()
    te.loc[te.index[:3], "label_end"] = pd.NaT
    analyzer = FeatureGroupAnalyzer(times="trade_date", label_ends="label_end", verbose=False)
    result = analyzer.test_feature_groups(tr, te, {"g": ["a"]})
    assert result.to_frame().loc["g", "test_used"] > 0
