"""tr-core: the thin base of the trading-research toolkit."""

from tr_core.__about__ import __version__

__all__ = ["__version__"]
