#pragma once
// Trading calendars: sorted, unique dates; a date's position is its calendar index.
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom {

class Calendar {
 public:
  Calendar() = default;
  /// `dates` must be strictly increasing (checked).
  explicit Calendar(std::vector<Date> dates);

  /// The sorted union of several date lists (each may be unsorted or hold duplicates).
  static Calendar Union(std::span<const std::vector<Date>> date_lists);
  /// Monday..Friday from `start` to `end` inclusive (a synthetic exchange calendar).
  static Calendar Weekdays(Date start, Date end);
  /// Reads one date per line (Qlib's calendars/day.txt, or any list of dates). Blank lines are
  /// skipped; an unparsable, duplicate or out-of-order date is an Error naming file and line.
  static Calendar ReadFile(const std::filesystem::path& path);
  /// Writes one "YYYY-MM-DD" per line.
  void WriteFile(const std::filesystem::path& path) const;

  size_t size() const { return dates_.size(); }
  bool empty() const { return dates_.empty(); }
  Date operator[](size_t index) const { return dates_[index]; }
  const std::vector<Date>& dates() const { return dates_; }
  Date front() const { return dates_.front(); }
  Date back() const { return dates_.back(); }

  /// Index of `date`, or nullopt when it is not a trading date.
  std::optional<size_t> IndexOf(Date date) const;
  /// Index of the first trading date >= `date` (size() when none).
  size_t LowerBound(Date date) const;
  /// Index of the first trading date > `date` (size() when none).
  size_t UpperBound(Date date) const;

 private:
  std::vector<Date> dates_;
};

}  // namespace alphaloom
