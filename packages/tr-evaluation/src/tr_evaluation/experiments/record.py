"""What an experiment is: its name, date, context, hypothesis, baseline, references and tags."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tr_core.errors import InvalidParameterError, TrTypeError

if TYPE_CHECKING:
    from tr_evaluation.experiments.run import Run
    from tr_evaluation.experiments.store import ExperimentStore

__all__ = ["DOCSTRING_SECTIONS", "Experiment"]

#: The numpydoc-style sections :meth:`Experiment.from_docstring` requires, in order.
DOCSTRING_SECTIONS = (
    "Date",
    "Context",
    "Hypothesis",
    "Baseline",
    "Results",
    "Key insights",
    "References",
)


@dataclass(frozen=True)
class Experiment:
    """A documented experiment, as the migration plan asks every experiment to keep.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"insider-buy-clusters"``.
    date : datetime.date or str
        When the experiment was designed; an ISO string (``"2024-05-01"``) is parsed.
    context : str
        Why it is run: what is known, what motivated it.
    hypothesis : str
        The falsifiable claim the run tests.
    baseline : str, optional
        What it is compared against (a run id, a model, "equal weights").
    references : sequence of str, default ()
        Papers, links, earlier run ids.
    tags : sequence of str, default ()
        Labels used to select runs (``store.compare(tags=...)``).

    Examples
    --------
    >>> exp = Experiment("demo", "2024-05-01", "context", "hypothesis", tags=["demo"])
    >>> exp.date.isoformat(), exp.tags
    ('2024-05-01', ('demo',))
    """

    name: str
    date: dt.date
    context: str
    hypothesis: str
    baseline: str | None = None
    references: tuple[str, ...] = field(default=())
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for attr in ("name", "context", "hypothesis"):
            _text(getattr(self, attr), attr)
        if not self.name.strip():
            raise InvalidParameterError("`name` must not be empty; name the experiment.")
        if self.baseline is not None:
            _text(self.baseline, "baseline")
        object.__setattr__(self, "date", _date(self.date))
        object.__setattr__(self, "references", _strings(self.references, "references"))
        object.__setattr__(self, "tags", _strings(self.tags, "tags"))

    def run(self, store: ExperimentStore) -> Run:
        """A run of this experiment, recorded in ``store``; use it as a context manager.

        ``with experiment.run(store) as run:`` creates the run folder on entry and
        marks the run completed on a normal exit, or failed (with the traceback)
        when an exception escapes the block; the exception is re-raised.
        """
        from tr_evaluation.experiments.run import Run

        return Run(self, store)

    @classmethod
    def from_docstring(cls, doc: str, *, name: str, tags: Sequence[str] = ()) -> Experiment:
        """The experiment a script's module docstring describes (experiments/TEMPLATE.py).

        The docstring holds numpydoc-style sections, each a title underlined with
        dashes: ``Date``, ``Context``, ``Hypothesis``, ``Baseline``, ``Results``,
        ``Key insights`` and ``References`` (:data:`DOCSTRING_SECTIONS`), so the record
        and the file never disagree. Results and Key insights are written by the run;
        they are only required here, so that no section of the form is forgotten.

        Parameters
        ----------
        doc : str
            The module docstring (``__doc__``).
        name : str
            The experiment's name in the store.
        tags : sequence of str, default ()
            Labels used to select runs.

        Returns
        -------
        Experiment
            ``date`` from the first word of Date (ISO); ``context``, ``hypothesis`` and
            ``baseline`` each as one paragraph (line breaks joined with spaces);
            ``references`` one per ``- `` (or ``* ``) item, continuation lines joined.

        Raises
        ------
        InvalidParameterError
            A required section is missing or empty (all of them are named), or Date is
            not an ISO date.
        TrTypeError
            ``doc`` is not a string.

        Examples
        --------
        >>> doc = '''Does X beat Y?
        ...
        ... Date
        ... ----
        ... 2026-12-03
        ...
        ... Context
        ... -------
        ... Known
        ... facts.
        ...
        ... Hypothesis
        ... ----------
        ... X beats Y.
        ...
        ... Baseline
        ... --------
        ... Y.
        ...
        ... Results
        ... -------
        ... Written by the run.
        ...
        ... Key insights
        ... ------------
        ... Computed by the run.
        ...
        ... References
        ... ----------
        ... - A paper,
        ...   chapter 7
        ... '''
        >>> exp = Experiment.from_docstring(doc, name="demo")
        >>> exp.date.isoformat(), exp.context, exp.references
        ('2026-12-03', 'Known facts.', ('A paper, chapter 7',))
        """
        _text(doc, "doc")
        sections = _docstring_sections(doc)
        missing = [title for title in DOCSTRING_SECTIONS if not sections.get(title)]
        if missing:
            raise InvalidParameterError(
                f"the docstring lacks the section(s) {missing} (or they are empty); add each: "
                "its title on one line, dashes under it, then its text (see "
                "docs/EXPERIMENT_TEMPLATE.md)."
            )
        return cls(
            name=name,
            date=_date(sections["Date"].split()[0]),
            context=_paragraph(sections["Context"]),
            hypothesis=_paragraph(sections["Hypothesis"]),
            baseline=_paragraph(sections["Baseline"]),
            references=_items(sections["References"]),
            tags=_strings(tags, "tags"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serializable form."""
        return {
            "name": self.name,
            "date": self.date.isoformat(),
            "context": self.context,
            "hypothesis": self.hypothesis,
            "baseline": self.baseline,
            "references": list(self.references),
            "tags": list(self.tags),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Experiment:
        """Inverse of :meth:`to_dict`."""
        return cls(
            name=data["name"],
            date=data["date"],
            context=data["context"],
            hypothesis=data["hypothesis"],
            baseline=data.get("baseline"),
            references=tuple(data.get("references", ())),
            tags=tuple(data.get("tags", ())),
        )


def _docstring_sections(doc: str) -> dict[str, str]:
    """Section title to its stripped text; a section is a line underlined with 3+ dashes."""
    parts = re.split(r"^(.+)\n-{3,}\s*$", doc, flags=re.M)
    return {
        title.strip(): text.strip() for title, text in zip(parts[1::2], parts[2::2], strict=True)
    }


def _paragraph(text: str) -> str:
    """One paragraph: line breaks (and runs of white space) joined with single spaces."""
    return " ".join(text.split())


def _items(text: str) -> tuple[str, ...]:
    """One item per ``- `` or ``* `` line, its continuation lines joined with spaces."""
    items: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith(("- ", "* ")):
            items.append(line.strip()[2:].strip())
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    return tuple(items)


def _text(value: Any, name: str) -> None:
    if not isinstance(value, str):
        raise TrTypeError(f"`{name}` must be a string, got {type(value).__name__}.")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidParameterError(
                f"`date`={value!r} is not an ISO date; write it as 'YYYY-MM-DD'."
            ) from exc
    raise TrTypeError(
        f"`date` must be a datetime.date or an ISO string, got {type(value).__name__}."
    )


def _strings(values: Sequence[str], name: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TrTypeError(
            f"`{name}` must be a sequence of strings, not one string; wrap it: [{values!r}]."
        )
    out = tuple(values)
    for v in out:
        _text(v, f"{name} item")
    return out
