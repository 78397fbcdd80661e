"""Does the ensemble beat its own base models out of sample — and by more than luck?

An ensemble is worth its complexity only if it ranks new events better than the
best of the models it combines. :func:`compare_to_base_models` answers that on
equal terms: every base model and the ensemble itself are evaluated by
:func:`tr_evaluation.evaluate_walk_forward` on the *same* checked folds of one
outer walk-forward splitter, so all candidates are scored on the same
out-of-sample rows (checked, not assumed). The ensemble is refit on each outer
fold's training rows only and runs its own inner cross-validation there
(nested), so its combination weights never see the outer test block.

Picking the best of several candidates on the same folds flatters the winner.
The comparison therefore reports, next to each candidate's pooled out-of-sample
bucket figures, the selection-bias statistics of the pick
(:func:`tr_evaluation.metrics.selection_bias`: the deflated Sharpe ratio of the
best candidate, Bailey & López de Prado 2014, *Journal of Portfolio Management*
40(5); the probability of backtest overfitting, Bailey, Borwein, López de Prado &
Zhu 2015, *Journal of Computational Finance* 20(4)) on the candidates'
per-calendar-month top-bucket returns (each month's rows bucketed among themselves),
and the ensemble's baselines (all trades,
random scores, single features: :class:`tr_evaluation.BaselineEvaluator`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import is_classifier
from sklearn.metrics import roc_auc_score

from tr_core.alignment import align_to
from tr_core.errors import FoldError, InvalidParameterError, NonFiniteError, TrTypeError
from tr_core.jsonable import plain
from tr_core.periods import calendar_periods
from tr_core.splits import CheckedFolds, checked_folds
from tr_core.validation import check_columns
from tr_core.weights import SampleWeight
from tr_ensemble.base_models import check_estimators
from tr_evaluation import (
    BaselineEvaluator,
    BaselineResult,
    WalkForwardResult,
    assign_buckets,
    evaluate_walk_forward,
)
from tr_evaluation.metrics import SelectionBias, period_matrix, selection_bias
from tr_evaluation.models import make_labels
from tr_evaluation.progress import progress

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ENSEMBLE", "PERIOD", "EnsembleComparison", "compare_to_base_models"]

ENSEMBLE = "ensemble"
"""The ensemble's key in :attr:`EnsembleComparison.results` (after the base models)."""

PERIOD = "M"
"""Calendar period of the per-period top-bucket returns behind the selection bias."""

_INNER_SPLITTERS = ("cv", "blend_cv")
"""Attributes under which an ensemble keeps its own (inner) splitter."""


