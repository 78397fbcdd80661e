"""Self-contained HTML reports of experiment runs (figures embedded, no external files).

File layout of :func:`write_report`: with one run, ``output`` is that run's page.
With several runs, ``output`` is the comparison page and each run's page is written
next to it as ``<output stem>-<run_id>.html``, linked from the comparison page.
Every page stands alone: figures are base64-embedded PNGs, tables are HTML, the
style sheet is inline, and there is no JavaScript. All user text is escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tr_core.errors import InvalidParameterError
from tr_evaluation.experiments._files import atomic_write_bytes

if TYPE_CHECKING:
    from tr_evaluation.experiments.store import ExperimentStore, LoadedRun

__all__ = ["render_comparison_html", "render_run_html", "write_report", "write_run_report"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
th { background: #f4f4f4; } dt { font-weight: bold; } dd { margin: 0 0 0.6em 1.5em; }
pre { background: #f8f8f8; padding: 0.8em; overflow-x: auto; }
.status-completed { color: #1a7f37; } .status-failed { color: #cf222e; }
.status-running { color: #9a6700; } img { max-width: 100%; }
"""


def render_run_html(run: LoadedRun) -> str:
    """One self-contained HTML page describing a run."""
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
        _mapping_table({k: _text(v) for k, v in run.params.items()}, "param"),
    ]
    for name, table in run.tables.items():
        parts += [f"<h2>Table: {e(name)}</h2>", table.to_html(escape=True, border=0)]
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
        f"<table>{head}{''.join(rows)}</table>",
        "<h2>Metrics side by side</h2>",
        metrics.to_html(escape=True, border=0, na_rep="—"),
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
        atomic_write_bytes(out, render_run_html(runs[0]).encode("utf-8"))
        return [out]
    pages = {run.run_id: out.with_name(f"{out.stem}-{run.run_id}.html") for run in runs}
    for run in runs:
        atomic_write_bytes(pages[run.run_id], render_run_html(run).encode("utf-8"))
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
    atomic_write_bytes(out, render_run_html(run).encode("utf-8"))
    return out


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
    return f"<table><tr><th>{label}</th><th>value</th></tr>{rows}</table>"


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
