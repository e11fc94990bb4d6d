#pragma once
// Calendar dates as a day count, so dates compare, subtract and hash as integers.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alphaloom {

/// A civil date (proleptic Gregorian), stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(int32_t days_since_epoch) : days_(days_since_epoch) {}

  /// The date for year/month/day; the caller guarantees a valid date (see IsValidYmd).
  static Date FromYmd(int year, int month, int day);
  /// True when year/month/day names a real date in years 1000..9999.
  static bool IsValidYmd(int year, int month, int day);

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  /// 0 = Monday ... 6 = Sunday.
  int weekday() const;
  /// "YYYY-MM-DD".
  std::string ToString() const;

  constexpr auto operator<=>(const Date&) const = default;

 private:
  int32_t days_ = 0;
};

/// Parses the date forms found in market data files: "YYYY-MM-DD", "YYYY/MM/DD", "YYYYMMDD",
/// "M/D/YYYY" (US order), each optionally followed by a time part after a space or 'T'
/// ("2020-01-02 00:00:00", "2020-01-02T00:00:00Z"), which is ignored for daily bars.
/// Returns nullopt for anything else, including impossible dates such as 2021-02-30.
std::optional<Date> ParseDate(std::string_view text);

/// ParseDate or an Error(kUsage) naming `what` (e.g. "--start").
Date ParseDateOrThrow(std::string_view text, std::string_view what);

}  // namespace alphaloom
