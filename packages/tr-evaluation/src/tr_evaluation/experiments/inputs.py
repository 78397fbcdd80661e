"""A user's own frame for an experiment: a CSV or parquet file and its contract as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tr_core import DataContract


def read_frame(data: Path, contract: Path) -> tuple[pd.DataFrame, DataContract]:
    """The frame in ``data`` (``.csv`` or ``.parquet``) and the :class:`~tr_core.DataContract`
    whose arguments ``contract`` holds as JSON.

    The contract's time columns (``time``, ``label_end``) are parsed once, here, with the
    ``time_format`` the JSON may give — never guessed row by row (a CSV holds dates as
    text). Any other key is a :class:`~tr_core.DataContract` argument.

    Parameters
    ----------
    data : Path
        The frame: ``.parquet``, or anything else read as CSV.
    contract : Path
        JSON object of DataContract arguments, plus an optional ``time_format``.

    Returns
    -------
    tuple of DataFrame and DataContract
    """
    reader = pd.read_parquet if data.suffix == ".parquet" else pd.read_csv
    frame = reader(data)
    spec = json.loads(contract.read_text())
    time_format = spec.pop("time_format", None)
    for col in (spec["time"], spec.get("label_end")):
        if col is not None and col in frame:
            frame[col] = pd.to_datetime(frame[col], format=time_format)
    return frame, DataContract(**spec)
