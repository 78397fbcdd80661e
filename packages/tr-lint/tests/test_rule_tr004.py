"""TR004: shuffled splitting of time-ordered data."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import lint_source
from tr_lint.rules import RULES

# Two lines that make a module time-aware; the line under test is line 3.
TIME = 'import pandas as pd\nprices = pd.read_csv("prices.csv", parse_dates=["date"])\n'


def found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), ["TR004"])]


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), ["TR004"])]


def test_the_rule_names_itself() -> None:
    rule = RULES["TR004"]
    assert (rule.name, rule.summary) == ("shuffled-split", rule.summary.lower())
    assert rule.docs.endswith("TR004.md")


@pytest.mark.parametrize(
    "line",
    [
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)",
        "X_train, X_test = train_test_split(X, test_size=0.2, random_state=0)",
        "X_train, X_test = train_test_split(X, shuffle=True)",
        "X_train, X_test = train_test_split(X, stratify=y)",
        "kf = KFold(n_splits=5, shuffle=True, random_state=42)",
        "kf = KFold(5, True)",
        "rkf = RepeatedKFold(n_splits=5, n_repeats=3)",
        "rskf = RepeatedStratifiedKFold(n_splits=5)",
        "ss = ShuffleSplit(n_splits=10, test_size=0.2)",
        "sss = StratifiedShuffleSplit(n_splits=3)",
        "gss = GroupShuffleSplit(n_splits=3)",
        "skf = StratifiedKFold(n_splits=5)",
        "skf = StratifiedKFold(n_splits=5, shuffle=False)",
        "sgkf = StratifiedGroupKFold(n_splits=5)",
        "scores = cross_val_score(model, X, y, cv=5)",
        "scores = cross_val_score(model, X, y)",
        "scores = cross_val_score(model, X, y, None, None, 10)",
        "scores = cross_val_score(model, X, y, cv=None)",
        "out = cross_validate(model, X, y, cv=3, scoring='r2')",
        "pred = cross_val_predict(model, X, y, cv=4)",
        "pred = cross_val_predict(model, X, y)",
        "search = GridSearchCV(model, grid, cv=3)",
        "search = GridSearchCV(model, grid)",
        "search = RandomizedSearchCV(model, space, n_iter=20, cv=5)",
        "search = HalvingGridSearchCV(model, grid, cv=5)",
        "search = HalvingRandomSearchCV(model, space)",
        "sizes, train, test = learning_curve(model, X, y, cv=5)",
        "train, test = validation_curve(model, X, y, param_name='max_depth', param_range=r)",
        "score, perm, p = permutation_test_score(model, X, y)",
    ],
)
def test_shuffled_splits_of_time_ordered_data_are_found(line: str) -> None:
    assert found(TIME + line) == [(3, "TR004")]


@pytest.mark.parametrize(
    "line",
    [
        "X_train, X_test = train_test_split(X, test_size=0.2, shuffle=False)",
        "X_train, X_test = train_test_split(X, shuffle=shuffle)",
        "X_train, X_test = train_test_split(X, **split_options)",
        "kf = KFold(n_splits=5)",
        "kf = KFold(n_splits=5, shuffle=False)",
        "kf = KFold(5, False)",
        "gkf = GroupKFold(n_splits=5)",
        "tscv = TimeSeriesSplit(n_splits=5)",
        "scores = cross_val_score(model, X, y, cv=TimeSeriesSplit(5))",
        "scores = cross_val_score(model, X, y, cv=WalkForward(n_splits=5, times='date'))",
        "scores = cross_val_score(model, X, y, cv=PurgedKFold(n_splits=5, times='date'))",
        "scores = cross_val_score(model, X, y, cv=splitter)",
        "scores = cross_val_score(model, X, y, cv=folds)",
        "scores = cross_val_score(model, X, y, None, None, splitter)",
        "scores = cross_val_score(model, X, y, **cv_options)",
        "pred = cross_val_predict(model, X, y, None, tscv)",
        "search = GridSearchCV(model, grid, cv=tscv)",
        "search = GridSearchCV(model, grid, cv=[(train_idx, test_idx)])",
        "search = RandomizedSearchCV(model, space, cv=TimeSeriesSplit(n_splits=4))",
        "train, test = time_train_test_split(prices, times='date', test_size=0.2)",
        "scores = mylib.cross_val_score(model, X, y)",
        "parts = name.split('_')",
        "model.fit(X, y)",
    ],
)
def test_time_respecting_splits_are_not_found(line: str) -> None:
    assert found(TIME + line) == []


def test_the_same_splits_in_a_module_without_time_are_not_found() -> None:
    source = """\
        import pandas as pd
        from sklearn.datasets import load_iris
        from sklearn.model_selection import KFold, cross_val_score, train_test_split

        X, y = load_iris(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
        kf = KFold(n_splits=5, shuffle=True)
        scores = cross_val_score(model, X, y, cv=5)
    """
    assert found(source) == []


@pytest.mark.parametrize(
    "signal",
    [
        'prices["date"] = pd.to_datetime(prices["date"])',
        "prices = prices.set_index(pd.DatetimeIndex(prices.ts))",
        'prices["month"] = prices.ts.dt.month',
        "prices = prices.sort_values('trade_date')",
        "tscv = TimeSeriesSplit(5)",
    ],
)
def test_any_sign_of_time_makes_the_module_time_aware(signal: str) -> None:
    source = f"{signal}\nkf = KFold(5, shuffle=True)\n"
    assert found(source) == [(2, "TR004")]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from sklearn.model_selection import KFold", "KFold(5, shuffle=True)"),
        ("from sklearn.model_selection import KFold as KF", "KF(5, shuffle=True)"),
        ("from sklearn import model_selection as ms", "ms.KFold(5, shuffle=True)"),
        ("from sklearn import model_selection", "model_selection.KFold(5, shuffle=True)"),
        ("import sklearn.model_selection as ms", "ms.KFold(5, shuffle=True)"),
        ("import sklearn", "sklearn.model_selection.KFold(5, shuffle=True)"),
        ("import sklearn.model_selection", "sklearn.model_selection.KFold(5, shuffle=True)"),
        ("from sklearn.model_selection import *", "KFold(5, shuffle=True)"),
        ("from sklearn import model_selection as ms", "ms.train_test_split(X, y)"),
        ("from sklearn import model_selection as ms", "ms.cross_val_score(m, X, y, cv=5)"),
        (
            "from sklearn.model_selection import train_test_split as tts",
            "tts(X, y, test_size=0.3)",
        ),
    ],
)
def test_names_are_resolved_through_imports(imports: str, call: str) -> None:
    source = f"{imports}\nprices = load(parse_dates=['date'])\nsplit = {call}\n"
    assert found(source) == [(3, "TR004")]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from mylib.splits import KFold", "KFold(5, shuffle=True)"),
        ("import mylib as ms", "ms.KFold(5, shuffle=True)"),
        ("from tr_core import time_train_test_split as train_test_split", "train_test_split(X)"),
        ("from tr_tuning import search as GridSearchCV", "GridSearchCV(model, grid)"),
    ],
)
def test_names_from_other_libraries_are_not_found(imports: str, call: str) -> None:
    source = f"{imports}\nprices = load(parse_dates=['date'])\nsplit = {call}\n"
    assert found(source) == []


def test_a_multi_line_call_is_reported_at_its_first_line() -> None:
    source = """\
        import pandas as pd
        from sklearn.model_selection import train_test_split

        df = pd.read_parquet("features.parquet")
        df["date"] = pd.to_datetime(df["date"])
        X_train, X_test, y_train, y_test = train_test_split(
            df[features],
            df["fwd_ret_21d"],
            test_size=0.25,
            random_state=7,
        )
    """
    assert found(source) == [(6, "TR004")]


def test_shuffle_false_on_a_later_line_of_a_multi_line_call_is_respected() -> None:
    source = """\
        df = load(parse_dates=["date"])
        X_train, X_test = train_test_split(
            df[features],
            test_size=0.25,
            shuffle=False,
        )
    """
    assert found(source) == []


def test_noqa_suppresses_the_finding() -> None:
    source = """\
        df = load(parse_dates=["date"])
        kf = KFold(5, shuffle=True)  # noqa: TR004 rows are shuffled i.i.d. simulations
        ss = ShuffleSplit(3)  # noqa
        gss = GroupShuffleSplit(3)  # noqa: TR001
    """
    assert found(source) == [(4, "TR004")]


def test_noqa_on_the_last_line_of_a_multi_line_call_suppresses_it() -> None:
    source = """\
        df = load(parse_dates=["date"])
        X_train, X_test = train_test_split(
            df, test_size=0.2
        )  # noqa: TR004
    """
    assert found(source) == []


def test_an_inline_shuffled_splitter_passed_as_cv_is_found_once() -> None:
    source = """\
        df = load(parse_dates=["date"])
        search = GridSearchCV(
            model,
            grid,
            cv=KFold(n_splits=5, shuffle=True, random_state=0),
        )
    """
    assert found(source) == [(5, "TR004")]


def test_a_realistic_research_notebook() -> None:
    source = """\
        import numpy as np
        import pandas as pd
        from sklearn import model_selection as ms
        from sklearn.ensemble import GradientBoostingRegressor
        from tr_core import WalkForward

        trades = pd.read_csv("insider_trades.csv", parse_dates=["filing_date"])
        trades = trades.sort_values("filing_date").reset_index(drop=True)
        features = ["ownership_change", "cluster_size", "title_score"]
        X, y = trades[features], trades["fwd_ret_63d"]

        model = GradientBoostingRegressor(max_depth=3)
        X_train, X_test, y_train, y_test = ms.train_test_split(X, y, test_size=0.2)
        holdout = ms.train_test_split(X, y, test_size=0.2, shuffle=False)

        naive = ms.cross_val_score(model, X, y, cv=5, scoring="r2")
        walk = ms.cross_val_score(model, X, y, cv=WalkForward(n_splits=5), scoring="r2")
        search = ms.GridSearchCV(
            model,
            {"max_depth": [2, 3, 4]},
            scoring="r2",
        )
        print(np.mean(naive), np.mean(walk))
    """
    assert found(source) == [(13, "TR004"), (16, "TR004"), (18, "TR004")]


def test_the_messages_name_the_call_and_the_fix() -> None:
    source = """\
        df = load(parse_dates=["date"])
        a = train_test_split(X, y)
        b = KFold(5, shuffle=True)
        c = ShuffleSplit(3)
        d = StratifiedKFold(5)
        e = cross_val_score(model, X, y, cv=3)
        f = GridSearchCV(model, grid)
    """
    texts = messages(source)
    assert len(texts) == 6
    assert "train_test_split(...)" in texts[0]
    assert "shuffle=False" in texts[0]
    assert "KFold(shuffle=True)" in texts[1]
    assert "ShuffleSplit(...) always shuffles" in texts[2]
    assert "StratifiedKFold(...) stratifies by class" in texts[3]
    assert "cross_val_score(...) with cv=3 (a 3-fold KFold)" in texts[4]
    assert "GridSearchCV(...) without cv= (5-fold KFold by default)" in texts[5]
    assert all("WalkForward" in t and "PurgedKFold" in t for t in texts)
    assert all("TimeSeriesSplit" in t for t in texts)
