#include "alphaloom/common/calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom {

Calendar::Calendar(std::vector<Date> dates) : dates_(std::move(dates)) {
  Check(std::adjacent_find(dates_.begin(), dates_.end(), std::greater_equal<>()) == dates_.end(),
        "calendar dates must be strictly increasing");
}

Calendar Calendar::Union(std::span<const std::vector<Date>> date_lists) {
  std::vector<Date> all;
  size_t total = 0;
  for (const auto& list : date_lists) total += list.size();
  all.reserve(total);
  for (const auto& list : date_lists) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return Calendar(std::move(all));
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
