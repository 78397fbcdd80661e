"""TR007: whole-sample statistics, backward fills and centred windows as features."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import lint_source
from tr_lint.rules import RULES


def found(source: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source), ["TR007"])]


def messages(source: str) -> list[str]:
    return [f.message for f in lint_source(textwrap.dedent(source), ["TR007"])]


def test_the_rule_names_itself() -> None:
    rule = RULES["TR007"]
    assert (rule.name, rule.summary) == ("whole-sample-statistic", rule.summary.lower())
    assert rule.docs.endswith("TR007.md")


@pytest.mark.parametrize(
    "line",
    [
        # (a) centring and scaling with whole-column moments
        'df["z"] = (df.x - df.x.mean()) / df.x.std()',
        'df["z"] = (df["x"] - df["x"].mean()) / (df["x"].std() + 1e-9)',
        'df["d"] = df.x - df.x.mean()',
        'df["d"] = df.x - df.x.median()',
        'df["s"] = df.x / df.x.std()',
        'df["s"] = df.vol / df.vol.mean()',
        'df["mm"] = (df.x - df.x.min()) / (df.x.max() - df.x.min())',
        'df["s"] = df.x.sub(df.x.mean()).div(df.x.std())',
        'df["s"] = df.x.div(other=df.x.max())',
        "X = (X - X.mean()) / X.std()",
        "X = (X - X.mean(axis=0)) / X.std(axis=0)",
        "df = df.assign(z=(df.x - df.x.mean()) / df.x.std())",
        'df.loc[:, "z"] = (df.x - df.x.mean()) / df.x.std()',
        'df["z"] = np.log(df.x) - np.log(df.x).mean()',
        'df["z"] = df.x - -df.x.mean()',
        'df["z"] = (df.a + df.b) - (df.a + df.b).mean()',
        'df["r"] = momentum(df).rank(pct=True)',
        # ... per entity: a whole history per ticker
        'df["z"] = df.groupby("ticker")["x"].transform(lambda s: (s - s.mean()) / s.std())',
        'df["z"] = df.groupby(["ticker"]).x.transform(lambda s: s - s.mean())',
        'df["z"] = df.groupby(level="ticker")["x"].transform(lambda s: s / s.max())',
        'df["z"] = df.groupby("ticker")["x"].transform(func=lambda s: s - s.mean())',
        'df["z"] = df.x.pipe(lambda s: (s - s.mean()) / s.std())',
        # (b) whole-column percentile ranks
        'df["r"] = df.x.rank(pct=True)',
        'df["r"] = df.groupby("ticker")["x"].rank(pct=True)',
        'df["r"] = df.groupby("ticker")["x"].transform(lambda s: s.rank(pct=True))',
        # (c) backward fills
        'df["x"] = df.x.bfill()',
        'df["x"] = df.x.backfill(limit=2)',
        'df["x"] = df.x.fillna(method="bfill")',
        'df["x"] = df.x.fillna(method="backfill")',
        'df["x"] = df.groupby("ticker")["x"].bfill()',
        'df["x"] = df.x.reindex(idx, method="bfill")',
        "df.bfill(inplace=True)",
        # (d) centred windows
        'df["t"] = df.x.rolling(5, center=True).mean()',
        'df["t"] = df.x.rolling(window=5, center=1).median()',
        "df.x.rolling(5, center=True).mean().plot()",
    ],
)
def test_a_whole_sample_feature_is_found(line: str) -> None:
    assert found(f"import numpy as np\n{line}") == [(2, "TR007")]


@pytest.mark.parametrize(
    "line",
    [
        # Trailing windows.
        'df["z"] = (df.x - df.x.rolling(20).mean()) / df.x.rolling(20).std()',
        'df["z"] = (df.x - df.x.expanding().mean()) / df.x.expanding().std()',
        'df["z"] = (df.x - df.x.ewm(span=20).mean()) / df.x.ewm(span=20).std()',
        'df["z"] = df.x.rolling(20).apply(lambda w: (w[-1] - w.mean()) / w.std())',
        'df["r"] = df.x.rolling(252).rank(pct=True)',
        'df["m"] = df.x - df.x.resample("M").mean()',
        # Cross-sectional: per date.
        'df["z"] = df.groupby("date")["x"].transform(lambda s: (s - s.mean()) / s.std())',
        'df["z"] = df.groupby(["date", "sector"]).x.transform(lambda s: s - s.mean())',
        'df["z"] = df.groupby(level="date")["x"].transform(lambda s: s / s.max())',
        'df["z"] = df.groupby(df.index.date)["x"].transform(lambda s: s - s.mean())',
        'df["z"] = df.groupby(pd.Grouper(freq="M"))["x"].transform(lambda s: s - s.mean())',
        'df["r"] = df.groupby("date")["x"].rank(pct=True)',
        'df["r"] = df.groupby("trade_date").x.transform(lambda s: s.rank(pct=True))',
        'df["x"] = df.groupby("date")["x"].bfill()',
        # Groupings the linter cannot read.
        'df["z"] = df.groupby(level=0)["x"].transform(lambda s: s - s.mean())',
        'df["z"] = df.groupby(keys)["x"].transform(lambda s: s - s.mean())',
        'df["z"] = df.groupby(df.bucket)["x"].transform(lambda s: s - s.mean())',
        'df["z"] = df.groupby()["x"].transform(lambda s: s - s.mean())',
        # Across columns (one row's cross-section), not along time.
        'df["d"] = df.x - df[cols].mean(axis=1)',
        'df["r"] = df[cols].rank(axis=1, pct=True)',
        "df[cols] = df[cols].bfill(axis=1)",
        # Scaled with another sample's moments (the training set's), or another column.
        "X_test_s = (X_test - X_train.mean()) / X_train.std()",
        'df["d"] = df.a - df.b.mean()',
        # Time elapsed since the first date.
        'df["age"] = (df["date"] - df["date"].min()).dt.days',
        'df["age"] = df.listing_date - df.listing_date.min()',
        "day_code = day - day.min()",
        # A ratio of statistics is not a scaled feature.
        "sharpe = r.mean() / r.std() * np.sqrt(252)",
        "spread = x.max() - x.min()",
        # Labels and unassigned values.
        'df["fwd_z"] = (df.x - df.x.mean()) / df.x.std()',
        'df["target"] = df.x.rank(pct=True)',
        'df["label"] = df.x.bfill()',
        'df["y"] = df.x.rolling(5, center=True).mean()',
        "print((df.x - df.x.mean()) / df.x.std())",
        "show(df.x.rank(pct=True))",
        # Other ranks, fills and windows.
        'df["r"] = df.x.rank()',
        'df["r"] = df.x.rank(pct=False)',
        'df["x"] = df.x.ffill()',
        'df["x"] = df.x.fillna(method="ffill")',
        'df["x"] = df.x.fillna(method=how)',
        'df["t"] = df.x.rolling(5, center=False).mean()',
        'df["t"] = df.x.rolling(5).mean()',
        'df["x"] = bfill(df.x)',
        'df["s"] = df.x - 1',
        'df["s"] = df.x / 2',
        'df["s"] = df.x * df.x.mean()',
        'df["s"] = df.x.sub(1)',
        'df["s"] = df.x.sub()',
    ],
)
def test_trailing_cross_sectional_and_label_values_are_not_findings(line: str) -> None:
    assert found(f"import numpy as np\nimport pandas as pd\n{line}") == []


def test_one_finding_per_scaled_expression_naming_every_moment() -> None:
    source = 'df["z"] = (df.x - df.x.mean()) / df.x.std()'
    findings = lint_source(source, ["TR007"])
    assert [(f.line, f.col) for f in findings] == [(1, 11)]
    assert findings[0].message.startswith("mean()/std() over the whole column")
    (message,) = messages('df["mm"] = (df.x - df.x.min()) / (df.x.max() - df.x.min())')
    assert message.startswith("min()/max() ")


def test_the_messages_name_the_call_and_the_fix() -> None:
    (rank,) = messages('df["r"] = df.x.rank(pct=True)')
    assert rank.startswith("rank(pct=True) ")
    assert "groupby(date)" in rank
    (fill,) = messages('df["x"] = df.x.fillna(method="bfill")')
    assert fill.startswith("fillna(method='bfill') ")
    assert "ffill" in fill
    (window,) = messages('df["t"] = df.x.rolling(21, center=True).mean()')
    assert window.startswith("rolling(21, center=True) ")
    assert "trailing" in window


def test_a_function_applied_per_date_is_cross_sectional() -> None:
    source = """\
        def zscore(s):
            s = (s - s.mean()) / s.std()
            return s

        def demean(g):
            g["x_dm"] = g["x"] - g["x"].mean()
            return g

        def add_features(df):
            df["x_z"] = (df["x"] - df["x"].mean()) / df["x"].std()
            return df

        df["z"] = df.groupby("date")["x"].transform(zscore)
        df = df.groupby("ticker", group_keys=False).apply(demean)
        df = add_features(df)
        """
    assert found(source) == [(6, "TR007"), (10, "TR007")]


def test_a_function_applied_to_itself_does_not_loop() -> None:
    source = """\
        def f(s):
            s["z"] = s.x - s.x.mean()
            return s.apply(f)

        g = lambda s: s - s.mean()
        """
    assert found(source) == [(2, "TR007")]


def test_a_global_used_in_a_function_is_the_whole_sample() -> None:
    source = """\
        def build(window):
            df["z"] = df.x - df.x.mean()
            return df
        """
    assert found(source) == [(2, "TR007")]


def test_a_function_that_makes_labels_is_skipped() -> None:
    source = """\
        def make_labels(df):
            df["cls"] = (df.ret - df.ret.mean()) / df.ret.std()
            df["rk"] = df.ret.rank(pct=True)
            return df.bfill()
        """
    assert found(source) == []


def test_noqa_suppresses_it() -> None:
    source = """\
        df["z"] = (df.x - df.x.mean()) / df.x.std()  # noqa: TR007 static universe study
        df["r"] = df.x.rank(pct=True)  # noqa: TR002
        """
    assert found(source) == [(2, "TR007")]


def test_a_multi_line_statement_is_reported_where_it_starts() -> None:
    source = """\
        df["z"] = (
            df["x"]
            - df["x"].mean()
        ) / df["x"].std()
        """
    assert found(source) == [(1, "TR007")]


def test_a_realistic_feature_block() -> None:
    source = """\
        import pandas as pd

        df = pd.read_parquet("panel.parquet")
        df["pe"] = df.groupby("ticker")["pe"].ffill()
        df["pb"] = df.groupby("ticker")["pb"].bfill()
        df["mom"] = df.groupby("ticker")["close"].pct_change(252).shift(21)
        df["mom_cs"] = df.groupby("date")["mom"].rank(pct=True)
        df["mom_ts"] = df["mom"].rank(pct=True)
        df["vol"] = df.groupby("ticker")["ret"].transform(lambda s: s.rolling(63).std())
        df["vol_z"] = (df["vol"] - df["vol"].mean()) / df["vol"].std()
        df["trend"] = df.groupby("ticker")["close"].transform(
            lambda s: s.rolling(21, center=True).mean()
        )
        df["fwd_ret"] = df.groupby("ticker")["close"].shift(-21) / df["close"] - 1
        df["fwd_ret_z"] = (df["fwd_ret"] - df["fwd_ret"].mean()) / df["fwd_ret"].std()
        """
    assert found(source) == [(5, "TR007"), (8, "TR007"), (10, "TR007"), (12, "TR007")]
