"""TR002: rolling, pct_change and diff features without a following shift."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import lint_source
from tr_lint.rules import RULES


def found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), ["TR002"])]


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), ["TR002"])]


def test_the_rule_names_itself() -> None:
    rule = RULES["TR002"]
    assert (rule.name, rule.summary) == ("unshifted-window", rule.summary.lower())
    assert rule.docs.endswith("TR002.md")


@pytest.mark.parametrize(
    "line",
    [
        'df["ma"] = df["c"].rolling(5).mean()',
        'df["vol"] = df.c.rolling(20).std()',
        'df["s"] = df.c.rolling(20, min_periods=5).sum()',
        'df["hi"] = df.c.expanding().max()',
        'df["ew"] = df.c.ewm(span=10).mean()',
        'df["q"] = df.c.rolling(20).quantile(0.9)',
        'df["f"] = df.c.rolling(20).apply(np.mean, raw=True)',
        'df["a"] = df.rolling(20)["c"].mean()',
        'df["ret"] = df.close.pct_change()',
        'df["ret"] = df.close.pct_change(5)',
        'df["d"] = df.close.diff()',
        'df["g"] = df.groupby("ticker")["close"].transform(lambda s: s.rolling(5).mean())',
        'df["g"] = df.groupby("ticker")["close"].pct_change()',
        'df["z"] = (df.c - df.c.rolling(20).mean()) / df.c.rolling(20).std()',
        'df["z"] = df.c.rolling(5).mean().shift(0)',
        'df["z"] = df.c.rolling(5).mean().shift(-1)',
        'df["z"] = df.c.rolling(5).mean().shift(-lag)',
        'df["z"] = df.c.rolling(5).mean().fillna(0)',
        "df = df.assign(ma=df.c.rolling(5).mean())",
        'df.loc[:, "ma"] = df.c.rolling(5).mean()',
        "ma: pd.Series = df.c.rolling(5).mean()",
        'df["ma"] += df.c.rolling(5).mean()',
        'df["r"] = df.c.shift(1) / df.c.rolling(5).mean()',
        'df["r"] = df.c.rolling(5, closed="right").mean()',
        # Centred (TR007 too: a shift does not repair it).
        'df["t"] = df.c.rolling(5, center=True).mean()',
        # A lead is unshifted too (and TR003's negative shift).
        'df["d"] = df.close.pct_change(-5)',
        'df["d"] = df.close.diff(periods=-1)',
    ],
)
def test_an_unshifted_window_feature_is_found(line: str) -> None:
    assert found(line) == [(1, "TR002")]


@pytest.mark.parametrize(
    "line",
    [
        'df["ma"] = df["c"].rolling(5).mean().shift(1)',
        'df["ma"] = df["c"].rolling(5).mean().shift()',
        'df["ma"] = df["c"].rolling(5).mean().shift(periods=2)',
        'df["ma"] = df["c"].rolling(5).mean().shift(lag)',
        'df["ma"] = df["c"].rolling(5).mean().shift(1.0)',
        'df["r"] = (df.c.rolling(5).mean() / df.c).shift(1)',
        'df["g"] = df.groupby("ticker")["close"].transform(lambda s: s.rolling(5).mean().shift(1))',
        'df["g"] = df.groupby("ticker")["close"].transform(lambda s: s.rolling(5).mean()).shift(1)',
        'df["g"] = df.groupby("ticker")["close"].pct_change().shift(1)',
        'df["g"] = df.groupby("ticker")["close"].shift(1).rolling(5).mean()',
        'df["d"] = df.close.shift(1).diff()',
        'df["r"] = df.c.rolling(5, closed="left").mean()',
        "df = df.assign(ma=df.c.rolling(5).mean().shift(1))",
        # Labels look ahead on purpose.
        'df["fwd_vol"] = df.ret.rolling(5).std()',
        'df["target"] = df.close.pct_change()',
        "y = df.close.diff()",
        # Not assigned: a plot, a return, an argument.
        "df.c.rolling(5).mean().plot()",
        "print(df.c.pct_change())",
        # Not pandas windows.
        'df["d"] = np.diff(df.close)',
        'df["m"] = df.c.mean()',
        'df["m"] = df.c.groupby(df.t).mean()',
        'df["m"] = mean(df.c)',
        'df["x"] = df.diff(axis=1)',
    ],
)
def test_shifted_labels_and_other_calls_are_not_findings(line: str) -> None:
    assert found(f"import numpy as np\n{line}") == []


def test_a_plain_name_shifted_later_is_fine() -> None:
    source = """\
        ma = df.c.rolling(5).mean()
        vol = df.c.rolling(5).std()
        ret = df.c.pct_change()
        df["ma"] = ma.shift(1)
        df["dist"] = (df.c / vol).shift(1)
        df["ret"] = ret
        """
    assert found(source) == [(3, "TR002")]


def test_a_column_shifted_later_is_fine() -> None:
    source = """\
        df["ret"] = df.groupby("ticker")["close"].pct_change()
        df["vol"] = df.groupby("ticker")["close"].transform(lambda s: s.rolling(20).std())
        df["ret_lag"] = df.groupby("ticker")["ret"].shift(1)
        """
    assert found(source) == [(2, "TR002")]


def test_a_method_name_in_a_shifted_chain_is_not_a_shifted_column() -> None:
    source = """\
        df["mean"] = df.c.rolling(5).mean()
        df["close_ma"] = df.c.rolling(5).mean().shift(1)
        df["close_lag"] = df.close.shift(1)
        df["close"] = df.close.rolling(3).mean()
        """
    assert found(source) == [(1, "TR002")]


def test_one_finding_per_assignment_at_the_first_window() -> None:
    source = """\
        df["z"] = (df.c - df.c.rolling(20).mean()) / df.c.rolling(20).std()
        df = df.assign(
            a=df.c.rolling(5).mean(),
            b=df.c.pct_change(),
        )
        """
    assert found(source) == [(1, "TR002"), (3, "TR002"), (4, "TR002")]
    (first, *_) = lint_source(textwrap.dedent(source), ["TR002"])
    assert first.col == len('df["z"] = (df.c - ') + 1


def test_nested_windows_are_reported_at_the_outer_call() -> None:
    findings = lint_source('df["v"] = df.c.rolling(5).mean().rolling(3).std()', ["TR002"])
    assert [(f.line, f.col) for f in findings] == [(1, 11)]
    assert findings[0].message.startswith("rolling(3).std()")


def test_the_message_names_the_call_and_the_fix() -> None:
    (message,) = messages('df["ma"] = df.c.ewm(span=10).mean()')
    assert message.startswith("ewm(span=10).mean() ")
    assert ".shift(1)" in message
    (message,) = messages('df["r"] = df.c.pct_change(periods=5)')
    assert message.startswith("pct_change(periods=5) ")


def test_a_function_that_makes_labels_is_skipped() -> None:
    source = """\
        def forward_volatility(df):
            df["v"] = df.ret.rolling(21).std()
            return df

        def features(df):
            df["v"] = df.ret.rolling(21).std()
            return df
        """
    assert found(source) == [(6, "TR002")]


def test_noqa_suppresses_it() -> None:
    source = """\
        df["ma"] = df.c.rolling(5).mean()  # noqa: TR002 traded at the next open
        df["ma2"] = df.c.rolling(5).mean()  # noqa: TR003
        """
    assert found(source) == [(2, "TR002")]


def test_a_multi_line_chain_is_reported_at_the_aggregation() -> None:
    source = """\
        df["ma"] = (
            df.groupby("ticker")["close"]
            .rolling(20)
            .mean()
            .reset_index(level=0, drop=True)
        )
        df["ma_ok"] = (
            df.groupby("ticker")["close"]
            .rolling(20)
            .mean()
            .reset_index(level=0, drop=True)
            .shift(1)
        )
        """
    assert found(source) == [(2, "TR002")]


def test_aliased_imports() -> None:
    source = """\
        import numpy as numeric
        import pandas as pd

        prices = pd.read_csv("p.csv", parse_dates=["date"])
        prices["d"] = numeric.diff(prices["close"])
        prices["d2"] = prices["close"].diff()
        """
    assert found(source) == [(6, "TR002")]


def test_a_realistic_feature_block() -> None:
    source = """\
        import pandas as pd

        df = pd.read_parquet("prices.parquet")
        df = df.sort_values(["ticker", "date"])
        g = df.groupby("ticker")["close"]

        df["ret_1d"] = g.pct_change().shift(1)
        df["ret_5d"] = g.pct_change(5)
        df["vol_21d"] = g.transform(lambda s: s.pct_change().rolling(21).std().shift(1))
        df["ma_50"] = g.transform(lambda s: s.rolling(50).mean())
        df["ma_gap"] = (df["close"] / df["ma_50"] - 1).shift(1)
        df["hi_252"] = g.transform(
            lambda s: s.expanding().max()
        )
        df["fwd_ret_21d"] = g.shift(-21) / df["close"] - 1
        df["fwd_vol"] = g.transform(lambda s: s.pct_change().rolling(21).std().shift(-21))
        """
    assert found(source) == [(8, "TR002"), (13, "TR002")]
