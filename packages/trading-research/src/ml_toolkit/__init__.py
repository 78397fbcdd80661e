"""trading-research: the toolkit as one tested set, under the migration plan's import names.

The migration plan wrote its research code against one package, ``ml_toolkit``, with
five modules. They exist here as **thin re-exports** of the distributions that
implement them — every name is the very object of the tr-* package (same class, same
function), so code written against either name works with the other:

- ``ml_toolkit.feature_selection`` re-exports ``tr_feature_selection`` (``tr-feature-selection``)
- ``ml_toolkit.sample_weighting`` re-exports ``tr_sample_weighting`` (``tr-sample-weighting``)
- ``ml_toolkit.model_evaluation`` re-exports ``tr_evaluation`` (``tr-evaluation``)
- ``ml_toolkit.hyperparameter_tuning`` re-exports ``tr_tuning`` (``tr-tuning``)
- ``ml_toolkit.ensemble`` re-exports ``tr_ensemble`` (``tr-ensemble``)
- ``ml_toolkit.core`` re-exports ``tr_core`` (``tr-core``)

``ml_toolkit.core`` is not in the plan; it is here so a script can take the synthetic
market, the time splits and the data contract from the same namespace. Each module
re-exports its package's top-level public names (its ``__all__`` without
``__version__``); the rest stays in the tr-* subpackages its docstring names.

The distribution ``trading-research`` is a bill of materials: it pins every tr-*
package to the exact version of one set tested together (``tr-core==0.1.0``, ...), so
installing ``trading-research==0.1.0`` always gives the same toolkit. Strategy repos
that want less install single packages (``pip install tr-sample-weighting==0.1.0``
pulls in tr-core and nothing else of ours) and import the tr-* names directly.

The submodules are imported on first use: ``import ml_toolkit.sample_weighting`` does
not import XGBoost, Optuna or scikit-learn.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from ml_toolkit.__about__ import __version__

if TYPE_CHECKING:
    from ml_toolkit import (
        core,
        ensemble,
        feature_selection,
        hyperparameter_tuning,
        model_evaluation,
        sample_weighting,
    )

_SUBMODULES = (
    "core",
    "ensemble",
    "feature_selection",
    "hyperparameter_tuning",
    "model_evaluation",
    "sample_weighting",
)

__all__ = [
    "__version__",
    "core",
    "ensemble",
    "feature_selection",
    "hyperparameter_tuning",
    "model_evaluation",
    "sample_weighting",
]


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first access (``ml_toolkit.ensemble``)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULES})
