"""``make_insider_trades``: insider-purchase events with a known truth.

The data-generating process, in order (all draws of steps 1-5 from one seeded
:func:`numpy.random.default_rng`, fully vectorized):

1. A daily regime panel (:mod:`tr_core.synthetic.regime`): latent volatility
   ``z_t``, stressed when ``z_t > 0.524`` (30 % of days); trades cluster on
   stressed days.
2. Tickers with a latent size ``s`` (standard normal, persistent); insiders,
   each at one ticker, with a latent skill and a seniority; trades drawn over
   insiders and days.
3. Features. Insider features of the trade and of the insider's history
   (earlier days only), technical features of the stock, the day's market
   features, and noise.
4. Alpha over the horizon (Student-t noise, regime-dependent scale)::

       alpha = base + k * (sum_j w_j(regime) * u_j + SIZE_EFFECT * s
                           + FIRST_TIME_EFFECT * first_time)
               + sigma * m(regime) * exp(-0.2 s) * t_nu / sqrt(nu / (nu - 2))

   floored at -0.95, where ``u_j`` is feature j's standardized driver,
   ``k`` the signal strength and ``t_nu`` a Student-t draw.
5. Missingness, by group: not at random for ``insider`` (first-time filers)
   and ``technical`` (small names), by time for ``market``, completely at
   random for ``noise``.
6. On request, the seed's two costly lessons (:mod:`tr_core.synthetic.planted`,
   each from a generator of its own spawned from the seed): ``fill_collision``
   adds the ``filings`` group, whose genuine 0 collides with a zero fill;
   ``magnitude_signal`` adds the ``event`` group, whose scores predict small
   wins and rare large ones.
"""

from __future__ import annotations

import math
import numbers
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.deprecation import NOT_GIVEN, renamed_argument
from tr_core.errors import InvalidParameterError
from tr_core.synthetic import catalogue as cat
from tr_core.synthetic import planted as pl
from tr_core.synthetic.history import prior_trades, trailing_count
from tr_core.synthetic.market import SyntheticMarket
from tr_core.synthetic.regime import (
    MOMENTUM_WINDOW,
    STRESS_Z,
    VOL_LEVEL,
    VOL_SCALE,
    make_market_panel,
)
from tr_core.synthetic.truth import GroundTruth, RegimeTruth

__all__ = ["make_insider_trades"]

FloatArray = npt.NDArray[np.float64]

_ROLE_CUTS = np.array(
    [-0.8416212335729143, -0.2533471031357997, 0.2533471031357997, 0.8416212335729143]
)
_NOISE_MISSING = 0.05
_BASE_ALPHA = 0.005
_FLOOR = -0.95


