"""Issue 10: Series are paired by index label (or refused), never by position; text is refused.

Hand-worked example (conftest ``three_labels``): A = [d0, d2], B = [d1, d3], C = [d3, d4]
have average uniqueness A 2/3, B 1/2, C 3/4 and concurrency 1, 2, 2, 2, 1 on d0..d4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    IndexAlignmentError,
    InvalidParameterError,
    LengthMismatchError,
    TimeTypeError,
    TrTypeError,
)
from tr_sample_weighting import (
    AlphaPowerWeighter,
    ClassBalanceWeighter,
    MagnitudeWeighter,
    ReturnAttributionWeighter,
    TimeDecayWeighter,
    UniquenessWeighter,
    alpha_power_weights,
    class_balance_weights,
    label_concurrency,
    magnitude_weights,
    return_attribution_weights,
    time_decay_weights,
    uniqueness_weights,
)

UNIQUENESS = {"A": 2 / 3, "B": 1 / 2, "C": 3 / 4}


def test_uniqueness_pairs_a_shuffled_label_ends_series_by_label(
    three_labels: pd.DataFrame,
) -> None:
    # regression: label_ends in order C, A, B gave A the window [d0, d4], B [d1, d2] and
    # C [d3, d3] (uniqueness 0.7, 0.5, 0.5) instead of the labels' own windows.
    times = three_labels["trade_date"]
    shuffled = three_labels["label_end"].iloc[[2, 0, 1]]
    w = uniqueness_weights(times, shuffled)
    assert isinstance(w, pd.Series)
    assert list(w.index) == ["A", "B", "C"]
    np.testing.assert_allclose(w.to_numpy(), list(UNIQUENESS.values()), rtol=1e-12)
    pd.testing.assert_series_equal(w, uniqueness_weights(times, three_labels["label_end"]))


def test_uniqueness_comes_back_on_the_callers_index(three_labels: pd.DataFrame) -> None:
    # The first Series given sets the rows: shuffled times -> result in the times' order.
    times = three_labels["trade_date"].iloc[[2, 0, 1]]
    w = uniqueness_weights(times, three_labels["label_end"])
    assert list(w.index) == ["C", "A", "B"]
    np.testing.assert_allclose(w.to_numpy(), [3 / 4, 2 / 3, 1 / 2], rtol=1e-12)
    # A DatetimeIndex has no row labels: it is taken by position against the Series.
    w = uniqueness_weights(pd.DatetimeIndex(three_labels["trade_date"]), three_labels["label_end"])
    assert list(w.index) == ["A", "B", "C"]


def test_plain_arrays_in_give_an_array_out(three_labels: pd.DataFrame) -> None:
    w = uniqueness_weights(
        three_labels["trade_date"].to_numpy(), three_labels["label_end"].to_numpy()
    )
    assert type(w) is np.ndarray
    np.testing.assert_allclose(w, list(UNIQUENESS.values()), rtol=1e-12)
    d = time_decay_weights(three_labels["trade_date"].to_numpy(), oldest=0.5)
    assert type(d) is np.ndarray
    r = return_attribution_weights(
        three_labels["trade_date"].to_numpy(), three_labels["label_end"].to_numpy(), [1, 1, 1]
    )
    assert type(r) is np.ndarray


def test_mismatched_labels_are_refused(three_labels: pd.DataFrame) -> None:
    times = three_labels["trade_date"]
    other = three_labels["label_end"].set_axis(["A", "B", "X"])
    with pytest.raises(IndexAlignmentError, match=r"`label_ends` does not describe the same rows"):
        uniqueness_weights(times, other)
    with pytest.raises(IndexAlignmentError, match="label_ends"):
        label_concurrency(times, other)
    with pytest.raises(IndexAlignmentError, match="label_ends"):
        time_decay_weights(times, other)
    with pytest.raises(IndexAlignmentError, match="returns"):
        return_attribution_weights(
            times, three_labels["label_end"], three_labels["alpha"].set_axis(["A", "B", "Z"])
        )
    # Index alignment errors are length mismatches too: existing `except` clauses still match.
    with pytest.raises(LengthMismatchError):
        uniqueness_weights(times, three_labels["label_end"].iloc[:2])


def test_concurrency_pairs_by_label(three_labels: pd.DataFrame) -> None:
    # regression: ends in order B, C, A gave C the window [d3, d2] -> LabelWindowError.
    c = label_concurrency(three_labels["trade_date"], three_labels["label_end"].iloc[[1, 2, 0]])
    assert c.tolist() == [1, 2, 2, 2, 1]


def test_time_decay_pairs_by_label(three_labels: pd.DataFrame) -> None:
    # Cumulative uniqueness in time order A, B, C: 2/3, 7/6, 23/12. With oldest = 0 the
    # weights are the shares 8/23, 14/23, 1. regression: by position (ends C, A, B) the
    # uniqueness was 0.7, 0.5, 0.5 and the weights 7/17, 12/17, 1.
    times = three_labels["trade_date"]
    w = time_decay_weights(times, three_labels["label_end"].iloc[[2, 0, 1]], oldest=0.0)
    assert list(w.index) == ["A", "B", "C"]
    np.testing.assert_allclose(w.to_numpy(), [8 / 23, 14 / 23, 1.0], rtol=1e-12)
    # Only `times`, as a Series: the result is on its index, in its order.
    w = time_decay_weights(times.iloc[::-1], oldest=0.5)
    assert list(w.index) == ["C", "B", "A"]
    np.testing.assert_allclose(w.to_numpy(), [1.0, 5 / 6, 2 / 3], rtol=1e-12)


def test_return_attribution_pairs_returns_by_label(three_labels: pd.DataFrame) -> None:
    # |R| * u = 0.03 * 2/3, 0.06 * 1/2, 0.02 * 3/4 = 0.02, 0.03, 0.015 (sum 0.065), x 3 / 0.065.
    expected = np.array([0.02, 0.03, 0.015]) * 3 / 0.065
    returns = three_labels["alpha"].iloc[[2, 0, 1]]
    w = return_attribution_weights(three_labels["trade_date"], three_labels["label_end"], returns)
    assert list(w.index) == ["A", "B", "C"]
    np.testing.assert_allclose(w.to_numpy(), expected, rtol=1e-12)
    # Plain arrays have no labels: they are taken by position, in the rows of the one Series.
    w = return_attribution_weights(
        three_labels["trade_date"].to_numpy()[[2, 0, 1]],
        three_labels["label_end"].to_numpy()[[2, 0, 1]],
        returns,
    )
    assert list(w.index) == ["C", "A", "B"]
    np.testing.assert_allclose(w.to_numpy(), expected[[2, 0, 1]], rtol=1e-12)


def test_errors_name_the_callers_row_labels(three_labels: pd.DataFrame) -> None:
    ends = three_labels["label_end"].copy()
    ends["B"] = three_labels.loc["B", "trade_date"] - pd.Timedelta(days=1)
    with pytest.raises(Exception, match=r"row \['B'\]"):
        uniqueness_weights(three_labels["trade_date"], ends.iloc[[2, 1, 0]])


FRAME_WEIGHTERS = [
    UniquenessWeighter(time="trade_date", label_end="label_end"),
    TimeDecayWeighter(time="trade_date", label_end="label_end", oldest=0.0),
    ReturnAttributionWeighter(time="trade_date", label_end="label_end", returns="alpha"),
    AlphaPowerWeighter(scale="fraction", column="alpha"),
    ClassBalanceWeighter(column="side"),
    (
        AlphaPowerWeighter(scale="fraction", column="alpha")
        * UniquenessWeighter(time="trade_date", label_end="label_end")
    ).normalized("mean"),
]


@pytest.mark.parametrize("weighter", FRAME_WEIGHTERS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize(
    "index",
    [["C", "A", "B"], [7, 7, 1], [2, 0, 1]],
    ids=["shuffled", "duplicate", "non-monotonic"],
)
def test_weighter_returns_an_array_in_the_frames_row_order(
    three_labels: pd.DataFrame, weighter: object, index: list[object]
) -> None:
    # The weighter protocol: called on the training rows, one weight per row in row order,
    # whatever the frame's index (shuffled, non-monotonic or with repeated labels).
    reference = weighter(three_labels)  # type: ignore[operator]
    order = [2, 0, 1]
    frame = three_labels.iloc[order].set_axis(index)
    before = frame.copy(deep=True)
    w = weighter(frame)  # type: ignore[operator]
    assert type(w) is np.ndarray
    assert w.shape == (3,)
    np.testing.assert_allclose(w, reference[order], rtol=1e-12)
    pd.testing.assert_frame_equal(frame, before)


def test_uniqueness_weighter_hand_values_on_a_shuffled_frame(three_labels: pd.DataFrame) -> None:
    frame = three_labels.iloc[[2, 0, 1]]  # C, A, B
    w = UniquenessWeighter(time="trade_date", label_end="label_end")(frame)
    np.testing.assert_allclose(w, [3 / 4, 2 / 3, 1 / 2], rtol=1e-12)


TEXT = ["0.01", "0.02", "-0.03"]


@pytest.mark.parametrize(
    "call",
    [
        lambda x: alpha_power_weights(x, scale="fraction"),
        lambda x: magnitude_weights(x, scale="fraction"),
        lambda x: AlphaPowerWeighter(scale="fraction")(x),
        lambda x: MagnitudeWeighter(scale="fraction", column="a")(pd.DataFrame({"a": x})),
        lambda x: class_balance_weights(x),
        lambda x: ClassBalanceWeighter(column="a")(pd.DataFrame({"a": x})),
        lambda x: return_attribution_weights(
            pd.date_range("2024-01-01", periods=3), pd.date_range("2024-01-02", periods=3), x
        ),
    ],
    ids=[
        "alpha_power",
        "magnitude",
        "AlphaPowerWeighter",
        "MagnitudeWeighter",
        "class_balance",
        "ClassBalanceWeighter",
        "return_attribution",
    ],
)
@pytest.mark.parametrize(
    "wrap",
    [list, np.array, pd.Series, lambda x: pd.Series(x, dtype="string")],
    ids=["list", "ndarray", "Series", "string-dtype"],
)
def test_numbers_stored_as_text_are_refused(call: object, wrap: object) -> None:
    with pytest.raises(TrTypeError, match="text"):
        call(wrap(TEXT))  # type: ignore[operator]


def test_times_as_text_are_refused() -> None:
    start, end = ["2024-01-01", "2024-01-02"], ["2024-01-03", "2024-01-04"]
    with pytest.raises(TimeTypeError):
        uniqueness_weights(start, end)
    with pytest.raises(TimeTypeError):
        time_decay_weights(start)
    with pytest.raises(TimeTypeError):
        label_concurrency(pd.Series(start), pd.Series(end))


def test_clip_bounds_as_text_are_refused() -> None:
    # regression: float("0.1") parsed the bounds.
    with pytest.raises(InvalidParameterError, match="clip"):
        alpha_power_weights([0.01, 0.02], clip=("0.1", "10"), scale="fraction")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="clip"):
        AlphaPowerWeighter(scale="fraction", clip="0.1")  # type: ignore[arg-type]


def test_single_input_weights_come_back_on_the_callers_index() -> None:
    # Review of issue 10: the rule "results that belong to rows come back on the caller's
    # index" held for the paired functions only; alpha, magnitude and class balance too.
    alpha = pd.Series([0.01, -0.02, 0.05], index=["x", "y", "z"])
    for weights in (
        alpha_power_weights(alpha, scale="fraction"),
        magnitude_weights(alpha, scale="fraction"),
        class_balance_weights(alpha > 0),
    ):
        assert isinstance(weights, pd.Series)
        assert weights.index.tolist() == ["x", "y", "z"]
    assert alpha_power_weights(alpha, scale="fraction").round(3).tolist() == [1.0, 2.828, 10.0]
    assert isinstance(alpha_power_weights(alpha.to_numpy(), scale="fraction"), np.ndarray)
