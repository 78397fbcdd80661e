"""TR003: negative shifts outside labels."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import lint_source
from tr_lint.rules import RULES


def found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), ["TR003"])]


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), ["TR003"])]


def test_the_rule_names_itself() -> None:
    rule = RULES["TR003"]
    assert (rule.name, rule.summary) == ("negative-shift", rule.summary.lower())
    assert rule.docs.endswith("TR003.md")


@pytest.mark.parametrize(
    "line",
    [
        'df["momentum"] = df.close.shift(-5)',
        'df["momentum"] = df.close.shift(periods=-5)',
        'df["chg"] = df.close.pct_change(-5)',
        'df["chg"] = df.close.pct_change(periods=-1)',
        'df["d"] = df.close.diff(-1)',
        'df["d"] = df.close.diff(periods=-1)',
        'df["m"] = df.close.shift(-horizon)',
        'df["m"] = df.close.shift(-cfg.horizon)',
        'df["m"] = df.close.shift(-1.0)',
        'df["m"] = df.groupby("ticker")["close"].shift(-21) / df["close"] - 1',
        "momentum = close.shift(-5)",
        "df = df.assign(momentum=df.close.shift(-5))",
        'df.loc[:, "momentum"] = df.close.shift(-5)',
        "df.close.shift(-1).plot()",
        "model.fit(X, df.close.shift(-1))",
        "model.fit(X=df.close.shift(-1).to_frame(), y=y)",
        "df['m'] = df.close.shift(-1, axis=0)",
        'check(lambda f: f["price"].pct_change(-5).rename("momentum"))',
        'check(lambda f: f["price"].pct_change(-5).rename(columns={"price": "fwd"}))',
        'check(lambda f: f["price"].rename("fwd").pct_change(-5))',
        'check(lambda f: f["price"].pct_change(-5).abs())',
    ],
)
def test_negative_periods_in_a_feature_are_found(line: str) -> None:
    assert found(line) == [(1, "TR003")]


@pytest.mark.parametrize(
    "line",
    [
        'df["fwd_ret"] = df.close.shift(-21) / df.close - 1',
        'df["fwd_ret_21d"] = df.groupby("ticker")["close"].shift(-21) / df["close"] - 1',
        'df["target"] = df.close.pct_change(-5)',
        'df["fwd5"] = df.close.pct_change(-5)',
        'df["ret_fwd21"] = df.close.pct_change(-21)',
        'df["label"] = (df.close.shift(-1) > df.close).astype(int)',
        'df["future_vol"] = df.ret.rolling(5).std().shift(-5)',
        "y = df.close.shift(-1)",
        "y_train = df.close.shift(-1)",
        "df = df.assign(fwd_ret=df.close.shift(-5) / df.close - 1)",
        'df.loc[:, "target_5d"] = df.close.shift(-5)',
        "model.fit(X, y=df.close.shift(-1))",
        "model.fit(X, target=df.close.shift(-1))",
        'check(lambda f: f["price"].pct_change(-5).rename("fwd5"))',
        'frames.append(df.close.shift(-1).to_frame("target").dropna())',
        # Positive, unknown or zero periods look back or nowhere.
        'df["lag"] = df.close.shift(5)',
        'df["lag"] = df.close.shift()',
        'df["lag"] = df.close.shift(lag)',
        'df["lag"] = df.close.shift(0)',
        'df["lag"] = df.close.shift(--1)',
        'df["chg"] = df.close.pct_change()',
        'df["d"] = df.close.diff(1)',
        # Across columns, not along time.
        'df["x"] = df.shift(-1, axis=1)',
        'df["x"] = df.diff(-1, axis="columns")',
        # A function, not a method: not pandas' shift.
        'df["x"] = shift(-1)',
    ],
)
def test_labels_and_lags_are_not_findings(line: str) -> None:
    assert found(line) == []


def test_a_function_that_makes_labels_may_look_ahead() -> None:
    source = """\
        def forward_returns(df, horizon):
            ret = df.groupby("ticker")["close"].shift(-horizon) / df["close"] - 1
            return ret

        def make_target(df):
            return df.close.pct_change(-5)

        def momentum(df):
            return df.close.shift(-5) / df.close - 1
        """
    assert found(source) == [(9, "TR003")]


def test_a_label_column_named_by_an_f_string_may_look_ahead() -> None:
    source = """\
        for h in (5, 21):
            px[f"fwd_ret_{h}d"] = g.shift(-h) / px["close"] - 1
            px[f"mom_{h}d"] = g.shift(-h) / px["close"] - 1
        """
    assert found(source) == [(3, "TR003")]


def test_the_message_names_the_call_and_the_fix() -> None:
    (message,) = messages('df["momentum"] = df.close.shift(-5)')
    assert "shift(-5)" in message
    assert "positive period" in message
    assert "fwd_" in message


def test_noqa_suppresses_it() -> None:
    source = """\
        df["peek"] = df.close.shift(-1)  # noqa: TR003 deliberate, plotted only
        df["peek2"] = df.close.shift(-1)  # noqa: TR001
        df["peek3"] = df.close.shift(-1)  # noqa
        """
    assert found(source) == [(2, "TR003")]


def test_a_multi_line_statement_is_reported_at_the_call() -> None:
    source = """\
        df["momentum"] = (
            df.groupby("ticker")["close"]
            .shift(-5)
            .div(df["close"])
        )
        """
    assert found(source) == [(2, "TR003")]


def test_aliased_imports_do_not_matter() -> None:
    source = """\
        import pandas as pandas_alias

        frame = pandas_alias.read_parquet("prices.parquet")
        frame["mom"] = frame["close"].shift(-3)
        """
    assert found(source) == [(4, "TR003")]


def test_a_realistic_feature_block() -> None:
    source = """\
        import numpy as np
        import pandas as pd

        df = pd.read_parquet("prices.parquet", columns=["date", "ticker", "close"])
        g = df.groupby("ticker")["close"]
        df["ret_1d"] = g.pct_change()
        df["mom_21d"] = g.shift(1) / g.shift(22) - 1
        df["rev_5d"] = g.shift(-5) / df["close"] - 1
        df["log_ret"] = np.log(df["close"]).diff(-1)
        df["fwd_ret_21d"] = g.shift(-21) / df["close"] - 1
        df["y"] = (df["fwd_ret_21d"] > 0).astype(int)
        X = df[["ret_1d", "mom_21d", "rev_5d", "log_ret"]]
        model.fit(X, df["close"].pct_change(-1).fillna(0))
        """
    assert found(source) == [(8, "TR003"), (9, "TR003"), (13, "TR003")]


def test_several_in_one_statement_are_each_reported() -> None:
    source = """\
        df["spread"] = df.a.shift(-1) - df.b.shift(-2)
        """
    assert found(source) == [(1, "TR003"), (1, "TR003")]
