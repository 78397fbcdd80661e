"""Alpha-power and magnitude weights: values, units, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tr_core.contract import DataContract
from tr_core.errors import (
    EmptyDataError,
    InvalidParameterError,
    MissingColumnError,
    NonFiniteError,
    TrTypeError,
    ZeroWeightError,
)
from tr_sample_weighting import (
    AlphaPowerWeighter,
    MagnitudeWeighter,
    UnitsWarning,
    alpha_power_weights,
    calculate_alpha_squared_weights,
    magnitude_weights,
)


def test_hand_computed_fraction_and_percent_agree() -> None:
    # (|a| / 0.01) ** 1.5: 0.5% -> 0.5**1.5 = 0.35355, 4% -> 8, 1% -> 1, 30% -> 164 -> 10,
    # 0.1% -> 0.0316 -> 0.1.
    expected = [0.5**1.5, 8.0, 1.0, 10.0, 0.1]
    frac = alpha_power_weights([0.005, -0.04, 0.01, 0.3, -0.001], scale="fraction")
    pct = alpha_power_weights([0.5, -4.0, 1.0, 30.0, -0.1], scale="percent")
    bps = alpha_power_weights([50.0, -400.0, 100.0, 3000.0, -10.0], scale="bps")
    np.testing.assert_allclose(frac, expected, rtol=1e-12)
    np.testing.assert_allclose(pct, expected, rtol=1e-12)
    np.testing.assert_allclose(bps, expected, rtol=1e-12)
    assert frac.dtype == np.float64


def test_wrong_units_flatten_the_weights() -> None:
    # The docstring's warning, in numbers: fraction alpha read as percent points.
    w = alpha_power_weights([0.01, 0.02, 0.05], scale="percent")
    assert w.tolist() == [0.1, 0.1, 0.1]
    w = alpha_power_weights([1.0, 2.0, 5.0], scale="fraction")
    assert w.tolist() == [10.0, 10.0, 10.0]


def test_numeric_scale_power_and_clip() -> None:
    w = alpha_power_weights([0.1, 0.2, 0.4], power=2.0, clip=None, scale=0.2)
    np.testing.assert_allclose(w, [0.25, 1.0, 4.0])
    w = alpha_power_weights([0.1, 0.2, 0.4], power=2.0, clip=(0.5, 2.0), scale=0.2)
    np.testing.assert_allclose(w, [0.5, 1.0, 2.0])
    w = alpha_power_weights([0.1, 0.0, 0.4], power=0.0, clip=None, scale=1)
    assert w.tolist() == [1.0, 1.0, 1.0]
    w = alpha_power_weights([1e-3, 5.0], clip=(0.2, float("inf")), scale="percent")
    np.testing.assert_allclose(w, [0.2, 5.0**1.5])


def test_legacy_name_is_the_same_function() -> None:
    assert calculate_alpha_squared_weights is alpha_power_weights


def test_magnitude_is_linear_and_clipped() -> None:
    w = magnitude_weights(pd.Series([0.003, -0.02, 0.5, 0.0005]), scale="fraction")
    np.testing.assert_allclose(w, [0.3, 2.0, 10.0, 0.1])
    np.testing.assert_allclose(
        magnitude_weights([2.0, -3.0], clip=None, scale="percent"), [2.0, 3.0]
    )


def test_zero_alpha_without_positive_floor_raises() -> None:
    with pytest.raises(ZeroWeightError, match=r"`alpha` gives weight 0 in row \['b'\]"):
        alpha_power_weights(pd.Series([0.02, 0.0], index=["a", "b"]), clip=None, scale="fraction")
    with pytest.raises(ZeroWeightError, match="lo > 0"):
        magnitude_weights([0.02, 0.0], clip=(0.0, 10.0), scale="fraction")
    # With a positive floor the zero-alpha row keeps a small weight.
    assert alpha_power_weights([0.02, 0.0], scale="fraction")[1] == 0.1


def test_non_finite_alpha_names_the_rows() -> None:
    alpha = pd.Series([0.01, np.nan, 0.02, np.inf], index=[10, 11, 12, 13])
    with pytest.raises(NonFiniteError, match=r"`alpha` has NaN in row \[11\]"):
        alpha_power_weights(alpha, scale="fraction")
    with pytest.raises(NonFiniteError, match=r"infinite values in row \[13\]"):
        alpha_power_weights(alpha.fillna(0.01), scale="fraction")


def test_overflow_without_upper_clip_raises() -> None:
    with pytest.raises(NonFiniteError, match="overflow"):
        alpha_power_weights([1e300, 0.01], power=3.0, clip=None, scale="fraction")
    assert alpha_power_weights([1e300], power=3.0, scale="fraction").tolist() == [10.0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"power": -0.5}, "power"),
        ({"power": float("nan")}, "power"),
        ({"power": "1.5"}, "power"),
        ({"power": True}, "power"),
        ({"clip": (10.0, 0.1)}, "lo <= hi"),
        ({"clip": (-1.0, 10.0)}, "0 <= lo"),
        ({"clip": (float("nan"), 1.0)}, "clip"),
        ({"clip": (float("inf"), float("inf"))}, "lo finite"),
        ({"clip": (1.0,)}, "pair"),
        ({"clip": "wide"}, "pair"),
        ({"scale": 0.0}, "scale"),
        ({"scale": -0.01}, "scale"),
        ({"scale": float("inf")}, "finite"),
        ({"scale": "pct"}, "known unit"),
        ({"scale": True}, "scale"),
    ],
)
def test_bad_parameters_raise(kwargs: dict[str, object], match: str) -> None:
    params: dict[str, object] = {"scale": "fraction", **kwargs}
    with pytest.raises(InvalidParameterError, match=match):
        alpha_power_weights([0.01, 0.02], **params)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=match):
        AlphaPowerWeighter(**params)  # type: ignore[arg-type]


def test_scale_is_required() -> None:
    with pytest.raises(TypeError, match="scale"):
        alpha_power_weights([0.01])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="scale"):
        AlphaPowerWeighter()  # type: ignore[call-arg]


def test_shape_and_type_errors() -> None:
    with pytest.raises(EmptyDataError):
        alpha_power_weights([], scale="fraction")
    with pytest.raises(TrTypeError, match="one-dimensional"):
        alpha_power_weights(np.ones((2, 2)), scale="fraction")
    with pytest.raises(TrTypeError, match="numeric"):
        alpha_power_weights(["a", "b"], scale="fraction")


def test_units_warning_catches_fraction_declared_as_percent() -> None:
    rng = np.random.default_rng(0)
    alpha_frac = rng.standard_t(3, size=200) * 0.05
    with pytest.warns(UnitsWarning, match="percent points"):
        alpha_power_weights(alpha_frac, scale="percent")
    with pytest.warns(UnitsWarning, match="'fraction'"):
        alpha_power_weights(alpha_frac * 100, scale="fraction")
    with pytest.warns(UnitsWarning, match="'bps'"):
        alpha_power_weights(alpha_frac, scale="bps")


def test_units_warning_stays_quiet_when_plausible_or_small_or_numeric() -> None:
    rng = np.random.default_rng(1)
    alpha_frac = rng.standard_t(3, size=200) * 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alpha_power_weights(alpha_frac, scale="fraction")
        alpha_power_weights(alpha_frac * 100, scale="percent")
        alpha_power_weights(alpha_frac * 1e4, scale="bps")
        alpha_power_weights(alpha_frac, scale="log")
        alpha_power_weights(alpha_frac[:19], scale="percent")  # too few rows to judge
        alpha_power_weights(alpha_frac, scale=1.0)  # a number is taken at its word


def test_weighter_reads_a_column_or_values_and_never_mutates() -> None:
    frame = pd.DataFrame({"alpha": [0.01, -0.04, 0.0], "x": [1, 2, 3]}, index=[5, 3, 9])
    before = frame.copy(deep=True)
    w = AlphaPowerWeighter(scale="fraction", column="alpha")
    np.testing.assert_allclose(w(frame), [1.0, 8.0, 0.1])
    np.testing.assert_allclose(w(frame["alpha"]), [1.0, 8.0, 0.1])
    np.testing.assert_allclose(
        AlphaPowerWeighter(scale="fraction")(frame["alpha"].to_numpy()), [1.0, 8.0, 0.1]
    )
    m = MagnitudeWeighter(scale="fraction", column="alpha")
    np.testing.assert_allclose(m(frame), [1.0, 4.0, 0.1])
    pd.testing.assert_frame_equal(frame, before)


def test_weighter_errors_name_the_column() -> None:
    frame = pd.DataFrame({"ret": [0.01, np.nan]})
    with pytest.raises(NonFiniteError, match="`ret` has NaN"):
        AlphaPowerWeighter(scale="fraction", column="ret")(frame)
    with pytest.raises(MissingColumnError, match="'alpha'"):
        AlphaPowerWeighter(scale="fraction", column="alpha")(frame)
    with pytest.raises(InvalidParameterError, match="column"):
        MagnitudeWeighter(scale="fraction")(frame)
    with pytest.raises(InvalidParameterError, match="column"):
        MagnitudeWeighter(scale="fraction", column=1)  # type: ignore[arg-type]


def test_weighter_canonicalizes_parameters() -> None:
    w = AlphaPowerWeighter(power=2, clip=[1, 5], scale=0.01)  # type: ignore[arg-type]
    assert w.power == 2.0
    assert isinstance(w.power, float)
    assert w.clip == (1.0, 5.0)
    assert repr(w) == (
        "AlphaPowerWeighter(power=2.0, clip=(1.0, 5.0), scale=0.01, column=None, normalize=None)"
    )
    assert w == AlphaPowerWeighter(power=2.0, clip=(1.0, 5.0), scale=0.01)
    assert hash(w) == hash(AlphaPowerWeighter(power=2.0, clip=(1.0, 5.0), scale=0.01))


def test_from_contract_uses_target_and_its_units() -> None:
    frame = pd.DataFrame(
        {
            "trade_date": pd.date_range("2024-01-01", periods=3),
            "alpha_pct": [1.0, -4.0, 0.5],
            "f": [0.1, 0.2, 0.3],
        }
    )
    contract = DataContract(
        time="trade_date", target="alpha_pct", features=["f"], target_units="percent"
    )
    w = AlphaPowerWeighter.from_contract(contract, normalize="mean")
    assert (w.column, w.scale, w.normalize) == ("alpha_pct", "percent", "mean")
    raw = np.array([1.0, 8.0, 0.5**1.5])
    np.testing.assert_allclose(w(frame), raw / raw.mean())
    m = MagnitudeWeighter.from_contract(contract, clip=None)
    np.testing.assert_allclose(m(frame), [1.0, 4.0, 0.5])


def test_units_warning_is_tr_cores_shared_class() -> None:
    # issue 10: one UnitsWarning for the toolkit, defined in tr_core.units and re-exported.
    import tr_core.units
    import tr_sample_weighting
    import tr_sample_weighting.alpha

    assert tr_sample_weighting.UnitsWarning is tr_core.units.UnitsWarning
    assert tr_sample_weighting.alpha.UNIT_SCALE is tr_core.units.UNIT_SCALE
    alpha_frac = np.random.default_rng(0).standard_t(3, size=200) * 0.05
    with pytest.warns(tr_core.units.UnitsWarning, match="`alpha` declared in 'percent'"):
        alpha_power_weights(alpha_frac, scale="percent")
    # the shared check's warning is caught by the old import path too
    with pytest.warns(UnitsWarning):
        tr_core.units.check_units(alpha_frac, "percent", "alpha")


def test_units_warning_points_at_the_callers_line() -> None:
    alpha_frac = np.random.default_rng(0).standard_t(3, size=200) * 0.05
    with pytest.warns(UnitsWarning) as record:
        alpha_power_weights(alpha_frac, scale="percent")
    assert record[0].filename == __file__
