#pragma once
// One instrument of a store, as a researcher looks at it before trusting it: its listing span,
// bars and suspensions, the corporate actions its $factor records, and data-quality flags
// (zero volume, price jumps, stale prices, the ingest findings). `alphaloom inspect` prints this;
// return statistics and the chart are added on top by report/inspect.h.
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/data/qlib_store.h"

namespace alphaloom::data {

/// What to look at and how sensitive the quality flags are.
struct InspectOptions {
  /// First and last calendar date looked at; nullopt = the instrument's whole listing span.
  std::optional<Date> start, end;
  /// A bar-to-bar return is a price jump when |r - median| > jump_sigma * robust sigma, where
  /// robust sigma = 1.4826 * median(|r - median|) over the returns of the range. Must be > 0.
  double jump_sigma = 8.0;
  /// A stale price is a run of at least this many consecutive bars (no missing day between them)
  /// with the same traded close ($close / $factor). Must be >= 2.
  size_t stale_bars = 5;
};

/// A run of listed days without a bar (a suspension, or a gap the source left).
struct MissingRun {
  Date first, last;
  size_t days = 0;  ///< trading days in the run
};

/// What a change of $factor between two consecutive bars means.
/// The split ratios recognized are n:1 and 1:n (n = 2..10), 3:2, 2:3, 4:3, 3:4, 5:4, 4:5, 5:2 and
/// 2:5, each within 2% (a dividend on the same ex-date moves the ratio a little).
enum class FactorEventKind {
  kSplit,         ///< factor ratio > 1 and a split ratio p:q with p > q
  kReverseSplit,  ///< factor ratio < 1 and a split ratio p:q with p < q
  kDividend,      ///< 1 < factor ratio < 1.1 and no split: a cash dividend (yield under 9.1%)
  kDistribution,  ///< factor ratio >= 1.1 and no split: a spin-off or special payout
  kOther,         ///< factor ratio < 1 and no split: the adjustment went backwards
};

/// "split", "reverse_split", "dividend", "distribution" or "other".
std::string_view FactorEventKindName(FactorEventKind kind);

/// A change of $factor (adjusted / raw price) from one bar to the next. Qlib's convention makes
/// the factor ratio of an ex-date the split coefficient times 1 / (1 - dividend / previous raw
/// close) (docs/data.md, Adjustment), so the ratio alone tells splits from dividends.
struct FactorEvent {
  Date date;                ///< the bar on which the new factor starts (the ex-date)
  FactorEventKind kind = FactorEventKind::kOther;
  double ratio = 1.0;       ///< factor on `date` / factor on the previous bar
  int split_numerator = 0;  ///< splits: p of p:q (a 2:1 split has ratio 2); 0 otherwise
  int split_denominator = 0;
  /// Dividends and distributions: 1 - 1 / ratio, the share of the previous close paid out;
  /// NaN otherwise.
  double payout_yield = std::numeric_limits<double>::quiet_NaN();
  /// Dividends and distributions: payout_yield * the previous bar's traded close (cash per share
  /// in the source's currency); NaN otherwise.
  double payout_amount = std::numeric_limits<double>::quiet_NaN();
};

/// A bar-to-bar return far outside the instrument's usual range.
struct PriceJump {
  Date date;
  double change = 0.0;  ///< $close / previous bar's $close - 1 (adjusted)
  double sigmas = 0.0;  ///< (change - median) / robust sigma
  bool factor_changed = false;  ///< the factor changed on the same bar
  /// When the traded close moved by a factor within 1% of 1/n or n (n = 2..10) and the factor did
  /// not change: n (or -n for a move down, 1/n), which looks like an unadjusted split; else 0.
  int unadjusted_split = 0;
};

/// Consecutive bars with the same traded close.
struct StaleRun {
  Date first, last;
  size_t bars = 0;
  double close = 0.0;  ///< the traded close
};

/// Everything `alphaloom inspect` says about one instrument, except return statistics.
struct InstrumentHistory {
  std::string store;
  std::string instrument;  ///< as the store lists it (the case of instruments/<market>.txt)
  std::string market;
  bool is_benchmark = false;  ///< the store's benchmark (not in the market; span = its bars)
  Date listed_first, listed_last;  ///< listing span
  Date range_first, range_last;    ///< listing span within [start, end]
  size_t days = 0;                 ///< trading days in the range
  size_t bars = 0;                 ///< days with a close
  size_t missing = 0;              ///< days without one
  std::vector<MissingRun> missing_runs;
  Date first_bar, last_bar;
  double last_close = 0.0;         ///< $close on last_bar (adjusted)
  double last_factor = 0.0;        ///< $factor on last_bar
  double last_traded_close = 0.0;  ///< $close / $factor on last_bar
  std::vector<FactorEvent> factor_events;  ///< inside the range, the first bar's factor excluded
  std::vector<Date> zero_volume;           ///< bars with $volume == 0
  double median_change = 0.0;              ///< median bar-to-bar return (NaN with none)
  double robust_sigma = 0.0;               ///< 1.4826 * MAD of the returns (NaN with none)
  std::vector<PriceJump> jumps;
  std::vector<StaleRun> stale_runs;
  std::map<std::string, size_t> findings_by_rule;  ///< ingest findings of this instrument, "rule (action)"

  /// The range, one entry per trading day: date, $close, traded close, $volume and the
  /// bar-to-bar return of $close (NaN on the first bar and on days without a bar; the return of
  /// the first bar after a gap spans the gap). NaN where there is no bar.
  std::vector<Date> dates;
  std::vector<double> close, traded_close, volume, change;
};

/// Looks at `instrument` of `store` (a listed instrument or the store's benchmark; the name is
/// matched case-insensitively). Throws Error(kNotFound) naming the instrument and the store, with
/// up to three close matches, for an unknown instrument; Error(kNotFound) when it has no bar in
/// [start, end]; Error(kUsage) for options out of range or start after end.
InstrumentHistory InspectInstrument(const QlibStore& store, std::string_view instrument,
                                    const InspectOptions& options = {});

/// Up to `limit` names of `candidates` closest to `name` (case-insensitive edit distance of at
/// most a third of the name's length, at least 1; prefix and substring matches first), best first.
std::vector<std::string> CloseMatches(std::string_view name, const std::vector<std::string>& candidates,
                                      size_t limit = 3);

}  // namespace alphaloom::data
