"""The engine: findings, ``# noqa``, parse errors, files and folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tr_lint import RULES, Config, Finding, Report, SourceError, lint_paths, lint_source
from tr_lint.checker import iter_files
from tr_lint.context import ModuleContext
from tr_lint.noqa import suppressions

FILL = "import pandas as pd\ndf = pd.read_csv('x.csv')\ndf['f'] = df['f'].fillna(0)\n"


def test_every_rule_has_a_code_a_summary_and_a_docs_page():
    root = Path(__file__).resolve().parents[3]
    assert sorted(RULES) == [f"TR00{i}" for i in range(1, 8)]
    for code, rule in RULES.items():
        assert rule.code == code
        assert rule.summary
        assert rule.docs == f"docs/tr-lint/rules/{code}.md"
        assert (root / rule.docs).is_file(), f"{code} has no docs page {rule.docs}"


def test_a_finding_has_file_line_column_code_and_message():
    (finding,) = lint_source(FILL)
    assert (finding.path, finding.cell, finding.line, finding.col, finding.code) == (
        "<string>",
        None,
        3,
        11,
        "TR001",
    )
    assert finding.location == "<string>:3:11"
    assert "fillna(0)" in finding.message
    assert finding.to_dict()["line"] == 3


def test_codes_select_rules():
    assert lint_source(FILL, ["TR002"]) == []
    assert [f.code for f in lint_source(FILL, ["TR001"])] == ["TR001"]


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("", True),
        ("  # noqa: TR001", False),
        ("  # noqa: TR001 zero means no trade here", False),
        ("  # noqa: TR002, TR001", False),
        ("  # NOQA:TR001", False),
        ("  # noqa", False),
        ("  # noqa: TR002", True),
    ],
)
def test_noqa_suppresses_the_codes_it_names(comment, reported):
    source = FILL.rstrip("\n") + comment + "\n"
    assert bool(lint_source(source)) is reported


def test_noqa_on_the_last_line_of_a_multi_line_call():
    source = "df['f'] = df['f'].fillna(\n    0\n)  # noqa: TR001\n"
    assert lint_source(source) == []


def test_noqa_inside_a_string_is_not_a_comment():
    source = "df['f'] = df['f'].fillna(0); s = '# noqa: TR001'\n"
    assert [f.code for f in lint_source(source)] == ["TR001"]
    assert suppressions(source, ModuleContext.parse(source).nodes) == {}


def test_invalid_python_is_one_tr000_finding_not_an_exception():
    (finding,) = lint_source("def broken(:\n    pass\n")
    assert finding.code == "TR000"
    assert finding.line == 1
    assert "not valid Python" in finding.message


def test_a_file_that_is_not_utf8_is_a_read_error(tmp_path):
    bad = tmp_path / "latin.py"
    bad.write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    report = lint_paths([tmp_path])
    assert report.files == 1
    assert report.findings == ()
    assert "not UTF-8" in report.errors[0]


def test_folders_skip_virtualenvs_caches_and_excluded_patterns(tmp_path):
    for rel in ["a.py", "sub/b.py", ".venv/lib/c.py", "__pycache__/d.py", "legacy/e.py", "n.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FILL)
    found = sorted(
        p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path], ["*/legacy/*"])
    )
    assert found == ["a.py", "sub/b.py"]
    report = lint_paths([tmp_path], Config(exclude=("*/legacy/*",)))
    assert report.files == 2
    assert [Path(f.path).name for f in report.findings] == ["a.py", "b.py"]


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(SourceError, match="no such file or folder"):
        list(iter_files([tmp_path / "missing"]))


def test_statistics_count_findings_per_code():
    findings = tuple(
        Finding("f.py", None, line, 1, code, "m")
        for line, code in [(1, "TR004"), (2, "TR001"), (3, "TR001")]
    )
    assert Report(findings, 1, ()).statistics() == {"TR001": 2, "TR004": 1}


def test_linting_never_changes_the_file(tmp_path):
    path = tmp_path / "research.py"
    path.write_text(FILL)
    before = path.read_bytes()
    lint_paths([path])
    assert path.read_bytes() == before


def test_findings_are_sorted_and_unique():
    source = textwrap.dedent(
        """
        import numpy as np
        b = np.nan_to_num(x)
        a = df.fillna(0)
        """
    )
    assert [(f.line, f.code) for f in lint_source(source)] == [(3, "TR001"), (4, "TR001")]


def test_worker_processes_find_the_same_as_one_process(tmp_path):
    for i in range(70):
        body = FILL if i % 3 else "x = 1\n"
        (tmp_path / f"f{i:02d}.py").write_text(body)
    (tmp_path / "broken.ipynb").write_text("{")
    serial = lint_paths([tmp_path], jobs=1)
    parallel = lint_paths([tmp_path], jobs=2)
    assert parallel == serial
    assert parallel.files == 71
    assert len(parallel.findings) == 46
    assert len(parallel.errors) == 1


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        lint_paths([tmp_path], jobs=0)