def make_insider_trades(
    n_trades: int = 100_000,
    *,
    random_state: int = NOT_GIVEN,
    n_tickers: int | None = None,
    n_years: int = 6,
    start: str | pd.Timestamp = "2015-01-02",
    horizon: int = 21,
    n_noise: int = 6,
    signal_strength: float = 1.0,
    noise_scale: float = 0.10,
    tail_df: float = 4.0,
    seed: int | None = None,
    fill_collision: bool = False,
    magnitude_signal: bool = False,
) -> SyntheticMarket:
    """Generate insider-purchase events whose alpha has a known cause.

    Parameters
    ----------
    n_trades : int, default 100_000
        Rows to generate (``>= 1``).
    random_state : int, default 0
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same
        market, bit for bit.
    n_tickers : int, optional
        Distinct tickers. Default ``clip(round(n_trades / 40), 1, 5000)``: 2 500
        for 100 000 trades.
    n_years : int, default 6
        Span of trade dates, in years of 252 business days.
    start : str or Timestamp, default "2015-01-02"
        First business day of the sample.
    horizon : int, default 21
        Business days from ``trade_date`` to ``label_end``: alpha is realized
        over that window.
    n_noise : int, default 6
        Pure-noise features (``noise_0``, ...), ``>= 0``.
    signal_strength : float, default 1.0
        Multiplier of every systematic effect on alpha (0 gives pure noise).
    noise_scale : float, default 0.10
        Standard deviation of the idiosyncratic alpha of an average-size name in
        the calm regime (fraction, ``> 0``).
    tail_df : float, default 4.0
        Degrees of freedom of the Student-t idiosyncratic alpha (``> 2``, so its
        variance is finite; smaller means heavier tails).
    seed : int, optional
        Deprecated spelling of ``random_state`` (removed in 0.2).
    fill_collision : bool, default False
        Plant the ``fillna(0)`` lesson: add the ``filings`` group, counts whose
        genuine 0 is common and earns more alpha, NaN (not at random) for
        insiders with an unknown filing history, who earn less. A zero fill then
        lands on the best real value instead of a value no row has.
    magnitude_signal : bool, default False
        Plant the ``|alpha| ** p`` weighting lesson: add the ``event`` group, one
        score that predicts many small wins and one that predicts rare large
        ones, so a classifier of ``alpha > 0`` ranks rows differently with and
        without magnitude weights.

    Returns
    -------
    SyntheticMarket
        ``frame, truth = market``; ``market.contract`` declares the column roles.
        The frame is sorted by ``trade_date`` with a ``RangeIndex``; ``alpha``
        is a fraction (0.05 is +5 %).

    Raises
    ------
    InvalidParameterError
        If a parameter is outside its range.

    Notes
    -----
    The mechanisms and every weight are recorded in ``market.truth``; see
    ``docs/tr-core/synthetic-market.md``. The planted lessons
    (:mod:`tr_core.synthetic.planted`) draw from generators spawned from the
    seed, never from the main stream: with both switches off the market is the
    plain one, bit for bit, and its ``truth.planted`` is empty. Student-t
    returns follow Praetz (1972), *J. Business* 45(1), and Blattberg & Gonedes
    (1974), *J. Business* 47(2).

    Examples
    --------
    >>> frame, truth = make_insider_trades(2_000, random_state=1)
    >>> len(frame), frame["trade_date"].is_monotonic_increasing
    (2000, True)
    >>> sorted(truth.groups)
    ['insider', 'market', 'noise', 'technical']
    """
    n = _int_param(n_trades, "n_trades", 1)
    random_state = renamed_argument(
        "random_state", random_state, "seed", seed, owner="make_insider_trades", default=0
    )
    seed_ = _int_param(random_state, "random_state", 0)
    n_tick = (
        max(1, min(5000, round(n / 40)))
        if n_tickers is None
        else _int_param(n_tickers, "n_tickers", 1)
    )
    n_days = 252 * _int_param(n_years, "n_years", 1)
    horizon_ = _int_param(horizon, "horizon", 1)
    n_noise_ = _int_param(n_noise, "n_noise", 0)
    strength = _float_param(signal_strength, "signal_strength", 0.0, inclusive=True)
    sigma = _float_param(noise_scale, "noise_scale", 0.0, inclusive=False)
    df = _float_param(tail_df, "tail_df", 2.0, inclusive=False)
    fill_ = _bool_param(fill_collision, "fill_collision")
    magnitude_ = _bool_param(magnitude_signal, "magnitude_signal")
    dates = _business_days(start, n_days + horizon_)

    rng = np.random.default_rng(seed_)
    panel = make_market_panel(rng, n_days)
    cal_day = ((dates - dates[0]) // np.timedelta64(1, "D")).astype(np.int64)

    size_by_ticker = rng.standard_normal(n_tick)
    popularity = np.exp(-0.4 * size_by_ticker + 0.8 * rng.standard_normal(n_tick))
    n_insiders = max(1, round(0.35 * n))
    insider_ticker = rng.choice(n_tick, size=n_insiders, p=popularity / popularity.sum())
    skill_by_insider = rng.standard_normal(n_insiders)
    role_by_insider = 1.0 + np.digitize(rng.standard_normal(n_insiders), _ROLE_CUTS)

    insider = rng.integers(0, n_insiders, size=n)
    day = np.sort(rng.choice(n_days, size=n, p=panel.intensity))
    ticker = insider_ticker[insider]
    size = size_by_ticker[ticker]
    stressed = panel.stressed[day]

    informative = cat.informative_features()
    noise = cat.noise_features(n_noise_)
    planted_features = pl.filings_features() if fill_ else ()
    if magnitude_:
        # placeholders: the event weights are measured once alpha is drawn (below)
        planted_features = (*planted_features, *pl.event_features(0.0, 0.0))
    features = (*informative, *noise, *planted_features)
    # alpha and every feature are written straight into one float block: at a
    # million rows, fresh memory is the main cost, so nothing is stacked later.
    block = np.empty((1 + len(features), n), dtype=np.float64)
    columns = {f.name: block[1 + j] for j, f in enumerate(features)}
    drivers: dict[str, FloatArray] = {}

    # insider group
    # one array per draw: arrays over 32 MB bypass the allocator's reuse and cost page faults
    z = [rng.standard_normal(n) for _ in range(2)]
    np.multiply(z[0], 0.6, out=columns["ins_log_value"])
    columns["ins_log_value"] += 4.9
    np.exp(-3.0 + 0.9 * z[1], out=columns["ins_own_change"])
    drivers["ins_log_value"], drivers["ins_own_change"] = z[0], z[1]
    role = role_by_insider[insider].astype(np.float64)
    columns["ins_role_score"][:] = role
    drivers["ins_role_score"] = (role - 3.0) / math.sqrt(2.0)
    cluster = columns["ins_cluster_count"]
    cluster[:] = trailing_count(ticker, cal_day[day], 30)
    drivers["ins_cluster_count"] = _standardize(np.log1p(cluster))
    n_prior, last_day = prior_trades(insider, day)
    first = n_prior == 0
    gap = columns["ins_days_since_last"]
    gap[:] = cal_day[day] - cal_day[np.maximum(last_day, 0)]
    gap[first] = np.nan
    drivers["ins_days_since_last"] = np.where(first, 0.0, _standardize(np.log(gap)))
    skill = skill_by_insider[insider]
    track = 0.02 + 0.03 * (skill + rng.standard_normal(n) / np.sqrt(np.maximum(n_prior, 1)))
    _put(columns["ins_track_record"], track, first)
    drivers["ins_track_record"] = skill

    # technical group: missing for small names
    z = [rng.standard_normal(n) for _ in range(4)]
    depth = np.exp(-1.7 - 0.7 * z[2])
    tech = {
        "tech_momentum": np.expm1(0.05 + 0.35 * z[0]),
        "tech_volatility": 0.35 * np.exp(0.4 * z[1]),
        "tech_dist_high": -depth / (1.0 + depth),
        "tech_volume_ratio": np.exp(0.4 * z[3]),
    }
    drivers.update(zip(tech, z, strict=True))
    tech_missing = rng.random(n) < 1.0 / (1.0 + np.exp(1.8 + 1.4 * size))
    for name, values in tech.items():
        _put(columns[name], values, tech_missing)

    # market group: the day's panel, missing while its trailing windows fill
    market_missing = day < MOMENTUM_WINDOW
    market = {
        "mkt_volatility": (panel.volatility, panel.z_vol),
        "mkt_momentum": (panel.momentum, panel.z_momentum),
        "mkt_dispersion": (panel.dispersion, panel.z_dispersion),
    }
    for name, (values, driver) in market.items():
        _put(columns[name], values[day], market_missing)
        drivers[name] = driver[day]

    # noise group: missing completely at random
    noise_nan = 0
    for j, feat in enumerate(noise):
        draws = _noise_draws(rng, cat.NOISE_KINDS[j % len(cat.NOISE_KINDS)], n)
        missing = rng.random(n) < _NOISE_MISSING
        noise_nan += int(missing.sum())
        _put(columns[feat.name], draws, missing)

    # planted lessons: their own generators, so the plain market's draws never move
    fill_rng, magnitude_rng = pl.planted_rngs(seed_)
    unknown_history: npt.NDArray[np.bool_] | None = None
    if fill_:
        filings = pl.plant_fill_collision(fill_rng, insider, n_insiders)
        for name, values in filings.columns.items():
            columns[name][:] = values
        drivers.update(filings.drivers)
        unknown_history = filings.unknown

    # alpha
    signal = cat.SIZE_EFFECT * size + cat.FIRST_TIME_EFFECT * first
    for feat in informative:
        weight = np.where(stressed, feat.weight_stressed, feat.weight_calm)
        signal = signal + weight * drivers[feat.name]
    if unknown_history is not None:
        for feat in pl.filings_features():
            signal = signal + feat.weight_calm * drivers[feat.name]
        signal = signal + pl.UNKNOWN_HISTORY_EFFECT * unknown_history
    calm_mult, stressed_mult = cat.NOISE_MULTIPLIER
    scale = sigma * np.where(stressed, stressed_mult, calm_mult) * np.exp(-0.2 * size)
    shock = rng.standard_t(df, size=n) / math.sqrt(df / (df - 2.0))
    alpha = block[0]
    raw = _BASE_ALPHA + strength * signal + scale * shock
    if magnitude_:
        events = pl.draw_magnitude_signal(magnitude_rng, n, strength)
        columns["evt_steady_score"][:] = events.steady_score
        columns["evt_catalyst_score"][:] = events.catalyst_score
        planted = pl.apply_magnitude_signal(raw, events)
        # their effect on alpha is not linear in the score, so the recorded weight
        # is the measured least-squares slope of each part of the change
        steady_change = np.where(events.steady, events.win - raw, 0.0)
        features = (
            *features[:-2],
            *pl.event_features(
                _slope(steady_change, events.steady_score),
                _slope(events.jump, events.catalyst_score),
            ),
        )
        raw = planted
    np.maximum(raw, _FLOOR, out=alpha)

    names = np.array([f"T{i:05d}" for i in range(n_tick)], dtype=object)
    frame = pd.DataFrame(block.T, columns=["alpha", *columns], copy=False)
    frame.insert(0, "ticker", names[ticker])
    frame.insert(0, "label_end", dates[day + horizon_])
    frame.insert(0, "trade_date", dates[day])
    groups = {
        g: cols for g in cat.GROUPS if (cols := tuple(f.name for f in features if f.group == g))
    }
    missing_share = {
        "insider": float(first.mean()),
        "technical": float(tech_missing.mean()),
        "market": float(market_missing.mean()),
        "noise": noise_nan / (n * n_noise_) if n_noise_ else 0.0,
        "filings": float(unknown_history.mean()) if unknown_history is not None else 0.0,
        "event": 0.0,
    }
    latent = {"size": cat.SIZE_EFFECT, "first_time_filer": cat.FIRST_TIME_EFFECT}
    if fill_:
        latent["unknown_filing_history"] = pl.UNKNOWN_HISTORY_EFFECT
    truth = GroundTruth(
        features=features,
        groups=MappingProxyType(groups),
        missingness=MappingProxyType({g: _mechanisms()[g] for g in groups}),
        missing_share=MappingProxyType({g: missing_share[g] for g in groups}),
        regime=RegimeTruth(
            feature="mkt_volatility",
            threshold=VOL_LEVEL * math.exp(VOL_SCALE * STRESS_Z),
            stressed_share_days=float(panel.stressed.mean()),
            stressed_share_trades=float(stressed.mean()),
            insider_multiplier=cat.INSIDER_MULTIPLIER,
            noise_multiplier=cat.NOISE_MULTIPLIER,
            description=(
                "Stressed when mkt_volatility exceeds the threshold (latent volatility "
                "z > 0.524, 30 % of days in expectation). In stressed markets every insider "
                "weight is multiplied by 1.8 instead of 0.6, tech_momentum's effect flips "
                "sign, idiosyncratic noise is 1.3x larger, and insiders trade more often."
            ),
        ),
        latent_effects=MappingProxyType(latent),
        alpha_model=MappingProxyType(
            {
                "base": _BASE_ALPHA,
                "signal_strength": strength,
                "noise_scale": sigma,
                "tail_df": df,
                "floor": _FLOOR,
            }
        ),
        horizon=horizon_,
        n_trades=n,
        n_tickers=n_tick,
        seed=seed_,
        planted=MappingProxyType(
            pl.planted_descriptions(fill_collision=fill_, magnitude_signal=magnitude_)
        ),
    )
    return SyntheticMarket(frame=frame, truth=truth)


def _mechanisms() -> dict[str, str]:
    return {
        "insider": (
            "Not at random: ins_days_since_last and ins_track_record need an earlier "
            "purchase by the same insider, so they are NaN for first-time filers, whose "
            f"purchases earn {cat.FIRST_TIME_EFFECT:+.0%} more alpha. fillna(0) turns a "
            "first-time filer into a routine trader who bought the day before."
        ),
        "technical": (
            "Not at random: the whole group is NaN for names without usable price history, "
            "with probability 1 / (1 + exp(1.8 + 1.4 * size)) rising steeply as size falls; "
            f"small names earn more ({cat.SIZE_EFFECT:+.1%} alpha per sd of size), so a filled "
            "0 ('at its 52-week high', 'no volume') sits on rows with higher alpha."
        ),
        "market": (
            f"By time: the whole group is NaN for trades in the first {MOMENTUM_WINDOW} "
            "business days, while the regime panel's trailing windows fill."
        ),
        "noise": (
            f"Completely at random: each cell is NaN with probability {_NOISE_MISSING:.0%}, "
            "independently."
        ),
        "filings": (
            f"Not at random: both columns are NaN for the {pl.FILL_MISSING_SHARE:.0%} of "
            "insiders whose filing history is unknown, whose purchases earn "
            f"{pl.UNKNOWN_HISTORY_EFFECT:+.0%} alpha; a genuine 0 is common and earns more, "
            "so fillna(0) puts the worst rows into the best real value."
        ),
        "event": "Never missing.",
    }


def _put(out: FloatArray, values: FloatArray, missing: npt.NDArray[np.bool_]) -> None:
    out[:] = values
    out[missing] = np.nan


def _noise_draws(rng: np.random.Generator, kind: str, n: int) -> FloatArray:
    if kind == "normal":
        return rng.standard_normal(n)
    if kind == "student_t":
        return rng.standard_t(3.0, size=n)
    if kind == "uniform":
        return rng.random(n)
    if kind == "lognormal":
        return rng.lognormal(0.0, 1.0, size=n)
    if kind == "binary":
        return (rng.random(n) < 0.3).astype(np.float64)
    return rng.exponential(1.0, size=n)


def _slope(y: FloatArray, x: FloatArray) -> float:
    # least-squares slope of y on x; x is a standard-normal score, so it is alpha per sd
    xc = x - x.mean()
    denom = float(xc @ xc)
    return float(xc @ (y - y.mean())) / denom if denom > 0 else 0.0


def _bool_param(value: object, name: str) -> bool:
    # numpy bools count: a switch read from an array or a config is still a switch
    if not isinstance(value, bool | np.bool_):
        raise InvalidParameterError(f"`{name}` must be True or False, got {value!r}.")
    return bool(value)


def _standardize(x: FloatArray) -> FloatArray:
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return np.zeros_like(x)
    sd = float(finite.std())
    return (x - float(finite.mean())) / (sd if sd > 0 else 1.0)


def _business_days(start: str | pd.Timestamp, periods: int) -> npt.NDArray[np.datetime64]:
    try:
        first = pd.Timestamp(start)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"`start`={start!r} is not a date; pass e.g. '2015-01-02' or a pandas.Timestamp."
        ) from exc
    if pd.isna(first) or first.tz is not None:
        raise InvalidParameterError(
            f"`start`={start!r} must be a timezone-naive date, e.g. '2015-01-02'."
        )
    return pd.bdate_range(first, periods=periods).to_numpy(dtype="datetime64[ns]")


def _int_param(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidParameterError(f"`{name}` must be an integer, got {value!r}.")
    if int(value) < minimum:
        raise InvalidParameterError(f"`{name}` must be >= {minimum}, got {value!r}.")
    return int(value)


def _float_param(value: object, name: str, bound: float, *, inclusive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidParameterError(f"`{name}` must be a number, got {value!r}.")
    x = float(value)
    ok = math.isfinite(x) and (x >= bound if inclusive else x > bound)
    if not ok:
        op = ">=" if inclusive else ">"
        raise InvalidParameterError(f"`{name}` must be finite and {op} {bound:g}, got {value!r}.")
    return x
