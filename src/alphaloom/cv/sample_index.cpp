#include "alphaloom/cv/sample_index.h"

#include <fmt/format.h>

#include "alphaloom/common/error.h"

namespace alphaloom::cv {

SampleIndex::SampleIndex(Calendar calendar, std::vector<int32_t> row_date, std::vector<int32_t> row_t1)
    : calendar_(std::move(calendar)), row_date_(std::move(row_date)), row_t1_(std::move(row_t1)) {
  if (row_date_.size() != row_t1_.size()) {
    throw Error(ErrorKind::kData, fmt::format("samples: {} dates but {} span ends (t1)", row_date_.size(), row_t1_.size()));
  }
  const auto size = static_cast<int32_t>(calendar_.size());
  for (size_t row = 0; row < row_date_.size(); ++row) {
    const int32_t date = row_date_[row], end = row_t1_[row];
    if (date < 0 || date >= size || end < 0 || end >= size) {
      throw Error(ErrorKind::kData, fmt::format("samples: row {} lies outside the calendar", row));
    }
    const std::string when = calendar_[static_cast<size_t>(date)].ToString();
    if (end < date) {
      throw Error(ErrorKind::kData, fmt::format("samples: row {} ({}): t1 {} is before its date", row, when,
                                                calendar_[static_cast<size_t>(end)].ToString()));
    }
    if (row > 0 && date < row_date_[row - 1]) {
      throw Error(ErrorKind::kData, fmt::format("samples: row {} ({}) is dated before the row above it: rows must be "
                                                "sorted by date", row, when));
    }
    if (row == 0 || date != row_date_[row - 1]) {
      dates_.push_back(date);
      date_start_.push_back(row);
    }
  }
  date_start_.push_back(row_date_.size());
}

SampleIndex SampleIndex::FromLabels(const label::LabelFrame& frame) {
  return SampleIndex(frame.calendar, frame.row_date, frame.row_t1);
}

}  // namespace alphaloom::cv
