"""What an experiment is: its name, date, context, hypothesis, baseline, references and tags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tr_core.errors import InvalidParameterError, TrTypeError

if TYPE_CHECKING:
    from tr_evaluation.experiments.run import Run
    from tr_evaluation.experiments.store import ExperimentStore

__all__ = ["Experiment"]


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
