"""The questions the rules ask of a module, answered on hand-written code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tr_lint.config import find_pyproject
from tr_lint.context import ModuleContext, is_label_name, method, number, target_names
from tr_lint.noqa import suppressions


def _expr(code: str) -> ast.expr:
    node = ast.parse(code).body[0]
    assert isinstance(node, ast.Expr)
    return node.value


def _calls(module: ModuleContext, name: str) -> list[ast.Call]:
    return sorted((c for c in module.calls() if method(c) == name), key=lambda c: c.lineno)


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("x", ["x"]),
        ("self.ma", ["ma"]),
        ('df["a"]', ["a"]),
        ('df.loc[:, "a"]', ["a"]),
        ('df[["a", "b"]]', ["a", "b"]),
        ("df[col]", ["col"]),
        ("df[0][1]", ["df"]),
        ("a, (b, *c)", ["a", "b", "c"]),
        ("f()", []),
    ],
)
def test_target_names(code, names):
    assert target_names(_expr(code)) == names


@pytest.mark.parametrize(
    ("code", "value"), [("0", 0.0), ("-1.5", -1.5), ("+2", 2.0), ("True", None), ("-x", None)]
)
def test_number(code, value):
    assert number(_expr(code)) == value


def test_method_of_a_call_that_is_not_a_name():
    assert method(_expr("(lambda: 1)()")) is None
    assert method(_expr("x")) is None


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("x = df.fillna(0)", ["x"]),
        ("x: pd.Series = df.fillna(0)", ["x"]),
        ("x += df.fillna(0)", ["x"]),
        ("if (x := df.fillna(0)) is None: pass", ["x"]),
        ("out = df.assign(own=df.fillna(0))", ["own"]),
        ("out = pd.DataFrame({'own': df.fillna(0)})", ["own"]),
        ("model.fit(df.fillna(0))", None),
        ("out = f(key=df.fillna(0))", ["out"]),
    ],
)
def test_assigned_names(code, names):
    module = ModuleContext.parse(code)
    (call,) = _calls(module, "fillna")
    assert module.assigned_names(call) == names


def test_label_assignment_by_name_or_by_function():
    module = ModuleContext.parse(
        "def forward_returns(df):\n    return df.shift(-5)\n"
        "def features(df):\n    return df.shift(-5)\n"
        "fwd_ret_5d = df.shift(-5)\n"
    )
    label_fn, feature_fn, label = _calls(module, "shift")
    assert module.in_label_assignment(label_fn)
    assert not module.in_label_assignment(feature_fn)
    assert module.in_label_assignment(label)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("fwd_ret_3m", True),
        ("y_train", True),
        ("target", True),
        ("ret_3m", False),
        ("yield", False),
    ],
)
def test_label_names(name, label):
    assert is_label_name(name) is label


@pytest.mark.parametrize(
    ("code", "nan"),
    [("None", True), ("np.nan", True), ("float('nan')", True), ("pd.NA", True), ("0", False)],
)
def test_is_nan(code, nan):
    module = ModuleContext.parse(f"import numpy as np\nimport pandas as pd\nx = {code}\n")
    assign = module.tree.body[-1]
    assert isinstance(assign, ast.Assign)
    assert module.is_nan(assign.value) is nan


def test_statement_of_a_node_and_of_a_statement():
    module = ModuleContext.parse("x = 1\ny = f(2)\n")
    second = module.tree.body[1]
    (call,) = list(module.calls())
    assert module.statement(call) is second
    assert module.statement(second) is second
    with pytest.raises(ValueError, match="outside any statement"):
        module.statement(module.tree)


def _noqa(source: str) -> dict[int, frozenset[str]]:
    return suppressions(source, ModuleContext.parse(source).nodes)


def test_noqa_inside_strings_is_not_a_comment():
    source = (
        'doc = """\n# noqa: TR001\n"""\n'
        "s = f'{x} # noqa'  # noqa: TR002\n"
        "t = b'# noqa'\n"
        "u = 'é'; v = 1  # noqa: TR003, tr004 why\n"
    )
    assert _noqa(source) == {4: frozenset({"TR002"}), 6: frozenset({"TR003", "TR004"})}


def test_no_pyproject_above_the_root():
    assert find_pyproject(Path("/")) is None or Path("/pyproject.toml").is_file()
