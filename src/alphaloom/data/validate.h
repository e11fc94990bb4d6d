#pragma once
// Validation of raw bars: each rule has an action (error, warn, drop), and every finding names
// file, line, instrument and date.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/data/bars.h"

namespace alphaloom::data {

/// The checks applied to every file. Names (snake_case) are used in policies and reports.
enum class Rule {
  kNotData,             ///< not_data: the file is not bars at all (an API error body, HTML, binary)
  kMalformedRow,        ///< malformed_row: wrong column count, unparsable date or number
  kEmpty,               ///< empty: a header and no bars
  kDuplicateDate,       ///< duplicate_date: two bars on one date
  kUnsortedDates,       ///< unsorted_dates: a bar dated before the previous one
  kNonFinite,           ///< non_finite: NaN, inf or an empty cell in a price or volume
  kNonPositivePrice,    ///< non_positive_price: a price <= 0
  kHighBelowLow,        ///< high_below_low: high < low
  kOpenCloseOutside,    ///< open_close_outside: open or close outside [low, high]
  kZeroVolume,          ///< zero_volume: volume == 0
  kOffCalendar,         ///< off_calendar: a bar on a date the explicit market calendar lacks
  kCalendarGap,         ///< calendar_gap: a market date inside the instrument's span without a bar
  kDuplicateInstrument, ///< duplicate_instrument: an instrument already read from another file
};
inline constexpr size_t kRuleCount = 13;

/// What a finding does. kError rejects the whole file; kWarn keeps the bar and reports it;
/// kDrop removes the bar (it becomes a missing bar, NaN, in the store) and reports it.
/// Rules where dropping or keeping is impossible document how they read warn and drop.
enum class Action { kError, kWarn, kDrop };

std::string_view RuleName(Rule rule);
std::string_view ActionName(Action action);
std::optional<Rule> ParseRule(std::string_view name);
std::optional<Action> ParseAction(std::string_view name);

/// One problem found in the input.
struct Finding {
  Rule rule = Rule::kNotData;
  Action action = Action::kError;
  std::string file;
  size_t line = 0;            ///< 0 when not tied to a line
  std::string instrument;
  std::optional<Date> date;
  std::string detail;

  /// "file:line: instrument date: rule (action): detail", omitting parts that are unknown.
  std::string ToString() const;
};

/// The action of every rule. Defaults: error for not_data, malformed_row, empty,
/// duplicate_date and duplicate_instrument (warn or drop keep the first file's bars); drop for non_finite, non_positive_price and high_below_low; warn for
/// unsorted_dates (bars are sorted), open_close_outside, zero_volume, off_calendar (the bar is
/// always left out: the store has no row for it) and calendar_gap (the day is stored as NaN).
class ValidationPolicy {
 public:
  ValidationPolicy();
  Action action(Rule rule) const { return actions_[static_cast<size_t>(rule)]; }
  void Set(Rule rule, Action action) { actions_[static_cast<size_t>(rule)] = action; }
  /// Applies "rule=action[,rule=action...]", e.g. "zero_volume=drop,open_close_outside=error".
  /// Throws Error(kUsage) naming an unknown rule or action.
  void Apply(std::string_view overrides);

 private:
  std::array<Action, kRuleCount> actions_;
};

/// Result of validating one instrument's bars.
struct ValidatedBars {
  RawBars bars;                   ///< sorted, unique dates; dropped bars removed
  std::vector<Finding> findings;  ///< in file order
  bool rejected = false;          ///< an error-level finding: the file must not be used
};

/// Applies every per-file rule of `policy` to `bars`.
ValidatedBars Validate(RawBars bars, const ValidationPolicy& policy);

/// Applies the calendar rules: drops bars whose dates are not in `calendar` (off_calendar) and
/// reports calendar dates inside [first bar, last bar] with no bar (calendar_gap).
/// Adds findings to `validated` and sets `rejected` when either rule's action is kError.
void CheckAgainstCalendar(ValidatedBars& validated, const Calendar& calendar, const ValidationPolicy& policy);

}  // namespace alphaloom::data
