"""``FeatureGroupAnalyzer``: which feature groups predict returns out of sample?"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, get_args

import pandas as pd

from tr_core.contract import DataContract, TargetUnits
from tr_core.errors import EmptyDataError, InvalidParameterError, MissingColumnError, TrTypeError
from tr_evaluation.buckets.assign import check_n_buckets
from tr_feature_selection.groups.evaluation import GroupOutcome, GroupSettings, evaluate_group
from tr_feature_selection.groups.filtering import FilterFunc, apply_filter
from tr_feature_selection.groups.nan_policy import check_nan_policy
from tr_feature_selection.groups.parallel import run_tasks, thread_plan
from tr_feature_selection.groups.result import FeatureGroupResult
from tr_feature_selection.groups.sanity import DEFAULT_MAX_PLAUSIBLE_AUC, warn_if_implausible
from tr_feature_selection.groups.spec import FeatureGroups, check_feature_groups
from tr_feature_selection.groups.time_order import check_fold_separation, check_time_order
from tr_feature_selection.groups.weights import WeightCalculator, check_weighting
from tr_feature_selection.models import Label, model_task
from tr_feature_selection.scoring import resolve_metric

if TYPE_CHECKING:
    from tr_feature_selection.groups.cv_result import GroupCVResult

__all__ = ["FeatureGroupAnalyzer"]


@dataclass(frozen=True)
class _Roles:
    """Column roles, from the analyzer's parameters or its contract."""

    target: str
    time: str | None
    label_end: str | None
    target_units: str
    groups: FeatureGroups | None


