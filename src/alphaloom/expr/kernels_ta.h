#pragma once
// Classic indicators with TA-Lib's conventions (TA-Lib 0.6 C, default compatibility, unstable
// period 0; reference/finml.md §10): SMA-seeded EMAs, Wilder smoothing, population sigma, and
// NaN for the first `lookback` rows exactly where TA-Lib has no output.
//
// Missing rows. Every kernel here computes over the instrument's *valid* rows only: a row is
// valid when every input is finite (NaN and +-inf rows are missing bars, typically
// suspensions). The indicator is the TA-Lib indicator of the series with the missing rows
// removed, written back in place; a missing row itself outputs NaN. So a suspension neither
// poisons the rest of the history (as an interior NaN does in TA-Lib) nor restarts the
// warm-up: windows and recursions continue across the gap, and a change across the gap (RSI's
// d_t, ATR's previous close, Beta's returns) is taken from the last valid bar. Leading missing
// rows are skipped as TA-Lib's Python wrapper skips leading NaNs.
//
// All kernels are O(rows), write every element of `out` (same length as the inputs), never
// throw, and allocate only per call (never per row).
#include <cstddef>
#include <span>

namespace alphaloom::expr::kernels {

/// Simple moving average over the last `period` valid rows; lookback period - 1.
void TaSma(std::span<const double> x, size_t period, std::span<double> out);
/// TA-Lib EMA: k = 2 / (period + 1), seeded at the period-th valid row by the SMA of the first
/// `period` values, then e = ((x - e) * k) + e. Lookback period - 1.
void TaEma(std::span<const double> x, size_t period, std::span<double> out);
/// Population standard deviation (divide by period) over the last `period` valid rows, 0 where
/// the variance is below 1e-14 (TA-Lib's clamp); computed from deviations, not E[x^2] - E[x]^2,
/// so prices near 1e4 keep their digits. Lookback period - 1.
void TaStdDev(std::span<const double> x, size_t period, std::span<double> out);
/// Wilder RSI: the first average gain / loss is the mean of the first `period` changes, then
/// avg = (avg * (period - 1) + current) / period; RSI = 100 G / (G + L), and 0 when G + L is
/// within 1e-14 of 0 (TA-Lib: flat prices give 0, not 50). Lookback period.
void TaRsi(std::span<const double> x, size_t period, std::span<double> out);
/// Wilder ATR: TR_t = max(H - L, |H - C_prev|, |L - C_prev|) from the second valid row (the
/// first has no previous close); first ATR = mean of the first `period` TRs, then
/// ATR = (ATR * (period - 1) + TR) / period. Lookback period.
void TaAtr(std::span<const double> high, std::span<const double> low, std::span<const double> close, size_t period,
           std::span<double> out);

/// The three MACD outputs.
enum class MacdOutput { kLine, kSignal, kHistogram };
/// TA-Lib MACD(fast, slow, signal): both EMAs seeded by SMAs whose windows end on the same row
/// (row slow - 1), line = fast EMA - slow EMA, signal = EMA(signal) of the line seeded by the
/// SMA of its first `signal` values, histogram = line - signal. fast and slow are swapped when
/// slow < fast. Every output has lookback (slow - 1) + (signal - 1), TA-Lib's 33 for 12/26/9.
void TaMacd(std::span<const double> x, size_t fast, size_t slow, size_t signal, MacdOutput which,
            std::span<double> out);

/// TA-Lib fast stochastic %K (the KDJ RSV): 100 (C - LL) / (HH - LL) over the last `period`
/// valid rows, 0 when HH == LL. Lookback period - 1.
void TaStochFastK(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  size_t period, std::span<double> out);
/// KDJ smoothing (Chinese convention, not in TA-Lib): s_t = (s_{t-1} (m - 1) + x_t) / m with
/// s = 50 before the first valid row; no warm-up of its own (the first valid row has a value).
/// K = KdjSmooth(RSV, 3), D = KdjSmooth(K, 3), J = 3K - 2D.
void KdjSmooth(std::span<const double> x, size_t m, std::span<double> out);

/// TA-Lib BETA(market, asset, period): slope of the asset's one-bar simple returns on the
/// market's over the last `period` returns, cov / var(market); a return whose base price is
/// within 1e-14 of 0 counts as 0, and a market variance term within 1e-14 of 0 gives 0. Rows
/// are valid when both prices are. Lookback period.
void TaBeta(std::span<const double> asset, std::span<const double> market, size_t period, std::span<double> out);

}  // namespace alphaloom::expr::kernels
