"""The weighter protocol: composition, normalization, records, output checks."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from tr_core.contract import DataContract
from tr_core.errors import (
    InvalidParameterError,
    LengthMismatchError,
    NonFiniteError,
    TrTypeError,
    TrValueError,
    ZeroWeightError,
)
from tr_sample_weighting import (
    AlphaPowerWeighter,
    ClassBalanceWeighter,
    MagnitudeWeighter,
    ProductWeighter,
    ReturnAttributionWeighter,
    SampleWeighter,
    TimeDecayWeighter,
    UniquenessWeighter,
)
from tr_sample_weighting.base import Data, Normalize


@dataclass(frozen=True, kw_only=True)
class Constant(SampleWeighter):
    """A user-defined weighter returning fixed values (to test the output checks)."""

    values: tuple[float, ...]
    normalize: Normalize = None

    def _validate(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        return np.array(self.values, dtype=np.float64)


def test_product_multiplies_row_by_row(three_labels: pd.DataFrame) -> None:
    alpha = AlphaPowerWeighter(scale="fraction", column="alpha")
    unique = UniquenessWeighter(time="trade_date", label_end="label_end")
    w = alpha * unique
    assert isinstance(w, ProductWeighter)
    # 3% -> 3**1.5, 6% -> 6**1.5 = 14.7 clipped to 10, 2% -> 2**1.5.
    expected = np.array([3**1.5, 10.0, 2**1.5]) * np.array([2 / 3, 1 / 2, 3 / 4])
    np.testing.assert_allclose(w(three_labels), expected, rtol=1e-12)


def test_normalize_applies_to_the_final_result(three_labels: pd.DataFrame) -> None:
    alpha = AlphaPowerWeighter(scale="fraction", column="alpha")
    unique = UniquenessWeighter(time="trade_date", label_end="label_end")
    raw = (alpha * unique)(three_labels)
    mean1 = (alpha * unique).normalized("mean")(three_labels)
    sum1 = ProductWeighter(factors=(alpha, unique), normalize="sum")(three_labels)
    np.testing.assert_allclose(mean1, raw / raw.mean())
    np.testing.assert_allclose(sum1, raw / raw.sum())
    assert sum1.sum() == pytest.approx(1.0)
    # A factor's own normalization is applied before multiplying.
    scaled = (alpha.normalized("sum") * unique)(three_labels)
    np.testing.assert_allclose(scaled, raw / alpha(three_labels).sum())


def test_products_flatten_unless_normalized() -> None:
    a = AlphaPowerWeighter(scale="fraction")
    b = MagnitudeWeighter(scale="fraction")
    c = ClassBalanceWeighter()
    assert (a * b * c).factors == (a, b, c)
    assert (a * (b * c)).factors == (a, b, c)
    inner = (b * c).normalized("mean")
    assert (a * inner).factors == (a, inner)


def test_repr_and_to_dict_record_every_parameter() -> None:
    w = (
        AlphaPowerWeighter(scale="percent", column="alpha")
        * TimeDecayWeighter(time="t", oldest=0.25)
    ).normalized("mean")
    assert repr(w) == (
        "ProductWeighter(factors=(AlphaPowerWeighter(power=1.5, clip=(0.1, 10.0), "
        "scale='percent', column='alpha', normalize=None), TimeDecayWeighter(time='t', "
        "label_end=None, oldest=0.25, normalize=None)), normalize='mean')"
    )
    record = json.loads(json.dumps(w.to_dict()))
    assert record == {
        "weighter": "ProductWeighter",
        "factors": [
            {
                "weighter": "AlphaPowerWeighter",
                "power": 1.5,
                "clip": [0.1, 10.0],
                "scale": "percent",
                "column": "alpha",
                "normalize": None,
            },
            {
                "weighter": "TimeDecayWeighter",
                "time": "t",
                "label_end": None,
                "oldest": 0.25,
                "normalize": None,
            },
        ],
        "normalize": "mean",
    }


def test_weighters_are_frozen() -> None:
    w = AlphaPowerWeighter(scale="fraction")
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.power = 2.0  # type: ignore[misc]


def test_bad_normalize_and_bad_products() -> None:
    with pytest.raises(InvalidParameterError, match="normalize"):
        AlphaPowerWeighter(scale="fraction", normalize="max")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="normalize"):
        AlphaPowerWeighter(scale="fraction").normalized("l2")  # type: ignore[arg-type]
    a = ClassBalanceWeighter()
    with pytest.raises(TypeError):
        a * 2.0  # type: ignore[operator]
    with pytest.raises(TrTypeError, match="SampleWeighter"):
        ProductWeighter(factors=(a, np.ones(3)))  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="at least two"):
        ProductWeighter(factors=(a,))


def test_output_checks_catch_a_bad_custom_weighter() -> None:
    data = np.zeros(3)
    np.testing.assert_allclose(Constant(values=(1.0, 0.0, 3.0))(data), [1.0, 0.0, 3.0])
    np.testing.assert_allclose(
        Constant(values=(1.0, 0.0, 3.0), normalize="mean")(data), [0.75, 0.0, 2.25]
    )
    with pytest.raises(ZeroWeightError, match="every one of the 3 rows"):
        Constant(values=(0.0, 0.0, 0.0))(data)
    with pytest.raises(TrValueError, match=r"negative weights in row \[1\]"):
        Constant(values=(1.0, -1.0, 1.0))(data)
    with pytest.raises(NonFiniteError, match=r"row \[2\]"):
        Constant(values=(1.0, 1.0, np.nan))(data)
    with pytest.raises(LengthMismatchError, match="for 3 rows"):
        Constant(values=(1.0, 1.0))(data)


def test_from_contract_requires_label_end_for_uniqueness() -> None:
    no_end = DataContract(time="t", target="alpha", features=["f"])
    with pytest.raises(InvalidParameterError, match="label_end"):
        UniquenessWeighter.from_contract(no_end)
    with pytest.raises(InvalidParameterError, match="label_end"):
        ReturnAttributionWeighter.from_contract(no_end)
    full = DataContract(time="t", target="alpha", features=["f"], label_end="end")
    assert UniquenessWeighter.from_contract(full) == UniquenessWeighter(time="t", label_end="end")
    assert ReturnAttributionWeighter.from_contract(full, normalize="sum") == (
        ReturnAttributionWeighter(time="t", label_end="end", returns="alpha", normalize="sum")
    )
    with pytest.raises(InvalidParameterError, match="returns"):
        ReturnAttributionWeighter(time="t", label_end="end", returns=None)  # type: ignore[arg-type]
