"""Sample weights for trading research: alpha power, magnitude, label uniqueness, time decay and class balance."""

from tr_sample_weighting.__about__ import __version__

__all__ = ["__version__"]
