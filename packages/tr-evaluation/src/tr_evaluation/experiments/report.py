"""Self-contained HTML reports of experiment runs (figures embedded, no external files).

File layouts:

- :func:`write_run_report` (one page per run, each in its own folder):
  ``<root>/<run_id>/report.html``. A run id is unique, so an existing page is
  never overwritten.
- :func:`write_report`: with one run, ``output`` is that run's page. With several
  runs, ``output`` is the comparison page and each run's page is written next to
  it as ``<output stem>-<run_id>.html``, linked from the comparison page.

A run's page compares it with the earlier runs of the same experiment in its
store (same experiment name, at most the last five before it by run id):
parameters side by side with the differing rows marked, and metrics side by side
with the difference. Every page stands alone: figures are base64-embedded PNGs,
tables are HTML (each in a ``div.table-wrap`` that scrolls sideways instead of
widening the page), the style sheet is inline, there is no JavaScript and no
external URL. All user text is escaped. Floats are shown to four significant
digits; the store keeps full precision.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tr_core.errors import InvalidParameterError
from tr_evaluation.experiments._files import atomic_write_bytes
from tr_evaluation.experiments.store import param_text

if TYPE_CHECKING:
    from tr_evaluation.experiments.store import ExperimentStore, LoadedRun

__all__ = [
    "MAX_EARLIER_RUNS",
    "earlier_runs",
    "render_comparison_html",
    "render_run_html",
    "write_report",
    "write_run_report",
]

#: Earlier runs of the same experiment shown on a run's page.
MAX_EARLIER_RUNS = 5

_DIGITS = 4

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222;
  padding: 0 1em; overflow-wrap: break-word; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; }
.table-wrap { overflow-x: auto; max-width: 100%; margin: 0.5em 0; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; vertical-align: top;
  max-width: 40em; overflow-wrap: anywhere; word-break: break-word; }
th { background: #f4f4f4; } dt { font-weight: bold; } dd { margin: 0 0 0.6em 1.5em; }
pre { background: #f8f8f8; padding: 0.8em; overflow-x: auto; white-space: pre-wrap; }
tr.differs td, tr.differs th { background: #fff4d6; }
.status-completed { color: #1a7f37; } .status-failed { color: #cf222e; }
.status-running { color: #9a6700; } img { max-width: 100%; height: auto; }
"""


def render_run_html(run: LoadedRun, earlier: Sequence[LoadedRun] | None = None) -> str:
    """One self-contained HTML page describing a run.

    Parameters
    ----------
    run : LoadedRun
        The run.
    earlier : sequence of LoadedRun, optional
        Runs to compare it with, oldest first, shown in the section "Compared
        with earlier runs of this experiment". Default: the earlier runs of the
        same experiment in the run's store (:func:`earlier_runs`).
    """
    if earlier is None:
        from tr_evaluation.experiments.store import ExperimentStore

        earlier = earlier_runs(ExperimentStore(run.path.parent), run.run_id)
    exp = run.experiment
    e = html.escape
    parts = [
        f"<h1>{e(exp.name)} <small>— run {e(run.run_id)}</small></h1>",
        f'<p class="status-{e(run.status)}"><b>Status:</b> {e(run.status)} · started '
        f"{e(str(run.started_at))} · ended {e(str(run.ended_at))}</p>",
        "<dl>",
        f"<dt>Date</dt><dd>{e(exp.date.isoformat())}</dd>",
        f"<dt>Context</dt><dd>{e(exp.context)}</dd>",
        f"<dt>Hypothesis</dt><dd>{e(exp.hypothesis)}</dd>",
        f"<dt>Baseline</dt><dd>{e(exp.baseline or '—')}</dd>",
        f"<dt>References</dt><dd>{_list(exp.references)}</dd>",
        f"<dt>Tags</dt><dd>{e(', '.join(exp.tags) or '—')}</dd>",
        "</dl>",
        "<h2>Results</h2>",
        f"<p>{e(run.results or '—')}</p>",
        "<h2>Key insights</h2>",
        _list(run.insights),
        "<h2>Metrics</h2>",
        _mapping_table(run.metrics, "metric"),
        "<h2>Parameters</h2>",
        _mapping_table({k: param_text(v, _DIGITS) for k, v in run.params.items()}, "param"),
        *_earlier_section(run, earlier),
    ]
    for name, table in run.tables.items():
        parts += [f"<h2>Table: {e(name)}</h2>", _wrap(table.to_html(escape=True, border=0))]
    for name, path in run.figures.items():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts += [
            f"<h2>Figure: {e(name)}</h2>",
            f'<img alt="{e(name)}" src="data:image/png;base64,{data}">',
        ]
    if run.error:
        parts += ["<h2>Error</h2>", f"<pre>{e(run.error)}</pre>"]
    return _page(f"{exp.name} — {run.run_id}", parts)


