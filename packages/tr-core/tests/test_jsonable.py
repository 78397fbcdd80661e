"""``plain``: summaries must survive strict JSON."""

from __future__ import annotations

import json

import numpy as np

from tr_core.jsonable import plain


def test_numpy_scalars_and_non_finite_values() -> None:
    values = [np.float64(1.5), np.int32(2), np.bool_(True), np.nan, np.inf, "text", None]
    out = [plain(v) for v in values]
    assert out == [1.5, 2, True, None, None, "text", None]
    assert [type(v) for v in out[:3]] == [float, int, bool]
    json.dumps(out, allow_nan=False)