class FeatureGroupAnalyzer:
    """Train one model per feature group and compare the groups out of sample.

    For every group, rows incomplete *in that group's columns* (or the target)
    are dropped — on train and test separately, so one sparse group never costs
    the other groups their rows — a fresh copy of the model is trained, the test
    rows are scored and bucketed (tr-evaluation), and the evaluation metric is
    computed on the test rows and on the training rows (their difference is the
    overfit gap). Missing values are never filled (see ``nan_policy``).

    Parameters
    ----------
    model : scikit-learn classifier or regressor, optional
        Template cloned for every group (never fitted itself). Default:
        :func:`tr_feature_selection.models.default_model`, an
        ``XGBClassifier`` with :data:`~tr_feature_selection.models.DEFAULT_XGB_PARAMS`.
        Classifiers train on the class of each row (see ``label``); regressors
        on the target itself. Both rank test rows by their score.
    target : str, default "alpha"
        Column of the realized outcome, in ``target_units``.
    label : float or callable, default 0.0
        How the target becomes a class: ``target > label`` for a number, or a
        function of the target Series returning 0/1 per row. Used for training
        classifiers and for every model's AUC.
    evaluation_metric : str or callable, default "bucket_19_return"
        ``"bucket_<k>_return"``, ``"top_bucket_return"``, ``"auc"``, ``"ic"``,
        ``"spread"``, or ``metric(target, scores) -> float`` (higher is better);
        see :mod:`tr_feature_selection.scoring`.
    n_buckets : int, default 20
        Score buckets of the test rows.
    nan_policy : {"drop_per_group", "native"}, default "drop_per_group"
        ``"drop_per_group"``: each group keeps the rows complete in its own
        columns. ``"native"``: NaN is passed to the model, which must route it
        itself (XGBoost's learned default direction); other models raise. Any
        constant fill (``"zero"``, ``0``, ``"mean"``, ...) is refused with the
        reason — see :mod:`tr_feature_selection.groups.nan_policy`.
    filter_func : callable, optional
        ``filter_func(frame) -> boolean mask``, applied to train and test (each
        fold's, in cross-validation) before anything else; the rows it removes
        are counted in the result.
    time : str or None, default "trade_date"
        Decision-time column. Every test time must be strictly after every
        training time (rows sharing a timestamp across the two are a leak), else
        :class:`~tr_core.errors.LookaheadError`. ``None`` skips the check — not
        recommended: a shuffled split overstates every group.
    label_end : str, optional
        Column with the time each outcome window closes. When given, training
        rows whose window reaches the first test time raise too.
    target_units : {"fraction", "percent", "log", "bps"}, default "fraction"
        Units of ``target``; passed as ``scale`` to weight calculators that take it.
    contract : DataContract, optional
        When given, supplies ``target``, ``time``, ``label_end``,
        ``target_units`` (overriding those parameters) and the default
        ``feature_groups`` (``contract.groups``).
    max_plausible_auc : float, default 0.8
        Test AUC above which a :class:`~tr_feature_selection.groups.LeakageWarning`
        names the group (see :data:`~tr_feature_selection.groups.sanity.DEFAULT_MAX_PLAUSIBLE_AUC`).
    random_state : int, optional
        Seed of every group's model — the same seed for each group, so groups
        are compared on equal terms.
    n_jobs : int, optional
        Cores to use: groups (and folds) run in parallel threads, each model
        with a share of the cores (see :mod:`tr_feature_selection.groups.parallel`).
        None runs groups one after another. Results do not depend on ``n_jobs``.
    device : {"cpu", "cuda", "cuda:<n>"}, optional
        Passed to XGBoost models.
    verbose : bool, default True
        Progress bar over groups × folds (drawn only on a terminal).

    Examples
    --------
    >>> from tr_core.splits import time_train_test_split
    >>> from tr_core.synthetic import make_insider_trades
    >>> frame, truth = make_insider_trades(20_000, seed=0)
    >>> tr, te = time_train_test_split(frame, time="trade_date", test_size=0.3,
    ...                                label_end="label_end")
    >>> analyzer = FeatureGroupAnalyzer(evaluation_metric="top_bucket_return", random_state=0)
    >>> result = analyzer.test_feature_groups(frame.iloc[tr], frame.iloc[te],
    ...                                       dict(truth.groups))
    >>> result.best() in {"insider", "technical"}
    True
    """

    def __init__(
        self,
        model: Any = None,
        *,
        target: str = "alpha",
        label: Label = 0.0,
        evaluation_metric: Any = "bucket_19_return",
        n_buckets: int = 20,
        nan_policy: str = "drop_per_group",
        filter_func: FilterFunc | None = None,
        time: str | None = "trade_date",
        label_end: str | None = None,
        target_units: str = "fraction",
        contract: DataContract | None = None,
        max_plausible_auc: float = DEFAULT_MAX_PLAUSIBLE_AUC,
        random_state: int | None = None,
        n_jobs: int | None = None,
        device: str | None = None,
        verbose: bool = True,
    ) -> None:
        self.model = model
        self.target = target
        self.label = label
        self.evaluation_metric = evaluation_metric
        self.n_buckets = n_buckets
        self.nan_policy = nan_policy
        self.filter_func = filter_func
        self.time = time
        self.label_end = label_end
        self.target_units = target_units
        self.contract = contract
        self.max_plausible_auc = max_plausible_auc
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.device = device
        self.verbose = verbose

    def test_feature_groups(
        self,
        train: pd.DataFrame,
        test: pd.DataFrame,
        feature_groups: FeatureGroups | None = None,
        *,
        use_weighted: bool = False,
        weight_calculator: WeightCalculator | None = None,
    ) -> FeatureGroupResult:
        """Train on ``train`` and evaluate on ``test``, one model per feature group.

        Parameters
        ----------
        train, test : DataFrame
            Training rows and strictly later test rows (e.g. from
            :func:`tr_core.splits.time_train_test_split`); never modified.
        feature_groups : mapping of str to sequence of str, optional
            Group name to its columns; default: the contract's groups.
        use_weighted : bool, default False
            Weight the training rows with ``weight_calculator``.
        weight_calculator : callable, optional
            ``calculator(target, [scale=target_units])`` or a weighter of frames
            ``weighter(data)`` (e.g. a :class:`tr_sample_weighting.SampleWeighter`);
            see :mod:`tr_feature_selection.groups.weights`. Training only;
            evaluation is unweighted.

        Returns
        -------
        FeatureGroupResult

        Raises
        ------
        InvalidParameterError
            Bad parameters (including any constant-fill ``nan_policy``), an empty
            group, or ambiguous weighting options.
        MissingColumnError
            A group (or the target/time) naming a column that is not in a frame.
        LookaheadError
            A test frame that is not strictly after the training frame.
        InsufficientDataError
            A group without complete training or test rows, or a constant
            training target, naming the group.

        Warns
        -----
        LeakageWarning
            A group whose test AUC exceeds ``max_plausible_auc``.
        """
        roles = self._roles()
        frames = {"train": train, "test": test}
        for where, frame in frames.items():
            _check_frame(frame, where, roles)
        if roles.time is not None:
            check_time_order(train, test, time=roles.time, label_end=roles.label_end)
        groups = self._groups(feature_groups, roles, frames)
        workers, model_threads = thread_plan(self.n_jobs, len(groups))
        settings = self._settings(roles, use_weighted, weight_calculator, model_threads)
        train_f, train_removed = apply_filter(self.filter_func, train, "train")
        test_f, test_removed = apply_filter(self.filter_func, test, "test")
        outcomes = run_tasks(
            lambda item: evaluate_group(settings, item[0], item[1], train_f, test_f),
            list(groups.items()),
            workers=workers,
            desc="feature groups",
            verbose=self.verbose,
        )
        for outcome in outcomes:
            warn_if_implausible(outcome.group, outcome.test.auc, self.max_plausible_auc)
        table = pd.DataFrame(
            [_row(o, len(train), train_removed, len(test), test_removed) for o in outcomes],
            index=pd.Index([o.group for o in outcomes], name="group"),
        )
        return FeatureGroupResult(
            table=table,
            buckets=MappingProxyType({o.group: o.test.buckets.table.copy() for o in outcomes}),
            audits=MappingProxyType({o.group: (o.train_audit, o.test_audit) for o in outcomes}),
            metric=settings.metric.name,
            n_buckets=settings.n_buckets,
            nan_policy=settings.nan_policy,
            weighted=weight_calculator is not None,
        )

    def cross_validate_groups(
        self,
        frame: pd.DataFrame,
        feature_groups: FeatureGroups | None,
        splitter: Any,
        *,
        use_weighted: bool = False,
        weight_calculator: WeightCalculator | None = None,
    ) -> GroupCVResult:
        """Compare feature groups over the folds of a time splitter, with selection-bias statistics.

        See :func:`tr_feature_selection.groups.cross_validation.cross_validate_groups`
        for what is computed; the parameters are those of
        :meth:`test_feature_groups`, with one frame split by ``splitter`` (e.g.
        :class:`tr_core.splits.WalkForward` or :class:`tr_core.splits.PurgedKFold`,
        which purge and embargo as configured).

        Returns
        -------
        GroupCVResult

        Raises
        ------
        LookaheadError
            With a ``time`` column: a fold whose training rows share a decision
            time with its test rows or, when ``label_end`` is set, whose label
            windows meet theirs (e.g. scikit-learn's ``KFold``, or a splitter built
            without ``label_ends``).
        """
        from tr_feature_selection.groups.cross_validation import cross_validate_groups

        roles = self._roles()
        _check_frame(frame, "frame", roles)
        groups = self._groups(feature_groups, roles, {"frame": frame})
        folds = _folds(splitter, frame)
        if roles.time is not None:
            if roles.time not in frame.columns:
                raise MissingColumnError(
                    f"`time`={roles.time!r} is not a column of the frame; name the right "
                    "column, or pass time=None to skip the time checks (not recommended)."
                )
            check_fold_separation(frame, folds, time=roles.time, label_end=roles.label_end)
        workers, model_threads = thread_plan(self.n_jobs, len(folds) * len(groups))
        settings = self._settings(roles, use_weighted, weight_calculator, model_threads)
        return cross_validate_groups(
            settings,
            frame,
            groups,
            folds,
            time=roles.time,
            filter_func=self.filter_func,
            max_plausible_auc=self.max_plausible_auc,
            workers=workers,
            verbose=self.verbose,
        )

    def _roles(self) -> _Roles:
        c = self.contract
        if c is not None:
            if not isinstance(c, DataContract):
                raise InvalidParameterError(
                    f"`contract` must be a tr_core.contract.DataContract, got {type(c).__name__}."
                )
            return _Roles(c.target, c.time, c.label_end, c.target_units, c.groups)
        for name in ("target", "time", "label_end"):
            value = getattr(self, name)
            if not (isinstance(value, str) or (value is None and name != "target")):
                raise InvalidParameterError(f"`{name}` must be a column name, got {value!r}.")
        if self.target_units not in get_args(TargetUnits):
            raise InvalidParameterError(
                f"`target_units` must be one of {list(get_args(TargetUnits))}, got "
                f"{self.target_units!r}."
            )
        return _Roles(self.target, self.time, self.label_end, self.target_units, None)

    def _groups(
        self,
        feature_groups: FeatureGroups | None,
        roles: _Roles,
        frames: dict[str, pd.DataFrame],
    ) -> dict[str, tuple[str, ...]]:
        if feature_groups is None:
            if roles.groups is None:
                raise InvalidParameterError(
                    "`feature_groups` is None and there is no `contract` to take groups from; "
                    "pass e.g. {'insider': [...], 'technical': [...]}."
                )
            feature_groups = roles.groups
        reserved = tuple(c for c in (roles.target, roles.time, roles.label_end) if c is not None)
        return check_feature_groups(feature_groups, frames, reserved=reserved)

    def _settings(
        self,
        roles: _Roles,
        use_weighted: bool,
        weight_calculator: WeightCalculator | None,
        model_threads: int | None,
    ) -> GroupSettings:
        check_weighting(use_weighted, weight_calculator)
        n_buckets = check_n_buckets(self.n_buckets)
        auc = self.max_plausible_auc
        if isinstance(auc, bool) or not isinstance(auc, int | float) or not 0.5 < auc <= 1.0:
            raise InvalidParameterError(
                f"`max_plausible_auc` must be in (0.5, 1], got {auc!r}; 1.0 switches the "
                "leak warning off."
            )
        return GroupSettings(
            model=self.model,
            task="classification" if self.model is None else model_task(self.model),
            target=roles.target,
            label=self.label,
            metric=resolve_metric(self.evaluation_metric, n_buckets=n_buckets),
            n_buckets=n_buckets,
            nan_policy=check_nan_policy(self.nan_policy),
            random_state=self.random_state,
            model_n_jobs=model_threads,
            device=self.device,
            weight_calculator=weight_calculator,
            target_units=roles.target_units,
        )


