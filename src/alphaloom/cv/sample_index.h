#pragma once
// The rows a splitter divides: one per (date, instrument) sample, with its information span.
#include <cstdint>
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/label/label_frame.h"

namespace alphaloom::cv {

/// Rows sorted by date; a row's span is [t0, t1] in calendar positions (closed), t0 = its date,
/// t1 = the last bar its label uses. Splitters are date-based: all rows of one date fall on the
/// same side of every split.
class SampleIndex {
 public:
  /// Throws Error(kData) when rows are not sorted by date, a t1 precedes its date, a position
  /// lies outside the calendar, or the row arrays differ in length.
  SampleIndex(Calendar calendar, std::vector<int32_t> row_date, std::vector<int32_t> row_t1);
  static SampleIndex FromLabels(const label::LabelFrame& frame);

  const Calendar& calendar() const { return calendar_; }
  size_t rows() const { return row_date_.size(); }
  int32_t date(size_t row) const { return row_date_[row]; }
  int32_t t1(size_t row) const { return row_t1_[row]; }

  /// The distinct row dates in order (calendar positions): the observation axis the splitters
  /// cut into blocks.
  const std::vector<int32_t>& dates() const { return dates_; }
  /// First row of distinct date k (k in [0, dates().size()]; the last entry is rows()).
  size_t first_row(size_t date_k) const { return date_start_[date_k]; }

 private:
  Calendar calendar_;
  std::vector<int32_t> row_date_;
  std::vector<int32_t> row_t1_;
  std::vector<int32_t> dates_;
  std::vector<size_t> date_start_;
};

}  // namespace alphaloom::cv
