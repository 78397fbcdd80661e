"""Sanity check on out-of-sample results: an AUC too good to be true signals a leak."""

from __future__ import annotations

import math
import warnings

__all__ = ["DEFAULT_MAX_PLAUSIBLE_AUC", "LeakageWarning", "warn_if_implausible"]

DEFAULT_MAX_PLAUSIBLE_AUC = 0.8
"""Test AUC above which a group is flagged. Realistic return-prediction models —
the insider-trading models included — reach out-of-sample AUCs of roughly 0.52 to
0.65: future returns are mostly noise. A test AUC above 0.8 on returns almost
always means a feature was computed from the outcome or from data after the
decision time."""


class LeakageWarning(UserWarning):
    """A feature group scores implausibly well out of sample: probably a leaked feature."""


def warn_if_implausible(group: str, auc: float, max_plausible_auc: float) -> None:
    """Emit a :class:`LeakageWarning` when ``auc`` exceeds ``max_plausible_auc``.

    Parameters
    ----------
    group : str
        The feature group, named in the message.
    auc : float
        Its test AUC (NaN is never flagged).
    max_plausible_auc : float
        The threshold (see :data:`DEFAULT_MAX_PLAUSIBLE_AUC`).
    """
    if not math.isnan(auc) and auc > max_plausible_auc:
        warnings.warn(
            f"feature group {group!r} reaches a test AUC of {auc:.3f}, above the plausible "
            f"{max_plausible_auc:g} for predicting returns; a feature in it is probably "
            "computed from the outcome or from data after the decision time (a leak). Check "
            "how each of its features is built and when its values become known.",
            LeakageWarning,
            stacklevel=3,
        )