def _check_frame(frame: Any, where: str, roles: _Roles) -> None:
    """A non-empty DataFrame holding the target column."""
    if not isinstance(frame, pd.DataFrame):
        raise TrTypeError(f"`{where}` must be a pandas DataFrame, got {type(frame).__name__}.")
    if len(frame) == 0:
        raise EmptyDataError(f"the {where} frame has no rows.")
    if roles.target not in frame.columns:
        raise MissingColumnError(
            f"the target column {roles.target!r} is not in the {where} frame (it has "
            f"{list(frame.columns)[:20]}); set `target=` to the outcome column."
        )


def _folds(splitter: Any, frame: pd.DataFrame) -> list[tuple[Any, Any]]:
    """The splitter's (train, test) positions, checked."""
    if not hasattr(splitter, "split"):
        raise InvalidParameterError(
            f"`splitter` must have split(X) yielding (train, test) positions, like "
            f"tr_core.splits.WalkForward; got {type(splitter).__name__}."
        )
    folds = [(pd.Index(tr), pd.Index(te)) for tr, te in splitter.split(frame)]
    if not folds:
        raise InvalidParameterError(f"{splitter!r} yielded no split for this frame.")
    for k, (tr, te) in enumerate(folds):
        for side, pos in (("train", tr), ("test", te)):
            if len(pos) == 0:
                raise EmptyDataError(f"fold {k} of {splitter!r} has no {side} rows.")
            ok = (
                pd.api.types.is_integer_dtype(pos.dtype)
                and pos.min() >= 0
                and pos.max() < len(frame)
            )
            if not ok:
                raise InvalidParameterError(
                    f"fold {k} of {splitter!r} gave {side} rows that are not positions "
                    f"0..{len(frame) - 1} of the frame."
                )
    return [(tr.to_numpy(), te.to_numpy()) for tr, te in folds]


def _row(
    outcome: GroupOutcome, train_rows: int, train_removed: int, test_rows: int, test_removed: int
) -> dict[str, Any]:
    """The result-table row of one group."""
    return {
        "n_features": outcome.n_features,
        "train_rows": train_rows,
        "train_filtered": train_removed,
        "test_rows": test_rows,
        "test_filtered": test_removed,
        **outcome.metrics(),
    }
