"""``FeatureGroupAnalyzer``: which feature groups predict returns out of sample?"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, get_args

import pandas as pd

from tr_core.contract import DataContract
from tr_core.deprecation import NOT_GIVEN, renamed_argument
from tr_core.errors import EmptyDataError, InvalidParameterError, MissingColumnError, TrTypeError
from tr_core.units import TargetUnits
from tr_evaluation.buckets import check_n_buckets
from tr_feature_selection.groups.evaluation import GroupOutcome, GroupSettings, evaluate_group
from tr_feature_selection.groups.filtering import FilterFunc, apply_filter
from tr_feature_selection.groups.folds import check_train_test_pair, group_folds
from tr_feature_selection.groups.nan_policy import check_nan_policy
from tr_feature_selection.groups.parallel import run_tasks, thread_plan
from tr_feature_selection.groups.result import FeatureGroupResult
from tr_feature_selection.groups.sanity import DEFAULT_MAX_PLAUSIBLE_AUC, warn_if_implausible
from tr_feature_selection.groups.spec import FeatureGroups, check_feature_groups
from tr_feature_selection.groups.weights import resolve_group_weights
from tr_feature_selection.models import Label, model_task
from tr_feature_selection.scoring import resolve_metric

if TYPE_CHECKING:
    from tr_core.weights import SampleWeight, TrainingWeights
    from tr_feature_selection.groups.cv_result import GroupCVResult

__all__ = ["FeatureGroupAnalyzer"]


@dataclass(frozen=True)
class _Roles:
    """Column roles, from the analyzer's parameters or its contract."""

    target: str
    times: str | None
    label_ends: str | None
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
    times : str or None, default "trade_date"
        Decision-time column. Folds are checked by :func:`tr_core.splits.checked_folds`
        (a :class:`~tr_core.errors.FoldError`, a ``LookaheadError``, otherwise): in
        :meth:`test_feature_groups` every test time must be strictly after every
        training time (rows sharing a timestamp across the two are a leak); in
        :meth:`cross_validate_groups` no training row may meet a test row in time.
        ``None`` skips the train/test check (not recommended: a shuffled split
        overstates every group) and, in cross-validation, checks the folds against
        the splitter's own ``times``.
    label_ends : str, optional
        Column with the time each outcome window closes. When given, training
        rows whose window reaches a test row's window raise too.
    target_units : {"fraction", "percent", "log", "bps"}, default "fraction"
        Units of ``target``; passed as ``scale`` to a deprecated ``weight_calculator``
        function of the target that requires one.
    contract : DataContract, optional
        When given, supplies ``target``, ``times`` (``contract.time``), ``label_ends``
        (``contract.label_end``), ``target_units`` (overriding those parameters) and
        the default ``feature_groups`` (``contract.groups``).
    max_plausible_auc : float, default 0.8
        Test AUC above which a :class:`~tr_feature_selection.groups.LeakageWarning`
        names the group (see :data:`~tr_feature_selection.groups.sanity.DEFAULT_MAX_PLAUSIBLE_AUC`).
    random_state : int, optional
        Seed of every group's model — the same seed for each group, so groups
        are compared on equal terms.
    n_jobs : int, optional
        Cores to use: groups (and folds) run as :class:`joblib.Parallel` tasks
        (threads by default), each model with a share of the cores (see
        :mod:`tr_feature_selection.groups.parallel`). None follows joblib's active
        configuration — one task after another, or e.g. a Dask cluster inside
        ``joblib.parallel_config(backend="dask")``. Results do not depend on
        ``n_jobs`` or the backend.
    device : {"cpu", "cuda", "cuda:<n>"}, optional
        Passed to XGBoost models.
    verbose : bool, default True
        Progress bar over groups × folds (drawn only on a terminal).
    time, label_end : str or None
        Deprecated spellings of ``times`` and ``label_ends`` (until 0.2;
        :class:`FutureWarning`).

    Examples
    --------
    >>> from tr_core.splits import time_train_test_split
    >>> from tr_core.synthetic import make_insider_trades
    >>> frame, truth = make_insider_trades(20_000, random_state=0)
    >>> tr, te = time_train_test_split(frame, times="trade_date", test_size=0.3,
    ...                                label_ends="label_end")
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
        times: str | None = NOT_GIVEN,
        label_ends: str | None = None,
        target_units: str = "fraction",
        contract: DataContract | None = None,
        max_plausible_auc: float = DEFAULT_MAX_PLAUSIBLE_AUC,
        random_state: int | None = None,
        n_jobs: int | None = None,
        device: str | None = None,
        verbose: bool = True,
        time: str | None = NOT_GIVEN,
        label_end: str | None = NOT_GIVEN,
    ) -> None:
        owner = "FeatureGroupAnalyzer"
        times = renamed_argument(
            "times", times, "time", time, owner=owner, default="trade_date", old_default=NOT_GIVEN
        )
        label_ends = renamed_argument(
            "label_ends", label_ends, "label_end", label_end, owner=owner, old_default=NOT_GIVEN
        )
        self.model = model
        self.target = target
        self.label = label
        self.evaluation_metric = evaluation_metric
        self.n_buckets = n_buckets
        self.nan_policy = nan_policy
        self.filter_func = filter_func
        self.times = times
        self.label_ends = label_ends
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
        sample_weight: SampleWeight = None,
        use_weighted: bool | None = None,
        weight_calculator: Any = None,
    ) -> FeatureGroupResult:
        """Train on ``train`` and evaluate on ``test``, one model per feature group.

        Parameters
        ----------
        train, test : DataFrame
            Training rows and strictly later test rows (e.g. from
            :func:`tr_core.splits.time_train_test_split`); never modified.
        feature_groups : mapping of str to sequence of str, optional
            Group name to its columns; default: the contract's groups.
        sample_weight : array-like, Series, str or callable, optional
            Training weights (:mod:`tr_core.weights`): one weight per row of
            ``train`` (a Series is matched by index label), a column of ``train``,
            or a weighter / callable ``f(frame) -> weights`` called on each group's
            complete training rows (e.g.
            ``tr_sample_weighting.AlphaPowerWeighter(column="alpha", scale="fraction")``).
            Training only; evaluation is unweighted.
        use_weighted : bool, optional
            Deprecated (until 0.2): weights are used exactly when given.
        weight_calculator : callable, optional
            Deprecated spelling of ``sample_weight`` (until 0.2), with its old
            convention: see :mod:`tr_feature_selection.groups.weights`.

        Returns
        -------
        FeatureGroupResult

        Raises
        ------
        InvalidParameterError
            Bad parameters (including any constant-fill ``nan_policy``), an empty
            group, or contradicting weighting options.
        MissingColumnError
            A group (or the target/times) naming a column that is not in a frame.
        FoldError
            A test frame that is not strictly after the training frame (a
            :class:`~tr_core.errors.LookaheadError`).
        InsufficientDataError
            A group without complete training or test rows, or a constant
            training target, naming the group.

        Warns
        -----
        LeakageWarning
            A group whose test AUC exceeds ``max_plausible_auc``.
        FutureWarning
            A deprecated spelling was used.
        """
        roles = self._roles()
        frames = {"train": train, "test": test}
        for where, frame in frames.items():
            _check_frame(frame, where, roles)
        weights = resolve_group_weights(
            train,
            sample_weight=sample_weight,
            weight_calculator=weight_calculator,
            use_weighted=use_weighted,
            target=roles.target,
            target_units=roles.target_units,
            owner="FeatureGroupAnalyzer.test_feature_groups",
        )
        if roles.times is not None:
            check_train_test_pair(train, test, times=roles.times, label_ends=roles.label_ends)
        groups = self._groups(feature_groups, roles, frames)
        workers, model_threads = thread_plan(self.n_jobs, len(groups))
        settings = self._settings(roles, weights, model_threads)
        train_rows, train_removed = apply_filter(self.filter_func, train, "train")
        test_rows, test_removed = apply_filter(self.filter_func, test, "test")
        outcomes = run_tasks(
            evaluate_group,
            [
                (settings, name, cols, train, train_rows, test, test_rows)
                for name, cols in groups.items()
            ],
            n_jobs=workers,
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
            weighted=weights.active,
        )

    def cross_validate_groups(
        self,
        frame: pd.DataFrame,
        feature_groups: FeatureGroups | None = None,
        cv: Any = None,
        *,
        sample_weight: SampleWeight = None,
        use_weighted: bool | None = None,
        weight_calculator: Any = None,
        splitter: Any = None,
    ) -> GroupCVResult:
        """Compare feature groups over the folds of a time splitter, with selection-bias statistics.

        See :func:`tr_feature_selection.groups.cross_validation.cross_validate_groups`
        for what is computed; the parameters are those of
        :meth:`test_feature_groups`, with one frame split by ``cv``.

        Parameters
        ----------
        frame : DataFrame
            All rows; never modified.
        feature_groups : mapping of str to sequence of str, optional
            Group name to its columns; default: the contract's groups.
        cv : splitter or iterable of (train, test) positions
            E.g. :class:`tr_core.splits.WalkForward` or
            :class:`tr_core.splits.PurgedKFold`, which purge and embargo as
            configured; checked once by :func:`tr_core.splits.checked_folds`.
        sample_weight : array-like, Series, str or callable, optional
            As in :meth:`test_feature_groups`, for the rows of ``frame``; a weighter
            or callable is computed on each fold's (and group's) training rows only.
        use_weighted, weight_calculator : optional
            Deprecated, as in :meth:`test_feature_groups`.
        splitter : splitter, optional
            Deprecated spelling of ``cv`` (until 0.2).

        Returns
        -------
        GroupCVResult

        Raises
        ------
        FoldError
            A fold whose training rows share a decision time with its test rows or
            (with label ends: the analyzer's ``label_ends``, else the splitter's)
            whose label windows meet theirs — e.g. scikit-learn's ``KFold``, or a
            splitter built without ``label_ends`` — or folds that are not positions
            of ``frame``. A ``LookaheadError`` and an ``InvalidParameterError``.
        InvalidParameterError
            No ``cv``, or ``times=None`` with a splitter that carries no times.
        """
        from tr_feature_selection.groups.cross_validation import cross_validate_groups

        owner = "FeatureGroupAnalyzer.cross_validate_groups"
        cv = renamed_argument("cv", cv, "splitter", splitter, owner=owner)
        if cv is None:
            raise InvalidParameterError(
                "`cv` is required: a time splitter such as tr_core.splits.WalkForward(n_splits, "
                "times=..., label_ends=...) or PurgedKFold, or an iterable of (train, test) "
                "positions."
            )
        roles = self._roles()
        _check_frame(frame, "frame", roles)
        weights = resolve_group_weights(
            frame,
            sample_weight=sample_weight,
            weight_calculator=weight_calculator,
            use_weighted=use_weighted,
            target=roles.target,
            target_units=roles.target_units,
            owner=owner,
        )
        groups = self._groups(feature_groups, roles, {"frame": frame})
        folds = group_folds(cv, frame, times=roles.times, label_ends=roles.label_ends)
        workers, model_threads = thread_plan(self.n_jobs, len(folds) * len(groups))
        settings = self._settings(roles, weights, model_threads)
        return cross_validate_groups(
            settings,
            frame,
            groups,
            folds,
            times=roles.times,
            filter_func=self.filter_func,
            max_plausible_auc=self.max_plausible_auc,
            n_jobs=workers,
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
        for name in ("target", "times", "label_ends"):
            value = getattr(self, name)
            if not (isinstance(value, str) or (value is None and name != "target")):
                raise InvalidParameterError(f"`{name}` must be a column name, got {value!r}.")
        if self.target_units not in get_args(TargetUnits):
            raise InvalidParameterError(
                f"`target_units` must be one of {list(get_args(TargetUnits))}, got "
                f"{self.target_units!r}."
            )
        return _Roles(self.target, self.times, self.label_ends, self.target_units, None)

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
        reserved = tuple(c for c in (roles.target, roles.times, roles.label_ends) if c is not None)
        return check_feature_groups(feature_groups, frames, reserved=reserved)

    def _settings(
        self, roles: _Roles, weights: TrainingWeights, model_threads: int | None
    ) -> GroupSettings:
        n_buckets = check_n_buckets(self.n_buckets)
        auc = self.max_plausible_auc
        if isinstance(auc, bool) or not isinstance(auc, int | float) or not 0.5 < auc <= 1.0:
            raise InvalidParameterError(
                f"`max_plausible_auc` must be in (0.5, 1], got {auc!r}; 1.0 switches the "
                "leak warning off."
            )
        resolve_metric(self.evaluation_metric, n_buckets=n_buckets)  # validated here, once
        return GroupSettings(
            model=self.model,
            task="classification" if self.model is None else model_task(self.model),
            target=roles.target,
            label=self.label,
            evaluation_metric=self.evaluation_metric,
            n_buckets=n_buckets,
            nan_policy=check_nan_policy(self.nan_policy),
            random_state=self.random_state,
            model_n_jobs=model_threads,
            device=self.device,
            weights=weights,
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
