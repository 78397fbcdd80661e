"""The main job as a user runs it: ``research_run.py --quick``, twice into one store.

The first run skips tuning and the ensemble and uses another seed, so the second run's
report has an earlier run of the same experiment, with differing parameters, to compare
against. Judged: the exit status, what the terminal shows (a verdict per question, the
time per step, rounded numbers, lines that fit), the record in the store, one new
``runs/<run-id>/report.html`` per run, and a clean ``git status``. The report is then
rendered in headless Chromium (test_report_renders_in_chromium).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tr_core.synthetic import make_insider_trades
from tr_evaluation.experiments import ExperimentStore, LoadedRun

HERE = Path(__file__).resolve().parents[1]
ROOT = next(p for p in HERE.parents if (p / "noxfile.py").is_file())
SCRIPT = HERE / "research_run.py"
COLUMNS = 100
QUESTIONS = ("features", "weights", "tuning", "ensemble")


@dataclass(frozen=True)
class MainJob:
    out: Path
    stdout: str
    first: LoadedRun
    second: LoadedRun
    report: Path
    earlier_report: Path
    status_before: str
    status_after: str


def run_main_job(out: Path, *extra: str) -> str:
    env = os.environ | {"COLUMNS": str(COLUMNS), "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--out", str(out), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def main_job(tmp_path_factory: pytest.TempPathFactory, git_status: Callable[[], str]) -> MainJob:
    out = tmp_path_factory.mktemp("main-job")
    before = git_status()
    run_main_job(out, "--seed", "1", "--tune-trials", "0", "--no-ensemble")
    stdout = run_main_job(out)
    after = git_status()
    store = ExperimentStore(out / "store")
    ids = store.run_ids()
    assert len(ids) == 2
    first, second = (store.load(i) for i in ids)
    return MainJob(
        out=out,
        stdout=stdout,
        first=first,
        second=second,
        report=out / "runs" / second.run_id / "report.html",
        earlier_report=out / "runs" / first.run_id / "report.html",
        status_before=before,
        status_after=after,
    )


@pytest.mark.slow
def test_terminal_output_is_readable(main_job: MainJob) -> None:
    lines = main_job.stdout.splitlines()
    # a file path is printed on a line of its own, and may be longer
    too_long = [line for line in lines if len(line) > COLUMNS and " " in line.strip()]
    assert not too_long, too_long[:3]
    # rounded for reading: no number printed with more than 5 significant digits
    numbers = re.findall(r"(?<![\d.])\d+\.\d+", main_job.stdout.replace(",", ""))
    assert numbers
    long = [n for n in numbers if len(n.replace(".", "").lstrip("0")) > 5]
    assert not long, long[:5]
    for step in range(1, 11):
        assert re.search(rf"^\[{step}\. .* took \d+\.\d s\]$", main_job.stdout, re.M), step
    assert "time per step:" in main_job.stdout


@pytest.mark.slow
def test_summary_gives_a_verdict_per_question(main_job: MainJob) -> None:
    summary = main_job.stdout.split("Summary: did each idea beat its baseline")[1]
    verdict = main_job.second.tables["verdict"]
    assert [q.split(":")[0] for q in verdict.index] == list(QUESTIONS)
    assert set(verdict["answer"]) <= {"yes", "no", "not shown"}
    for question, row in verdict.iterrows():
        assert str(question) in summary
        # p-value, DSR and PBO print evenly, with three decimals (<0.001 below that)
        shown = re.search(
            rf"^{re.escape(str(question))}(?: +-?\d+\.\d\d %){{3}} +(\S+) +(\S+) +(\S+) +"
            rf"{re.escape(str(row['answer']))}$",
            summary,
            re.M,
        )
        assert shown, (question, summary)
        for cell, value in zip(
            shown.groups(), row[["p_value", "deflated_sharpe", "pbo"]], strict=True
        ):
            assert cell == ("<0.001" if 0 < value < 0.0005 else f"{value:.3f}"), (cell, value)
        # the answer follows from the numbers by the documented rule
        if row["difference"] <= 0:
            assert row["answer"] == "no"
        elif row["answer"] == "yes":
            assert row["p_value"] < 0.05
        assert row["difference"] == pytest.approx(row["candidate"] - row["baseline"])
    # the features question's baseline is the all-trades mean of the baseline table
    baselines = main_job.second.tables["baselines"]
    assert verdict.iloc[0]["baseline"] == pytest.approx(
        baselines.loc["all trades", "top_bucket_return"]
    )


@pytest.mark.slow
def test_each_run_gets_its_own_report_and_compares_with_earlier_runs(main_job: MainJob) -> None:
    assert main_job.report.is_file()
    assert main_job.earlier_report.is_file()
    assert main_job.report != main_job.earlier_report
    page = main_job.report.read_text(encoding="utf-8")
    assert "Compared with earlier runs" in page
    assert main_job.first.run_id in page
    # the parameters that differ between the two runs are shown side by side
    assert main_job.first.params["tune_trials"] == 0
    assert main_job.second.params["tune_trials"] > 0
    for figure in ("unweighted_tear_sheet", "alpha_power_1.5_tear_sheet", "ensemble_tear_sheet"):
        assert figure in main_job.second.figures
    assert page.count("data:image/png;base64,") == len(main_job.second.figures)
    assert "http://" not in page
    assert "https://" not in page


@pytest.mark.slow
def test_tr_experiments_reads_the_main_jobs_store(main_job: MainJob, tmp_path: Path) -> None:
    """The README's tr-experiments commands, with the console script installed beside Python."""
    cli = shutil.which("tr-experiments", path=str(Path(sys.executable).parent))
    assert cli is not None, "tr-experiments is installed with tr-evaluation"
    env = os.environ | {
        "TR_EXPERIMENTS_STORE": str(main_job.out / "store"),
        "COLUMNS": str(COLUMNS),
    }
    first, second = main_job.first.run_id, main_job.second.run_id

    def cli_run(*args: str) -> str:
        done = subprocess.run([cli, *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    listing = cli_run("list")
    listed = [line.split()[0] for line in listing.splitlines()[1:] if not line.startswith("(")]
    assert len(listed) == 2
    assert first.startswith(listed[0])
    assert second.startswith(listed[1])
    assert max(map(len, listing.splitlines())) <= COLUMNS  # fits the terminal
    assert "verdict" in cli_run("show", second[:22])
    compared = cli_run("compare", first, second)
    assert "alpha_power_1.5.top_bucket_return" in compared
    cli_run("report", first, "--runs-dir", str(tmp_path))
    assert (tmp_path / first / "report.html").is_file()


@pytest.mark.slow
def test_running_the_main_job_leaves_git_status_clean(main_job: MainJob) -> None:
    assert main_job.status_after == main_job.status_before


@pytest.mark.slow
def test_report_renders_in_chromium(main_job: MainJob) -> None:
    """Every figure loads, no table is wider than the page, the console has no errors."""
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        message = "Debian's chromium is not installed (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, headless=True)
        try:
            for width in (1280, 800):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.on(
                    "console",
                    lambda msg: errors.append(msg.text) if msg.type == "error" else None,
                )
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.on("requestfailed", lambda req: errors.append(f"failed: {req.url}"))
                page.goto(main_job.report.as_uri(), wait_until="load")
                images = page.eval_on_selector_all(
                    "img", "els => els.map(e => [e.complete, e.naturalWidth, e.alt])"
                )
                assert len(images) == len(main_job.second.figures)
                broken = [alt for complete, natural, alt in images if not complete or not natural]
                assert not broken, broken
                layout = page.evaluate(
                    """() => ({
                        page: document.documentElement.scrollWidth,
                        view: document.documentElement.clientWidth,
                        tables: [...document.querySelectorAll('table')].map(t => {
                            const box = t.closest('div.table-wrap');
                            const r = (box || t).getBoundingClientRect();
                            return {wrapped: box !== null, left: r.left, right: r.right};
                        }),
                    })"""
                )
                assert layout["page"] <= layout["view"], (width, layout["page"])
                assert layout["tables"], "the report has no table"
                for table in layout["tables"]:
                    assert table["wrapped"], table
                    assert table["left"] >= 0, (width, table)
                    assert table["right"] <= layout["view"], (width, table)
                page.close()
        finally:
            browser.close()
    assert not errors, errors


@pytest.mark.slow
def test_main_job_on_a_users_csv_with_one_feature_group(
    tmp_path: Path,
    git_status: Callable[[], str],
    user_files: Callable[..., tuple[Path, Path]],
) -> None:
    """``--data``/``--contract``: a user's CSV, rows in no order, its features in one group.

    With one group there is nothing to select among (all features together would be the
    same candidate twice, whose PBO is 1 by construction), so the features question is
    answered by its p-value alone, and the group is the only candidate on record.
    """
    market = make_insider_trades(8_000, n_years=3, random_state=3)
    shuffled = market.frame.sample(frac=1.0, random_state=1)  # rows in no order
    groups = {"everything": market.contract.features}
    data, contract = user_files(tmp_path, shuffled, market.contract, groups)
    out = tmp_path / "out"
    before = git_status()
    stdout = run_main_job(out, "--data", str(data), "--contract", str(contract))
    assert git_status() == before
    assert "one group only: there is no selection to correct for" in stdout
    (run_id,) = ExperimentStore(out / "store").run_ids()
    run = ExperimentStore(out / "store").load(run_id)
    assert "user-data" in run.experiment.tags
    assert list(run.tables["feature_groups_cv"].index) == ["everything"]
    features = run.tables["verdict"].loc["features: model vs all trades"]
    assert np.isnan(features["deflated_sharpe"])
    assert np.isnan(features["pbo"])
    # with no selection statistics, the answer is the p-value's alone
    if features["difference"] <= 0:
        assert features["answer"] == "no"
    else:
        assert features["answer"] == ("yes" if features["p_value"] < 0.05 else "not shown")
