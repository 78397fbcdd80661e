r"""Feature groups over the folds of a time splitter, and the selection-bias view.

For each fold and group, the group's complete rows *inside the fold's training
and test positions* are used (``nan_policy`` applies per fold), a fresh model is
trained and the fold's test rows are scored and bucketed. Per group the result
reports mean ± std over folds of the test metric, AUC, IC and top-bucket return,
and the rows used.

**Selection bias.** Picking the best of :math:`N` groups flatters it. To measure
by how much, the out-of-sample returns of every group are laid out as a
periods × groups matrix: for each calendar month of the test rows' decision
times, the mean target of the rows that were in the group's *top bucket of their
own fold* (buckets are formed per fold, on that fold's test rows; months are
local calendar months of the times' own timezone, if they have one
(:func:`tr_core.periods.calendar_periods`); rows of one month
tested in several folds are pooled) **minus** the mean target of all the
group's test rows of that month — the edge the ranking adds over taking every
trade, so that a market in which all trades earn a positive alpha does not pass
for skill. Months in which some group has no top-bucket row are left out, so
every column covers the same months; a group that never fills its top bucket
(always-tied scores) is left out and named in ``selection_note``. On that
matrix:

* the **probability of backtest overfitting** across groups (CSCV, Bailey,
  Borwein, López de Prado & Zhu 2015,
  :func:`tr_evaluation.metrics.probability_of_backtest_overfitting`) with
  ``S`` = the largest even number ``<= min(16, T // 2)`` partitions, so each
  block holds at least 2 months, ranking the groups in each half by their **mean**
  monthly return — the same criterion that picks the best group;
* the **deflated Sharpe ratio** of the best group — the one with the highest mean
  test metric — given that all :math:`N` were tried (Bailey & López de Prado
  2014, :func:`tr_evaluation.metrics.deflated_sharpe_ratio` with
  ``trial_returns`` = the matrix).

With fewer than 4 months, fewer than 2 groups, or without a ``times`` column,
these are None and ``selection_note`` says why.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pandas as pd

from tr_core.errors import TrValueError
from tr_core.periods import calendar_periods
from tr_core.splits import CheckedFolds
from tr_evaluation.metrics import (
    PBOResult,
    deflated_sharpe_ratio,
    probability_of_backtest_overfitting,
)
from tr_feature_selection.groups.cv_result import GroupCVResult
from tr_feature_selection.groups.evaluation import GroupOutcome, GroupSettings, evaluate_group
from tr_feature_selection.groups.filtering import FilterFunc, apply_filter
from tr_feature_selection.groups.parallel import run_tasks
from tr_feature_selection.groups.sanity import warn_if_implausible

__all__ = ["cross_validate_groups", "pbo_partitions"]

_SUMMARIZED = ("test_metric", "auc", "ic", "top_bucket_return")
_MAX_PARTITIONS = 16


def cross_validate_groups(
    settings: GroupSettings,
    frame: pd.DataFrame,
    groups: dict[str, tuple[str, ...]],
    folds: CheckedFolds,
    *,
    times: str | None,
    filter_func: FilterFunc | None,
    max_plausible_auc: float,
    n_jobs: int | None,
    verbose: bool,
) -> GroupCVResult:
    """Evaluate every group on every fold; summarize; measure selection bias.

    Called by :meth:`FeatureGroupAnalyzer.cross_validate_groups`, which checks the
    inputs and the folds (:func:`tr_core.splits.checked_folds`: no fold's training
    rows meet its test rows in time); there is no train-before-test check: purged
    k-fold legitimately trains on rows after the test block.

    Parameters
    ----------
    settings : GroupSettings
    frame : DataFrame
        All rows; never modified.
    groups : dict
        Validated groups.
    folds : CheckedFolds
        The checked (train positions, test positions) of each fold.
    times : str or None
        Decision-time column, for the monthly selection-bias matrix.
    filter_func : callable or None
        Applied to each fold's training and test rows first.
    max_plausible_auc : float
        Leak-warning threshold on each group's mean test AUC.
    n_jobs : int or None
        Passed to :func:`~tr_feature_selection.groups.parallel.run_tasks`.
    verbose : bool
        Progress bar.

    Returns
    -------
    GroupCVResult
    """
    sides = []
    for train_pos, test_pos in folds:
        train_kept, train_removed = apply_filter(filter_func, frame.iloc[train_pos], "train")
        test_kept, test_removed = apply_filter(filter_func, frame.iloc[test_pos], "test")
        train_rows = train_pos if train_kept is None else train_pos[train_kept]
        test_rows = test_pos if test_kept is None else test_pos[test_kept]
        sides.append((train_rows, test_rows, train_removed, test_removed))
    tasks = [(k, name, cols) for k in range(len(folds)) for name, cols in groups.items()]
    outcomes = run_tasks(
        evaluate_group,
        [(settings, name, cols, frame, sides[k][0], frame, sides[k][1]) for k, name, cols in tasks],
        n_jobs=n_jobs,
        desc="feature groups × folds",
        verbose=verbose,
    )
    rows = [
        {"fold": k, "group": name, "train_filtered": sides[k][2], "test_filtered": sides[k][3]}
        | o.metrics()
        for (k, name, _), o in zip(tasks, outcomes, strict=True)
    ]
    fold_table = pd.DataFrame(rows).set_index(["fold", "group"])
    table = _summarize(fold_table, groups)
    for name, auc in table["auc_mean"].items():
        warn_if_implausible(str(name), float(auc), max_plausible_auc)
    periods, note = _period_returns(frame, outcomes, tasks, times, settings.n_buckets)
    pbo, dsr, note = _selection_bias(periods, table, note)
    return GroupCVResult(
        table=table,
        folds=fold_table,
        periods=periods,
        pbo=pbo,
        deflated_sharpe=dsr,
        selection_note=note,
        metric=settings.metric.name,
        n_buckets=settings.n_buckets,
        n_folds=len(folds),
        nan_policy=settings.nan_policy,
        weighted=settings.weights.active,
        buckets=MappingProxyType(
            {
                (k, n): o.test.buckets.table.copy()
                for (k, n, _), o in zip(tasks, outcomes, strict=True)
            }
        ),
    )


def pbo_partitions(n_periods: int) -> int:
    """Partitions for PBO: the largest even ``S <= min(16, n_periods // 2)``; 0 if none.

    Examples
    --------
    >>> pbo_partitions(60), pbo_partitions(13), pbo_partitions(3)
    (16, 6, 0)
    """
    s = min(_MAX_PARTITIONS, n_periods // 2)
    s -= s % 2
    return s if s >= 2 else 0


def _summarize(fold_table: pd.DataFrame, groups: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Mean ± std (ddof=1) over folds per group, with rows used and the overfit gap."""
    by = fold_table.groupby(level="group", sort=False)
    out = pd.DataFrame(index=pd.Index(list(groups), name="group"))
    out["n_features"] = [len(c) for c in groups.values()]
    out["n_folds"] = by.size().reindex(out.index)
    for col in _SUMMARIZED:
        out[f"{col}_mean"] = by[col].mean().reindex(out.index)
        out[f"{col}_std"] = by[col].std(ddof=1).reindex(out.index)
    out["train_metric_mean"] = by["train_metric"].mean().reindex(out.index)
    out["overfit_gap_mean"] = by["overfit_gap"].mean().reindex(out.index)
    for col in ("train_used", "test_used", "train_nan_dropped", "test_nan_dropped"):
        out[f"{col}_mean"] = by[col].mean().reindex(out.index)
    return out


def _period_returns(
    frame: pd.DataFrame,
    outcomes: list[GroupOutcome],
    tasks: list[tuple[int, str, tuple[str, ...]]],
    times: str | None,
    n_buckets: int,
) -> tuple[pd.DataFrame | None, str | None]:
    """Months × groups matrix of the top bucket's excess mean target (see the module docstring)."""
    if times is None:
        return None, "no `times` column, so out-of-sample returns cannot be laid out by month"
    # Local calendar months of the times' own zone, computed once for every row.
    months = calendar_periods(frame[times], "M", name="times")
    parts = []
    for (_, name, _), outcome in zip(tasks, outcomes, strict=True):
        parts.append(
            pd.DataFrame(
                {
                    "month": months[outcome.test_rows],
                    "group": name,
                    "target": outcome.test.target,
                    "top": outcome.test.buckets.buckets == n_buckets - 1,
                }
            )
        )
    pooled = pd.concat(parts, ignore_index=True)
    names = list(dict.fromkeys(name for _, name, _ in tasks))
    top = pooled[pooled["top"]].pivot_table(
        index="month", columns="group", values="target", aggfunc="mean"
    )
    everyone = pooled.pivot_table(index="month", columns="group", values="target", aggfunc="mean")
    matrix = top - everyone.reindex(index=top.index, columns=top.columns)
    matrix = matrix.reindex(columns=names)
    # A group whose scores are always tied (e.g. one binary feature) never fills its top
    # bucket; leaving it in would void every month for all the other groups.
    never = [name for name in names if matrix[name].isna().all()]
    matrix = matrix.drop(columns=never).dropna(how="any").sort_index()
    matrix.columns.name = "group"
    note = (
        f"groups {never} never had a top-bucket row (tied scores) and are left out of "
        "PBO and the deflated Sharpe ratio"
        if never
        else None
    )
    return matrix, note


def _selection_bias(
    periods: pd.DataFrame | None, table: pd.DataFrame, note: str | None
) -> tuple[PBOResult | None, float | None, str | None]:
    """PBO across groups and the best group's deflated Sharpe ratio, or why not."""
    if periods is None:
        return None, None, note
    n_periods, n_groups = periods.shape
    if n_groups < 2:
        return None, None, "one group only: there is no selection to correct for"
    partitions = pbo_partitions(n_periods)
    if partitions == 0:
        return (
            None,
            None,
            f"{n_periods} months with a top-bucket return for every group; PBO and the "
            "deflated Sharpe ratio need at least 4",
        )
    if table["test_metric_mean"].isna().all():
        return None, None, "every group's mean test metric is NaN, so no group is selected"
    best = str(table["test_metric_mean"].idxmax())
    if best not in periods.columns:
        return None, None, f"the best group {best!r} has no top-bucket returns; {note}"
    try:
        # Ranked by mean, the criterion groups are chosen by here (the mean test
        # metric); a Sharpe ranking would judge a selection nobody made.
        pbo: Any = probability_of_backtest_overfitting(periods, partitions, metric="mean")
        dsr = float(deflated_sharpe_ratio(periods[best], trial_returns=periods))
    except TrValueError as exc:
        return None, None, f"selection-bias statistics undefined: {exc}"
    return pbo, dsr, note
