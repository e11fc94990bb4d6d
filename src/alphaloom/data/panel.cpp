#include "alphaloom/data/panel.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "alphaloom/common/error.h"

namespace alphaloom::data {

Panel::Panel(Calendar calendar, std::vector<std::string> instruments, std::vector<std::string> fields)
    : calendar_(std::move(calendar)), instruments_(std::move(instruments)), fields_(std::move(fields)) {
  values_.resize(fields_.size());
  for (auto& values : values_) values.assign(instruments_.size() * calendar_.size(), std::numeric_limits<double>::quiet_NaN());
}

size_t Panel::FieldIndex(std::string_view field) const {
  const auto found = std::find(fields_.begin(), fields_.end(), field);
  if (found == fields_.end()) {
    throw Error(ErrorKind::kNotFound, fmt::format("field '{}' is not loaded (fields: {})", field, fmt::join(fields_, ", ")));
  }
  return static_cast<size_t>(found - fields_.begin());
}

size_t Panel::InstrumentIndex(std::string_view instrument) const {
  const auto found = std::find(instruments_.begin(), instruments_.end(), instrument);
  if (found == instruments_.end()) throw Error(ErrorKind::kNotFound, fmt::format("unknown instrument '{}'", instrument));
  return static_cast<size_t>(found - instruments_.begin());
}

std::span<double> Panel::Series(size_t field_idx, size_t instrument_idx) {
  return std::span<double>(values_[field_idx]).subspan(instrument_idx * calendar_.size(), calendar_.size());
}

std::span<const double> Panel::Series(size_t field_idx, size_t instrument_idx) const {
  return std::span<const double>(values_[field_idx]).subspan(instrument_idx * calendar_.size(), calendar_.size());
}

}  // namespace alphaloom::data
