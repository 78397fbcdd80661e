"""mutual_information decides the target's kind explicitly or robustly (issue 10).

A float target with a few dozen distinct values (alpha rounded to 1 %) used to be taken
as classes: its rare values left most cells of the joint table nearly empty, the
Miller–Madow correction could not take that back, and independent noise scored about
0.02 nats at 2 000 rows (above the real features of the package README, 0.002-0.004).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import InvalidParameterError, TrTypeError
from tr_feature_selection._inputs import AUTO_MAX_CLASSES, decide_target_kind
from tr_feature_selection.information import mutual_information

N = 2_000


def _market() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    signal = rng.normal(size=N)
    alpha = np.round(0.04 * signal + 0.05 * rng.normal(size=N), 2)  # 41 values, 1 % apart
    X = pd.DataFrame({"signal": signal, **{f"noise{k}": rng.normal(size=N) for k in range(40)}})
    return X, alpha


@pytest.mark.parametrize("method", ["binned", "knn"])
def test_noise_scores_about_zero_against_a_rounded_float_target(method: str) -> None:
    X, alpha = _market()
    assert np.unique(alpha).size == 41
    mi = mutual_information(X, alpha, method=method, random_state=0)
    assert mi.attrs["target_kind"] == "continuous"
    assert mi.attrs["discrete_target"] is False
    noise = mi.drop("signal")
    assert mi.index[0] == "signal"
    assert mi["signal"] > 0.2  # Gaussian closed form before rounding: 0.24 nats
    if method == "binned":
        # Taken as 41 classes (the old default) the 40 noise features averaged 0.022
        # nats, up to 0.037; binned as a quantity they average 0.0013.
        assert abs(noise.mean()) < 0.004
        assert noise.max() < 0.015
    else:
        # scikit-learn's k-NN regression estimate (k = 3, clipped at 0) scatters more.
        assert noise.mean() < 0.01
        assert noise.max() < mi["signal"] / 4


def test_explicit_kind_is_used_as_given() -> None:
    X, alpha = _market()
    discrete = mutual_information(X, alpha, target_kind="discrete")
    assert discrete.attrs["target_kind"] == "discrete"
    assert discrete.attrs["discrete_target"] is True
    continuous = mutual_information(X, alpha, target_kind="continuous")
    pd.testing.assert_series_equal(continuous, mutual_information(X, alpha))
    # 0/1 labels stored as floats: classes under "auto" too.
    labels = (alpha > 0).astype(float)
    pd.testing.assert_series_equal(
        mutual_information(X, labels), mutual_information(X, labels, target_kind="discrete")
    )


@pytest.mark.parametrize(
    ("y", "kind"),
    [
        (np.array([True, False] * 50), "discrete"),
        (np.array([0, 1] * 50), "discrete"),
        (np.array([0.0, 1.0] * 50), "discrete"),
        (np.array([-1, 0, 1, 0] * 25), "discrete"),
        (np.arange(100) % AUTO_MAX_CLASSES, "discrete"),  # deciles
        (np.arange(100) % (AUTO_MAX_CLASSES + 1), "continuous"),  # a count, 0..10
        (np.array([0.0, 0.5] * 50), "continuous"),
        (np.round(np.linspace(-0.2, 0.2, 100), 2), "continuous"),
        (np.array(["up", "down", "flat", "up"] * 25), "discrete"),
        (pd.Series(pd.Categorical([1.5, 2.5] * 50)), "discrete"),
        (pd.Series([0, 1] * 50, dtype="Int64"), "discrete"),
    ],
)
def test_auto_decides_the_kind(y: object, kind: str) -> None:
    X = pd.DataFrame({"x": np.arange(100.0)})
    if isinstance(y, pd.Series):
        y = y.set_axis(X.index)
    assert mutual_information(X, y).attrs["target_kind"] == kind


def test_decide_target_kind_rule() -> None:
    assert decide_target_kind(np.array([0.0, 1.0])) == "discrete"
    assert decide_target_kind(np.arange(float(AUTO_MAX_CLASSES))) == "discrete"
    assert decide_target_kind(np.arange(float(AUTO_MAX_CLASSES + 1))) == "continuous"
    assert decide_target_kind(np.array([0.0, 0.01])) == "continuous"


def test_discrete_target_is_a_deprecated_alias() -> None:
    X, alpha = _market()
    with pytest.warns(FutureWarning, match=r"target_kind='continuous'"):
        old = mutual_information(X, alpha, discrete_target=False)
    pd.testing.assert_series_equal(old, mutual_information(X, alpha, target_kind="continuous"))
    with pytest.warns(FutureWarning, match=r"target_kind='discrete'"):
        old = mutual_information(X, alpha, discrete_target=True, target_kind="discrete")
    assert old.attrs["target_kind"] == "discrete"


def test_numbers_stored_as_text_are_refused_under_auto() -> None:
    # Review of issue 10: alpha rounded to 1 % passed as strings was factorized into 30+
    # classes, and independent noise scored ~0.018 nats — the wrong answer the issue names.
    rng = np.random.default_rng(0)
    y = pd.Series(np.round(rng.normal(0, 0.05, 2000), 2).astype(str))
    X = pd.DataFrame({"noise": rng.normal(size=2000)})
    with pytest.raises(TrTypeError, match=r"`y` holds numbers stored as text.*pd.to_numeric"):
        mutual_information(X, y)
    # Declared as labels, text is taken as classes; real labels still are under "auto".
    assert mutual_information(X, y, target_kind="discrete").attrs["target_kind"] == "discrete"
    labels = pd.Series(np.where(rng.random(2000) > 0.5, "up", "down"))
    assert mutual_information(X, labels).attrs["target_kind"] == "discrete"


def test_an_unknown_target_kind_is_named_as_given() -> None:
    X = pd.DataFrame({"a": np.arange(40.0)})
    with pytest.raises(InvalidParameterError, match=r"`target_kind` must be one of .* got None"):
        mutual_information(X, np.arange(40) % 2, target_kind=None)
