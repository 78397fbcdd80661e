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


def test_times_and_missing_markers() -> None:
    # Review of issue 10: datetime64 became an integer of nanoseconds; Timestamp and NA
    # were passed through and broke json.dumps.
    import pandas as pd

    values = [
        np.datetime64("2024-01-01"),
        pd.Timestamp("2024-03-01 20:00", tz="America/New_York"),
        pd.Period("2024-03", "M"),
        pd.NaT,
        pd.NA,
        np.datetime64("NaT"),
        pd.Timedelta("1D"),
    ]
    out = [plain(v) for v in values]
    assert out[:6] == [
        "2024-01-01T00:00:00",
        "2024-03-01T20:00:00-05:00",
        "2024-03",
        None,
        None,
        None,
    ]
    assert out[6] == pd.Timedelta("1D").isoformat()
    json.dumps(out, allow_nan=False)
