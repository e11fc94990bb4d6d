#pragma once
// The in-memory market: fields x instruments x dates of doubles, NaN = no bar.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/calendar.h"

namespace alphaloom::data {

/// Fields named bench_<field> hold the benchmark instrument's <field> on the same dates, the
/// same values in every instrument's series (QlibStore::LoadPanel fills them). They say nothing
/// about whether the instrument itself has a bar on a date.
inline constexpr std::string_view kBenchmarkFieldPrefix = "bench_";

/// Whether `field` is a benchmark field (bench_close, bench_open, ...).
inline bool IsBenchmarkField(std::string_view field) {
  return field.size() > kBenchmarkFieldPrefix.size() && field.starts_with(kBenchmarkFieldPrefix);
}

/// Each field is one contiguous array laid out instrument-major: an instrument's whole history
/// is contiguous, so rolling kernels stream through memory. Values start as NaN.
class Panel {
 public:
  Panel() = default;
  Panel(Calendar calendar, std::vector<std::string> instruments, std::vector<std::string> fields);

  const Calendar& calendar() const { return calendar_; }
  const std::vector<std::string>& instruments() const { return instruments_; }
  const std::vector<std::string>& fields() const { return fields_; }
  size_t date_count() const { return calendar_.size(); }
  size_t instrument_count() const { return instruments_.size(); }

  /// Index of `field`; throws Error(kNotFound) naming it and the fields on hand.
  size_t FieldIndex(std::string_view field) const;
  /// Index of `instrument`; throws Error(kNotFound) naming it.
  size_t InstrumentIndex(std::string_view instrument) const;

  /// One instrument's history of one field, date_count() values.
  std::span<double> Series(size_t field_idx, size_t instrument_idx);
  std::span<const double> Series(size_t field_idx, size_t instrument_idx) const;
  /// A whole field, instrument_count() * date_count() values, instrument-major.
  std::span<const double> Field(size_t field_idx) const { return values_[field_idx]; }

  double At(size_t field_idx, size_t instrument_idx, size_t date_idx) const {
    return values_[field_idx][instrument_idx * calendar_.size() + date_idx];
  }

 private:
  Calendar calendar_;
  std::vector<std::string> instruments_;
  std::vector<std::string> fields_;
  std::vector<std::vector<double>> values_;
};

}  // namespace alphaloom::data
