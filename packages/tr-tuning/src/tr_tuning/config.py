"""The TOML configuration of ``tr-tune``: one file says what to tune on, and how.

A configuration has five sections; only ``[data]`` is required, and every key that
is not listed below is refused (a typo must never be silently ignored)::

    [data]                        # the rows, and the role of each column
    path = "trades.parquet"       # .parquet or .csv; relative to this file's folder
    features = ["f1", "f2"]       # columns the model is fit on
    target = "alpha"              # realized return (the bucket metrics read it)
    times = "trade_date"          # decision time of each row
    label_ends = "label_end"      # optional: when each row's outcome window closes
    entity = "ticker"             # optional: checked and kept with the rows
    label = 0.0                   # class 1 when target > label (classification)
    task = "classification"       # or "regression": XGBoost learns the target
    holdout_start = 2017-07-01    # optional: rows from this date on are the holdout

    [cv]                          # tr_core.splits.WalkForward; default n_splits = 5
    n_splits = 5                  # or test_size = 63 (timestamps) / "90D" (duration)
    window = "expanding"          # or "rolling" with train_size
    gap = 0
    embargo = 0.0

    [search_space]                # omitted: tr_tuning.DEFAULT_XGBOOST_SPACE
    max_depth = ["int", 2, 8]
    learning_rate = ["float", 0.001, 0.3, "log"]
    booster = ["categorical", ["gbtree", "dart"]]
    tree_method = "hist"          # a plain value is fixed, never searched

    [study]                       # tr_tuning.XGBoostOptimizer's study settings
    metric = "top_bucket_return"
    n_trials = 100
    storage = "runs/xgb.journal"  # journal file (relative to this file) or a URL
    study_name = "xgb"

    [xgboost]                     # XGBoost's boosting settings
    early_stopping_rounds = 50    # false: boost max_rounds rounds in every fit
    max_rounds = 1000

With ``holdout_start``, rows whose time is on or after it form the holdout (scored
once by the refit best model, never used to select); the training rows are those
whose label window closes before it (``label_end < holdout_start``, or the time
when there is no ``label_ends``). Rows in between — decided before the holdout but
with an outcome inside it — are left out of both (the purge), and counted.

The parsed configuration is plain data (:meth:`TuneConfig.to_dict`): ``tr-tune run``
stores it with the study, and ``tr-tune worker`` rebuilds the same optimizer from
it on another machine.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    MissingColumnError,
    TimeTypeError,
    TrTypeError,
)
from tr_core.splits import WalkForward
from tr_core.validation import as_datetime_array
from tr_evaluation.buckets import check_n_buckets
from tr_tuning.bayesian_search import make_pruner, make_sampler
from tr_tuning.metrics import resolve_metric
from tr_tuning.search_space import check_search_space
from tr_tuning.xgboost_tuning import XGBoostOptimizer

__all__ = ["SECTIONS", "TuneConfig", "TuningData", "load_config", "parse_config"]

_INT = (int,)
_NUMBER = (int, float)
_STR = (str,)
_SPAN = (int, str)  # a number of unique timestamps, or a duration such as "90D"
_DATE = (str, dt.date)  # dt.datetime is a dt.date

# Every valid key of every section, with the TOML types it takes. The whole schema
# lives here so that the "valid keys" of an error message are always the truth.
SECTIONS: dict[str, dict[str, tuple[type, ...]]] = {
    "data": {
        "path": _STR,
        "features": (list,),
        "target": _STR,
        "times": _STR,
        "label_ends": _STR,
        "entity": _STR,
        "label": _NUMBER,
        "task": _STR,
        "holdout_start": _DATE,
    },
    "cv": {
        "n_splits": _INT,
        "test_size": _SPAN,
        "window": _STR,
        "train_size": _SPAN,
        "gap": _SPAN,
        "embargo": _NUMBER,
    },
    "search_space": {},  # any parameter name; checked by tr_tuning.search_space
    "study": {
        "metric": _STR,
        "n_trials": _INT,
        "timeout": _NUMBER,
        "sampler": _STR,
        "pruner": _STR,
        "storage": _STR,
        "study_name": _STR,
        "random_state": _INT,
        "n_buckets": _INT,
        "heartbeat_interval": _INT,
    },
    "xgboost": {
        "early_stopping_rounds": (int, bool),
        "validation_fraction": _NUMBER,
        "max_rounds": _INT,
        "device": _STR,
        "n_jobs": _INT,
        "nan_policy": _STR,
    },
}
_REQUIRED_DATA = ("path", "features", "target", "times")
_TASKS = ("classification", "regression")
_SUFFIXES = (".parquet", ".csv")
DEFAULT_N_SPLITS = 5

# Keys that may change between runs of one study: they say how long and where to
# run, not what a trial measures.
RUN_KEYS = {
    "study": ("n_trials", "timeout", "storage", "study_name", "heartbeat_interval"),
    "xgboost": ("device", "n_jobs"),
}


@dataclass(frozen=True)
class TuningData:
    """The rows a configuration reads: training frame, optional holdout, and what was cut."""

    frame: pd.DataFrame
    holdout: pd.DataFrame | None
    n_purged: int
    sha256: str


@dataclass(frozen=True)
class TuneConfig:
    """A checked ``tr-tune`` configuration.

    Attributes
    ----------
    sections : dict
        The configuration as plain, JSON-ready data: the TOML sections with only the
        keys given, the data path made absolute, dates as ISO strings.
    """

    sections: dict[str, dict[str, Any]]

    # -- the parts ----------------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        """The ``[data]`` section."""
        return self.sections["data"]

    @property
    def study(self) -> dict[str, Any]:
        """The ``[study]`` section."""
        return self.sections.get("study", {})

    @property
    def path(self) -> Path:
        """The data file (absolute)."""
        return Path(self.data["path"])

    @property
    def label(self) -> float | None:
        """``label`` for :meth:`~tr_tuning.XGBoostOptimizer.optimize` (None: regression)."""
        if self.data.get("task", "classification") == "regression":
            return None
        return float(self.data.get("label", 0.0))

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """A deep copy of :attr:`sections` (what ``tr-tune run`` stores with the study)."""
        return {name: dict(section) for name, section in self.sections.items()}

    def with_study(self, **values: Any) -> TuneConfig:
        """A copy with ``[study]`` keys set (the command line's overrides); None is skipped."""
        given = {k: v for k, v in values.items() if v is not None}
        return parse_config({**self.to_dict(), "study": {**self.study, **given}}, base=None)

    def differences(self, other: Mapping[str, Any]) -> list[str]:
        """What ``other`` (a stored configuration) measures differently from this one.

        Keys of :data:`RUN_KEYS` (trial count, timeout, storage, device, threads) are
        not compared: they change how a study runs, not what its trials mean.
        """
        mine, theirs = _measured(self.sections), _measured(other)
        out = []
        for section in sorted(set(mine) | set(theirs)):
            a, b = theirs.get(section, {}), mine.get(section, {})
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    out.append(
                        f"[{section}] {key}: stored {a.get(key, '(unset)')!r}, "
                        f"now {b.get(key, '(unset)')!r}"
                    )
        return out

    # -- what it builds -----------------------------------------------------------------
    def cv(self) -> WalkForward:
        """The walk-forward splitter of ``[cv]`` on the configured time columns."""
        params: dict[str, Any] = dict(self.sections.get("cv", {}))
        if "n_splits" not in params and "test_size" not in params:
            params["n_splits"] = DEFAULT_N_SPLITS
        return WalkForward(
            times=self.data["times"], label_ends=self.data.get("label_ends"), **params
        )

    def optimizer(self, *, storage: Any, verbose: bool) -> XGBoostOptimizer:
        """The :class:`~tr_tuning.XGBoostOptimizer` this configuration describes.

        Parameters
        ----------
        storage : None, str or optuna storage
            Where the study lives (the caller opens it once, so that an in-memory
            study is the same object before and during the run).
        verbose : bool
            The progress bar over trials.
        """
        study = {k: v for k, v in self.study.items() if k != "storage"}
        boosting: dict[str, Any] = dict(self.sections.get("xgboost", {}))
        if boosting.get("early_stopping_rounds") is False:
            boosting["early_stopping_rounds"] = None
        space = self.sections.get("search_space")
        return XGBoostOptimizer(
            search_space=_space_from_toml(space) if space else None,
            cv=self.cv(),
            storage=storage,
            verbose=verbose,
            **study,
            **boosting,
        )

    def load_data(self) -> TuningData:
        """Read the data file, check the columns, and split off the holdout.

        Raises
        ------
        InvalidParameterError
            A missing or unreadable file, or an unsupported file type.
        MissingColumnError
            A configured column that the file does not have.
        TimeTypeError
            A time column that holds neither datetimes nor ISO date text.
        InsufficientDataError
            ``holdout_start`` leaves no training row or no holdout row.
        """
        path = self.path
        if not path.is_file():
            raise InvalidParameterError(
                f"[data] path: the data file {str(path)!r} does not exist; fix `path` (a "
                "relative path is read from the config file's folder)."
            )
        columns = self._columns()
        frame = _read(path, columns)
        for role in ("times", "label_ends"):
            if role in self.data:
                col = self.data[role]
                frame[col] = _as_datetimes(frame[col], f"[data] {role} column {col!r}")
        digest = _sha256(path)
        start = self.data.get("holdout_start")
        if start is None:
            return TuningData(frame, None, 0, digest)
        times = self.data["times"]
        cut = _timestamp(start, frame[times])
        t = as_datetime_array(frame[times], f"[data] times column {times!r}")
        end = (
            as_datetime_array(frame[self.data["label_ends"]], "[data] label_ends column")
            if "label_ends" in self.data
            else t
        )
        in_holdout = t >= cut
        in_training = (t < cut) & (end < cut)
        n_train, n_hold = int(in_training.sum()), int(in_holdout.sum())
        if n_train == 0 or n_hold == 0:
            side = "training" if n_train == 0 else "holdout"
            raise InsufficientDataError(
                f"[data] holdout_start = {start!s} leaves no {side} row (times run from "
                f"{pd.Timestamp(t.min())} to {pd.Timestamp(t.max())}, "
                f"{n_train} training and {n_hold} holdout rows); move holdout_start inside "
                "that span."
            )
        purged = int((~in_holdout & ~in_training).sum())
        return TuningData(
            frame.loc[in_training].copy(), frame.loc[in_holdout].copy(), purged, digest
        )

    def _columns(self) -> list[str]:
        d = self.data
        roles = [d.get(k) for k in ("target", "times", "label_ends", "entity")]
        out = list(dict.fromkeys([*d["features"], *(r for r in roles if r is not None)]))
        return out


def load_config(path: str | os.PathLike[str]) -> TuneConfig:
    """Read and check a ``tr-tune`` TOML file.

    Raises
    ------
    InvalidParameterError
        A missing or unreadable file, TOML that does not parse (with its line and
        column), an unknown section or key (listing the valid ones), a value out of
        range, a search-space entry with ``low > high`` — all before any data is read.
    TrTypeError
        A value of the wrong type (naming the section, the key and the type wanted).
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidParameterError(
            f"the config file {str(file)!r} does not exist; give the path of a .toml file "
            "(see packages/tr-tuning/examples/xgboost.toml)."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidParameterError(
            f"the config file {str(file)!r} cannot be read: {exc}"
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidParameterError(
            f"the config file {str(file)!r} is not valid TOML: {exc}"
        ) from None
    return parse_config(raw, base=file.resolve().parent)


def parse_config(raw: Mapping[str, Any], *, base: Path | None) -> TuneConfig:
    """Check a configuration given as a mapping (parsed TOML, or a stored config).

    Parameters
    ----------
    raw : mapping
        Sections as in the module docstring.
    base : Path or None
        Folder that a relative ``[data] path`` and journal-file ``storage`` are
        resolved against (the config file's folder); None when they are already
        absolute (a stored configuration).
    """
    if not isinstance(raw, Mapping):
        raise TrTypeError(f"a configuration is a table of sections, got {type(raw).__name__}.")
    _refuse_unknown(raw, SECTIONS, "section", "the config file")
    sections: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        if not isinstance(table, Mapping):
            raise TrTypeError(
                f"[{name}] must be a table (a `[{name}]` header followed by keys), got "
                f"{type(table).__name__}."
            )
        if name != "search_space":
            _refuse_unknown(table, SECTIONS[name], "key", f"[{name}]")
            for key, value in table.items():
                _check_type(name, key, value, SECTIONS[name][key])
        sections[name] = {k: _plain(v) for k, v in table.items()}
    if "data" not in sections:
        raise InvalidParameterError(
            f"the config has no [data] section; it needs at least {list(_REQUIRED_DATA)} "
            "(see packages/tr-tuning/examples/xgboost.toml)."
        )
    _check_data(sections["data"], base)
    study = sections.get("study", {})
    if base is not None and "storage" in study and "://" not in study["storage"]:
        study["storage"] = str((base / study["storage"]).resolve())
    config = TuneConfig(sections)
    _check_values(config)
    return config


# -- checks -----------------------------------------------------------------------------
def _refuse_unknown(
    table: Mapping[str, Any], valid: Mapping[str, Any], what: str, where: str
) -> None:
    unknown = [k for k in table if k not in valid]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(str(key), list(valid), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidParameterError(
            f"unknown {what} {key!r} in {where}{hint}; valid {what}s are {list(valid)}."
        )


def _check_type(section: str, key: str, value: Any, types: tuple[type, ...]) -> None:
    # TOML booleans are ints to Python; a bool is only valid where the schema says so.
    ok = isinstance(value, types) and (bool in types or not isinstance(value, bool))
    if key == "early_stopping_rounds" and value is True:
        ok = False
    if not ok:
        wanted = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
        if key == "early_stopping_rounds":
            wanted = "a positive integer, or false (boost max_rounds rounds in every fit)"
        raise TrTypeError(
            f"[{section}] {key} = {value!r} must be {wanted}, got {type(value).__name__}."
        )


_TYPE_NAMES = {
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "an array",
    bool: "a boolean",
    dt.date: "a date (2017-07-01)",
}


def _check_data(data: dict[str, Any], base: Path | None) -> None:
    missing = [k for k in _REQUIRED_DATA if k not in data]
    if missing:
        raise InvalidParameterError(
            f"[data] lacks {missing}; it needs the data file `path`, the `features`, the "
            "`target` and the `times` column."
        )
    features = data["features"]
    if not features or not all(isinstance(f, str) for f in features):
        raise InvalidParameterError(
            f"[data] features = {features!r} must be a non-empty array of column names."
        )
    if len(set(features)) != len(features):
        twice = sorted({f for f in features if features.count(f) > 1})
        raise InvalidParameterError(f"[data] features lists {twice} more than once.")
    task = data.get("task", "classification")
    if task not in _TASKS:
        raise InvalidParameterError(f"[data] task = {task!r} must be one of {list(_TASKS)}.")
    if task == "regression" and "label" in data:
        raise InvalidParameterError(
            "[data] label is a class threshold, but task = 'regression' learns the target "
            "itself; remove `label` or set task = 'classification'."
        )
    path = Path(data["path"])
    if path.suffix.lower() not in _SUFFIXES:
        raise InvalidParameterError(
            f"[data] path = {data['path']!r}: the file type {path.suffix or '(none)'!r} is not "
            f"supported; give one of {list(_SUFFIXES)}."
        )
    if not path.is_absolute():
        if base is None:
            raise InvalidParameterError(
                f"[data] path = {data['path']!r} is relative, but this configuration has no "
                "folder to resolve it against; store an absolute path."
            )
        path = base / path
    data["path"] = str(path.resolve())
    if "holdout_start" in data:
        try:
            pd.Timestamp(data["holdout_start"])
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"[data] holdout_start = {data['holdout_start']!r} is not a date; write it as "
                "a TOML date (2017-07-01) or an ISO string ('2017-07-01T00:00:00')."
            ) from None


def _check_values(config: TuneConfig) -> None:
    """Everything that can be checked without data: before any file is read or study opened."""
    study = config.study
    space = config.sections.get("search_space")
    if space is not None:
        check_search_space(_space_from_toml(space), name="[search_space]")
    n_buckets = check_n_buckets(study.get("n_buckets", 20))
    resolve_metric(study.get("metric", "top_bucket_return"), n_buckets)
    make_sampler(study.get("sampler", "tpe"), random_state=study.get("random_state"), shared=False)
    make_pruner(study.get("pruner", "median"), DEFAULT_N_SPLITS)
    config.cv()  # WalkForward checks its own parameters
    boosting = config.sections.get("xgboost", {})
    for key in ("n_trials", "heartbeat_interval"):
        if key in study and study[key] < 1:
            raise InvalidParameterError(f"[study] {key} = {study[key]!r} must be at least 1.")
    if "timeout" in study and study["timeout"] <= 0:
        raise InvalidParameterError(f"[study] timeout = {study['timeout']!r} must be > 0 seconds.")
    for key in ("max_rounds", "early_stopping_rounds"):
        value = boosting.get(key)
        if value is not None and value is not False and value < 1:
            raise InvalidParameterError(f"[xgboost] {key} = {value!r} must be at least 1.")
    fraction = boosting.get("validation_fraction", 0.2)
    if not 0 < fraction < 1:
        raise InvalidParameterError(
            f"[xgboost] validation_fraction = {fraction!r} must be a fraction in (0, 1)."
        )


def _measured(sections: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, table in sections.items():
        skip = RUN_KEYS.get(name, ())
        out[name] = {k: v for k, v in dict(table).items() if k not in skip}
    return out


# -- conversions ------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """TOML values as JSON-ready data: dates as ISO strings, arrays as lists."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _space_from_toml(space: Mapping[str, Any]) -> dict[str, Any]:
    """TOML arrays (``["int", 2, 8]``) as the tuples of :mod:`tr_tuning.search_space`."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in space.items()}


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".csv":
            header = pd.read_csv(path, nrows=0).columns
            _require_columns(columns, header, path)
            return pd.read_csv(path, usecols=columns)[columns]
        import pyarrow.parquet as pq

        header = pd.Index(pq.ParquetFile(path).schema_arrow.names)
        _require_columns(columns, header, path)
        return pd.read_parquet(path, columns=columns)
    except MissingColumnError:
        raise
    except Exception as exc:  # pandas and pyarrow raise many kinds; all mean "unreadable"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidParameterError(
            f"[data] path: {str(path)!r} cannot be read as {path.suffix.lstrip('.')}: {first}"
        ) from None


def _require_columns(columns: list[str], header: pd.Index, path: Path) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise MissingColumnError(
            f"[data] names the columns {missing}, which {str(path)!r} does not have; its "
            f"columns are {list(header)}. Fix the column names in [data]."
        )


def _as_datetimes(values: pd.Series, what: str) -> pd.Series:
    """A time column as datetimes: CSV holds ISO text, which is parsed (nothing else is)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        try:
            return pd.to_datetime(values, format="ISO8601")
        except (TypeError, ValueError) as exc:
            raise TimeTypeError(
                f"{what} holds text that is not an ISO date ({exc}); write times as "
                "'2017-07-01' or '2017-07-01T09:30:00'."
            ) from None
    raise TimeTypeError(
        f"{what} has dtype {values.dtype}, not datetimes or ISO date text; numbers are never "
        "read as dates. Store the column as dates."
    )


def _timestamp(value: str, times: pd.Series) -> np.datetime64:
    """``holdout_start`` on the naive-UTC scale of ``as_datetime_array``.

    A date without a zone is read in the zone of tz-aware times (a holdout that starts
    on 2017-07-01 in New York starts at New York's midnight).
    """
    ts = pd.Timestamp(value)
    tz = getattr(times.dt, "tz", None)
    if ts.tz is None and tz is not None:
        ts = ts.tz_localize(tz)
    if ts.tz is not None:
        if tz is None:
            raise InvalidParameterError(
                f"[data] holdout_start = {value!r} has a time zone, but the times column is "
                "naive; drop the zone from holdout_start."
            )
        ts = ts.tz_convert("UTC").tz_localize(None)
    return np.datetime64(ts.as_unit("ns").asm8)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
