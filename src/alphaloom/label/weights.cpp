#include "alphaloom/label/weights.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "alphaloom/common/error.h"

namespace alphaloom::label {

std::vector<int32_t> Concurrency(std::span<const EventSpan> events, size_t bar_count) {
  // Difference array: +1 where a span opens, -1 after it closes; one prefix sum gives c_t.
  std::vector<int32_t> delta(bar_count + 1, 0);
  for (const EventSpan& event : events) {
    Check(event.t0 >= 0 && event.t0 <= event.t1 && static_cast<size_t>(event.t1) < bar_count, "event span inside the bars");
    ++delta[static_cast<size_t>(event.t0)];
    --delta[static_cast<size_t>(event.t1) + 1];
  }
  std::vector<int32_t> concurrency(bar_count);
  int32_t running = 0;
  for (size_t t = 0; t < bar_count; ++t) {
    running += delta[t];
    concurrency[t] = running;
  }
  return concurrency;
}

std::vector<double> AverageUniqueness(std::span<const EventSpan> events, std::span<const int32_t> concurrency) {
  // Prefix sums of 1/c_t make each event's mean O(1).
  std::vector<double> inverse_prefix(concurrency.size() + 1, 0.0);
  for (size_t t = 0; t < concurrency.size(); ++t) {
    inverse_prefix[t + 1] = inverse_prefix[t] + (concurrency[t] > 0 ? 1.0 / concurrency[t] : 0.0);
  }
  std::vector<double> uniqueness(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const auto t0 = static_cast<size_t>(events[i].t0), t1 = static_cast<size_t>(events[i].t1);
    uniqueness[i] = (inverse_prefix[t1 + 1] - inverse_prefix[t0]) / static_cast<double>(t1 - t0 + 1);
  }
  return uniqueness;
}

std::vector<double> ReturnAttribution(std::span<const EventSpan> events, std::span<const int32_t> concurrency,
                                      std::span<const double> close) {
  Check(close.size() == concurrency.size(), "one close per bar");
  std::vector<double> prefix(close.size() + 1, 0.0);
  double previous = std::numeric_limits<double>::quiet_NaN();
  for (size_t t = 0; t < close.size(); ++t) {
    double term = 0;
    if (!std::isnan(close[t])) {
      if (!std::isnan(previous) && concurrency[t] > 0) term = std::log(close[t] / previous) / concurrency[t];
      previous = close[t];
    }
    prefix[t + 1] = prefix[t] + term;
  }
  std::vector<double> attribution(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    attribution[i] = std::abs(prefix[static_cast<size_t>(events[i].t1) + 1] - prefix[static_cast<size_t>(events[i].t0)]);
  }
  return attribution;
}

std::vector<double> TimeDecay(std::span<const double> uniqueness_in_start_order, double c) {
  if (!(c > -1 && c <= 1)) {
    throw Error(ErrorKind::kConfig, fmt::format("label.decay: must be in (-1, 1], got {}", c));
  }
  std::vector<double> decay(uniqueness_in_start_order.size());
  std::partial_sum(uniqueness_in_start_order.begin(), uniqueness_in_start_order.end(), decay.begin());
  if (decay.empty()) return decay;
  const double x_max = decay.back();
  if (!(x_max > 0)) {
    std::fill(decay.begin(), decay.end(), 1.0);
    return decay;
  }
  const double slope = c >= 0 ? (1.0 - c) / x_max : 1.0 / ((c + 1.0) * x_max);
  const double intercept = 1.0 - slope * x_max;
  for (double& x : decay) x = std::max(0.0, intercept + slope * x);
  return decay;
}

void ApplyWeights(LabelFrame& frame, const data::Panel& panel, const WeightSpec& spec) {
  Check(panel.calendar().dates() == frame.calendar.dates(), "weights: the panel's calendar is the frame's");
  Check(panel.instruments() == frame.instruments, "weights: the panel's instruments are the frame's");
  const size_t bar_count = frame.calendar.size();
  const bool attribution = spec.scheme == WeightScheme::kAttribution;
  const size_t close_idx = attribution ? panel.FieldIndex("close") : 0;
  // Rows per instrument, in start order (the frame is sorted by date).
  std::vector<std::vector<size_t>> rows_of(frame.instruments.size());
  for (size_t row = 0; row < frame.rows(); ++row) rows_of[frame.row_instrument[row]].push_back(row);
  frame.weight.assign(frame.rows(), 0.0);
  std::vector<double> decay_of(frame.rows(), 1.0);
  for (size_t instrument_idx = 0; instrument_idx < rows_of.size(); ++instrument_idx) {
    const auto& rows = rows_of[instrument_idx];
    if (rows.empty()) continue;
    std::vector<EventSpan> events(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) events[i] = {frame.row_date[rows[i]], frame.row_t1[rows[i]]};
    const std::vector<int32_t> concurrency = Concurrency(events, bar_count);
    const std::vector<double> uniqueness = AverageUniqueness(events, concurrency);
    const std::vector<double> base =
        attribution ? ReturnAttribution(events, concurrency, panel.Series(close_idx, instrument_idx)) : uniqueness;
    const std::vector<double> decay = TimeDecay(uniqueness, spec.decay);
    for (size_t i = 0; i < rows.size(); ++i) {
      frame.weight[rows[i]] = base[i];
      decay_of[rows[i]] = decay[i];
    }
  }
  if (attribution) {
    const double total = std::accumulate(frame.weight.begin(), frame.weight.end(), 0.0);
    const double scale = total > 0 ? static_cast<double>(frame.rows()) / total : 0.0;
    for (double& w : frame.weight) w *= scale;
  }
  // The decay multiplies the normalised weights, so with decay the sum falls below the row count.
  for (size_t row = 0; row < frame.rows(); ++row) frame.weight[row] *= decay_of[row];
}

}  // namespace alphaloom::label