def render_comparison_html(
    runs: Sequence[LoadedRun], metrics: pd.DataFrame, links: Mapping[str, str] | None = None
) -> str:
    """One self-contained HTML page comparing runs.

    Parameters
    ----------
    runs : sequence of LoadedRun
        The runs, in display order.
    metrics : DataFrame
        Metrics side by side, as returned by :meth:`ExperimentStore.compare`.
    links : mapping of run id to relative URL, optional
        Where each run's own page is; run ids become links.
    """
    e = html.escape
    links = links or {}
    head = "<tr><th>run</th><th>experiment</th><th>date</th><th>status</th><th>hypothesis</th>"
    head += "<th>results</th></tr>"
    rows = []
    for run in runs:
        rid = e(run.run_id)
        cell = f'<a href="{e(links[run.run_id])}">{rid}</a>' if run.run_id in links else rid
        rows.append(
            f"<tr><td>{cell}</td><td>{e(run.experiment.name)}</td>"
            f"<td>{e(run.experiment.date.isoformat())}</td>"
            f'<td class="status-{e(run.status)}">{e(run.status)}</td>'
            f"<td>{e(run.experiment.hypothesis)}</td><td>{e(run.results or '—')}</td></tr>"
        )
    parts = [
        f"<h1>Comparison of {len(runs)} runs</h1>",
        "<h2>Runs</h2>",
        _wrap(f"<table>{head}{''.join(rows)}</table>"),
        "<h2>Metrics side by side</h2>",
        _wrap(metrics.to_html(escape=True, border=0, na_rep="—", float_format=_float)),
    ]
    for run in runs:
        if run.insights:
            parts += [f"<h2>Insights: {e(run.run_id)}</h2>", _list(run.insights)]
    return _page("Run comparison", parts)


def write_report(store: ExperimentStore, run_ids: Sequence[str], output: str | Path) -> list[Path]:
    """Write HTML report pages for ``run_ids`` (see the module docstring for the layout).

    Returns
    -------
    list of pathlib.Path
        The files written; the first is ``output``.
    """
    if not run_ids:
        raise InvalidParameterError("`run_ids` is empty; name at least one run to report.")
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = [store.load(r) for r in run_ids]
    if len(runs) == 1:
        atomic_write_bytes(
            out, render_run_html(runs[0], earlier_runs(store, runs[0].run_id)).encode("utf-8")
        )
        return [out]
    pages = {run.run_id: out.with_name(f"{out.stem}-{run.run_id}.html") for run in runs}
    for run in runs:
        page = render_run_html(run, earlier_runs(store, run.run_id))
        atomic_write_bytes(pages[run.run_id], page.encode("utf-8"))
    metrics = store.compare([run.run_id for run in runs])
    links = {rid: page.name for rid, page in pages.items()}
    atomic_write_bytes(out, render_comparison_html(runs, metrics, links).encode("utf-8"))
    return [out, *pages.values()]


def write_run_report(store: ExperimentStore, run_id: str, root: str | Path) -> Path:
    """Write one run's page as ``<root>/<run_id>/report.html``, a new folder per run.

    Parameters
    ----------
    store : ExperimentStore
        The store holding the run (and the earlier runs it is compared with).
    run_id : str
        The run (an id or a unique prefix of one).
    root : str or pathlib.Path
        Folder of the reports; created if missing.

    Returns
    -------
    pathlib.Path
        The page written.

    Raises
    ------
    FileExistsError
        The run already has a report under ``root`` (a run id is unique, so a
        second page for it means two reports would disagree); delete it first.
    """
    run = store.load(run_id)
    out = Path(root) / run.run_id / "report.html"
    if out.exists():
        raise FileExistsError(
            f"{out} already exists: run {run.run_id} was reported before (a run id is "
            "unique); delete that file to write it again."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, render_run_html(run, earlier_runs(store, run.run_id)).encode("utf-8"))
    return out


