"""Importance read from a fitted XGBoost model: split gain, split count, cover, or mean |SHAP|."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import xgboost as xgb
from sklearn.exceptions import NotFittedError

from tr_core.errors import EmptyDataError, InvalidParameterError, TrTypeError
from tr_feature_selection._inputs import check_features, feature_matrix

__all__ = ["IMPORTANCE_KINDS", "ImportanceKind", "xgboost_importance"]

ImportanceKind = Literal["gain", "total_gain", "weight", "cover", "total_cover", "shap"]
IMPORTANCE_KINDS: tuple[str, ...] = ("gain", "total_gain", "weight", "cover", "total_cover", "shap")


def xgboost_importance(
    model: Any, kind: ImportanceKind = "gain", X: pd.DataFrame | None = None
) -> pd.Series:
    r"""Importance of every feature of a fitted XGBoost model, highest first.

    Parameters
    ----------
    model : xgboost.XGBModel or xgboost.Booster
        A *fitted* scikit-learn-API model (``XGBClassifier``, ``XGBRegressor``, ...)
        or a trained ``Booster``. Never modified.
    kind : {"gain", "total_gain", "weight", "cover", "total_cover", "shap"}, default "gain"
        ``"gain"``: mean loss reduction of the splits on the feature;
        ``"total_gain"``: their sum; ``"weight"``: number of splits;
        ``"cover"`` / ``"total_cover"``: mean / total hessian (for squared error:
        rows) reaching those splits — all read from the trees, XGBoost's own
        ``Booster.get_score``. ``"shap"``: mean absolute SHAP value over the rows
        of ``X``, :math:`I_j = \frac{1}{n} \sum_i |\phi_{ij}|`, with the exact
        TreeSHAP contributions :math:`\phi_{ij}` that XGBoost computes itself
        (``pred_contribs=True``; Lundberg & Lee, 2017, *NeurIPS*; Lundberg et al.,
        2020, *Nature Machine Intelligence* 2) on the margin (log-odds for a
        classifier). The bias column is dropped; a multi-class model averages
        over classes too.
    X : DataFrame, optional
        Rows to explain, with exactly the model's feature columns (any order;
        NaN allowed — the trees route it). Required for ``"shap"`` and refused
        for the other kinds, which do not look at data. A model trained on a
        numpy array names its features ``f0, f1, ...``; ``X`` may then also be
        a 2-D array with that many columns.

    Returns
    -------
    pandas.Series
        Indexed by *every* feature the model was trained on — a feature never
        used in a split scores 0.0, which is its true value, not a fill — sorted
        descending (ties in training column order), named ``"<kind>_importance"``.

    Raises
    ------
    TrTypeError
        ``model`` is not an XGBoost model, or ``X`` is not a DataFrame/array.
    InvalidParameterError
        An unfitted model, an unknown ``kind``, ``X`` missing for ``"shap"`` or
        given for another kind, ``X`` with columns the model was not trained on.
    MissingColumnError, FeatureTypeError, EmptyDataError, NonFiniteError
        ``X`` lacks a model feature, has a non-numeric one, no rows, or inf.

    Notes
    -----
    Gain and split counts favour features with many distinct values, which
    offer more candidate splits; all in-sample tree statistics share credit
    arbitrarily among correlated features (the substitution effect, López de
    Prado, 2018, *Advances in Financial Machine Learning*, ch. 8). SHAP uses
    every tree of the booster (also trees past an early-stopping best iteration).

    Examples
    --------
    >>> import numpy as np, pandas as pd, xgboost as xgb
    >>> X = pd.DataFrame({"a": np.arange(8.0), "b": np.zeros(8)})
    >>> m = xgb.XGBRegressor(n_estimators=2, max_depth=1).fit(X, (X["a"] > 3) * 1.0)
    >>> xgboost_importance(m, "weight").to_dict()
    {'a': 2.0, 'b': 0.0}
    """
    booster, missing = _booster(model)
    names = booster.feature_names
    features = list(names) if names else [f"f{i}" for i in range(booster.num_features())]
    if kind not in IMPORTANCE_KINDS:
        raise InvalidParameterError(
            f"unknown importance `kind` {kind!r}; use one of {list(IMPORTANCE_KINDS)}."
        )
    if kind == "shap":
        if X is None:
            raise InvalidParameterError(
                "`kind`='shap' averages |SHAP| over the rows of `X`: pass X=, e.g. the "
                "evaluation slice with the model's feature columns."
            )
        matrix = _rows(X, features, named=bool(names))
        values = _mean_abs_contributions(booster, matrix, features, bool(names), missing)
    else:
        if X is not None:
            raise InvalidParameterError(
                f"`kind`={kind!r} is read from the trees and ignores data; drop `X` (only "
                "kind='shap' uses it)."
            )
        score = booster.get_score(importance_type=kind)
        values = np.array([float(np.mean(score.get(f, 0.0))) for f in features], dtype=np.float64)
    series = pd.Series(values, index=pd.Index(features, dtype=object), name=f"{kind}_importance")
    return series.sort_values(ascending=False, kind="stable")


def _booster(model: Any) -> tuple[xgb.Booster, float]:
    """The trained booster and the value that marks a missing cell."""
    if isinstance(model, xgb.Booster):
        try:
            rounds = model.num_boosted_rounds()
        except xgb.core.XGBoostError:  # a Booster() never configured by training
            rounds = 0
        if rounds == 0:
            raise InvalidParameterError(
                "the Booster has no trees: it is not trained. Pass a trained booster "
                "(xgboost.train(...)) or a fitted model."
            )
        return model, float("nan")
    if isinstance(model, xgb.XGBModel):
        try:
            booster = model.get_booster()
        except NotFittedError as exc:
            raise InvalidParameterError(
                f"the {type(model).__name__} is not fitted; call .fit(X, y) on the training "
                "slice first."
            ) from exc
        missing = model.missing
        return booster, float("nan") if missing is None else float(missing)
    raise TrTypeError(
        f"`model` must be a fitted XGBoost model (XGBClassifier, XGBRegressor, ...) or an "
        f"xgboost.Booster, got {type(model).__name__}; for any other model use "
        "permutation_importance or single_feature_importance."
    )


def _rows(X: Any, features: list[str], *, named: bool) -> npt.NDArray[np.float64]:
    """``X`` as a float matrix in the model's column order, checked against its features."""
    if isinstance(X, pd.DataFrame):
        extra = [c for c in X.columns if c not in features]
        if extra:
            raise InvalidParameterError(
                f"`X` has columns {extra[:20]} the model was not trained on (it knows "
                f"{features[:20]}); pass X[model features] — the SHAP of a column the model "
                "never saw is undefined."
            )
        check_features(X, features, where="X")
        if len(X) == 0:
            raise EmptyDataError("`X` has no rows; SHAP importance averages over its rows.")
        return feature_matrix(X, features)
    if isinstance(X, np.ndarray) and not named:
        if X.ndim != 2 or X.shape[1] != len(features):
            raise InvalidParameterError(
                f"`X` has shape {X.shape}, but the model was trained on {len(features)} "
                "unnamed columns; pass a 2-D array with that many columns."
            )
        return feature_matrix(pd.DataFrame(X, columns=features), features)
    raise TrTypeError(
        f"`X` must be a DataFrame with the model's feature columns {features[:20]}, got "
        f"{type(X).__name__}"
        + ("" if named else " (or a 2-D numpy array, as the model has no feature names)")
        + "."
    )


def _mean_abs_contributions(
    booster: xgb.Booster,
    matrix: npt.NDArray[np.float64],
    features: list[str],
    named: bool,
    missing: float,
) -> npt.NDArray[np.float64]:
    """Mean |TreeSHAP contribution| per feature (bias column dropped; classes averaged)."""
    data = xgb.DMatrix(matrix, feature_names=features if named else None, missing=missing)
    contribs = np.asarray(booster.predict(data, pred_contribs=True), dtype=np.float64)
    per_feature = np.abs(contribs[..., :-1]).reshape(-1, len(features))
    return np.asarray(per_feature.mean(axis=0), dtype=np.float64)
