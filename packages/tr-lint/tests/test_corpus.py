"""The acceptance test of the rules: precision and recall on the labelled corpus.

The corpus (``tests/corpus/``) is the ground truth, labelled from the rules'
specification, not from what the checker does; ``corpus_metrics`` reads its ``# expect:``
markers and scores the checker against them. The README shows the resulting table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def _load_metrics():
    # --import-mode=importlib puts no test folder on sys.path: load the helper by path.
    name = "corpus_metrics"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


cm = _load_metrics()

MIN_FILES = 60
MIN_EXPECTED = 8
MIN_NEGATIVE_FILES = 3


@pytest.fixture(scope="module")
def run():
    return cm.run_corpus()


# ------------------------------------------------------------------ the marker parser


def test_markers_single_and_several_codes():
    text = (
        "x = df['a'].fillna(0)  # expect: TR001\n"
        "y = 1\n"
        "z = (a - a.mean()) / a.std()  # expect: TR007, TR002\n"
        "w = 2  # expect:TR004,TR005\n"
    )
    assert cm.parse_markers(text, "f.py") == {
        ("f.py", 1, "TR001"),
        ("f.py", 3, "TR007"),
        ("f.py", 3, "TR002"),
        ("f.py", 4, "TR004"),
        ("f.py", 4, "TR005"),
    }


def test_markers_ignore_strings_other_comments_and_noqa():
    text = (
        's = "# expect: TR001"\n'
        "# a comment about expect: TR002 that is no marker\n"
        "x = df.fillna(0)  # noqa: TR001 zero means no trades\n"
        "y = df.bfill()  # noqa: TR001 reason  # expect: TR007\n"
        "t = 1  # expect: TR003 and some words after\n"
    )
    assert cm.parse_markers(text, "g.py") == {("g.py", 4, "TR007")}


def test_markers_multiline_statement_counts_the_marked_line():
    text = "out = df.assign(\n    a=df['a'].fillna(0),  # expect: TR001\n)\n"
    assert cm.parse_markers(text) == {("<string>", 2, "TR001")}


# ------------------------------------------------------------------ the arithmetic


def test_score_by_hand():
    expected = {("a.py", 1, "TR001"), ("a.py", 5, "TR001"), ("b.py", 2, "TR001")}
    expected |= {("a.py", 3, "TR002")}
    found = {("a.py", 1, "TR001"), ("b.py", 2, "TR001"), ("b.py", 9, "TR001")}
    found |= {("a.py", 7, "TR002"), ("a.py", 8, "TR002")}
    scores = cm.score(expected, found, ("TR001", "TR002", "TR003"))

    s1 = scores["TR001"]  # TP 2, FP 1 (b.py:9), FN 1 (a.py:5)
    assert (s1.expected, s1.found) == (3, 3)
    assert s1.false_positives == {("b.py", 9, "TR001")}
    assert s1.false_negatives == {("a.py", 5, "TR001")}
    assert s1.precision == pytest.approx(2 / 3)
    assert s1.recall == pytest.approx(2 / 3)

    s2 = scores["TR002"]  # TP 0, FP 2, FN 1
    assert (s2.expected, s2.found, s2.precision, s2.recall) == (1, 2, 0.0, 0.0)

    s3 = scores["TR003"]  # nothing expected, nothing found: 1.0 both, by convention
    assert (s3.expected, s3.found, s3.precision, s3.recall) == (0, 0, 1.0, 1.0)

    pooled = cm.total(scores, files=2)  # TP 2, FP 3, FN 2
    assert pooled.precision == pytest.approx(2 / 5)
    assert pooled.recall == pytest.approx(2 / 4)


def test_score_counts_a_place_once_and_keeps_codes_apart():
    expected = [("a.py", 1, "TR001"), ("a.py", 1, "TR001"), ("a.py", 1, "TR007")]
    found = [("a.py", 1, "TR001"), ("a.py", 1, "TR001")]
    scores = cm.score(expected, found, ("TR001", "TR007"))
    assert (scores["TR001"].expected, scores["TR001"].found) == (1, 1)
    assert scores["TR001"].precision == scores["TR001"].recall == 1.0
    # Nothing found but something expected: precision 1.0 (no false claim), recall 0.
    assert (scores["TR007"].precision, scores["TR007"].recall) == (1.0, 0.0)


def test_render_table_by_hand():
    expected = {("a.py", 1, "TR001"), ("a.py", 2, "TR001"), ("a.py", 3, "TR001")}
    expected |= {("a.py", 4, "TR001")}
    found = {("a.py", 1, "TR001"), ("a.py", 2, "TR001"), ("a.py", 3, "TR001")}
    found |= {("b.py", 1, "TR002")}
    scores = cm.score(expected, found, ("TR001", "TR002", "TR003"), {"TR001": 2, "TR002": 1})
    assert cm.render_table(scores, files=3).splitlines() == [
        "| rule | snippets | expected | found | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        "| TR001 | 2 | 4 | 3 | 1.00 | 0.75 |",
        "| TR002 | 1 | 0 | 1 | 0.00 | 1.00 (nothing expected) |",
        "| TR003 | 0 | 0 | 0 | 1.00 (nothing found) | 1.00 (nothing expected) |",
        "| **total** | 3 | 4 | 4 | 0.75 | 0.75 |",
    ]


def test_readme_table_between_markers():
    text = f"intro\n{cm.BEGIN}\n| a |\n| b |\n{cm.END}\nrest\n"
    assert cm.readme_table(text) == "| a |\n| b |"
    assert cm.readme_table("no markers here") is None


def test_rule_of_file():
    assert cm.rule_of_file("tr004_02_good.py") == "TR004"
    assert cm.rule_of_file("mixed_01_bad.py") is None


# ------------------------------------------------------------------ the corpus


def test_corpus_size_and_coverage(run):
    assert len(run.files) >= MIN_FILES, f"{len(run.files)} corpus files, want {MIN_FILES}"
    for code in cm.RULE_CODES:
        expected = sum(1 for p in run.expected if p[2] == code)
        assert expected >= MIN_EXPECTED, f"{code}: {expected} expected findings"
        negatives = run.negatives(code)
        assert len(negatives) >= MIN_NEGATIVE_FILES, f"{code}: near misses {sorted(negatives)}"
    codes = {p[2] for p in run.expected}
    assert codes <= set(cm.RULE_CODES), f"unknown codes in markers: {codes}"


def test_corpus_files_are_named_and_balanced(run):
    for name in run.files:
        assert name.endswith(("_bad.py", "_good.py")), name
        bad = name.endswith("_bad.py")
        rule = cm.rule_of_file(name)
        if rule is not None:
            expects_it = name in run.positives(rule)
            assert expects_it == bad, f"{name}: a _bad file expects its rule, a _good one not"
    bad = sum(n.endswith("_bad.py") for n in run.files)
    assert 0.35 <= bad / len(run.files) <= 0.65, f"{bad} bad of {len(run.files)}"


def test_corpus_parses(run):
    # A file that does not parse gives a TR000 finding and is otherwise unchecked.
    assert not {p for p in run.found if p[2] == "TR000"}


@pytest.mark.parametrize("code", cm.RULE_CODES)
def test_rule_precision_and_recall(run, code):
    s = run.scores()[code]
    message = (
        f"{code}: precision {s.precision:.2f} (want 1.00), recall {s.recall:.2f} (want >= 0.90)"
        f"\nfalse positives (reported, not expected):\n{cm.describe(s.false_positives)}"
        f"\nfalse negatives (expected, not reported):\n{cm.describe(s.false_negatives)}"
    )
    assert s.precision == 1.0, message
    assert s.recall >= 0.9, message


def test_readme_shows_the_current_table(run):
    table = run.table()
    text = cm.README.read_text(encoding="utf-8")
    shown = cm.readme_table(text)
    assert shown == table, (
        f"{cm.README} must hold the corpus table between {cm.BEGIN} and {cm.END}; paste:\n\n"
        f"{cm.BEGIN}\n{table}\n{cm.END}\n"
    )
