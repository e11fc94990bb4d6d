#include "alphaloom/common/calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <limits>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom {

Calendar::Calendar(std::vector<Date> dates) : dates_(std::move(dates)) {
  Check(std::adjacent_find(dates_.begin(), dates_.end(), std::greater_equal<>()) == dates_.end(),
        "calendar dates must be strictly increasing");
}

Calendar Calendar::Union(std::span<const std::vector<Date>> date_lists) {
  // A bitmap over the covered days: linear in the number of dates, no sort of millions of them.
  int32_t first = std::numeric_limits<int32_t>::max();
  int32_t last = std::numeric_limits<int32_t>::min();
  for (const auto& list : date_lists) {
    for (Date date : list) {
      first = std::min(first, date.days());
      last = std::max(last, date.days());
    }
  }
  if (first > last) return Calendar();
  std::vector<bool> present(static_cast<size_t>(last - first) + 1, false);
  for (const auto& list : date_lists) {
    for (Date date : list) present[static_cast<size_t>(date.days() - first)] = true;
  }
  std::vector<Date> dates;
  for (size_t offset = 0; offset < present.size(); ++offset) {
    if (present[offset]) dates.emplace_back(first + static_cast<int32_t>(offset));
  }
  return Calendar(std::move(dates));
}

Calendar Calendar::Weekdays(Date start, Date end) {
  std::vector<Date> dates;
  for (int32_t day = start.days(); day <= end.days(); ++day) {
    if (Date(day).weekday() < 5) dates.emplace_back(day);
  }
  return Calendar(std::move(dates));
}

Calendar Calendar::ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open calendar file", path.string()));
  std::vector<Date> dates;
  std::string line;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto date = ParseDate(line);
    if (!date) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: '{}' is not a date", path.string(), line_number, line));
    }
    if (!dates.empty() && *date <= dates.back()) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: date {} is {} the previous one", path.string(), line_number,
                                                date->ToString(), *date == dates.back() ? "a duplicate of" : "before"));
    }
    dates.push_back(*date);
  }
  return Calendar(std::move(dates));
}

void Calendar::WriteFile(const std::filesystem::path& path) const {
  std::string text;
  text.reserve(dates_.size() * 11);
  for (Date date : dates_) {
    text += date.ToString();
    text += '\n';
  }
  WriteFileAtomic(path, text);
}

std::optional<size_t> Calendar::IndexOf(Date date) const {
  const size_t index = LowerBound(date);
  if (index < dates_.size() && dates_[index] == date) return index;
  return std::nullopt;
}

size_t Calendar::LowerBound(Date date) const {
  return static_cast<size_t>(std::lower_bound(dates_.begin(), dates_.end(), date) - dates_.begin());
}

size_t Calendar::UpperBound(Date date) const {
  return static_cast<size_t>(std::upper_bound(dates_.begin(), dates_.end(), date) - dates_.begin());
}

}  // namespace alphaloom
