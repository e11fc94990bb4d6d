#include "alphaloom/data/inspect.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <tuple>

#include "alphaloom/common/error.h"
#include "alphaloom/data/validate.h"

namespace alphaloom::data {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Stored factors are float32 and piecewise constant between corporate actions, so any change
// above float32 rounding is an event.
constexpr double kFactorChangeTolerance = 1e-6;
constexpr double kSplitTolerance = 0.02;
constexpr double kDividendRatioLimit = 1.1;
constexpr double kUnadjustedSplitTolerance = 0.01;
// 1 / Phi^-1(3/4): makes the median absolute deviation a consistent estimate of a normal sigma.
constexpr double kMadToSigma = 1.4826;

struct SplitRatio {
  int numerator;
  int denominator;
};

constexpr SplitRatio kSplitRatios[] = {{2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 1}, {9, 1}, {10, 1},
                                       {3, 2}, {4, 3}, {5, 4}, {5, 2}, {1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 6},
                                       {1, 7}, {1, 8}, {1, 9}, {1, 10}, {2, 3}, {3, 4}, {4, 5}, {2, 5}};

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<SplitRatio> MatchSplit(double ratio) {
  std::optional<SplitRatio> best;
  double best_error = kSplitTolerance;
  for (const SplitRatio& split : kSplitRatios) {
    const double error = std::abs(ratio / (static_cast<double>(split.numerator) / split.denominator) - 1.0);
    if (error <= best_error) {
      best_error = error;
      best = split;
    }
  }
  return best;
}

FactorEvent ClassifyFactorChange(Date date, double ratio, double previous_traded_close) {
  FactorEvent event;
  event.date = date;
  event.ratio = ratio;
  if (const std::optional<SplitRatio> split = MatchSplit(ratio)) {
    event.kind = ratio > 1.0 ? FactorEventKind::kSplit : FactorEventKind::kReverseSplit;
    event.split_numerator = split->numerator;
    event.split_denominator = split->denominator;
    return event;
  }
  if (ratio < 1.0) {
    event.kind = FactorEventKind::kOther;
    return event;
  }
  event.kind = ratio < kDividendRatioLimit ? FactorEventKind::kDividend : FactorEventKind::kDistribution;
  event.payout_yield = 1.0 - 1.0 / ratio;
  event.payout_amount = event.payout_yield * previous_traded_close;
  return event;
}

double Median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  const size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2.0;
}

