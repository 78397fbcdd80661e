"""The rules, by code. One module per rule; each page is ``docs/tr-lint/rules/<code>.md``."""

from __future__ import annotations

from tr_lint.rule import Rule
from tr_lint.rules.tr001_constant_fill import ConstantFill
from tr_lint.rules.tr002_unshifted_window import UnshiftedWindow
from tr_lint.rules.tr003_negative_shift import NegativeShift
from tr_lint.rules.tr004_shuffled_split import ShuffledSplit
from tr_lint.rules.tr005_global_dropna import GlobalDropna
from tr_lint.rules.tr006_fit_before_split import FitBeforeSplit
from tr_lint.rules.tr007_whole_sample import WholeSampleStatistic

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        ConstantFill(),
        UnshiftedWindow(),
        NegativeShift(),
        ShuffledSplit(),
        GlobalDropna(),
        FitBeforeSplit(),
        WholeSampleStatistic(),
    )
}

__all__ = ["RULES", "Rule"]
