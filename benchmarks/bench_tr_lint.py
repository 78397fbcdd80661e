"""tr-lint over 1,000 files of research code, with ruff on the same files for reference.

Issue target: 1,000 files of typical research code linted in under 5 s on 2 cores (the
``tr-lint`` command, start-up included). The files are made from the labelled corpus
(``packages/tr-lint/tests/corpus``): each joins three corpus snippets, so they read like
research scripts of 40-100 lines with the bad and the good forms mixed. ruff (Rust, its
default rules) runs on the same folder as a reference point for files per second — a
reference, not a target: it checks other things, compiled.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness import Bench

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "packages" / "tr-lint" / "tests" / "corpus"


def make_files(dest: Path, n: int) -> int:
    """``n`` research files from the corpus; returns their total line count."""
    snippets = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.py"))]
    if len(snippets) < 3:
        raise RuntimeError(f"the corpus {CORPUS} has {len(snippets)} snippets; need >= 3")
    lines = 0
    for i in range(n):
        parts = [snippets[(i * k + k) % len(snippets)] for k in (1, 7, 13)]
        text = "\n\n".join(parts)
        folder = dest / f"study_{i // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"research_{i:04d}.py").write_text(text, encoding="utf-8")
        lines += text.count("\n") + 1
    return lines


def _command(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed in the bench session")
    return found


def _lint(command: list[str], folder: Path) -> None:
    done = subprocess.run([*command, str(folder)], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: findings (the corpus has bad forms on purpose)
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")


def run(bench: Bench) -> None:
    n = 200 if bench.quick else 1000
    with tempfile.TemporaryDirectory(prefix="bench-tr-lint-") as tmp:
        folder = Path(tmp) / "research"
        lines = make_files(folder, n)
        tr_lint = [_command("tr-lint"), "--statistics"]
        ruff = [_command("ruff"), "check", "--no-cache", "--isolated", "--exit-zero"]
        _lint(tr_lint, folder)  # warm the file cache and the interpreter's imports
        seconds = bench.absolute(
            f"tr-lint: {n} research files ({lines} lines), the command",
            lambda: _lint(tr_lint, folder),
            limit_s=5.0 * n / 1000,
            repeat=3,
        )
        bench.compare(
            f"tr-lint vs ruff: {n} files",
            lambda: _lint(tr_lint, folder),
            lambda: _lint(ruff, folder),
            peer_name="ruff check (reference, not a target)",
            repeat=3,
        )
        side_by_side = bench.rows[-1]
        assert side_by_side.peer_s is not None
        print(
            f"   files per second: tr-lint {n / side_by_side.ours_s:,.0f}, ruff "
            f"{n / side_by_side.peer_s:,.0f} (the same {n} files; tr-lint alone: "
            f"{n / seconds:,.0f})",
            flush=True,
        )
