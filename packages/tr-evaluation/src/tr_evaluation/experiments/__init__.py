"""Experiment records: what was tried, why, how it did, and what was learned.

``with Experiment(...).run(ExperimentStore(path)) as run:`` records params, metrics,
tables (parquet) and figures (PNG) in a local directory, atomically; the
``tr-experiments`` console script lists, shows, compares and reports runs as
self-contained HTML (:func:`write_run_report`: one page per run in its own folder,
compared with the earlier runs of the same experiment).
"""

from tr_evaluation.experiments.inputs import read_frame
from tr_evaluation.experiments.record import Experiment
from tr_evaluation.experiments.report import (
    earlier_runs,
    render_comparison_html,
    render_run_html,
    write_report,
    write_run_report,
)
from tr_evaluation.experiments.run import Run
from tr_evaluation.experiments.store import STORE_ENV_VAR, ExperimentStore, LoadedRun
from tr_evaluation.experiments.tables import markdown_cell, markdown_table, percent

__all__ = [
    "STORE_ENV_VAR",
    "Experiment",
    "ExperimentStore",
    "LoadedRun",
    "Run",
    "earlier_runs",
    "markdown_cell",
    "markdown_table",
    "percent",
    "read_frame",
    "render_comparison_html",
    "render_run_html",
    "write_report",
    "write_run_report",
]
