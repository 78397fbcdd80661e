"""The tr-tune TOML config: schema, conversions, the holdout split, and what it builds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    MissingColumnError,
    TimeTypeError,
    TrTypeError,
)
from tr_core.splits import WalkForward
from tr_tuning.config import SECTIONS, load_config, parse_config

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "xgboost.toml"


def minimal(**data: Any) -> dict[str, Any]:
    base = {"path": "d.csv", "features": ["f1", "f2"], "target": "y", "times": "t"}
    return {"data": base | data}


def write_toml(folder: Path, text: str) -> Path:
    path = folder / "tune.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_parses_and_builds_its_optimizer() -> None:
    config = load_config(EXAMPLE)
    assert config.path == EXAMPLE.parent / "insider_trades.parquet"
    assert config.label == 0.0
    opt = config.optimizer(storage=None, verbose=False)
    assert opt.search_space["learning_rate"] == ("float", 0.01, 0.3, "log")
    assert opt.max_rounds == 300
    assert opt.early_stopping_rounds == 30
    assert opt.metric == "auc"
    assert opt.study_name == "xgb-insider"
    assert isinstance(opt.cv, WalkForward)
    assert (opt.cv.n_splits, opt.cv.times, opt.cv.label_ends) == (5, "trade_date", "label_end")


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    sub = tmp_path / "cfg"
    sub.mkdir()
    path = write_toml(
        sub,
        'study = {storage = "runs/s.journal"}\n'
        '[data]\npath = "../data/d.parquet"\nfeatures = ["a"]\ntarget = "y"\ntimes = "t"\n',
    )
    config = load_config(path)
    assert config.data["path"] == str(tmp_path / "data" / "d.parquet")
    assert config.study["storage"] == str(sub / "runs" / "s.journal")
    url = parse_config(minimal() | {"study": {"storage": "sqlite:///x.db"}}, base=tmp_path)
    assert url.study["storage"] == "sqlite:///x.db"  # a URL is never touched


def test_search_space_arrays_become_tuples_and_omitted_means_default(tmp_path: Path) -> None:
    space = {"max_depth": ["int", 2, 8], "booster": ["categorical", ["gbtree", "dart"]], "k": 3}
    config = parse_config(minimal() | {"search_space": space}, base=tmp_path)
    opt = config.optimizer(storage=None, verbose=False)
    assert opt.search_space == {
        "max_depth": ("int", 2, 8),
        "booster": ("categorical", ["gbtree", "dart"]),
        "k": 3,
    }
    assert (
        parse_config(minimal(), base=tmp_path).optimizer(storage=None, verbose=True).search_space
        is None
    )


def test_sections_map_to_optimizer_and_walk_forward(tmp_path: Path) -> None:
    raw = minimal(label_ends="e", task="regression") | {
        "cv": {"test_size": "90D", "window": "rolling", "train_size": 200, "gap": 2,
               "embargo": 0.01},
        "study": {"metric": "ic", "n_trials": 7, "timeout": 60, "sampler": "random",
                  "pruner": "none", "random_state": 3, "n_buckets": 10, "heartbeat_interval": 5},
        "xgboost": {"early_stopping_rounds": False, "validation_fraction": 0.3, "max_rounds": 20,
                    "device": "cuda", "n_jobs": 2, "nan_policy": "drop"},
    }  # fmt: skip
    config = parse_config(raw, base=tmp_path)
    assert config.label is None
    opt = config.optimizer(storage="s.journal", verbose=False)
    assert (opt.metric, opt.n_trials, opt.timeout, opt.sampler, opt.pruner) == (
        "ic", 7, 60, "random", "none"
    )  # fmt: skip
    assert (opt.random_state, opt.n_buckets, opt.heartbeat_interval) == (3, 10, 5)
    assert opt.early_stopping_rounds is None  # false: boost max_rounds rounds
    assert (opt.validation_fraction, opt.max_rounds, opt.device) == (0.3, 20, "cuda")
    assert (opt.n_jobs, opt.nan_policy, opt.storage) == (2, "drop", "s.journal")
    cv = opt.cv
    assert (cv.n_splits, cv.test_size, cv.window, cv.train_size) == (None, "90D", "rolling", 200)
    assert (cv.gap, cv.embargo, cv.label_ends) == (2, 0.01, "e")


@pytest.mark.parametrize(
    ("raw", "error", "words"),
    [
        ({"data": {}, "stduy": {}}, InvalidParameterError,
         ["'stduy'", "did you mean 'study'", "xgboost"]),
        (minimal(lable=1.0), InvalidParameterError,
         ["'lable'", "did you mean 'label'", "holdout_start"]),
        (minimal() | {"cv": {"nsplits": 3}}, InvalidParameterError, ["'nsplits'", "embargo"]),
        ({"study": {}}, InvalidParameterError, ["no [data] section"]),
        ({"data": {"path": "d.csv"}}, InvalidParameterError, ["lacks", "features", "times"]),
        (minimal(features=[]), InvalidParameterError, ["non-empty array"]),
        (minimal(features=["a", "a"]), InvalidParameterError, ["['a'] more than once"]),
        (minimal(path="d.xlsx"), InvalidParameterError, ["'.xlsx'", ".parquet"]),
        (minimal(task="ranking"), InvalidParameterError, ["task", "regression"]),
        (minimal(task="regression", label=0.0), InvalidParameterError, ["remove `label`"]),
        (minimal(holdout_start="soon"), InvalidParameterError, ["not a date"]),
        (minimal(target=3), TrTypeError, ["[data] target = 3", "a string"]),
        ({"data": "x.csv"}, TrTypeError, ["[data] must be a table"]),
        (minimal() | {"study": {"n_trials": "10"}}, TrTypeError, ["n_trials", "an integer"]),
        (minimal() | {"study": {"n_trials": True}}, TrTypeError, ["n_trials"]),
        (minimal() | {"study": {"n_trials": 0}}, InvalidParameterError, ["at least 1"]),
        (minimal() | {"study": {"timeout": -1}}, InvalidParameterError, ["timeout"]),
        (minimal() | {"study": {"metric": "sharpe"}}, InvalidParameterError, ["'sharpe'", "auc"]),
        (minimal() | {"study": {"sampler": "grid"}}, InvalidParameterError, ["'grid'", "tpe"]),
        (minimal() | {"study": {"pruner": "early"}}, InvalidParameterError, ["'early'", "median"]),
        (minimal() | {"xgboost": {"early_stopping_rounds": True}}, TrTypeError, ["or false"]),
        (minimal() | {"xgboost": {"max_rounds": 0}}, InvalidParameterError, ["max_rounds"]),
        (minimal() | {"xgboost": {"validation_fraction": 1.5}}, InvalidParameterError, ["(0, 1)"]),
        (minimal() | {"cv": {"n_splits": 1}}, InvalidParameterError, ["n_splits"]),
        (minimal() | {"cv": {"n_splits": 3, "test_size": 5}}, InvalidParameterError,
         ["exactly one"]),
        (minimal() | {"search_space": {"max_depth": ["int", 8, 2]}}, InvalidParameterError,
         ["[search_space]", "'max_depth'", "low=8 > high=2"]),
        (minimal() | {"search_space": {"eta": ["uniform", 0, 1]}}, InvalidParameterError,
         ["'eta'", "kind"]),
    ],
)  # fmt: skip
def test_bad_configs_are_refused_before_any_data_is_read(
    tmp_path: Path, raw: dict[str, Any], error: type[Exception], words: list[str]
) -> None:
    with pytest.raises(error) as info:
        parse_config(raw, base=tmp_path)
    for word in words:
        assert word in str(info.value)


def test_unknown_key_lists_every_valid_key(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError) as info:
        parse_config(minimal() | {"xgboost": {"num_rounds": 5}}, base=tmp_path)
    assert str(list(SECTIONS["xgboost"])) in str(info.value)


def test_toml_files_missing_or_broken(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    with pytest.raises(InvalidParameterError, match=r"not valid TOML.*line 1"):
        load_config(write_toml(tmp_path, "[data\npath = 1\n"))
    with pytest.raises(InvalidParameterError, match="cannot be read"):
        load_config(tmp_path)  # a folder
    with pytest.raises(InvalidParameterError, match="relative"):
        parse_config(minimal(), base=None)


def test_stored_config_round_trips_through_json(tmp_path: Path) -> None:
    path = write_toml(
        tmp_path,
        '[data]\npath = "d.csv"\nfeatures = ["a"]\ntarget = "y"\ntimes = "t"\n'
        'holdout_start = 2017-07-01\n[search_space]\nmax_depth = ["int", 2, 8]\n',
    )
    config = load_config(path)
    stored = json.loads(json.dumps(config.to_dict()))
    assert stored["data"]["holdout_start"] == "2017-07-01"
    again = parse_config(stored, base=None)
    assert again.to_dict() == config.to_dict()
    assert config.differences(stored) == []


def test_differences_name_what_a_trial_measures_not_how_long_it_runs(tmp_path: Path) -> None:
    config = parse_config(minimal() | {"study": {"n_trials": 5, "metric": "auc"}}, base=tmp_path)
    longer = config.with_study(n_trials=50, storage="x.journal", study_name="s", timeout=None)
    assert longer.study["n_trials"] == 50
    assert longer.study["storage"] == "x.journal"
    assert longer.differences(config.to_dict()) == []
    other = parse_config(
        minimal(features=["f1"]) | {"study": {"metric": "ic"}, "cv": {"n_splits": 3}},
        base=tmp_path,
    )
    assert other.differences(config.to_dict()) == [
        "[cv] n_splits: stored '(unset)', now 3",
        "[data] features: stored ['f1', 'f2'], now ['f1']",
        "[study] metric: stored 'auc', now 'ic'",
    ]


# -- data --------------------------------------------------------------------------------
def six_days() -> pd.DataFrame:
    """Rows on days 1..6 whose outcome is known two days later."""
    t = pd.date_range("2020-01-01", periods=6, freq="D")
    return pd.DataFrame(
        {"t": t, "e": t + pd.Timedelta("2D"), "f1": np.arange(6.0), "f2": 1.0, "y": 0.1,
         "other": "x"}
    )  # fmt: skip


def test_holdout_split_purges_rows_whose_label_reaches_it(tmp_path: Path) -> None:
    six_days().to_parquet(tmp_path / "d.parquet")
    config = parse_config(
        minimal(path="d.parquet", label_ends="e", holdout_start="2020-01-05"), base=tmp_path
    )
    data = config.load_data()
    # Holdout: days 5 and 6. Training: label end < day 5, i.e. days 1 (ends 3) and
    # 2 (ends 4). Days 3 and 4 end on days 5 and 6, inside the holdout: purged.
    assert list(data.holdout["t"].dt.day) == [5, 6]
    assert list(data.frame["t"].dt.day) == [1, 2]
    assert data.n_purged == 2
    assert list(data.frame.columns) == ["f1", "f2", "y", "t", "e"]  # only the configured ones
    assert len(data.sha256) == 64
    without_ends = parse_config(
        minimal(path="d.parquet", holdout_start="2020-01-05"), base=tmp_path
    )
    split = without_ends.load_data()
    assert split.holdout is not None
    assert (len(split.frame), len(split.holdout), split.n_purged) == (4, 2, 0)


def test_holdout_must_leave_rows_on_both_sides(tmp_path: Path) -> None:
    six_days().to_parquet(tmp_path / "d.parquet")
    for start, side in (("2020-01-01", "training"), ("2021-01-01", "holdout")):
        config = parse_config(minimal(path="d.parquet", holdout_start=start), base=tmp_path)
        with pytest.raises(InsufficientDataError, match=f"no {side} row"):
            config.load_data()


def test_tz_aware_times_read_holdout_start_in_their_zone(tmp_path: Path) -> None:
    frame = six_days()
    frame["t"] = frame["t"].dt.tz_localize("America/New_York") + pd.Timedelta("20h")
    frame.to_parquet(tmp_path / "d.parquet")
    # Day 4 at 20:00 New York is day 5 in UTC, yet it stays before a New York day 5.
    data = parse_config(minimal(path="d.parquet", holdout_start="2020-01-05"), base=tmp_path)
    assert list(data.load_data().holdout["t"].dt.day) == [5, 6]
    naive = six_days()
    naive.to_parquet(tmp_path / "n.parquet")
    zoned = parse_config(
        minimal(path="n.parquet", holdout_start="2020-01-05T00:00:00+00:00"), base=tmp_path
    )
    with pytest.raises(InvalidParameterError, match="drop the zone"):
        zoned.load_data()


def test_csv_times_are_parsed_only_where_declared(tmp_path: Path) -> None:
    six_days().to_csv(tmp_path / "d.csv", index=False)
    data = parse_config(minimal(label_ends="e", entity="other"), base=tmp_path).load_data()
    assert data.frame["t"].dtype.kind == "M"
    assert data.frame["e"].dtype.kind == "M"
    assert data.frame["other"].tolist() == ["x"] * 6  # a non-time text column stays text
    assert data.holdout is None
    assert data.n_purged == 0


def test_bad_data_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="does not exist"):
        parse_config(minimal(), base=tmp_path).load_data()
    frame = six_days()
    frame.to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(MissingColumnError, match=r"\['zz'\].*columns are"):
        parse_config(minimal(features=["f1", "zz"]), base=tmp_path).load_data()
    frame.assign(t="yesterday").to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(TimeTypeError, match="not an ISO date"):
        parse_config(minimal(), base=tmp_path).load_data()
    frame.assign(t=np.arange(6)).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(TimeTypeError, match="never read as dates"):
        parse_config(minimal(), base=tmp_path).load_data()
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(InvalidParameterError, match="cannot be read as parquet"):
        parse_config(minimal(path="bad.parquet"), base=tmp_path).load_data()
    six_days().to_parquet(tmp_path / "d.parquet")
    with pytest.raises(MissingColumnError):
        parse_config(minimal(path="d.parquet", target="zz"), base=tmp_path).load_data()
