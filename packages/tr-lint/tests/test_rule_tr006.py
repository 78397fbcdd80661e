"""TR006: a scaler, normalizer or imputer fitted on the full sample before a time split."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import lint_source
from tr_lint.rules import RULES

FITTED = [
    "StandardScaler",
    "MinMaxScaler",
    "RobustScaler",
    "MaxAbsScaler",
    "Normalizer",
    "QuantileTransformer",
    "PowerTransformer",
    "SimpleImputer",
    "KNNImputer",
    "IterativeImputer",
]


def found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), ["TR006"])]


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), ["TR006"])]


def test_the_rule_names_itself() -> None:
    rule = RULES["TR006"]
    assert (rule.name, rule.summary) == ("fit-before-split", rule.summary.lower())
    assert rule.docs.endswith("TR006.md")


@pytest.mark.parametrize("kind", FITTED)
@pytest.mark.parametrize("fit", ["fit", "fit_transform"])
def test_every_fitted_transformer_before_a_split_is_found(kind: str, fit: str) -> None:
    source = f"""\
        Z = {kind}().{fit}(X)
        X_train, X_test = train_test_split(Z, shuffle=False)
    """
    assert found(source) == [(1, "TR006")]


@pytest.mark.parametrize(
    "split",
    [
        "X_train, X_test = train_test_split(Z, y, test_size=0.2, shuffle=False)",
        "train, test = time_train_test_split(frame, times='date')",
        "folds = list(splitter.split(Z, y))",
        "folds = list(TimeSeriesSplit(n_splits=5).split(Z))",
        "cv = TimeSeriesSplit(n_splits=5)",
        "cv = WalkForward(n_splits=5, times='date')",
        "cv = tr_core.PurgedKFold(n_splits=5, times='date', embargo='5D')",
        "cv = CombinatorialPurgedKFold(n_splits=6, n_test_splits=2)",
        "cv = CPCV(6, 2)",
        "scores = cross_val_score(model, Z, y, cv=cv)",
        "search = GridSearchCV(model, grid, cv=cv).fit(Z, y)",
        "train = frame[frame['date'] < cutoff]",
        "test = frame[frame.date >= '2020-01-01']",
        "train = frame[(frame.trade_date >= start) & (frame.trade_date < split_date)]",
        "is_train = frame['date'] < cutoff",
        "is_train = (frame['date'].dt.year < 2021).to_numpy()",
        "in_sample = np.where(frame.index <= split_date, 1, 0)",
        "train = frame.loc[:split_date]",
        "test = frame.loc['2020-01-01':]",
        "train = Z.iloc[:n_train]",
        "test = Z.iloc[n_train:]",
        "train, test = Z[:n_train], Z[n_train:]",
        "train = Z[: len(Z) - test_size]",
        "train = frame.query('date < @cutoff')",
    ],
)
def test_every_kind_of_split_after_the_fit_is_found(split: str) -> None:
    source = f"""\
        scaler = StandardScaler()
        Z = scaler.fit_transform(X)
        {split}
    """
    assert found(source) == [(2, "TR006")]


@pytest.mark.parametrize(
    "later",
    [
        "parts = name.split('_')",
        "parts = 'a,b'.split(',')",
        "words = line.split()",
        "chunks = np.split(Z, 3)",
        "tokens = re.split(pattern, text)",
        "head, tail = os.path.split(path)",
        "peek = Z[:5]",
        "peek = Z.iloc[:10]",
        "last = Z[-1:]",
        "top = ranked[:top_n]",
        "winners = frame[frame['ret'] > 0]",
        "day = frame[frame['date'] == as_of]",
        "cols = frame.loc[:, features]",
        "up = frame.query('ret > 0')",
        "some = frame.query(expression)",
        "up = frame.query()",
        "model.fit(Z, y)",
    ],
)
def test_later_code_that_does_not_split_is_not_a_split(later: str) -> None:
    source = f"""\
        import numpy as np
        import os
        import re
        scaler = StandardScaler()
        Z = scaler.fit_transform(X)
        {later}
    """
    assert found(source) == []


@pytest.mark.parametrize(
    ("imports", "make"),
    [
        ("from sklearn.preprocessing import StandardScaler", "StandardScaler()"),
        ("from sklearn.preprocessing import StandardScaler as SS", "SS()"),
        ("from sklearn import preprocessing as pp", "pp.RobustScaler()"),
        ("import sklearn.preprocessing as skp", "skp.QuantileTransformer(n_quantiles=100)"),
        ("import sklearn.impute", "sklearn.impute.SimpleImputer(strategy='median')"),
        ("from sklearn.impute import KNNImputer", "KNNImputer(n_neighbors=5)"),
        ("from sklearn.preprocessing import *", "MinMaxScaler()"),
    ],
)
def test_names_are_resolved_through_imports(imports: str, make: str) -> None:
    source = f"""\
        {imports}
        Z = {make}.fit_transform(X)
        train, test = Z[:n_train], Z[n_train:]
    """
    assert found(source) == [(2, "TR006")]


@pytest.mark.parametrize(
    ("imports", "make"),
    [
        ("from mylib.scaling import StandardScaler", "StandardScaler()"),
        ("import mylib as pp", "pp.RobustScaler()"),
        ("from sklearn.decomposition import PCA", "PCA(n_components=3)"),
        ("from sklearn.pipeline import make_pipeline", "make_pipeline(StandardScaler(), m)"),
    ],
)
def test_other_transformers_are_not_found(imports: str, make: str) -> None:
    source = f"""\
        {imports}
        Z = {make}.fit_transform(X)
        train, test = Z[:n_train], Z[n_train:]
    """
    assert found(source) == []


@pytest.mark.parametrize(
    "fitted",
    [
        "scaler.fit(X_train)",
        "scaler.fit_transform(X_train[features])",
        "scaler.fit(df.loc[train_idx, features])",
        "scaler.fit(X.iloc[tr])",
        "scaler.fit(X_tr)",
        "scaler.fit(df[df['date'] < cutoff][features])",
        "scaler.fit(df.loc[:split_date, features])",
        "scaler.fit(X.iloc[:n_train])",
        "scaler.transform(X)",
        "fit(X)",
    ],
)
def test_fitting_on_training_rows_is_not_found(fitted: str) -> None:
    source = f"""\
        scaler = StandardScaler()
        Z = {fitted}
        X_test = df[df["date"] >= cutoff]
    """
    assert found(source) == []


def test_a_fit_after_the_split_is_not_found() -> None:
    source = """\
        X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False)
        scaler = StandardScaler().fit(X)
        Z = RobustScaler().fit_transform(X)
    """
    assert found(source) == []


def test_a_fit_with_no_split_after_it_is_not_found() -> None:
    source = """\
        scaler = StandardScaler()
        Z = scaler.fit_transform(X)
        model.fit(Z, y)
    """
    assert found(source) == []


def test_a_pipeline_fitted_per_fold_is_the_good_form() -> None:
    source = """\
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import Pipeline, make_pipeline
        from sklearn.preprocessing import StandardScaler
        from tr_core import WalkForward

        pipe = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
        other = Pipeline([("scale", StandardScaler()), ("ridge", Ridge())])
        splitter = WalkForward(n_splits=5, times="date")
        for train_idx, test_idx in splitter.split(X):
            pipe.fit(X.iloc[train_idx], y.iloc[train_idx])
            other.fit(X.iloc[train_idx], y.iloc[train_idx])
            scaler = StandardScaler().fit(X.iloc[train_idx])
    """
    assert found(source) == []


def test_a_fit_whose_output_goes_straight_into_the_split_is_found() -> None:
    source = """\
        X_train, X_test, y_train, y_test = train_test_split(
            StandardScaler().fit_transform(X),
            y,
            shuffle=False,
        )
        scores = cross_val_score(model, MinMaxScaler().fit_transform(X), y, cv=tscv)
    """
    assert found(source) == [(2, "TR006"), (6, "TR006")]
    first, second = messages(source)
    assert "split on line 1" in first
    assert "split on line 6" in second


def test_instances_held_on_attributes_and_annotated_names_are_found() -> None:
    source = """\
        class Research:
            def run(self, X):
                self.scaler = StandardScaler()
                imputer: SimpleImputer = SimpleImputer(strategy="median")
                X = imputer.fit_transform(X)
                X = self.scaler.fit(X).transform(X)
                return train_test_split(X, shuffle=False)
    """
    assert found(source) == [(5, "TR006"), (6, "TR006")]


def test_a_fit_without_data_is_still_named() -> None:
    source = """\
        scaler = StandardScaler()
        scaler.fit()
        train = Z.iloc[:n_train]
    """
    assert found(source) == [(2, "TR006")]
    assert messages(source)[0].startswith("scaler.fit() learns")


def test_the_split_must_be_in_the_same_scope() -> None:
    source = """\
        def prepare(X):
            return StandardScaler().fit_transform(X)


        def evaluate(X, y):
            return train_test_split(prepare(X), y, shuffle=False)
    """
    assert found(source) == []


def test_a_fit_and_split_inside_one_function_are_found() -> None:
    source = """\
        def evaluate(df, features):
            X = df[features]
            X = StandardScaler().fit_transform(X)
            n_train = int(len(X) * 0.8)
            return X[:n_train], X[n_train:]
    """
    assert found(source) == [(3, "TR006")]
    assert "split on line 5" in messages(source)[0]


def test_a_multi_line_fit_is_reported_at_its_first_line() -> None:
    source = """\
        X = (
            QuantileTransformer(
                n_quantiles=200,
                output_distribution="normal",
            )
            .fit_transform(df[features])
        )
        train = X[X.index < split_date]
    """
    assert found(source) == [(2, "TR006")]


def test_noqa_suppresses_the_finding() -> None:
    source = """\
        a = StandardScaler().fit_transform(X)  # noqa: TR006 cross-sectional, per date
        b = MinMaxScaler().fit_transform(X)  # noqa: TR001
        c = RobustScaler().fit_transform(X)  # noqa
        train, test = a[:n_train], a[n_train:]
    """
    assert found(source) == [(2, "TR006")]


def test_a_realistic_research_notebook() -> None:
    source = """\
        import pandas as pd
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import Ridge
        from sklearn.preprocessing import StandardScaler

        df = pd.read_parquet("features.parquet")
        df = df.sort_values("date")
        features = ["value", "momentum", "insider_net"]

        imputer = SimpleImputer(strategy="median")
        df[features] = imputer.fit_transform(df[features])
        scaler = StandardScaler()
        df[features] = scaler.fit_transform(df[features])

        cutoff = pd.Timestamp("2019-01-01")
        train = df[df["date"] < cutoff]
        test = df[df["date"] >= cutoff]

        model = Ridge().fit(train[features], train["fwd_ret_21d"])
        late = StandardScaler().fit(train[features])
        print(model.score(test[features], test["fwd_ret_21d"]))
    """
    assert found(source) == [(11, "TR006"), (13, "TR006")]


def test_the_message_names_the_call_and_the_fix() -> None:
    source = """\
        scaler = StandardScaler()
        Z = scaler.fit_transform(df[features])
        train, test = Z[:n_train], Z[n_train:]
    """
    (text,) = messages(source)
    assert text.startswith("scaler.fit_transform(df[features]) learns its statistics")
    assert "split on line 3" in text
    assert "fit the StandardScaler on the training rows only" in text
    assert "Pipeline fitted per fold" in text
    assert "WalkForward / PurgedKFold" in text
    assert "TimeSeriesSplit" in text
