#include "alphaloom/data/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

constexpr std::array<std::string_view, kRuleCount> kRuleNames = {
    "not_data",      "malformed_row", "empty",      "duplicate_date", "unsorted_dates", "non_finite",
    "non_positive_price", "high_below_low", "open_close_outside", "zero_volume", "off_calendar", "calendar_gap",
    "duplicate_instrument"};
constexpr std::array<std::string_view, 3> kActionNames = {"error", "warn", "drop"};

// Keeps the bars whose `keep` flag is set, in every column.
void Compact(RawBars& bars, const std::vector<bool>& keep) {
  auto compact = [&](auto& column) {
    if (column.empty()) return;
    size_t out = 0;
    for (size_t index = 0; index < keep.size(); ++index) {
      if (keep[index]) column[out++] = column[index];
    }
    column.resize(out);
  };
  compact(bars.dates);
  compact(bars.lines);
  compact(bars.open);
  compact(bars.high);
  compact(bars.low);
  compact(bars.close);
  compact(bars.volume);
  compact(bars.vwap);
  compact(bars.adj_close);
  compact(bars.dividend);
  compact(bars.split);
}

void Permute(RawBars& bars, const std::vector<size_t>& order) {
  auto permute = [&](auto& column) {
    if (column.empty()) return;
    auto copy = column;
    for (size_t index = 0; index < order.size(); ++index) column[index] = copy[order[index]];
  };
  permute(bars.dates);
  permute(bars.lines);
  permute(bars.open);
  permute(bars.high);
  permute(bars.low);
  permute(bars.close);
  permute(bars.volume);
  permute(bars.vwap);
  permute(bars.adj_close);
  permute(bars.dividend);
  permute(bars.split);
}

class FindingSink {
 public:
  FindingSink(ValidatedBars& validated, const ValidationPolicy& policy) : validated_(validated), policy_(policy) {}

  // Records a finding for bar `index` and returns its action.
  Action Report(Rule rule, size_t index, std::string detail) {
    const RawBars& bars = validated_.bars;
    Finding finding;
    finding.rule = rule;
    finding.action = policy_.action(rule);
    finding.file = bars.source;
    finding.line = index < bars.lines.size() ? bars.lines[index] : 0;
    finding.instrument = bars.instrument;
    if (index < bars.dates.size()) finding.date = bars.dates[index];
    finding.detail = std::move(detail);
    if (finding.action == Action::kError) validated_.rejected = true;
    validated_.findings.push_back(std::move(finding));
    return policy_.action(rule);
  }

 private:
  ValidatedBars& validated_;
  const ValidationPolicy& policy_;
};

bool IsFinite(const std::vector<double>& column, size_t index) {
  return column.empty() || std::isfinite(column[index]);
}

// First problem of a bar's values under one rule, or "" when none.
std::string NonFiniteDetail(const RawBars& bars, size_t index) {
  const std::pair<const char*, const std::vector<double>*> columns[] = {
      {"open", &bars.open},   {"high", &bars.high}, {"low", &bars.low},           {"close", &bars.close},
      {"volume", &bars.volume}, {"vwap", &bars.vwap}, {"adj_close", &bars.adj_close}};
  for (const auto& [name, column] : columns) {
    if (!IsFinite(*column, index)) return fmt::format("{} is {}", name, (*column)[index]);
  }
  return "";
}

std::string NonPositiveDetail(const RawBars& bars, size_t index) {
  const std::pair<const char*, const std::vector<double>*> prices[] = {
      {"open", &bars.open}, {"high", &bars.high}, {"low", &bars.low}, {"close", &bars.close},
      {"vwap", &bars.vwap}, {"adj_close", &bars.adj_close}};
  for (const auto& [name, column] : prices) {
    if (!column->empty() && (*column)[index] <= 0.0) return fmt::format("{} is {}", name, (*column)[index]);
  }
  if (bars.volume[index] < 0.0) return fmt::format("volume is {}", bars.volume[index]);
  return "";
}

}  // namespace

std::string_view RuleName(Rule rule) { return kRuleNames[static_cast<size_t>(rule)]; }
std::string_view ActionName(Action action) { return kActionNames[static_cast<size_t>(action)]; }

std::optional<Rule> ParseRule(std::string_view name) {
  const auto found = std::find(kRuleNames.begin(), kRuleNames.end(), name);
  if (found == kRuleNames.end()) return std::nullopt;
  return static_cast<Rule>(found - kRuleNames.begin());
}

std::optional<Action> ParseAction(std::string_view name) {
  const auto found = std::find(kActionNames.begin(), kActionNames.end(), name);
  if (found == kActionNames.end()) return std::nullopt;
  return static_cast<Action>(found - kActionNames.begin());
}

std::string Finding::ToString() const {
  std::string text = file;
  if (line > 0) text += fmt::format(":{}", line);
  text += ":";
  if (!instrument.empty()) text += " " + instrument;
  if (date) text += " " + date->ToString();
  if (!instrument.empty() || date) text += ":";
  text += fmt::format(" {} ({})", RuleName(rule), ActionName(action));
  if (!detail.empty()) text += ": " + detail;
  return text;
}

ValidationPolicy::ValidationPolicy() {
  actions_.fill(Action::kWarn);
  Set(Rule::kNotData, Action::kError);
  Set(Rule::kMalformedRow, Action::kError);
  Set(Rule::kEmpty, Action::kError);
  Set(Rule::kDuplicateDate, Action::kError);
  Set(Rule::kDuplicateInstrument, Action::kError);
  Set(Rule::kNonFinite, Action::kDrop);
  Set(Rule::kNonPositivePrice, Action::kDrop);
  Set(Rule::kHighBelowLow, Action::kDrop);
}

