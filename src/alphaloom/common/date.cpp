#include "alphaloom/common/date.h"

#include <fmt/format.h>

#include "alphaloom/common/error.h"

namespace alphaloom {
namespace {

// Howard Hinnant's days-from-civil and civil-from-days algorithms (public domain math).
int32_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

struct Ymd {
  int year;
  int month;
  int day;
};

Ymd CivilFromDays(int32_t days) {
  const int32_t z = days + 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t day_of_era = z - era * 146097;
  const int32_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int32_t mp = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Reads min_width..max_width decimal digits at `pos` and advances past them.
std::optional<int> ReadInt(std::string_view text, size_t& pos, size_t min_width, size_t max_width) {
  size_t start = pos;
  int value = 0;
  while (pos < text.size() && pos - start < max_width && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos - start < min_width) return std::nullopt;
  return value;
}

std::optional<Date> Make(int year, int month, int day) {
  if (!Date::IsValidYmd(year, month, day)) return std::nullopt;
  return Date::FromYmd(year, month, day);
}

}  // namespace

Date Date::FromYmd(int year, int month, int day) { return Date(DaysFromCivil(year, month, day)); }

bool Date::IsValidYmd(int year, int month, int day) {
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const int limit = kDaysInMonth[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  return day <= limit;
}

int Date::year() const { return CivilFromDays(days_).year; }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }
int Date::weekday() const {
  // 1970-01-01 was a Thursday (weekday 3).
  const int32_t shifted = (days_ + 3) % 7;
  return static_cast<int>(shifted < 0 ? shifted + 7 : shifted);
}

std::string Date::ToString() const {
  const Ymd ymd = CivilFromDays(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", ymd.year, ymd.month, ymd.day);
}

std::optional<Date> ParseDate(std::string_view text) {
  // Fast path for the common "YYYY-MM-DD" (every row of most bar files).
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    int digits[8];
    size_t count = 0;
    for (size_t pos : {0, 1, 2, 3, 5, 6, 8, 9}) {
      const char c = text[pos];
      if (c < '0' || c > '9') break;
      digits[count++] = c - '0';
    }
    if (count == 8) {
      return Make(digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3], digits[4] * 10 + digits[5],
                  digits[6] * 10 + digits[7]);
    }
  }
  // Trim surrounding whitespace and quotes, then drop a time part.
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"' || text.back() == '\r')) text.remove_suffix(1);
  if (const size_t cut = text.find_first_of(" T"); cut != std::string_view::npos) text = text.substr(0, cut);
  if (text.empty()) return std::nullopt;

  size_t pos = 0;
  if (text.size() == 8 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    auto year = ReadInt(text, pos, 4, 4);
    auto month = ReadInt(text, pos, 2, 2);
    auto day = ReadInt(text, pos, 2, 2);
    return Make(*year, *month, *day);
  }
  auto first = ReadInt(text, pos, 1, 4);
  if (!first || pos >= text.size()) return std::nullopt;
  const char separator = text[pos];
  if (separator != '-' && separator != '/') return std::nullopt;
  const size_t first_width = pos;
  ++pos;
  auto second = ReadInt(text, pos, 1, 2);
  if (!second || pos >= text.size() || text[pos] != separator) return std::nullopt;
  ++pos;
  if (first_width == 4) {  // Y-M-D or Y/M/D
    auto day = ReadInt(text, pos, 1, 2);
    if (!day || pos != text.size()) return std::nullopt;
    return Make(*first, *second, *day);
  }
  if (separator != '/' || first_width > 2) return std::nullopt;  // M/D/YYYY
  auto year = ReadInt(text, pos, 4, 4);
  if (!year || pos != text.size()) return std::nullopt;
  return Make(*year, *first, *second);
}

Date ParseDateOrThrow(std::string_view text, std::string_view what) {
  if (auto date = ParseDate(text)) return *date;
  throw Error(ErrorKind::kUsage, fmt::format("{}: '{}' is not a date (expected YYYY-MM-DD)", what, text));
}

}  // namespace alphaloom
