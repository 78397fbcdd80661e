"""Precision and recall of the rules on the labelled corpus (``tests/corpus/``).

The corpus is research code as found: each file is a snippet of a notebook exported to
a script, and each line where a rule must report carries a trailing marker comment::

    df["mom_20"] = df.groupby("ticker")["close"].pct_change(20)  # expect: TR002
    df["z"] = (df["x"] - df["x"].mean()) / df["x"].std()  # expect: TR007, TR002

A line without a marker expects nothing. The expected set of ``(file, line, code)`` is
compared with what :func:`tr_lint.lint_source` reports, one finding per ``(file, line,
code)``: a reported place that was not expected is a false positive, an expected place
that was not reported a false negative.

Conventions (the ``0/0`` cases): precision is 1.0 when the rule reported nothing (it
made no false claim), and recall is 1.0 when nothing was expected; the table says so in
words next to the number, so that a rule that is not written yet cannot pass for a good
one. Pure functions, no pytest: ``python packages/tr-lint/tests/corpus_metrics.py``
prints the table that ``README.md`` shows between its corpus markers.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN = "<!-- corpus:begin -->"
END = "<!-- corpus:end -->"
RULE_CODES = tuple(f"TR{n:03d}" for n in range(1, 8))

_MARKER = re.compile(r"#\s*expect:\s*(?P<codes>TR\d{3}(?:\s*,\s*TR\d{3})*)\s*$")
_CODE = re.compile(r"TR\d{3}")

# One place a rule reports (or must report): (file name, 1-based line, code).
Place = tuple[str, int, str]


def parse_markers(text: str, name: str = "<string>") -> set[Place]:
    """The ``# expect: TR00x[, TR00y]`` markers of one file, as ``(name, line, code)``.

    Read from comment tokens, so a marker inside a string is not one; the marker must
    be the last thing on its line (``... # noqa: TR001 reason  # expect: TR007`` is one
    comment token and still counts its trailing marker).
    """
    found: set[Place] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = _MARKER.search(token.string)
        if match is None:
            continue
        for code in _CODE.findall(match.group("codes")):
            found.add((name, token.start[0], code))
    return found


@dataclass(frozen=True)
class RuleScore:
    """One rule's result on the corpus."""

    code: str
    snippets: int
    true_positives: frozenset[Place]
    false_positives: frozenset[Place]
    false_negatives: frozenset[Place]

    @property
    def expected(self) -> int:
        return len(self.true_positives) + len(self.false_negatives)

    @property
    def found(self) -> int:
        return len(self.true_positives) + len(self.false_positives)

    @property
    def precision(self) -> float:
        """TP / found; 1.0 when nothing was found (no false claim was made)."""
        return 1.0 if self.found == 0 else len(self.true_positives) / self.found

    @property
    def recall(self) -> float:
        """TP / expected; 1.0 when nothing was expected."""
        return 1.0 if self.expected == 0 else len(self.true_positives) / self.expected


def score(
    expected: Iterable[Place],
    found: Iterable[Place],
    codes: Iterable[str] = RULE_CODES,
    snippets: Mapping[str, int] | None = None,
) -> dict[str, RuleScore]:
    """Per code: the true positives, false positives and false negatives of ``found``
    against ``expected`` (sets of places; duplicates count once)."""
    expected_set, found_set = set(expected), set(found)
    result: dict[str, RuleScore] = {}
    for code in codes:
        want = {p for p in expected_set if p[2] == code}
        got = {p for p in found_set if p[2] == code}
        result[code] = RuleScore(
            code,
            (snippets or {}).get(code, 0),
            frozenset(want & got),
            frozenset(got - want),
            frozenset(want - got),
        )
    return result


def total(scores: Mapping[str, RuleScore], files: int) -> RuleScore:
    """The pooled (micro-averaged) score over all rules; ``snippets`` is ``files``."""
    tp: set[Place] = set()
    fp: set[Place] = set()
    fn: set[Place] = set()
    for s in scores.values():
        tp |= s.true_positives
        fp |= s.false_positives
        fn |= s.false_negatives
    return RuleScore("total", files, frozenset(tp), frozenset(fp), frozenset(fn))