@dataclass(frozen=True, eq=False, repr=False)
class EnsembleComparison:
    """Each base model and the ensemble, evaluated on the same out-of-sample rows.

    Attributes
    ----------
    results : dict of str to WalkForwardResult
        The walk-forward result of every candidate: the base models by name (in the
        ensemble's order), then ``"ensemble"``.
    baselines : BaselineResult or None
        The ensemble's pooled out-of-sample scores against all trades, random scores
        and each feature used as a score (None when ``baselines=False``).
    selection : SelectionBias
        Deflated Sharpe ratio of the best candidate and PBO across the candidates,
        from :attr:`period_returns` (``n_trials``: the number of candidates).
    period_returns : DataFrame
        One row per calendar month of the out-of-sample rows, one column per
        candidate: the mean realized return of the top of ``n_buckets`` buckets of
        that month's rows by the candidate's scores (each month bucketed among its
        own rows; NaN when that bucket is empty).
    best : str
        The candidate with the highest pooled out-of-sample top-bucket return.
    table : DataFrame
        What :meth:`to_frame` returns (see there).
    """

    results: dict[str, WalkForwardResult]
    baselines: BaselineResult | None
    selection: SelectionBias
    period_returns: pd.DataFrame
    best: str
    table: pd.DataFrame

    def __repr__(self) -> str:
        ensemble = self.results[ENSEMBLE].oos
        return (
            f"EnsembleComparison(n_candidates={len(self.results)}, "
            f"n_oos={ensemble.n_rows}, best={self.best!r}, "
            f"ensemble_top_bucket_return={ensemble.top_bucket_return:.4g}, "
            f"margin_over_best_base={self.margin()['top_bucket_return']:.4g})"
        )

    @property
    def base_names(self) -> list[str]:
        """The base models' names, in the ensemble's order."""
        return [name for name in self.results if name != ENSEMBLE]

    def margin(self) -> dict[str, Any]:
        """The ensemble minus the best base model (by pooled OOS top-bucket return).

        Returns
        -------
        dict
            ``over`` (the best base model's name), ``top_bucket_return`` and ``ic``
            (ensemble minus that model; positive: the ensemble is better).
        """
        top = self.table["top_bucket_return"].astype(np.float64)
        ic = self.table["ic"].astype(np.float64)
        over = _argmax(top[self.base_names])
        return {
            "over": over,
            "top_bucket_return": float(top[ENSEMBLE]) - float(top[over]),
            "ic": float(ic[ENSEMBLE]) - float(ic[over]),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate (a copy).

        Columns: ``kind`` (``"base"`` or ``"ensemble"``), ``n_oos`` (out-of-sample
        rows scored), ``top_bucket_return``, ``spread`` (top minus bottom bucket) and
        ``ic`` (rank IC) of the pooled out-of-sample buckets, ``auc`` (ROC AUC of the
        score for ``target > 0``; NaN when the out-of-sample target has one sign
        only), ``overfit_gap_top`` and ``overfit_gap_ic`` (mean over folds of the
        train-minus-test top-bucket return and IC), and ``best``.
        """
        return self.table.copy()

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable dict: candidates, the pick and its selection bias."""
        candidates = {
            str(name): {str(k): plain(v) for k, v in row.items()}
            for name, row in self.table.iterrows()
        }
        margin = self.margin()
        return {
            "n_candidates": len(self.results),
            "n_oos": int(self.results[ENSEMBLE].oos.n_rows),
            "best": self.best,
            "ensemble_is_best": self.best == ENSEMBLE,
            "ensemble_margin": {k: plain(v) for k, v in margin.items()},
            "candidates": candidates,
            "selection": self.selection.summary(),
            "baselines": None if self.baselines is None else self.baselines.summary(),
        }

    def plot(self) -> Figure:
        """Top-bucket return per candidate (bars) and each candidate's bucket profile."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=(12, 4.5), layout="constrained")
        ax_bar, ax_profile = fig.subplots(1, 2)
        table = self.table
        names = [str(n) for n in table.index]
        colors = ["tab:orange" if k == "ensemble" else "tab:blue" for k in table["kind"]]
        bars = ax_bar.bar(range(len(table)), table["top_bucket_return"], color=colors)
        for bar, is_best in zip(bars, table["best"], strict=True):
            if is_best:
                bar.set_edgecolor("black")
                bar.set_linewidth(2.0)
        ax_bar.axhline(0.0, color="black", linewidth=0.8)
        everyone = self.results[ENSEMBLE].oos.table
        counts = everyone["count"].to_numpy(dtype=np.float64)
        means = np.nan_to_num(everyone["mean"].to_numpy(dtype=np.float64))
        if counts.sum() > 0:
            ax_bar.axhline(
                float((counts * means).sum() / counts.sum()),
                color="gray",
                linestyle="--",
                linewidth=1.0,
                label="all out-of-sample trades",
            )
            ax_bar.legend()
        ax_bar.set_xticks(range(len(table)))
        ax_bar.set_xticklabels(names, rotation=30, ha="right")
        ax_bar.set_ylabel("top bucket mean return (out of sample)")
        ax_bar.set_title(
            f"Best: {self.best} — {self.selection.reading}", fontsize="small", wrap=True
        )
        for name, result in self.results.items():
            profile = result.oos.table["mean"].to_numpy(dtype=np.float64)
            ax_profile.plot(
                np.arange(profile.size),
                profile,
                marker="o",
                linewidth=2.0 if name == ENSEMBLE else 1.0,
                label=name,
            )
        ax_profile.axhline(0.0, color="black", linewidth=0.8)
        ax_profile.set_xlabel("score bucket (0 = lowest)")
        ax_profile.set_ylabel("mean return (out of sample)")
        ax_profile.set_title("Bucket profile per candidate")
        ax_profile.legend()
        return fig


def compare_to_base_models(
    ensemble: Any,
    frame: pd.DataFrame,
    cv: Any,
    *,
    features: Iterable[str],
    target: str,
    label: Any = None,
    times: Any = None,
    label_ends: Any = None,
    entities: str | None = None,
    n_buckets: int = 20,
    sample_weight: SampleWeight = None,
    by: str | None = None,
    baselines: bool = True,
    n_permutations: int = 200,
    random_state: int | None = 0,
    verbose: bool = True,
) -> EnsembleComparison:
    """Evaluate every base model and the ensemble walk-forward on the same folds.

    Each candidate — every ``(name, estimator)`` of ``ensemble.estimators``, then
    the ensemble — is evaluated by :func:`tr_evaluation.evaluate_walk_forward` on
    the folds of ``cv``, checked once by :func:`tr_core.splits.checked_folds`
    (forward, disjoint test blocks, purged) and handed to every evaluation, so
    every candidate is fit on the same training rows and scored on the same
    out-of-sample rows; that the scored rows are identical is verified.

    *Nested evaluation.* On each outer fold the ensemble is refit on that fold's
    training rows only — ``frame[features]`` restricted to them — and runs its own
    inner splitter (``ensemble.cv``, or a Blender's ``blend_cv``) on those rows.
    The inner splitter therefore cannot read its times from a column of ``frame``
    that is not a feature: give them as a Series on ``frame``'s index, e.g.
    ``WalkForward(3, times=frame["trade_date"], label_ends=frame["label_end"])``;
    tr-core matches a Series to a subset of its rows by index label (``frame``'s
    index must then be unique). An inner splitter left at its default (None) walks
    forward over row order, which is the time order only when ``frame`` is sorted
    by time, and knows no label windows; the outer evaluation stays out of sample
    either way (every row the ensemble sees precedes the outer test block).

    Parameters
    ----------
    ensemble : estimator
        An unfitted ensemble with an ``estimators`` list of ``(name, estimator)``
        pairs and ``fit``/``predict`` — :class:`~tr_ensemble.TimeSeriesStackingClassifier`,
        :class:`~tr_ensemble.TimeSeriesStackingRegressor`, a ``Blender``. It and its
        base models are cloned per fold, never fitted themselves.
    frame : DataFrame
        One row per event; never modified or reordered.
    cv : splitter or iterable of (train, test)
        The outer walk-forward splitter, e.g. ``WalkForward(5, times="trade_date",
        label_ends="label_end")``; it receives the whole ``frame``.
    features : iterable of str
        The columns every candidate is given (select a base model's own columns with
        a ``ColumnTransformer`` in a ``Pipeline``).
    target : str
        Realized return column the buckets are evaluated on.
    label : str, float, callable or None, optional
        What the candidates are fit on. A column name: that column (0/1 classes for
        classifiers). For a classifier ensemble, a threshold or a function of the
        target (:data:`tr_evaluation.models.Label`): class 1 when ``target > label``
        (or ``label(target)``), NaN where the target is NaN; default (None) 0.0 — a
        positive return is class 1. A regressor ensemble learns ``target`` itself by
        default.
    times : str or array-like, optional
        Decision times (column or per-row values; a Series is matched by index label).
        Defaults to ``cv``'s own ``times``. They check the folds and give the calendar
        months of the per-period returns.
    label_ends : str or array-like, optional
        When each row's outcome window closes (purging). Defaults to ``cv``'s own.
    entities : str, optional
        Entity column for the bucket analysis (turnover).
    n_buckets : int, default 20
        Number of score buckets.
    sample_weight : array-like, Series, str or callable, optional
        Training weights of every candidate (:mod:`tr_core.weights`); a callable is
        computed on each outer fold's training rows. Bucket statistics stay unweighted.
    by : str, optional
        Per-period bucketing, as in :class:`~tr_evaluation.buckets.BucketAnalyzer`.
    baselines : bool, default True
        Compare the ensemble's pooled out-of-sample scores with all trades, random
        scores and each feature (:class:`tr_evaluation.BaselineEvaluator`).
    n_permutations : int, default 200
        Random-score permutations of the baselines, and bootstrap resamples of their
        confidence intervals.
    random_state : int or None, default 0
        Seed of the baselines' permutations and bootstrap (the candidates keep their
        own ``random_state``).
    verbose : bool, default True
        Progress bars over candidates and, inside each, over folds.

    Returns
    -------
    EnsembleComparison

    Raises
    ------
    InvalidParameterError
        ``ensemble`` without an ``estimators`` list of ``(name, estimator)`` pairs (or
        a base model named ``"ensemble"``); no ``cv``; an inner splitter reading its
        times or label windows from a column that is not a feature; a ``label`` rule
        for a regressor ensemble; bad ``baselines`` or ``n_permutations``; and
        everything :func:`~tr_evaluation.evaluate_walk_forward` refuses.
    MissingColumnError
        A named column is not in ``frame`` (:func:`tr_core.validation.check_columns`).
    TrTypeError
        ``frame`` is not a DataFrame.
    FoldError
        A fold of ``cv`` that fails the check (naming the fold).
    NonFiniteError
        A candidate that left some out-of-sample rows without a score (NaN), so the
        candidates would be compared on different rows.
    InsufficientDataError
        Too few rows for the buckets, or a fold without both classes.

    Examples
    --------
    >>> from sklearn.compose import ColumnTransformer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from tr_core.splits import WalkForward
    >>> from tr_core.synthetic import make_insider_trades
    >>> from tr_ensemble.stacking import TimeSeriesStackingClassifier
    >>> frame = make_insider_trades(n_trades=2000, n_years=3, random_state=0).frame
    >>> def on(columns):
    ...     keep = ColumnTransformer([("keep", "passthrough", columns)])
    ...     return make_pipeline(keep, LogisticRegression())
    >>> stack = TimeSeriesStackingClassifier(
    ...     [("size", on(["ins_log_value"])), ("role", on(["ins_role_score"]))],
    ...     cv=WalkForward(3, times=frame["trade_date"], label_ends=frame["label_end"]),
    ...     verbose=False,
    ... )
    >>> comparison = compare_to_base_models(
    ...     stack,
    ...     frame,
    ...     WalkForward(3, times="trade_date", label_ends="label_end"),
    ...     features=["ins_log_value", "ins_role_score"],
    ...     target="alpha",
    ...     n_buckets=10,
    ...     baselines=False,
    ...     verbose=False,
    ... )
    >>> list(comparison.results), comparison.selection.n_trials
    (['size', 'role', 'ensemble'], 3)
    """
    pairs = _base_models(ensemble)
    if not isinstance(frame, pd.DataFrame):
        raise TrTypeError(f"`frame` must be a DataFrame, got {type(frame).__name__}.")
    if cv is None:
        raise InvalidParameterError(
            "`cv` is None; pass the outer walk-forward splitter every candidate is evaluated "
            "on, e.g. tr_core.splits.WalkForward(5, times='trade_date', label_ends='label_end')."
        )
    feature_list = [features] if isinstance(features, str) else list(features)
    check_columns(
        frame,
        {
            "features": feature_list,
            "target": target,
            "label": label,
            "times": times,
            "label_ends": label_ends,
            "entities": entities,
        },
    )
    if not isinstance(baselines, bool | np.bool_):
        raise InvalidParameterError(f"`baselines` must be True or False, got {baselines!r}.")
    if baselines and (
        isinstance(n_permutations, bool)
        or not isinstance(n_permutations, int | np.integer)
        or n_permutations < 1
    ):
        raise InvalidParameterError(
            f"`n_permutations` must be a positive integer, got {n_permutations!r}; e.g. 200."
        )
    _check_inner_splitters(ensemble, feature_list)
    work, label_column = _with_label(frame, target, label, _is_classifier(ensemble))
    times = times if times is not None else getattr(cv, "times", None)
    label_ends = label_ends if label_ends is not None else getattr(cv, "label_ends", None)
    # The one fold check; every candidate gets these folds (a generator of folds is
    # consumed once here, not once per candidate).
    folds = checked_folds(
        cv, work, times=times, label_ends=label_ends, forward=True, disjoint_tests=True
    )
    candidates = [*pairs, (ENSEMBLE, ensemble)]
    results: dict[str, WalkForwardResult] = {}
    for name, model in progress(
        candidates, desc="candidates", total=len(candidates), verbose=verbose
    ):
        try:
            result = evaluate_walk_forward(
                model,
                work,
                features=feature_list,
                target=target,
                label=label_column,
                cv=folds,
                sample_weight=sample_weight,
                times=times,
                label_ends=label_ends,
                entities=entities,
                n_buckets=n_buckets,
                by=by,
                verbose=verbose,
            )
        except (ValueError, TypeError) as exc:  # tr_core errors: say which candidate raised
            exc.add_note(f"(while evaluating candidate {name!r} of compare_to_base_models)")
            raise
        _check_same_rows(name, result, folds)
        results[name] = result
    oos_rows = folds.tested_rows()
    returns = work[target].to_numpy(dtype=np.float64)[oos_rows]
    table = _table(results, oos_rows, returns)
    best = _argmax(table["top_bucket_return"])
    table["best"] = table.index == best
    months = _months(work, times, folds)[oos_rows]
    period_returns = period_matrix(
        {
            name: _top_bucket_by_period(result, oos_rows, months, returns, n_buckets)
            for name, result in results.items()
        }
    )
    period_returns.index.name = "period"
    # The best is picked by a mean (pooled top-bucket return): PBO ranks by the mean too.
    selection = selection_bias(period_returns, best, n_tried=len(results), metric="mean")
    baseline = None
    if baselines:
        scores = results[ENSEMBLE].predictions.to_numpy(dtype=np.float64)[oos_rows]
        baseline = BaselineEvaluator(
            n_buckets=n_buckets,
            n_permutations=n_permutations,
            n_bootstrap=n_permutations,
            random_state=random_state,
        ).evaluate(
            scores,
            returns,
            features=work[feature_list].iloc[oos_rows].reset_index(drop=True),
        )
    return EnsembleComparison(
        results=results,
        baselines=baseline,
        selection=selection,
        period_returns=period_returns,
        best=best,
        table=table,
    )


def _base_models(ensemble: Any) -> list[tuple[str, Any]]:
    """``ensemble.estimators`` checked: ``(name, estimator)`` pairs, none named "ensemble"."""
    estimators = getattr(ensemble, "estimators", None)
    if (
        isinstance(ensemble, type)
        or not hasattr(ensemble, "fit")
        or isinstance(estimators, str | bytes)
        or not isinstance(estimators, Sequence)
    ):
        raise InvalidParameterError(
            f"`ensemble` must be an unfitted ensemble instance with an `estimators` list of "
            f"(name, estimator) pairs and fit/predict (TimeSeriesStackingClassifier, "
            f"TimeSeriesStackingRegressor, Blender); got {type(ensemble).__name__}"
            f"{'' if estimators is None else ' whose `estimators` is not a list'}. To compare "
            "single models, evaluate each with tr_evaluation.evaluate_walk_forward."
        )
    pairs = check_estimators(estimators, classifier=_is_classifier(ensemble))
    if any(name == ENSEMBLE for name, _ in pairs):
        raise InvalidParameterError(
            f"`ensemble` has a base model named {ENSEMBLE!r}, the name the comparison gives "
            "the ensemble itself; rename that base model."
        )
    return pairs


def _is_classifier(model: Any) -> bool:
    try:
        return bool(is_classifier(model))
    except AttributeError:  # scikit-learn >= 1.6: an object without estimator tags
        return False


def _check_inner_splitters(ensemble: Any, features: list[str]) -> None:
    """An inner splitter must not read its times from a column the ensemble is not given."""
    for attr in _INNER_SPLITTERS:
        splitter = getattr(ensemble, attr, None)
        for role in ("times", "label_ends"):
            value = getattr(splitter, role, None)
            if isinstance(value, str) and value not in features:
                raise InvalidParameterError(
                    f"`ensemble.{attr}` reads its {role} from the column {value!r}, but the "
                    f"ensemble is refit on each outer fold's frame[features], which has no "
                    f"such column. Give the values as a Series on frame's index, matched to "
                    f"the training rows by label: {type(splitter).__name__}(..., "
                    f"{role}=frame[{value!r}])."
                )


def _with_label(
    frame: pd.DataFrame, target: str, label: Any, classifier: bool
) -> tuple[pd.DataFrame, str]:
    """The frame the candidates are fit on and the name of its label column."""
    if isinstance(label, str):
        return frame, label
    if not classifier:
        if label is None:
            return frame, target
        raise InvalidParameterError(
            f"`label`={label!r} is a class rule, but the ensemble is a regressor and learns "
            f"`target` {target!r} itself; pass label=None (or the name of a column to fit on)."
        )
    rule = 0.0 if label is None else label
    values = frame[target]
    known = values.notna().to_numpy()
    classes = np.full(len(frame), np.nan)
    classes[known] = make_labels(values[known], rule, where=f"target {target!r}")
    name = f"{target}_class"
    while name in frame.columns:
        name = f"_{name}"
    # A new frame with one more column; the caller's frame is left as it is.
    return frame.assign(**{name: classes}), name


def _check_same_rows(name: str, result: WalkForwardResult, folds: CheckedFolds) -> None:
    """The candidate was tested on the checked folds and scored every tested row."""
    for fold, (_, test) in zip(result.folds, folds, strict=True):
        if not np.array_equal(fold.test_positions, test):
            raise FoldError(
                f"candidate {name!r} was tested on other rows than the checked folds in fold "
                f"{fold.fold}; candidates must share their out-of-sample rows."
            )
    scored = result.predictions.notna().to_numpy()
    tested = np.zeros(scored.size, dtype=bool)
    tested[folds.tested_rows()] = True
    if not np.array_equal(scored, tested):
        missing = int((tested & ~scored).sum())
        raise NonFiniteError(
            f"candidate {name!r} returned NaN scores for {missing} of {int(tested.sum())} "
            "out-of-sample rows, so it would be compared with the others on fewer rows; give "
            "it complete inputs (select complete columns, or a model that takes NaN)."
        )


def _table(
    results: dict[str, WalkForwardResult],
    oos_rows: npt.NDArray[np.intp],
    returns: npt.NDArray[np.float64],
) -> pd.DataFrame:
    rows = {}
    for name, result in results.items():
        scores = result.predictions.to_numpy(dtype=np.float64)[oos_rows]
        gap = result.overfit_gap
        rows[name] = {
            "kind": "ensemble" if name == ENSEMBLE else "base",
            "n_oos": int(result.oos.n_rows),
            "top_bucket_return": result.oos.top_bucket_return,
            "spread": result.oos.spread,
            "ic": result.oos.ic,
            "auc": _auc(scores, returns),
            "overfit_gap_top": gap["top_bucket_return"],
            "overfit_gap_ic": gap["ic"],
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "candidate"
    return table


def _auc(scores: npt.NDArray[np.float64], returns: npt.NDArray[np.float64]) -> float:
    """ROC AUC of the scores for a positive return; NaN when the returns have one sign."""
    known = ~np.isnan(returns)
    positive = returns[known] > 0
    if positive.all() or not positive.any():
        return math.nan
    return float(roc_auc_score(positive, scores[known]))


def _argmax(values: pd.Series) -> str:
    """The label of the largest value (the first on ties; NaN never wins unless all are)."""
    finite = values.dropna()
    return str(finite.idxmax() if len(finite) else values.index[0])


def _months(frame: pd.DataFrame, times: Any, folds: CheckedFolds) -> npt.NDArray[np.str_]:
    """Calendar month of every row, on the times' own wall clock (tz kept)."""
    raw: Any
    if isinstance(times, str):
        raw = frame[times]
    elif isinstance(times, pd.Series):
        raw = align_to(frame.index, times, "times")
    elif times is not None:
        raw = pd.DatetimeIndex(align_to(frame.index, times, "times"))
    else:  # pragma: no cover - checked_folds needs times; kept for a splitter without them
        raw = pd.DatetimeIndex(folds.times)
    return np.asarray(calendar_periods(raw, PERIOD, name="times").astype(str))


def _top_bucket_by_period(
    result: WalkForwardResult,
    oos_rows: npt.NDArray[np.intp],
    months: npt.NDArray[np.str_],
    returns: npt.NDArray[np.float64],
    n_buckets: int,
) -> dict[str, float | None]:
    """Mean return of each month's own top bucket of the candidate's out-of-sample scores.

    The rows of every month are bucketed among themselves: the return of a strategy
    that buys the top ``1/n_buckets`` of each month's trades. Pooled buckets would
    leave a month without top-bucket rows whenever a candidate's best scores cluster
    in a few months (a model of daily market features scores every trade of a day
    alike), and the complete months the statistics need would be few. A month whose
    top bucket is empty (fewer rows than buckets, or ties) is NaN.
    """
    scores = result.predictions.to_numpy(dtype=np.float64)[oos_rows]
    top = np.asarray(assign_buckets(scores, n_buckets, groups=months)) == n_buckets - 1
    means = pd.Series(returns[top]).groupby(months[top]).mean()
    return {str(p): float(v) for p, v in means.items()}
