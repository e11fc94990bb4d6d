#include "alphaloom/label/forward.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "alphaloom/common/error.h"

namespace alphaloom::label {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Rows [begin, end) of the frame share one date.
void ZScoreDay(std::vector<double>& value, size_t begin, size_t end) {
  const size_t count = end - begin;
  double mean = 0;
  for (size_t row = begin; row < end; ++row) mean += value[row];
  mean /= static_cast<double>(count);
  double squares = 0;
  for (size_t row = begin; row < end; ++row) squares += (value[row] - mean) * (value[row] - mean);
  const double std = count > 1 ? std::sqrt(squares / static_cast<double>(count - 1)) : kNaN;
  for (size_t row = begin; row < end; ++row) {
    value[row] = std > 0 ? (value[row] - mean) / std : kNaN;
  }
}

void RankDay(std::vector<double>& value, size_t begin, size_t end) {
  const size_t count = end - begin;
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), begin);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return value[a] < value[b]; });
  std::vector<double> rank(count);
  for (size_t first = 0; first < count;) {
    size_t last = first;
    while (last + 1 < count && value[order[last + 1]] == value[order[first]]) ++last;
    // Average of the 1-based ranks first+1 .. last+1, as pandas' rank(method="average").
    const double average = (static_cast<double>(first + last) + 2.0) / 2.0;
    for (size_t k = first; k <= last; ++k) rank[order[k] - begin] = average;
    first = last + 1;
  }
  for (size_t row = begin; row < end; ++row) {
    value[row] = (rank[row - begin] / static_cast<double>(count) - 0.5) * 3.46;
  }
}

void Normalize(LabelFrame& frame, CrossSectionNorm norm) {
  if (norm == CrossSectionNorm::kNone) return;
  NormalizeByDay(frame.value, frame.row_date, norm);
  size_t kept = 0;
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (std::isnan(frame.value[row])) continue;
    frame.row_date[kept] = frame.row_date[row];
    frame.row_instrument[kept] = frame.row_instrument[row];
    frame.row_t1[kept] = frame.row_t1[row];
    frame.value[kept] = frame.value[row];
    ++kept;
  }
  frame.row_date.resize(kept);
  frame.row_instrument.resize(kept);
  frame.row_t1.resize(kept);
  frame.value.resize(kept);
}

}  // namespace

void NormalizeByDay(std::vector<double>& value, std::span<const int32_t> row_date, CrossSectionNorm norm) {
  if (norm == CrossSectionNorm::kNone) return;
  Check(value.size() == row_date.size(), "one date per label row");
  std::vector<double> day_values;
  std::vector<size_t> day_rows;
  for (size_t begin = 0; begin < value.size();) {
    size_t end = begin;
    while (end < value.size() && row_date[end] == row_date[begin]) ++end;
    day_values.clear();
    day_rows.clear();
    for (size_t row = begin; row < end; ++row) {
      if (std::isnan(value[row])) continue;
      day_values.push_back(value[row]);
      day_rows.push_back(row);
    }
    if (!day_values.empty()) {
      if (norm == CrossSectionNorm::kZScore) {
        ZScoreDay(day_values, 0, day_values.size());
      } else {
        RankDay(day_values, 0, day_values.size());
      }
    }
    for (size_t k = 0; k < day_rows.size(); ++k) value[day_rows[k]] = day_values[k];
    begin = end;
  }
}

std::string ForwardLabelName(const ForwardSpec& spec) {
  std::string name = fmt::format("forward_{}_h{}", spec.form == ForwardForm::kNextClose ? "qlib" : "c2c", spec.horizon);
  if (spec.normalize == CrossSectionNorm::kZScore) name += "_cszscore";
  if (spec.normalize == CrossSectionNorm::kRank) name += "_csrank";
  return name;
}

LabelFrame ForwardReturns(const data::Panel& panel, const ForwardSpec& spec) {
  if (spec.horizon < 1) {
    throw Error(ErrorKind::kConfig, fmt::format("label.horizon: must be at least 1, got {}", spec.horizon));
  }
  const size_t field_idx = panel.FieldIndex(spec.price_field);
  const size_t date_count = panel.date_count();
  const size_t horizon = static_cast<size_t>(spec.horizon);
  // The buy bar and the sell bar, as offsets from the row's date.
  const size_t buy = spec.form == ForwardForm::kNextClose ? 1 : 0;
  const size_t sell = buy + horizon;
  std::vector<double> value(panel.instrument_count() * date_count, kNaN);
  std::vector<int32_t> t1(value.size(), 0);
  for (size_t instrument_idx = 0; instrument_idx < panel.instrument_count(); ++instrument_idx) {
    const auto price = panel.Series(field_idx, instrument_idx);
    const size_t base = instrument_idx * date_count;
    for (size_t date_idx = 0; date_idx + sell < date_count; ++date_idx) {
      if (spec.require_bar && std::isnan(price[date_idx])) continue;
      value[base + date_idx] = price[date_idx + sell] / price[date_idx + buy] - 1.0;
      t1[base + date_idx] = static_cast<int32_t>(date_idx + sell);
    }
  }
  LabelFrame frame = FrameFromGrid(ForwardLabelName(spec), panel.calendar(), panel.instruments(), value, t1);
  Normalize(frame, spec.normalize);
  return frame;
}

}  // namespace alphaloom::label
