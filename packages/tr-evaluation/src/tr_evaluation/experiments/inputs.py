"""A user's own frame for an experiment: a CSV or parquet file and its contract as JSON."""

from __future__ import annotations

import json
import re
import warnings
import zoneinfo
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.api.types import is_datetime64_any_dtype

from tr_core import DataContract
from tr_core.errors import InvalidParameterError, TimeColumnError

_PANDAS_HINT = re.compile(r"[.,]\s+(?:try|you might)", re.IGNORECASE)

READ_OPTIONS = ("time_format", "time_zone")
"""Keys of the contract file that say how to read the times (not DataContract arguments)."""


def read_frame(data: Path | str, contract: Path | str) -> tuple[pd.DataFrame, DataContract]:
    """The frame in ``data`` (``.csv`` or ``.parquet``) and the :class:`~tr_core.DataContract`
    whose arguments ``contract`` holds as JSON.

    The contract's time columns (``time``, ``label_end``) are parsed once, here, with the
    ``time_format`` the JSON may give — never guessed row by row (a CSV holds dates as
    text). A ``time_zone`` (an IANA name such as ``"America/New_York"``) reads them as
    that zone's wall clock: naive times are localized to it, times with UTC offsets
    (daylight saving time gives one zone two offsets) are converted to it. Any other key
    is a :class:`~tr_core.DataContract` argument; the contract is checked before the data
    is read.

    Parameters
    ----------
    data : Path or str
        The frame: ``.parquet``, or anything else read as CSV.
    contract : Path or str
        JSON object of DataContract arguments, plus optional ``time_format`` and
        ``time_zone``.

    Returns
    -------
    tuple of DataFrame and DataContract

    Raises
    ------
    FileNotFoundError
        If either file does not exist.
    InvalidParameterError
        If the contract file is not a JSON object of DataContract arguments, or its
        ``time_zone`` is not a known zone.
    TimeColumnError
        If a time column does not parse: text that ``time_format`` does not match,
        offsets that differ between rows while no ``time_zone`` is given, or a naive
        wall time that the zone's clock change skips or repeats.
    """
    data, contract = Path(data), Path(contract)
    for path, what in ((contract, "contract"), (data, "data")):
        if not path.is_file():
            raise FileNotFoundError(f"the {what} file {path} does not exist")
    spec = _contract_arguments(contract)
    options = {key: spec.pop(key, None) for key in READ_OPTIONS}
    if options["time_zone"] is not None:
        _check_zone(options["time_zone"], contract)
    try:
        parsed = DataContract(**spec)
    except TypeError as exc:
        raise InvalidParameterError(
            f"{contract}: {exc}. Its keys are DataContract's arguments (time, target, "
            f"features, label_end, entity, groups, target_units) and {', '.join(READ_OPTIONS)}."
        ) from exc
    reader = pd.read_parquet if data.suffix == ".parquet" else pd.read_csv
    frame = reader(data)
    for column in (parsed.time, parsed.label_end):
        if column is not None and column in frame:
            frame[column] = _parse_times(frame[column], column, **options)
    return frame, parsed


def _contract_arguments(contract: Path) -> dict[str, Any]:
    try:
        spec = json.loads(contract.read_text())
    except json.JSONDecodeError as exc:
        raise InvalidParameterError(
            f"{contract} is not JSON ({exc}); it holds one object of DataContract "
            'arguments, e.g. {"time": "trade_date", "target": "alpha", "features": ["x"]}.'
        ) from exc
    if not isinstance(spec, dict):
        raise InvalidParameterError(
            f"{contract} holds a JSON {type(spec).__name__}; it must hold one object of "
            'DataContract arguments, e.g. {"time": "trade_date", "target": "alpha", ...}.'
        )
    return spec


def _parse_times(
    values: pd.Series, column: str, time_format: str | None, time_zone: str | None
) -> pd.Series:
    """``values`` as datetimes: in the file's own form, or on ``time_zone``'s wall clock."""
    failure: Exception | None = None
    try:
        with warnings.catch_warnings():
            # pandas < 3 returns objects for mixed offsets, warning that it will raise
            warnings.filterwarnings("ignore", "(?i).*mixed time ?zones", FutureWarning)
            times = pd.to_datetime(values, format=time_format)
    except (ValueError, TypeError) as exc:
        failure = exc
    if failure is not None or not is_datetime64_any_dtype(times):
        try:  # one instant per row, offsets that differ (a zone's daylight saving time)
            times = pd.to_datetime(values, format=time_format, utc=True)
        except (ValueError, TypeError) as exc:
            raise TimeColumnError(
                f"column {column!r} does not parse as times: {_first_line(failure or exc)}. "
                'Give the file\'s "time_format" in the contract file (e.g. "%Y-%m-%d" or '
                '"%d/%m/%Y %H:%M").'
            ) from exc
        if time_zone is None:
            raise TimeColumnError(
                f"column {column!r} holds times with different UTC offsets (a zone's "
                'daylight saving time, or mixed zones). Give its "time_zone" in the '
                'contract file (e.g. "America/New_York") to read them on that wall clock, '
                "or write the file in UTC."
            )
    if time_zone is None:
        return times
    if times.dt.tz is not None:
        return times.dt.tz_convert(time_zone)
    local = times.dt.tz_localize(time_zone, ambiguous="NaT", nonexistent="NaT")
    lost = local.isna() & times.notna()
    if lost.any():
        raise TimeColumnError(
            f"column {column!r} holds {int(lost.sum()):,} wall time(s), such as "
            f"{times[lost].iloc[0]}, that {time_zone}'s clock change skips or repeats: they "
            "name no single instant. Write the times with their UTC offsets (or in UTC) in "
            "the file."
        )
    return local


def _check_zone(time_zone: Any, contract: Path) -> None:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise InvalidParameterError(
            f'{contract}: "time_zone" {time_zone!r} is not a time zone ({_first_line(exc)}); '
            'use an IANA name such as "America/New_York", "Europe/London" or "UTC".'
        ) from exc


def _first_line(exc: BaseException) -> str:
    """An exception's message without the hints pandas appends (arguments of its own
    functions, which a reader of a contract file cannot pass)."""
    text = str(exc).strip()
    text = text.splitlines()[0] if text else type(exc).__name__
    return _PANDAS_HINT.split(text, maxsplit=1)[0].rstrip(" .,:")