def _precision_cell(s: RuleScore) -> str:
    return "1.00 (nothing found)" if s.found == 0 else f"{s.precision:.2f}"


def _recall_cell(s: RuleScore) -> str:
    return "1.00 (nothing expected)" if s.expected == 0 else f"{s.recall:.2f}"


def render_table(scores: Mapping[str, RuleScore], files: int) -> str:
    """The Markdown table ``| rule | snippets | expected | found | precision | recall |``
    with one row per rule and a total row (no trailing newline)."""
    rows = [
        "| rule | snippets | expected | found | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    every = [*scores.values(), total(scores, files)]
    for s in every:
        name = "**total**" if s.code == "total" else s.code
        rows.append(
            f"| {name} | {s.snippets} | {s.expected} | {s.found} | "
            f"{_precision_cell(s)} | {_recall_cell(s)} |"
        )
    return "\n".join(rows)


# ------------------------------------------------------------------ the corpus


def corpus_files(folder: Path = CORPUS) -> list[Path]:
    return sorted(folder.glob("*.py"))


def rule_of_file(name: str) -> str | None:
    """The rule a file is named for (``tr004_02_good.py`` -> ``TR004``), or ``None``."""
    match = re.match(r"tr(\d{3})_", name)
    return f"TR{match.group(1)}" if match else None


@dataclass(frozen=True)
class CorpusRun:
    """The corpus read and linted: what each file expects and what was reported."""

    files: tuple[str, ...]
    expected: frozenset[Place]
    found: frozenset[Place]

    def snippets(self) -> dict[str, int]:
        """Per code, the files that exercise the rule: named for it or expecting it."""
        counts: dict[str, int] = {}
        for code in RULE_CODES:
            expecting = {p[0] for p in self.expected if p[2] == code}
            named = {f for f in self.files if rule_of_file(f) == code}
            counts[code] = len(expecting | named)
        return counts

    def positives(self, code: str) -> set[str]:
        """The files that expect at least one ``code`` finding."""
        return {p[0] for p in self.expected if p[2] == code}

    def negatives(self, code: str) -> set[str]:
        """The files named for ``code`` that expect none of it (its deliberate near misses)."""
        return {f for f in self.files if rule_of_file(f) == code} - self.positives(code)

    def scores(self) -> dict[str, RuleScore]:
        return score(self.expected, self.found, RULE_CODES, self.snippets())

    def table(self) -> str:
        return render_table(self.scores(), len(self.files))


def run_corpus(folder: Path = CORPUS) -> CorpusRun:
    """Read every corpus file, collect its markers and lint it with every rule."""
    import tr_lint

    names: list[str] = []
    expected: set[Place] = set()
    found: set[Place] = set()
    for path in corpus_files(folder):
        names.append(path.name)
        source = tr_lint.read_source(path)
        expected |= parse_markers(source.text, path.name)
        found |= {(path.name, f.line, f.code) for f in tr_lint.lint_source(source)}
    return CorpusRun(tuple(names), frozenset(expected), frozenset(found))


def readme_table(text: str) -> str | None:
    """What ``text`` holds between the corpus markers (stripped), or ``None``."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start + len(BEGIN) : end].strip()


def describe(places: Iterable[Place]) -> str:
    """``file:line:code`` lines, sorted."""
    return "\n".join(f"  {f}:{line}:{code}" for f, line, code in sorted(places)) or "  (none)"


def main(argv: list[str] | None = None) -> int:
    run = run_corpus()
    print(run.table())
    if "-v" in (argv if argv is not None else sys.argv[1:]):
        for s in run.scores().values():
            print(f"\n{s.code} false positives:\n{describe(s.false_positives)}")
            print(f"{s.code} false negatives:\n{describe(s.false_negatives)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
