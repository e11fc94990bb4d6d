#pragma once
// A synthetic daily equity market with a known, planted alpha, so the demo and the tests need no
// downloaded data and every stage of the pipeline can be checked against the truth.
// docs/synthetic_market.md describes the model; this header is the contract.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/common/date.h"
#include "alphaloom/data/bars.h"

namespace alphaloom::data {

/// What to generate. Everything about the market follows from these fields: the same options
/// give the same market, bit for bit.
struct SynthOptions {
  /// Number of stocks, named S0001, S0002, ... (more digits when there are more than 9999).
  size_t instruments = 100;
  /// First calendar date; the calendar holds every weekday in [start, end].
  Date start = Date::FromYmd(2012, 1, 2);
  /// Last calendar date (inclusive).
  Date end = Date::FromYmd(2024, 12, 31);
  /// Seeds every random draw; a different seed gives an unrelated market.
  uint64_t seed = 7;
  /// Target mean daily cross-sectional Pearson IC of the planted signal against the next day's
  /// return. 0 plants nothing (the loading is exactly 0); negative values plant the opposite
  /// sign. Must lie in (-0.5, 0.5).
  double ic = 0.05;
  /// Number of industry sectors; each stock belongs to one and loads on its sector's factor.
  size_t sectors = 10;
  /// Symbol of the benchmark index; must not collide with a stock symbol.
  std::string benchmark = "BENCH";
};

/// A generated market.
struct SynthMarket {
  /// Every weekday from options.start to options.end.
  Calendar calendar;
  /// One RawBars per stock, in symbol order. Raw (unadjusted) open/high/low/close/vwap quoted to
  /// 4 decimals, volume in raw shares (whole numbers), plus adj_close (total-return adjusted
  /// close, equal to close on the last bar), dividend (cash per share on its ex-date, 0
  /// otherwise) and split (coefficient on its ex-date, 1 otherwise). A stock's bars start at its
  /// listing and end at its delisting; suspended days have no bar.
  std::vector<RawBars> instruments;
  /// The benchmark: an equal-weighted total-return index of the listed stocks, a bar on every
  /// calendar date (open/high/low/close/vwap/volume, no adjustment columns).
  RawBars benchmark;
  /// Everything a test needs to check a pipeline against: options, model parameters, the
  /// planted signal (formula, label, loading, target and realized IC with t-statistics), each
  /// stock's sector, listing span, suspensions, splits and dividends. Written as truth.json.
  nlohmann::json truth;
};

/// Expression (Qlib syntax) of the planted signal: minus the 5-day return of the adjusted close,
/// a short-term reversal. Positive loading: stocks that fell most tend to rise the next day.
inline constexpr std::string_view kPlantFormula = "Ref($close,5)/$close-1";
/// Expression of the return the signal predicts: the next day's close-to-close adjusted return.
inline constexpr std::string_view kPlantLabel = "Ref($close,-1)/$close-1";
/// Rows of history the planted signal looks back.
inline constexpr size_t kPlantLookback = 5;

/// The planted signal at calendar index `index` of one stock's adjusted close series, aligned to
/// the calendar with NaN where the stock has no bar (before listing, suspended, after
/// delisting): adjusted_close[index - 5] / adjusted_close[index] - 1. NaN when index < 5 or either
/// value is NaN. Reads nothing after `index`, so the signal never sees the future.
double PlantedSignalAt(std::span<const double> adjusted_close, size_t index);

/// PlantedSignalAt for every index of `adjusted_close`.
std::vector<double> PlantedSignal(std::span<const double> adjusted_close);

/// Generates the market described by `options`. Deterministic: bit-identical for the same
/// options on any platform with IEEE-754 doubles and the same libm (exp, log, pow); the random
/// draws come from AlphaLoom's own xoshiro256** generator and transforms, not from <random>.
/// Throws Error(kUsage) for impossible options: no instruments or sectors, end before start,
/// fewer than 20 trading days, |ic| >= 0.5, or a benchmark symbol that is empty or a stock's.
SynthMarket GenerateMarket(const SynthOptions& options);

/// File layout of a written market.
enum class SynthFormat {
  kCsv,      ///< <SYMBOL>.csv per stock and for the benchmark, plus truth.json
  kParquet,  ///< <SYMBOL>.parquet per stock and for the benchmark, plus truth.json
  kQlib,     ///< a complete store (WriteQlibStore) with truth.json at its top level
};

/// "csv", "parquet" or "qlib".
std::string_view SynthFormatName(SynthFormat format);
/// Parses SynthFormatName's names; nullopt for anything else.
std::optional<SynthFormat> ParseSynthFormat(std::string_view name);

/// Writes `market` to the directory `out`, which appears whole or not at all: everything is
/// built in a temporary sibling directory and swapped into place (an existing `out` is
/// replaced). For kQlib the bars are adjusted with Adjust (adj_close convention), the calendar
/// is the market's, the store's benchmark is market.benchmark and its source "synth"; no
/// validation findings are recorded (the generator's bars are valid by construction).
/// Throws Error(kIo) when `out` cannot be written.
void WriteSynthMarket(const SynthMarket& market, const std::filesystem::path& out, SynthFormat format);

}  // namespace alphaloom::data