def earlier_runs(
    store: ExperimentStore, run_id: str, limit: int = MAX_EARLIER_RUNS
) -> list[LoadedRun]:
    """The last ``limit`` runs before ``run_id`` (by run id) of the same experiment, oldest first.

    "Same experiment" means the same experiment name.
    """
    run_id = store.resolve(run_id)
    runs = store.runs()
    if runs.empty or limit <= 0:
        return []
    name = runs.loc[runs["run_id"] == run_id, "experiment"].iloc[0]
    same = runs[(runs["experiment"] == name) & (runs["run_id"] < run_id)]
    ids = sorted(same["run_id"])[-limit:]
    return [store.load(r) for r in ids]


def _earlier_section(run: LoadedRun, earlier: Sequence[LoadedRun]) -> list[str]:
    """The section comparing ``run`` with ``earlier`` runs: params and metrics side by side."""
    title = "<h2>Compared with earlier runs of this experiment</h2>"
    if not earlier:
        return [title, "<p>No earlier run of this experiment in this store.</p>"]
    e = html.escape
    runs = [*earlier, run]
    head = "".join(f"<th>{e(r.run_id)}{' (this run)' if r is run else ''}</th>" for r in runs)
    names = sorted({k for r in runs for k in r.params})
    rows = []
    n_diff = 0
    for name in names:
        full = [_param(r.params, name, None) for r in runs]
        shown = [_param(r.params, name, _DIGITS) for r in runs]
        differs = len(set(full)) > 1
        n_diff += differs
        cells = "".join(f"<td>{e(v if v is not None else '—')}</td>" for v in shown)
        mark, cls = ("≠ ", ' class="differs"') if differs else ("", "")
        rows.append(f"<tr{cls}><th>{mark}{e(name)}</th>{cells}</tr>")
    params = (
        _wrap(f'<table class="params"><tr><th>param</th>{head}</tr>{"".join(rows)}</table>')
        if rows
        else "<p>—</p>"
    )
    return [
        title,
        f"<p>{len(earlier)} earlier run(s) named {e(run.experiment.name)!s}, oldest first "
        f"(at most {MAX_EARLIER_RUNS}). Rows marked ≠ differ between runs "
        f"({n_diff} of {len(names)} parameters).</p>",
        "<h3>Parameters</h3>",
        params,
        "<h3>Metrics</h3>",
        _metric_comparison(run, earlier),
    ]


def _param(params: Mapping[str, Any], name: str, digits: int | None) -> str | None:
    return param_text(params[name], digits) if name in params else None


def _metric_comparison(run: LoadedRun, earlier: Sequence[LoadedRun]) -> str:
    """This run's metrics, each earlier run's and the difference (this run − earlier)."""
    e = html.escape
    names = sorted({k for r in (run, *earlier) for k in r.metrics})
    if not names:
        return "<p>—</p>"
    head = f"<th>metric</th><th>{e(run.run_id)} (this run)</th>"
    head += "".join(f"<th>{e(r.run_id)}</th><th>this − {e(r.run_id)}</th>" for r in earlier)
    rows = []
    for name in names:
        this = _metric(run.metrics, name)
        cells = [f"<td>{_float(this)}</td>"]
        for other in earlier:
            value = _metric(other.metrics, name)
            cells.append(f"<td>{_float(value)}</td><td>{_float(this - value, signed=True)}</td>")
        rows.append(f"<tr><th>{e(name)}</th>{''.join(cells)}</tr>")
    return _wrap(f'<table class="metrics"><tr>{head}</tr>{"".join(rows)}</table>')


def _metric(metrics: Mapping[str, float], name: str) -> float:
    value = metrics.get(name)
    return float("nan") if value is None else float(value)


def _float(value: float, *, signed: bool = False) -> str:
    """A float to four significant digits for reading; a dash for NaN/None."""
    if value is None or not np.isfinite(value):
        return "—" if value is None or np.isnan(value) else str(value)
    return f"{value:+.{_DIGITS}g}" if signed else f"{value:.{_DIGITS}g}"


def _wrap(table: str) -> str:
    """A table in a box that scrolls sideways, so it never widens the page."""
    return f'<div class="table-wrap">{table}</div>'


def _page(title: str, parts: list[str]) -> str:
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _list(items: Sequence[str]) -> str:
    if not items:
        return "<p>—</p>"
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _mapping_table(values: Mapping[str, Any], label: str) -> str:
    if not values:
        return "<p>—</p>"
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(_text(v))}</td></tr>"
        for k, v in values.items()
    )
    return _wrap(f"<table><tr><th>{label}</th><th>value</th></tr>{rows}</table>")


def _text(value: Any) -> str:
    if isinstance(value, float):
        return _float(value)
    return str(value)
