"""The shown-output check (``shown_output.py``) on small pages run by pytest-markdown-docs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

FENCE = "```"


def page(*parts: str) -> str:
    return "\n\n".join(textwrap.dedent(part).strip("\n") for part in parts) + "\n"


def run(pytester: pytest.Pytester, text: str) -> pytest.RunResult:
    pytester.makefile(".md", page=text)
    return pytester.runpytest_subprocess(
        "-p", "shown_output", "--markdown-docs", "-p", "no:cacheprovider"
    )


def code(source: str, info: str = "python") -> str:
    return f"{FENCE}{info}\n{textwrap.dedent(source).strip()}\n{FENCE}"


def output(text: str, info: str = "") -> str:
    return f"{FENCE}{info}\n{textwrap.dedent(text).strip()}\n{FENCE}"


@pytest.fixture(autouse=True)
def plugin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))


def test_the_printed_output_passes(pytester: pytest.Pytester) -> None:
    text = page(code("print(1 + 1)\nprint('a  ')"), output("2\na"))
    run(pytester, text).assert_outcomes(passed=1)


def test_a_wrong_shown_output_fails_with_both_texts(pytester: pytest.Pytester) -> None:
    result = run(pytester, page(code("print(0.1 + 0.2)"), output("0.3", info="text")))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the output shown after it is not what it prints*"])
    result.stdout.fnmatch_lines(["0.3", "--- printed ---", "0.30000000000000004"])


def test_a_block_that_prints_nothing_under_an_output_fails(pytester: pytest.Pytester) -> None:
    result = run(pytester, page(code("x = 1"), output("1")))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["(nothing)"])


def test_prints_of_functions_the_block_defines_are_recorded(pytester: pytest.Pytester) -> None:
    text = page(code("def show(x):\n    print(f'x={x}')\n\nshow(3)"), output("x=3"))
    run(pytester, text).assert_outcomes(passed=1)


def test_a_continuation_shows_the_end_of_the_chain_output(pytester: pytest.Pytester) -> None:
    first = code("a = 2\nprint('first')")
    second = code("print(a * 21)", info="python continuation")
    run(pytester, page(first, output("first"), second, output("42"))).assert_outcomes(passed=2)
    wrong = page(first, output("first"), second, output("first"))
    run(pytester, wrong).assert_outcomes(passed=1, failed=1)


def test_prose_between_code_and_fence_is_no_claim(pytester: pytest.Pytester) -> None:
    text = page(code("print(1)"), "A tree of the files:", output("not what it prints"))
    run(pytester, text).assert_outcomes(passed=1)
