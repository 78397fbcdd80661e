"""Glossary spellings of FeatureGroupAnalyzer (times, label_ends, cv), the deprecated old
ones, and the one-line reprs of the results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from tr_core.errors import FoldError, InvalidParameterError
from tr_core.splits import WalkForward
from tr_feature_selection.groups import FeatureGroupAnalyzer


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    n = 240
    a = rng.normal(size=n)
    return pd.DataFrame(
        {
            "day": pd.date_range("2023-01-02", periods=n, freq="D"),
            "stop": pd.date_range("2023-01-07", periods=n, freq="D"),
            "a": a,
            "alpha": 0.01 * a + rng.normal(0, 0.03, size=n),
        }
    )


def make(**kw: object) -> FeatureGroupAnalyzer:
    return FeatureGroupAnalyzer(
        LinearRegression(), evaluation_metric="ic", n_buckets=4, verbose=False, **kw
    )


def test_old_spellings_warn_at_the_callers_line_and_mean_the_same() -> None:
    with (
        pytest.warns(FutureWarning, match="`label_end` is deprecated.*use `label_ends`"),
        pytest.warns(FutureWarning, match="`time` is deprecated.*use `times`") as caught,
    ):
        old = make(time="day", label_end="stop")
    assert len(caught) == 2
    assert all(w.filename == __file__ for w in caught)
    assert (old.times, old.label_ends) == ("day", "stop")
    # time=None meant "skip the train/test check" and still does.
    with pytest.warns(FutureWarning, match="`time`"):
        assert make(time=None).times is None
    with pytest.raises(InvalidParameterError, match="pass `times` only"):
        make(times="day", time="when")
    # An explicit new value equal to the default still counts as given (was silently lost).
    with pytest.raises(InvalidParameterError, match="pass `times` only"):
        make(times="trade_date", time="when")
    with pytest.raises(InvalidParameterError, match="pass `label_ends` only"):
        make(label_ends="stop", label_end="stop")
    f = frame()
    new = make(times="day", label_ends="stop")
    # The label windows of the last 5 training days reach the test period, either way.
    for analyzer in (old, new):
        with pytest.raises(FoldError, match="5 training rows have label windows"):
            analyzer.test_feature_groups(f.iloc[:160], f.iloc[160:], {"g": ["a"]})


def test_splitter_is_the_deprecated_spelling_of_cv() -> None:
    f = frame()
    analyzer = make(times="day", label_ends="stop")
    cv = WalkForward(n_splits=2, times="day", label_ends="stop")
    new = analyzer.cross_validate_groups(f, {"g": ["a"]}, cv=cv)
    with pytest.warns(FutureWarning, match="`splitter` is deprecated.*use `cv`") as caught:
        old = analyzer.cross_validate_groups(f, {"g": ["a"]}, splitter=cv)
    assert all(w.filename == __file__ for w in caught)
    pd.testing.assert_frame_equal(old.folds, new.folds)
    with pytest.raises(InvalidParameterError, match="pass `cv` only"):
        analyzer.cross_validate_groups(f, {"g": ["a"]}, cv, splitter=cv)


def test_results_print_one_short_line() -> None:
    f = frame()
    analyzer = make(times="day", label_ends="stop")
    groups = {"a": ["a"], "a_again": ["a"]}
    split = analyzer.test_feature_groups(f.iloc[:150], f.iloc[160:], groups)
    best = split.table["test_metric"].max()
    assert repr(split) == (
        f"FeatureGroupResult(2 groups, metric='ic', best='a' ({best:.4g}), n_buckets=4, "
        "nan_policy='drop_per_group', weighted=False)"
    )
    cv = analyzer.cross_validate_groups(
        f, groups, WalkForward(n_splits=3, times="day", label_ends="stop")
    )
    text = repr(cv)
    assert "\n" not in text
    assert len(text) < 200
    assert text.startswith("GroupCVResult(2 groups × 3 folds, metric='ic', best='a' (")
    pbo = "None" if cv.pbo is None else f"{cv.pbo.pbo:.3g}"
    dsr = "None" if cv.deflated_sharpe is None else f"{cv.deflated_sharpe:.3g}"
    assert text.endswith(f"pbo={pbo}, deflated_sharpe={dsr}, weighted=False)")
