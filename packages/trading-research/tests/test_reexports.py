"""Each ml_toolkit module re-exports one tr-* package's public API: every name, same objects.

The modules are imported by name (``importlib``) so that each test can be parametrized over
the pairs; ``ml_toolkit.feature_selection.FeatureGroupAnalyzer is
tr_feature_selection.FeatureGroupAnalyzer`` is the identity checked for every name.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

# ml_toolkit module -> the tr-* package it re-exports (the plan's five, and core).
PAIRS = {
    "ml_toolkit.feature_selection": "tr_feature_selection",
    "ml_toolkit.sample_weighting": "tr_sample_weighting",
    "ml_toolkit.model_evaluation": "tr_evaluation",
    "ml_toolkit.hyperparameter_tuning": "tr_tuning",
    "ml_toolkit.ensemble": "tr_ensemble",
    "ml_toolkit.core": "tr_core",
}
SUBMODULES = sorted(name.rsplit(".", 1)[1] for name in PAIRS)

pairs = pytest.mark.parametrize(("module", "package"), list(PAIRS.items()))


@pairs
def test_all_is_the_package_public_api_without_version(module: str, package: str) -> None:
    ours = importlib.import_module(module)
    theirs = importlib.import_module(package)
    expected = [name for name in theirs.__all__ if name != "__version__"]
    missing = sorted(set(expected) - set(ours.__all__))
    extra = sorted(set(ours.__all__) - set(expected))
    assert not missing, f"{package} exports {missing}; re-export them from {module}"
    assert not extra, f"{module} exports {extra}, which {package} does not"
    assert len(ours.__all__) == len(set(ours.__all__)), f"{module}.__all__ has duplicates"


@pairs
def test_every_name_is_the_same_object(module: str, package: str) -> None:
    ours = importlib.import_module(module)
    theirs = importlib.import_module(package)
    for name in ours.__all__:
        assert getattr(ours, name) is getattr(theirs, name), f"{module}.{name}"


@pairs
def test_the_module_holds_nothing_else(module: str, package: str) -> None:
    """A thin re-export: no public name beyond __all__, no version of its own."""
    ours = importlib.import_module(module)
    public = {name for name in vars(ours) if not name.startswith("_")}
    assert public == set(ours.__all__)
    assert not hasattr(ours, "__version__")
    assert package in (ours.__doc__ or ""), "the docstring names the package it re-exports"


@pairs
def test_star_import_gives_the_public_api(module: str, package: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from {module} import *", namespace)
    theirs = importlib.import_module(package)
    names = {name for name in namespace if name != "__builtins__"}
    assert names == set(theirs.__all__) - {"__version__"}


def test_the_plans_identity_example() -> None:
    ours = importlib.import_module("ml_toolkit.feature_selection")
    theirs = importlib.import_module("tr_feature_selection")
    assert ours.FeatureGroupAnalyzer is theirs.FeatureGroupAnalyzer


def test_metrics_module_is_tr_evaluations() -> None:
    evaluation = importlib.import_module("ml_toolkit.model_evaluation")
    assert evaluation.metrics is importlib.import_module("tr_evaluation.metrics")
    assert callable(evaluation.metrics.deflated_sharpe_ratio)


def test_package_exports_the_version_and_the_submodules() -> None:
    toolkit = importlib.import_module("ml_toolkit")
    assert sorted(toolkit.__all__) == sorted(["__version__", *SUBMODULES])
    for name in SUBMODULES:
        sub = getattr(toolkit, name)
        assert isinstance(sub, types.ModuleType)
        assert sub is sys.modules[f"ml_toolkit.{name}"]
    assert set(SUBMODULES) <= set(dir(toolkit))
    assert "__version__" in dir(toolkit)


def test_unknown_attribute_is_an_attribute_error() -> None:
    toolkit = importlib.import_module("ml_toolkit")
    with pytest.raises(AttributeError, match="no attribute 'tuning'"):
        toolkit.tuning
    assert not hasattr(toolkit, "trading_research")


def test_attribute_access_imports_a_submodule(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ml_toolkit.ensemble`` without an import statement imports it (module __getattr__)."""
    toolkit = importlib.import_module("ml_toolkit")
    monkeypatch.delattr(toolkit, "ensemble", raising=False)
    monkeypatch.delitem(sys.modules, "ml_toolkit.ensemble", raising=False)
    ensemble = toolkit.ensemble
    assert ensemble is sys.modules["ml_toolkit.ensemble"]
    assert ensemble.Blender is importlib.import_module("tr_ensemble").Blender


def test_submodules_are_imported_on_first_use() -> None:
    """``import ml_toolkit.sample_weighting`` does not import the heavy libraries."""
    code = (
        "import sys\n"
        "import ml_toolkit\n"
        "before = sorted(m for m in sys.modules if m.startswith(('ml_toolkit.', 'tr_'))\n"
        "                if m != 'ml_toolkit.__about__')\n"
        "import ml_toolkit.sample_weighting\n"
        "heavy = sorted(m for m in ('xgboost', 'optuna', 'sklearn', 'tr_tuning', 'tr_ensemble')\n"
        "               if m in sys.modules)\n"
        "print(before, heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "[] []"
