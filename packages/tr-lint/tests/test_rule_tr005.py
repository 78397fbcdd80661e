"""TR005: a global dropna before feature groups are trained separately."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import lint_source
from tr_lint.rules import RULES

# Trains one model per feature group from ``data``; appended after a line 1 that makes it.
PER_GROUP = """
for group, cols in FEATURE_GROUPS.items():
    models[group] = XGBRegressor().fit(data[cols], data["label"])
"""


def found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), ["TR005"])]


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), ["TR005"])]


def test_the_rule_names_itself() -> None:
    rule = RULES["TR005"]
    assert (rule.name, rule.summary) == ("global-dropna", rule.summary.lower())
    assert rule.docs.endswith("TR005.md")


@pytest.mark.parametrize(
    "line",
    [
        "data = df.dropna()",
        "data = df.dropna(axis=0)",
        "data = df.dropna(how='any')",
        "data = df.dropna().reset_index(drop=True)",
        "data = df.dropna(subset=features)",
        "data = df.dropna(subset=FEATURES)",
        "data = df.dropna(subset=feature_cols)",
        "data = df.dropna(subset=all_features + ['label'])",
        "data = df.dropna(subset=list(feature_names))",
        "data = df.dropna(subset=cfg.features)",
        "data = df.dropna(subset=df.columns)",
        "data = df[features + ['label']].dropna()",
        "data = df.loc[:, ALL_FEATURES].dropna()",
        "data: pd.DataFrame = df.dropna()",
        "data = clean = df.dropna()",
    ],
)
def test_a_global_dropna_before_a_per_group_loop_is_found(line: str) -> None:
    assert found(line + PER_GROUP) == [(1, "TR005")]


@pytest.mark.parametrize(
    "line",
    [
        "data = df.dropna(subset=['label'])",
        "data = df.dropna(subset=['fwd_ret_21d', 'date'])",
        "data = df.dropna(subset=label_cols)",
        "data = df.dropna(subset=FEATURE_GROUPS['value'])",
        "data = df.dropna(axis=1)",
        "data = df.dropna(axis='columns')",
        "data = df.dropna(1)",
        "data = df.dropna(how='all')",
        "data = df.dropna(thresh=5)",
        "data = dropna(df)",
        "print(df.dropna().shape)",
        "df.dropna(inplace=False)",
        "df[features].dropna(inplace=True)",
        "other = df.dropna()",
    ],
)
def test_dropna_that_keeps_each_groups_rows_is_not_found(line: str) -> None:
    assert found(line + PER_GROUP) == []


def test_an_inplace_dropna_is_found() -> None:
    source = """\
        data = load()
        data.dropna(inplace=True)
        for group, cols in FEATURE_GROUPS.items():
            models[group] = XGBRegressor().fit(data[cols], data["label"])
    """
    assert found(source) == [(2, "TR005")]


@pytest.mark.parametrize(
    "loop",
    [
        """
        for group, cols in FEATURE_GROUPS.items():
            model = Ridge()
            model.fit(data.loc[:, cols], data["label"])
        """,
        """
        for cols in (value_cols, momentum_cols, insider_cols):
            model.fit(data[cols + ["size"]], data["label"])
        """,
        """
        for group in FEATURE_GROUPS:
            cols = FEATURE_GROUPS[group]
            X = data[cols]
            model.fit(X, data["label"])
        """,
        """
        for group in GROUPS:
            names = lookup[group]
            cols = [c for c in names if c in data]
            fitted[group] = LGBMRegressor().fit(data[cols], data["label"])
        """,
        """
        for name, cols in FEATURE_GROUPS.items():
            dtrain = lgb.Dataset(data[cols], label=data["label"])
            boosters[name] = lgb.train(params, dtrain, num_boost_round=200)
        """,
        """
        with mlflow.start_run():
            for group, cols in FEATURE_GROUPS.items():
                if not cols:
                    continue
                fitted[group] = make_model().fit(data[cols], y=data["label"])
        """,
    ],
)
def test_loops_that_select_each_groups_columns_are_found(loop: str) -> None:
    source = "data = df.dropna()\n" + textwrap.dedent(loop)
    assert found(source) == [(1, "TR005")]


@pytest.mark.parametrize(
    "loop",
    [
        """
        for group, cols in FEATURE_GROUPS.items():
            print(group, data[cols].mean())
        """,
        """
        for group, cols in FEATURE_GROUPS.items():
            model.fit(raw[cols], raw["label"])
        """,
        """
        for seed in range(5):
            XGBRegressor(random_state=seed).fit(data[features], data["label"])
        """,
        """
        model_a.fit(data[features], data["label"])
        model_b.fit(data[features], data["label"])
        """,
        """
        model.fit(data[features], data["label"])
        """,
        """
        model.fit(X=None)
        model.fit(make_matrix(data), data["label"])
        """,
    ],
)
def test_training_that_is_not_per_group_is_not_found(loop: str) -> None:
    source = "data = df.dropna()\n" + textwrap.dedent(loop)
    assert found(source) == []


def test_two_fits_on_different_column_subsets_are_found() -> None:
    source = """\
        data = df.dropna()
        value_model = Ridge().fit(data[VALUE_COLS], data["label"])
        momentum_model = Ridge().fit(data[MOMENTUM_COLS], data["label"])
    """
    assert found(source) == [(1, "TR005")]
    assert "(line 3)" in messages(source)[0]


def test_two_fits_on_column_subsets_selected_into_names_are_found() -> None:
    source = """\
        data = df.dropna()
        X_value = data[VALUE_COLS]
        X_momentum = data.loc[:, MOMENTUM_COLS]
        y = data["label"]
        value_model = Ridge().fit(X_value, y)
        momentum_model = Ridge().fit(X_momentum, y)
    """
    assert found(source) == [(1, "TR005")]
    assert "(line 6)" in messages(source)[0]


def test_the_per_group_dropna_inside_the_loop_is_the_good_form() -> None:
    source = """\
        for group, cols in FEATURE_GROUPS.items():
            rows = df[cols + ["label"]].dropna()
            models[group] = XGBRegressor().fit(rows[cols], rows["label"])
        for group in FEATURE_GROUPS:
            cols = FEATURE_GROUPS[group]
            rows = df.dropna(subset=cols + ["label"])
            models[group] = XGBRegressor().fit(rows[cols], rows["label"])
        for group, features in FEATURE_GROUPS.items():
            rows = df.dropna(subset=features)
            for horizon in (5, 21):
                models[group, horizon] = Ridge().fit(rows[features], rows[horizon])
    """
    assert found(source) == []


def test_a_per_group_loop_before_the_dropna_is_not_found() -> None:
    source = """\
        for group, cols in FEATURE_GROUPS.items():
            models[group] = XGBRegressor().fit(data[cols], data["label"])
        data = data.dropna()
    """
    assert found(source) == []


def test_the_loop_must_be_in_the_same_scope() -> None:
    source = """\
        def clean(df):
            data = df.dropna()
            return data


        def train(data):
            for group, cols in FEATURE_GROUPS.items():
                models[group] = XGBRegressor().fit(data[cols], data["label"])
    """
    assert found(source) == []


def test_a_dropna_in_a_function_before_its_loop_is_found() -> None:
    source = """\
        def train_groups(df, groups):
            data = df.dropna()
            models = {}
            for group, cols in groups.items():
                models[group] = XGBRegressor().fit(data[cols], data["label"])
            return models
    """
    assert found(source) == [(2, "TR005")]


def test_a_multi_line_dropna_is_reported_at_its_first_line() -> None:
    source = """\
        data = (
            df
            .dropna(
                how="any",
            )
            .reset_index(drop=True)
        )
        for group, cols in FEATURE_GROUPS.items():
            models[group] = XGBRegressor().fit(data[cols], data["label"])
    """
    assert found(source) == [(2, "TR005")]


def test_noqa_suppresses_the_finding() -> None:
    source = """\
        data = df.dropna()  # noqa: TR005 every group is complete by construction
        for group, cols in FEATURE_GROUPS.items():
            models[group] = XGBRegressor().fit(data[cols], data["label"])
        again = df.dropna()  # noqa: TR001
        for group, cols in FEATURE_GROUPS.items():
            models[group] = XGBRegressor().fit(again[cols], again["label"])
    """
    assert found(source) == [(4, "TR005")]


def test_a_realistic_research_notebook() -> None:
    source = """\
        import pandas as pd
        from xgboost import XGBRegressor

        panel = pd.read_parquet("panel.parquet")
        GROUPS = {
            "value": ["book_to_market", "earnings_yield"],
            "insider": ["net_buy_ratio", "cluster_size"],
            "analyst": ["revision_3m", "dispersion"],
        }
        FEATURES = [c for cols in GROUPS.values() for c in cols]

        panel = panel.dropna(subset=["fwd_ret_21d"])
        panel = panel.dropna(subset=FEATURES)
        print(len(panel))

        models, scores = {}, {}
        for name, cols in GROUPS.items():
            train = panel[panel["date"] < "2019-01-01"]
            model = XGBRegressor(n_estimators=300, max_depth=3)
            model.fit(train[cols], train["fwd_ret_21d"])
            models[name] = model
            scores[name] = model.score(panel[cols], panel["fwd_ret_21d"])
    """
    assert found(source) == [(13, "TR005")]


def test_the_message_names_the_call_and_the_fix() -> None:
    (text,) = messages("data = df.dropna()" + PER_GROUP)
    assert text.startswith("df.dropna() drops every row")
    assert "(line 2)" in text
    assert "df[cols + [label]].dropna()" in text
    assert "tr_core.complete_rows_by_group" in text


def test_a_long_call_is_named_briefly() -> None:
    line = "data = pd.read_parquet('features_with_a_very_long_name.parquet').dropna()"
    (text,) = messages(line + PER_GROUP)
    assert text.startswith("dropna(...) drops every row")
