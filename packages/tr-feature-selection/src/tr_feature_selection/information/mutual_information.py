"""``mutual_information``: how much each feature, on its own, tells about the target."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InvalidParameterError
from tr_feature_selection._inputs import (
    check_parameters,
    check_rows,
    named_feature_matrix,
    resolve_target_kind,
    target_array,
)
from tr_feature_selection.information.binned import binned_mutual_information
from tr_feature_selection.information.binning import default_n_bins
from tr_feature_selection.information.knn import knn_mutual_information

__all__ = ["mutual_information"]


def mutual_information(
    X: Any,
    y: Any,
    *,
    method: Literal["binned", "knn"] = "binned",
    target_kind: Literal["auto", "discrete", "continuous"] = "auto",
    n_bins: int | Literal["auto"] = "auto",
    random_state: int | None = None,
    discrete_target: bool | None = None,
) -> pd.Series:
    """Mutual information (nats) between each feature and the target, largest first.

    Each feature is measured on its own complete rows: a NaN in one feature
    removes that row for that feature only, and nothing is ever filled.

    Parameters
    ----------
    X : DataFrame or 2-D array, shape (n_rows, n_features)
        Numeric (or boolean) features; NaN marks a missing value. Columns of an
        array are named ``x0``, ``x1``, ...
    y : array-like or Series, shape (n_rows,)
        The target, aligned row by row with ``X`` (not a column name: keep the
        target out of ``X``). No NaN: drop unlabeled rows first. A Series must
        have the same index as a DataFrame ``X``.
    method : {"binned", "knn"}, default "binned"
        ``"binned"``: quantile-binned plug-in estimate with the Miller–Madow
        bias correction, vectorized over features (fast; see
        :func:`~tr_feature_selection.information.binned.binned_mutual_information`).
        ``"knn"``: the Kraskov (continuous target) or Ross (discrete target)
        k-nearest-neighbour estimator of scikit-learn, one feature at a time
        (slow; no binning).
    target_kind : {"auto", "discrete", "continuous"}, default "auto"
        Whether ``y`` holds classes or a quantity. ``"discrete"``: classes (at
        most 50 distinct values; any labels). ``"continuous"``: numbers,
        binned like the features by ``"binned"`` and handed to
        ``mutual_info_regression`` by ``"knn"``. ``"auto"`` takes as classes
        labels that are not numbers (strings, categoricals), booleans, and
        numbers that are all whole and at most 10 distinct (0/1, -1/0/1,
        deciles); every other number is continuous — a float target such as
        alpha rounded to 1 % (a few dozen values) is a quantity, and taken as
        classes its rare values made independent noise score about 0.02 nats
        at 2 000 rows. The decision is in ``attrs["target_kind"]``.
    n_bins : int or "auto", default "auto"
        ``"binned"`` only: bins per feature (and per continuous target).
        ``"auto"`` picks, per feature, ``ceil(2 n^(1/3))`` for its ``n``
        complete rows, capped so the joint table has at least 5 rows per cell
        on average (see
        :func:`~tr_feature_selection.information.binning.default_n_bins`).
        Tied values share a bin, a feature with at most ``n_bins`` distinct
        values uses its values as bins, and a feature with at least two
        distinct values always gets at least two bins (a tie group is placed
        by its middle rank, so a large tie never swallows the values beside
        it).
    random_state : int, optional
        ``"knn"`` only: seed of the tiny noise scikit-learn adds to break ties.
        ``"binned"`` is deterministic and ignores it.
    discrete_target : bool, optional
        Deprecated (removed in 0.2): ``True`` means ``target_kind="discrete"``,
        ``False`` ``target_kind="continuous"``; emits a ``FutureWarning``.

    Returns
    -------
    pandas.Series
        Named ``"mutual_information"``, indexed by feature, in nats, sorted
        descending (ties keep the input order). ``attrs`` holds
        ``"n_rows"`` (feature → complete rows used), ``"method"``,
        ``"units"`` (``"nats"``), ``"n_bins"`` (feature → bins used, at most;
        ``None`` for ``"knn"``), ``"target_kind"`` (``"discrete"`` or
        ``"continuous"``: the kind used, decided when ``"auto"``) and
        ``"discrete_target"`` (the same as a bool). The binned
        estimate is bias-corrected and *not* clipped: an independent feature
        scores about 0, sometimes slightly below. scikit-learn clips the knn
        estimate at 0.

    Raises
    ------
    FeatureTypeError
        A feature is not numeric.
    NonFiniteError
        A feature holds +/-inf, or ``y`` holds NaN or +/-inf.
    TrTypeError
        ``target_kind="continuous"`` for a target of labels (not numbers).
    LengthMismatchError
        ``X`` and ``y`` differ in length.
    InsufficientDataError
        ``y`` holds a single value, or a feature has fewer than 20 complete rows.
    InvalidParameterError
        A bad ``method``, ``target_kind``, ``n_bins`` or ``random_state``;
        an ``n_bins`` so large that a feature's joint table has more cells than
        complete rows (the estimate would measure sample noise);
        a discrete target with more than 50 distinct values; a
        ``discrete_target`` contradicting ``target_kind``.
    IndexAlignmentError
        A Series ``y`` whose index labels are not those of a DataFrame ``X``
        (the same labels in another order are paired by label).
    DuplicateColumnError, EmptyDataError, TrTypeError
        Duplicate column names; no rows or no columns; ``y`` given as a column
        name or ``X`` not two-dimensional.

    Notes
    -----
    Mutual information ``I(X; Y) = E[ln p(x, y) / (p(x) p(y))]`` is 0 exactly
    when feature and target are independent and catches non-monotone
    dependence that a correlation misses (Cover & Thomas 2006, *Elements of
    Information Theory*, ch. 2). For a bivariate Gaussian with correlation
    ``rho`` it is ``-ln(1 - rho^2) / 2``. It scores each feature alone:
    redundancy and interactions between features are not seen.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"signal": rng.normal(size=5_000), "noise": rng.normal(size=5_000)})
    >>> y = X["signal"] + rng.normal(size=5_000) > 0
    >>> mi = mutual_information(X, y)
    >>> list(mi.index), mi.attrs["n_rows"]
    (['signal', 'noise'], {'signal': 5000, 'noise': 5000})
    """
    kind = resolve_target_kind(target_kind, discrete_target)
    check_parameters(method, kind, n_bins, random_state)
    names, matrix = named_feature_matrix(X)
    target, n_distinct, kind = target_array(y, X, target_kind=kind)
    discrete = kind == "discrete"
    n_rows = (~np.isnan(matrix)).sum(axis=0).astype(np.int64)
    check_rows(names, n_rows)
    bins: dict[Any, int] | None = None
    if method == "knn":
        values = knn_mutual_information(
            matrix, target, discrete_target=discrete, random_state=random_state
        )
    else:
        n_classes = n_distinct if discrete else None
        per_feature = np.array(
            [
                default_n_bins(int(k), n_classes) if n_bins == "auto" else int(n_bins)
                for k in n_rows
            ],
            dtype=np.int64,
        )
        if n_bins != "auto":
            _check_cells(names, n_rows, per_feature, n_classes)
        values = binned_mutual_information(matrix, target, per_feature, discrete_target=discrete)
        bins = {name: int(b) for name, b in zip(names, per_feature, strict=True)}
    result = pd.Series(values, index=pd.Index(names), name="mutual_information", dtype=np.float64)
    result = result.sort_values(ascending=False, kind="stable")
    result.attrs = {
        "n_rows": {name: int(k) for name, k in zip(names, n_rows, strict=True)},
        "method": method,
        "units": "nats",
        "n_bins": bins,
        "target_kind": kind,
        "discrete_target": discrete,
    }
    return result


def _check_cells(
    names: list[Any],
    n_rows: npt.NDArray[np.int64],
    n_bins: npt.NDArray[np.int64],
    n_classes: int | None,
) -> None:
    """Refuse a bin count leaving fewer complete rows than cells in a feature's joint table.

    With fewer rows than cells most rows sit alone in a cell, the plug-in estimate
    approaches ``ln(min(bins, classes))`` whatever the dependence, and the
    Miller–Madow term (a large-sample correction) cannot take that back.
    """
    cells = n_bins * (n_bins if n_classes is None else n_classes)
    sparse = [
        (name, int(k), int(c)) for name, k, c in zip(names, n_rows, cells, strict=True) if k < c
    ]
    if sparse:
        listing = ", ".join(f"{name!r} has {k} rows for {c} cells" for name, k, c in sparse[:5])
        raise InvalidParameterError(
            f"`n_bins`={int(n_bins[0])} leaves fewer complete rows than cells of the joint "
            f"table ({listing}): the estimate would measure sample noise, not dependence. "
            "Lower n_bins, or use n_bins='auto' (at least 5 rows per cell)."
        )