void ValidationPolicy::Apply(std::string_view overrides) {
  while (!overrides.empty()) {
    const size_t comma = overrides.find(',');
    const std::string_view pair = overrides.substr(0, comma);
    overrides = comma == std::string_view::npos ? std::string_view() : overrides.substr(comma + 1);
    const size_t equals = pair.find('=');
    const auto rule = ParseRule(pair.substr(0, equals));
    if (!rule) {
      throw Error(ErrorKind::kUsage, fmt::format("validation policy: unknown rule '{}' (known: {})",
                                                 pair.substr(0, equals), fmt::join(kRuleNames, " ")));
    }
    const auto action = equals == std::string_view::npos ? std::nullopt : ParseAction(pair.substr(equals + 1));
    if (!action) {
      throw Error(ErrorKind::kUsage, fmt::format("validation policy: '{}' needs =error, =warn or =drop", pair));
    }
    Set(*rule, *action);
  }
}

ValidatedBars Validate(RawBars bars, const ValidationPolicy& policy) {
  ValidatedBars validated;
  validated.bars = std::move(bars);
  RawBars& raw = validated.bars;
  FindingSink sink(validated, policy);

  // Order: report the first bar dated before its predecessor, then sort (stable, so duplicates
  // keep their file order and the first occurrence wins below).
  for (size_t index = 1; index < raw.size(); ++index) {
    if (raw.dates[index] < raw.dates[index - 1]) {
      sink.Report(Rule::kUnsortedDates, index,
                  fmt::format("dated before the previous bar ({}); bars are sorted by date",
                              raw.dates[index - 1].ToString()));
      std::vector<size_t> order(raw.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return raw.dates[a] < raw.dates[b]; });
      Permute(raw, order);
      break;
    }
  }

  std::vector<bool> keep(raw.size(), true);
  for (size_t index = 1; index < raw.size(); ++index) {
    if (raw.dates[index] == raw.dates[index - 1]) {
      sink.Report(Rule::kDuplicateDate, index,
                  fmt::format("second bar on this date (first at line {}); the first is kept", raw.lines[index - 1]));
      keep[index] = false;
    }
  }

  for (size_t index = 0; index < raw.size(); ++index) {
    if (!keep[index]) continue;
    auto check = [&](Rule rule, const std::string& detail) {
      if (detail.empty()) return;
      if (sink.Report(rule, index, detail) == Action::kDrop) keep[index] = false;
    };
    check(Rule::kNonFinite, NonFiniteDetail(raw, index));
    if (!keep[index]) continue;
    check(Rule::kNonPositivePrice, NonPositiveDetail(raw, index));
    if (!keep[index]) continue;
    const double open = raw.open[index], high = raw.high[index], low = raw.low[index], close = raw.close[index];
    if (std::isfinite(high) && std::isfinite(low)) {
      check(Rule::kHighBelowLow, high < low ? fmt::format("high {} < low {}", high, low) : "");
      if (!keep[index]) continue;
      if (high >= low) {
        std::string detail;
        if (open < low || open > high) detail = fmt::format("open {} outside [{}, {}]", open, low, high);
        else if (close < low || close > high) detail = fmt::format("close {} outside [{}, {}]", close, low, high);
        check(Rule::kOpenCloseOutside, detail);
        if (!keep[index]) continue;
      }
    }
    check(Rule::kZeroVolume, raw.volume[index] == 0.0 ? "volume is 0" : "");
  }
  Compact(raw, keep);
  return validated;
}

void CheckAgainstCalendar(ValidatedBars& validated, const Calendar& calendar, const ValidationPolicy& policy) {
  RawBars& raw = validated.bars;
  FindingSink sink(validated, policy);
  std::vector<bool> keep(raw.size(), true);
  bool any_dropped = false;
  // Bars are sorted, so one forward walk over the calendar replaces a search per bar.
  size_t day = raw.size() == 0 ? 0 : calendar.LowerBound(raw.dates.front());
  for (size_t index = 0; index < raw.size(); ++index) {
    while (day < calendar.size() && calendar[day] < raw.dates[index]) ++day;
    if (day >= calendar.size() || calendar[day] != raw.dates[index]) {
      sink.Report(Rule::kOffCalendar, index, "not a date of the market calendar; the bar is left out");
      keep[index] = false;
      any_dropped = true;
    }
  }
  if (any_dropped) Compact(raw, keep);
  if (raw.size() == 0) return;

  const size_t first = calendar.LowerBound(raw.dates.front());
  const size_t last = calendar.LowerBound(raw.dates.back());
  size_t bar = 0;
  for (size_t day = first; day <= last; ++day) {
    if (bar < raw.size() && raw.dates[bar] == calendar[day]) {
      ++bar;
      continue;
    }
    Finding finding;
    finding.rule = Rule::kCalendarGap;
    finding.action = policy.action(Rule::kCalendarGap);
    finding.file = raw.source;
    finding.instrument = raw.instrument;
    finding.date = calendar[day];
    finding.detail = "no bar on a market date inside the listing span; stored as missing (NaN)";
    if (finding.action == Action::kError) validated.rejected = true;
    validated.findings.push_back(std::move(finding));
  }
}

}  // namespace alphaloom::data
