"""Experiment.from_docstring: the record read from a script's numpydoc-style docstring."""

from __future__ import annotations

import datetime as dt

import pytest

from tr_core.errors import InvalidParameterError, TrTypeError
from tr_evaluation.experiments import Experiment
from tr_evaluation.experiments.record import DOCSTRING_SECTIONS

DOC = """Does the top decile of cluster scores beat all insider buys?

A script's docstring: a title line, a paragraph, then the sections.

Date
----
2024-05-01 (designed)

Context
-------
Clusters of insider buys
precede   drift.

Hypothesis
----------
The top decile beats
all buys by 2 %.

Baseline
--------
Equal-weight all
insider buys.

Results
-------
Written by the run.

Key insights
------------
Computed by the run.

References
----------
- Cohen, Malloy & Pomorski (2012),
  Decoding inside information
* docs/tr-core/synthetic-market.md
- López de Prado (2018), ch. 7
"""


def test_from_docstring_known_values() -> None:
    exp = Experiment.from_docstring(DOC, name="insider-clusters", tags=["insider", "demo"])
    assert exp.name == "insider-clusters"
    assert exp.date == dt.date(2024, 5, 1)
    assert exp.context == "Clusters of insider buys precede drift."
    assert exp.hypothesis == "The top decile beats all buys by 2 %."
    assert exp.baseline == "Equal-weight all insider buys."
    assert exp.references == (
        "Cohen, Malloy & Pomorski (2012), Decoding inside information",
        "docs/tr-core/synthetic-market.md",
        "López de Prado (2018), ch. 7",
    )
    assert exp.tags == ("insider", "demo")


def test_from_docstring_round_trips_through_dict() -> None:
    exp = Experiment.from_docstring(DOC, name="insider-clusters")
    assert exp.tags == ()
    assert Experiment.from_dict(exp.to_dict()) == exp


def test_from_docstring_names_every_missing_or_empty_section() -> None:
    doc = DOC.replace("Baseline\n--------\nEqual-weight all\ninsider buys.\n", "")
    doc = doc.replace("Written by the run.", "")
    with pytest.raises(InvalidParameterError) as info:
        Experiment.from_docstring(doc, name="insider-clusters")
    message = str(info.value)
    assert "['Baseline', 'Results']" in message
    assert "'Context'" not in message
    assert "dashes under it" in message  # the fix


def test_from_docstring_without_sections_lists_all_seven() -> None:
    with pytest.raises(InvalidParameterError) as info:
        Experiment.from_docstring("Just a title.\n\nNo sections.", name="x")
    assert str(list(DOCSTRING_SECTIONS)) in str(info.value)
    assert len(DOCSTRING_SECTIONS) == 7
    assert DOCSTRING_SECTIONS[0] == "Date"
    assert DOCSTRING_SECTIONS[-1] == "References"


def test_from_docstring_bad_date_and_bad_types() -> None:
    with pytest.raises(InvalidParameterError, match="ISO date"):
        Experiment.from_docstring(DOC.replace("2024-05-01", "May 2024"), name="x")
    with pytest.raises(TrTypeError, match="doc"):
        Experiment.from_docstring(None, name="x")  # type: ignore[arg-type]
    with pytest.raises(TrTypeError, match="tags"):
        Experiment.from_docstring(DOC, name="x", tags="insider")
