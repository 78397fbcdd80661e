"""Run pages: one folder per run, comparison with earlier runs, tables that never widen the page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tr_evaluation.experiments import (
    Experiment,
    ExperimentStore,
    render_run_html,
    write_report,
    write_run_report,
)

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _Page(HTMLParser):
    """Tables with their enclosing elements, URLs, marked rows and headings of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[tuple[str, dict[str, str | None]]]] = []
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self.rows: list[tuple[str | None, list[str]]] = []  # (class, cell texts) per <tr>
        self.headings: list[str] = []
        self.style = ""
        self._cells: list[str] | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        self.urls += [v or "" for k, v in attrs if k in {"src", "href"}]
        if tag == "table":
            self.tables.append(list(self.stack))
        if tag == "tr":
            self._cells = []
            self.rows.append((a.get("class"), self._cells))
        if tag in {"td", "th", "h2", "h3", "style"}:
            self._text = []
        if tag not in _VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text).strip()
        if tag in {"td", "th"} and self._cells is not None:
            self._cells.append(text)
        if tag in {"h2", "h3"}:
            self.headings.append(text)
        if tag == "style":
            self.style = text
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def row(self, first_cell: str, n_cells: int | None = None) -> tuple[str | None, list[str]]:
        """The one row starting with ``first_cell`` (and of ``n_cells`` cells, if given)."""
        (found,) = [
            r for r in self.rows if r[1] and r[1][0] == first_cell and n_cells in (None, len(r[1]))
        ]
        return found


def _run(
    store: ExperimentStore, name: str, params: dict[str, object], metrics: dict[str, float]
) -> str:
    with Experiment(name, "2024-05-01", "context", "hypothesis").run(store) as run:
        run.log_params(params)
        run.log_metrics(metrics)
        run.conclude(results="done")
    return run.run_id


@pytest.fixture
def store(tmp_path: Path) -> tuple[ExperimentStore, list[str], str]:
    """Seven runs of "alpha" (lr changes at the last one) and one of "other" in between."""
    st = ExperimentStore(tmp_path / "store")
    ids = []
    other = ""
    for i in range(7):
        lr = 0.05 if i == 6 else 0.1
        params = {"lr": lr, "depth": 3, "note": "x" * 300}
        ids.append(_run(st, "alpha", params, {"sharpe": 1.0 + i / 4, "pbo": 0.123456789}))
        if i == 2:
            other = _run(st, "other", {"lr": 9.0}, {"sharpe": 9.0})
    return st, ids, other


def _assert_self_contained(page: _Page) -> None:
    assert page.tables
    for ancestors in page.tables:
        assert any(
            tag == "div" and "table-wrap" in (attrs.get("class") or "").split()
            for tag, attrs in ancestors
        ), "a <table> outside div.table-wrap"
    assert not [u for u in page.urls if u.startswith(("http", "//"))]
    assert "script" not in page.tags
    assert ".table-wrap { overflow-x: auto; max-width: 100%" in page.style
    assert "overflow-wrap: anywhere" in page.style
    assert "height: auto" in page.style


def test_write_run_report_layout_and_refusal(
    store: tuple[ExperimentStore, list[str], str], tmp_path: Path
) -> None:
    st, ids, _ = store
    root = tmp_path / "reports"
    path = write_run_report(st, ids[-1][:22], root)  # a unique prefix names the run
    assert path == root / ids[-1] / "report.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(FileExistsError, match="already exists"):
        write_run_report(st, ids[-1], root)
    second = write_run_report(st, ids[0], str(root))
    assert second == root / ids[0] / "report.html"
    assert sorted(p.name for p in root.iterdir()) == sorted([ids[0], ids[-1]])


def test_earlier_runs_side_by_side(
    store: tuple[ExperimentStore, list[str], str], tmp_path: Path
) -> None:
    st, ids, other = store
    text = write_run_report(st, ids[-1], tmp_path / "r").read_text(encoding="utf-8")
    page = _Page(text)
    _assert_self_contained(page)
    assert "Compared with earlier runs of this experiment" in page.headings
    # the last five earlier runs of "alpha" only: not ids[0], not the other experiment
    assert other not in text
    assert ids[0] not in text
    _, header = page.row("param", 7)
    assert header[1:] == [*ids[1:6], f"{ids[6]} (this run)"]
    # lr differs (0.1 before, 0.05 now): marked; depth and note are the same: not marked
    cls, cells = page.row("≠ lr")
    assert cls == "differs"
    assert cells[1:] == ["0.1"] * 5 + ["0.05"]
    cls, cells = page.row("depth", 7)
    assert cls is None
    assert cells[1:] == ["3"] * 6
    # metrics: this run, then each earlier run and this − earlier (sharpe 2.5 vs 1.25 ... 2.25)
    _, sharpe = page.row("sharpe", 12)
    assert sharpe[1] == "2.5"
    assert sharpe[2:4] == ["1.25", "+1.25"]
    assert sharpe[-2:] == ["2.25", "+0.25"]
    # floats rounded for reading, full precision kept in the store
    assert page.row("pbo", 2)[1] == ["pbo", "0.1235"]  # the run's own metric table
    assert page.row("pbo", 12)[1][1:4] == ["0.1235", "0.1235", "+0"]
    assert st.load(ids[-1]).metrics["pbo"] == 0.123456789


def test_same_name_filter_and_first_run(
    store: tuple[ExperimentStore, list[str], str], tmp_path: Path
) -> None:
    st, ids, other = store
    page = _Page(write_run_report(st, other, tmp_path / "r").read_text(encoding="utf-8"))
    # "other" has no earlier run of its own, although three "alpha" runs came before it
    assert "Compared with earlier runs of this experiment" in page.headings
    assert [r[1] for r in page.rows if r[1] and r[1][0] == "param"] == [["param", "value"]]
    text = render_run_html(st.load(other))
    assert "No earlier run of this experiment" in text
    assert ids[0] not in text


def test_comparison_page_tables_wrapped(
    store: tuple[ExperimentStore, list[str], str], tmp_path: Path
) -> None:
    st, ids, _ = store
    written = write_report(st, ids[-2:], tmp_path / "cmp.html")
    for path in written:
        _assert_self_contained(_Page(path.read_text(encoding="utf-8")))
    comparison = _Page(written[0].read_text(encoding="utf-8"))
    assert comparison.row("pbo")[1][1:] == ["0.1235", "0.1235"]
