"""Shared test setup for tr-evaluation: headless plots and a deadline-free hypothesis profile."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from hypothesis import settings

settings.register_profile("tr", deadline=None, max_examples=60)
settings.load_profile("tr")
