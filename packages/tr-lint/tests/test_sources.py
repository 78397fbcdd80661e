"""Notebooks (cells in order, magics blanked) and jupytext percent-format scripts."""

from __future__ import annotations

import textwrap

import pytest

from tr_lint import SourceError, lint_paths, lint_source, read_source


def test_notebook_findings_name_the_cell_and_the_line_in_it(tmp_path, write_notebook):
    path = write_notebook(
        tmp_path / "study.ipynb",
        [
            ("markdown", "# CEO purchases\nfillna(0) in prose is not code"),
            ("code", "import pandas as pd\ndf = pd.read_csv('trades.csv')"),
            ("code", "%matplotlib inline\n!pip list\ndf['own_chg'] = df['own_chg'].fillna(0)"),
            ("code", "%%bash\necho df.fillna(0)"),
        ],
    )
    report = lint_paths([path])
    (finding,) = report.findings
    assert (finding.cell, finding.line, finding.col, finding.code) == (3, 3, 17, "TR001")
    assert finding.location == f"{path}:cell 3:line 3:col 17"


def test_names_flow_from_cell_to_cell_as_the_notebook_runs(tmp_path, write_notebook):
    path = write_notebook(
        tmp_path / "n.ipynb",
        [("code", "import numpy as np"), ("code", "X = np.nan_to_num(X)")],
    )
    (finding,) = lint_paths([path]).findings
    assert (finding.cell, finding.line) == (2, 1)


def test_a_syntax_error_in_a_cell_is_reported_in_that_cell(tmp_path, write_notebook):
    path = write_notebook(tmp_path / "n.ipynb", [("code", "x = 1"), ("code", "y = (\n")])
    (finding,) = lint_paths([path]).findings
    assert finding.code == "TR000"
    assert finding.cell == 2


@pytest.mark.parametrize("text", ["{not json", '{"cells": 3}', "[]"])
def test_a_broken_notebook_is_a_read_error_naming_the_file(tmp_path, text):
    path = tmp_path / "broken.ipynb"
    path.write_text(text)
    with pytest.raises(SourceError, match=r"broken\.ipynb: not a Jupyter notebook"):
        read_source(path)
    assert lint_paths([path]).errors


def test_notebook_source_given_as_one_string(tmp_path):
    path = tmp_path / "s.ipynb"
    path.write_text(
        '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "df = df.fillna(-1)"}]}'
    )
    (finding,) = lint_paths([path]).findings
    assert (finding.cell, finding.line) == (1, 1)


def test_a_percent_format_script_is_plain_python(tmp_path):
    path = tmp_path / "study.py"
    path.write_text(
        textwrap.dedent(
            """\
            # %% [markdown]
            # Insider purchases
            # %%
            import pandas as pd
            df = pd.read_csv("trades.csv")
            # %%
            df["f"] = df["f"].fillna(0)
            """
        )
    )
    (finding,) = lint_paths([path]).findings
    assert (finding.cell, finding.line) == (None, 7)
    assert lint_source(read_source(path)) == list(lint_paths([path]).findings)


def test_a_utf8_bom_is_not_code(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfimport pandas as pd\ndf = df.fillna(0)\n")
    (finding,) = lint_paths([path]).findings
    assert (finding.line, finding.code) == (2, "TR001")


def test_crlf_line_endings_and_null_bytes(tmp_path):
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(b"x = 1\r\ndf = df.fillna(0)\r\n")
    nul = tmp_path / "nul.py"
    nul.write_bytes(b"x = 1\n\x00\n")
    findings = lint_paths([tmp_path]).findings
    assert [(f.path.rsplit("/", 1)[1], f.line, f.code) for f in findings] == [
        ("crlf.py", 2, "TR001"),
        ("nul.py", 1, "TR000"),
    ]