double SampleStd(const std::vector<double>& values) {
  if (values.size() < 2) return kNaN;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0.0;
  for (double value : values) squares += (value - mean) * (value - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

// n when `move` (new / old traded close) is within 1% of n, -n when within 1% of 1/n.
int UnadjustedSplit(double move) {
  for (int n = 2; n <= 10; ++n) {
    if (std::abs(move / n - 1.0) < kUnadjustedSplitTolerance) return n;
    if (std::abs(move * n - 1.0) < kUnadjustedSplitTolerance) return -n;
  }
  return 0;
}

// Values of `series` at calendar indices [first, first + count), NaN where nothing is stored;
// `fill` everywhere when there is no series.
std::vector<double> Slice(const FieldSeries* series, size_t first, size_t count, double fill) {
  std::vector<double> out(count, fill);
  if (!series) return out;
  for (size_t offset = 0; offset < count; ++offset) {
    const size_t index = first + offset;
    if (index >= series->start && index - series->start < series->values.size()) {
      out[offset] = series->values[index - series->start];
    } else {
      out[offset] = kNaN;
    }
  }
  return out;
}

struct ResolvedInstrument {
  std::string name;
  std::optional<InstrumentSpan> listing;  ///< nullopt: not in the market (the benchmark)
};

ResolvedInstrument Resolve(const QlibStore& store, std::string_view requested) {
  const std::string wanted = Upper(requested);
  std::vector<std::string> candidates;
  for (const InstrumentSpan& span : store.instruments()) {
    if (Upper(span.instrument) == wanted) return {span.instrument, span};
    candidates.push_back(span.instrument);
  }
  const std::string& benchmark = store.metadata().benchmark;
  if (!benchmark.empty()) {
    if (Upper(benchmark) == wanted && store.HasInstrument(benchmark)) return {benchmark, std::nullopt};
    candidates.push_back(benchmark);
  }
  if (!requested.empty() && store.HasInstrument(requested)) return {std::string(requested), std::nullopt};
  const std::vector<std::string> matches = CloseMatches(requested, candidates);
  std::string hint;
  if (!matches.empty()) hint = fmt::format(" (did you mean {}?)", fmt::join(matches, ", "));
  throw Error(ErrorKind::kNotFound, fmt::format("{}: unknown instrument '{}'{}; the store lists {} instruments",
                                                store.dir().string(), requested, hint, store.instruments().size()));
}

}  // namespace

std::string_view FactorEventKindName(FactorEventKind kind) {
  switch (kind) {
    case FactorEventKind::kSplit: return "split";
    case FactorEventKind::kReverseSplit: return "reverse_split";
    case FactorEventKind::kDividend: return "dividend";
    case FactorEventKind::kDistribution: return "distribution";
    case FactorEventKind::kOther: return "other";
  }
  return "other";
}

std::vector<std::string> CloseMatches(std::string_view name, const std::vector<std::string>& candidates,
                                      size_t limit) {
  const std::string wanted = Upper(name);
  const size_t allowed = std::max<size_t>(1, wanted.size() / 3);
  // (0 for a prefix or substring match, else 1; edit distance; name) ranks the matches.
  std::vector<std::tuple<int, size_t, std::string>> ranked;
  for (const std::string& candidate : candidates) {
    const std::string upper = Upper(candidate);
    const size_t distance = EditDistance(wanted, upper);
    const bool contains = !wanted.empty() && (upper.find(wanted) != std::string::npos ||
                                              (upper.size() >= 2 && wanted.find(upper) != std::string::npos));
    if (contains || distance <= allowed) ranked.emplace_back(contains ? 0 : 1, distance, candidate);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (size_t index = 0; index < ranked.size() && index < limit; ++index) out.push_back(std::get<2>(ranked[index]));
  return out;
}

InstrumentHistory InspectInstrument(const QlibStore& store, std::string_view instrument,
                                    const InspectOptions& options) {
  if (!(options.jump_sigma > 0.0) || !std::isfinite(options.jump_sigma)) {
    throw Error(ErrorKind::kUsage, fmt::format("jump sigma must be a positive number, not {}", options.jump_sigma));
  }
  if (options.stale_bars < 2) {
    throw Error(ErrorKind::kUsage, fmt::format("stale bars must be at least 2, not {}", options.stale_bars));
  }
  if (options.start && options.end && *options.start > *options.end) {
    throw Error(ErrorKind::kUsage, fmt::format("start {} is after end {}", options.start->ToString(),
                                               options.end->ToString()));
  }
  const ResolvedInstrument resolved = Resolve(store, instrument);
  const Calendar& calendar = store.calendar();
  const FieldSeries stored_close = store.ReadField(resolved.name, "close");
  const std::optional<FieldSeries> stored_factor = store.TryReadField(resolved.name, "factor");
  const std::optional<FieldSeries> stored_volume = store.TryReadField(resolved.name, "volume");

  InstrumentHistory history;
  history.store = store.dir().string();
  history.instrument = resolved.name;
  history.market = store.metadata().market;
  history.is_benchmark = resolved.name == store.metadata().benchmark;

  // The listing span: the instruments file's, or for an unlisted series its first to last bar.
  size_t listed_begin = 0;
  size_t listed_end = 0;  // exclusive
  if (resolved.listing) {
    listed_begin = calendar.LowerBound(resolved.listing->start);
    listed_end = calendar.UpperBound(resolved.listing->end);
  } else {
    const std::vector<float>& values = stored_close.values;
    const auto first = std::find_if(values.begin(), values.end(), [](float v) { return !std::isnan(v); });
    const auto last = std::find_if(values.rbegin(), values.rend(), [](float v) { return !std::isnan(v); });
    if (first != values.end()) {
      listed_begin = stored_close.start + static_cast<size_t>(first - values.begin());
      listed_end = stored_close.start + values.size() - static_cast<size_t>(last - values.rbegin());
    }
    listed_end = std::min(listed_end, calendar.size());
  }
  if (listed_begin >= listed_end) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("{}: instrument '{}' has no bars", store.dir().string(), resolved.name));
  }
  history.listed_first = calendar[listed_begin];
  history.listed_last = calendar[listed_end - 1];

  const size_t begin = options.start ? std::max(listed_begin, calendar.LowerBound(*options.start)) : listed_begin;
  const size_t end = options.end ? std::min(listed_end, calendar.UpperBound(*options.end)) : listed_end;
  const std::string asked = fmt::format("{} .. {}", options.start ? options.start->ToString() : "start",
                                        options.end ? options.end->ToString() : "end");
  if (begin >= end) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: '{}' has no trading days in {} (listed {} .. {})",
                                                  store.dir().string(), resolved.name, asked,
                                                  history.listed_first.ToString(), history.listed_last.ToString()));
  }
  const size_t count = end - begin;
  history.range_first = calendar[begin];
  history.range_last = calendar[end - 1];
  history.days = count;
  history.dates.assign(calendar.dates().begin() + static_cast<std::ptrdiff_t>(begin),
                       calendar.dates().begin() + static_cast<std::ptrdiff_t>(end));
  history.close = Slice(&stored_close, begin, count, kNaN);
  // A store without $factor (a foreign one) is unadjusted: factor 1 wherever there is a close.
  const std::vector<double> factor = Slice(stored_factor ? &*stored_factor : nullptr, begin, count, 1.0);
  history.volume = Slice(stored_volume ? &*stored_volume : nullptr, begin, count, kNaN);
  history.traded_close.assign(count, kNaN);
  history.change.assign(count, kNaN);

  const auto factor_at = [&](size_t offset) { return std::isnan(factor[offset]) ? 1.0 : factor[offset]; };
  // The same factor means the same stored float, so adjusted closes compare exactly; across a
  // factor change the traded closes are compared to float32 precision.
  const auto same_traded_close = [&](size_t before, size_t offset) {
    if (factor_at(before) == factor_at(offset)) return history.close[before] == history.close[offset];
    return std::abs(history.traded_close[offset] / history.traded_close[before] - 1.0) < 2e-7;
  };

  std::optional<size_t> previous;  // offset of the previous bar
  std::vector<double> changes;
  std::vector<std::pair<size_t, size_t>> change_bars;  // (bar, previous bar) of each change
  for (size_t offset = 0; offset < count; ++offset) {
    const double close = history.close[offset];
    if (std::isnan(close)) {
      ++history.missing;
      if (offset > 0 && std::isnan(history.close[offset - 1])) {
        history.missing_runs.back().last = history.dates[offset];
        ++history.missing_runs.back().days;
      } else {
        history.missing_runs.push_back({history.dates[offset], history.dates[offset], 1});
      }
      continue;
    }
    ++history.bars;
    if (!previous) history.first_bar = history.dates[offset];
    history.last_bar = history.dates[offset];
    history.traded_close[offset] = close / factor_at(offset);
    if (history.volume[offset] == 0.0) history.zero_volume.push_back(history.dates[offset]);
    if (previous) {
      const size_t before = *previous;
      history.change[offset] = close / history.close[before] - 1.0;
      changes.push_back(history.change[offset]);
      change_bars.emplace_back(offset, before);
      const double ratio = factor_at(offset) / factor_at(before);
      if (std::abs(ratio - 1.0) > kFactorChangeTolerance) {
        history.factor_events.push_back(
            ClassifyFactorChange(history.dates[offset], ratio, history.traded_close[before]));
      }
    }
    previous = offset;
  }
  if (history.bars == 0) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: '{}' has no bars in {} (listed {} .. {}, every day missing)",
                                                  store.dir().string(), resolved.name, asked,
                                                  history.listed_first.ToString(), history.listed_last.ToString()));
  }
  history.last_close = history.close[*previous];
  history.last_factor = factor_at(*previous);
  history.last_traded_close = history.traded_close[*previous];

  for (size_t first = 0; first < count;) {
    if (std::isnan(history.close[first])) {
      ++first;
      continue;
    }
    size_t last = first;
    while (last + 1 < count && !std::isnan(history.close[last + 1]) && same_traded_close(last, last + 1)) ++last;
    if (last - first + 1 >= options.stale_bars) {
      history.stale_runs.push_back(
          {history.dates[first], history.dates[last], last - first + 1, history.traded_close[last]});
    }
    first = last + 1;
  }

  history.median_change = Median(changes);
  std::vector<double> deviations;
  deviations.reserve(changes.size());
  for (double value : changes) deviations.push_back(std::abs(value - history.median_change));
  history.robust_sigma = kMadToSigma * Median(deviations);
  // A series that mostly does not move has a zero MAD; its sample deviation still sizes a jump.
  const double sigma = history.robust_sigma > 0.0 ? history.robust_sigma : SampleStd(changes);
  for (size_t index = 0; sigma > 0.0 && index < changes.size(); ++index) {
    const double sigmas = (changes[index] - history.median_change) / sigma;
    if (std::abs(sigmas) <= options.jump_sigma) continue;
    const auto [offset, before] = change_bars[index];
    PriceJump jump;
    jump.date = history.dates[offset];
    jump.change = changes[index];
    jump.sigmas = sigmas;
    jump.factor_changed = std::abs(factor_at(offset) / factor_at(before) - 1.0) > kFactorChangeTolerance;
    if (!jump.factor_changed) {
      jump.unadjusted_split = UnadjustedSplit(history.traded_close[offset] / history.traded_close[before]);
    }
    history.jumps.push_back(jump);
  }

  const std::string wanted = Upper(resolved.name);
  for (const Finding& finding : store.Findings()) {
    if (Upper(finding.instrument) != wanted) continue;
    ++history.findings_by_rule[fmt::format("{} ({})", RuleName(finding.rule), ActionName(finding.action))];
  }
  return history;
}

}  // namespace alphaloom::data
