#pragma once
// Volatility targets for barrier labels, computed through each bar inclusive (no look-ahead).
// All functions take one instrument's calendar-aligned series (NaN = no bar) and return a series
// of the same length; they work on the bars the instrument has, so a suspension is skipped, not
// treated as a zero return.
#include <span>
#include <vector>

#include "alphaloom/common/calendar.h"

namespace alphaloom::label {

/// pandas `x.ewm(span).std()` with its defaults (adjust=True, bias=False, min_periods=0):
/// alpha = 2/(span+1), weights (1-alpha)^(t-i); the biased weighted variance times the
/// bias correction (sum w)^2 / ((sum w)^2 - sum w^2). NaN inputs are skipped (their outputs NaN)
/// and the first non-NaN input gives NaN (one observation). span >= 1.
std::vector<double> EwmStd(std::span<const double> values, double span);

/// Bar-to-bar simple returns close_t / close_prev - 1, where prev is the instrument's previous
/// bar; NaN at the first bar and at missing bars.
std::vector<double> BarReturns(std::span<const double> close);

/// AFML Snippet 3.1's base-bar returns: close_t / close_base - 1 with base the instrument's last
/// bar strictly before date(t) minus one calendar day (so Mondays and days after a holiday get
/// one-day returns, other days two-day ones on daily bars: the book's rule, meant for intraday
/// bars). NaN where there is no such base.
std::vector<double> BookDailyReturns(std::span<const double> close, const Calendar& calendar);

/// Wilder's average true range as TA-Lib computes it: TR_t = max(high-low, |high-close_prev|,
/// |low-close_prev|) from the instrument's second bar; the first ATR, at its (period+1)-th bar,
/// is the mean of the first `period` TRs, then ATR_t = (ATR_prev * (period-1) + TR_t) / period.
/// NaN before that and at missing bars. period >= 1.
std::vector<double> WilderAtr(std::span<const double> high, std::span<const double> low,
                              std::span<const double> close, int period);

}  // namespace alphaloom::label
