#pragma once
// Sample weights for overlapping labels (AFML ch. 4, reference/finml.md section 3).
#include <span>
#include <vector>

#include "alphaloom/data/panel.h"
#include "alphaloom/label/label_frame.h"

namespace alphaloom::label {

/// A label's span on one instrument's bar axis: bars t0..t1, both inclusive.
struct EventSpan {
  int32_t t0 = 0;
  int32_t t1 = 0;
};

/// c_t: the number of events whose closed span contains bar t, for t in [0, bar_count).
std::vector<int32_t> Concurrency(std::span<const EventSpan> events, size_t bar_count);

/// Average uniqueness of each event: the mean of 1 / c_t over its bars.
std::vector<double> AverageUniqueness(std::span<const EventSpan> events, std::span<const int32_t> concurrency);

/// Raw return attribution |sum_{t=t0..t1} l_t / c_t| with l_t = ln(close_t / close_prev), prev the
/// previous bar the instrument has; l_t0 (the move into the first bar) is included, missing bars
/// and the first bar contribute nothing. Not normalised.
std::vector<double> ReturnAttribution(std::span<const EventSpan> events, std::span<const int32_t> concurrency,
                                      std::span<const double> close);

/// Time-decay factors (AFML Snippet 4.11) for events in start order, from their uniqueness:
/// x = cumulative uniqueness, slope b = (1-c)/x_max for c >= 0 else 1/((c+1) x_max),
/// a = 1 - b x_max, d = max(0, a + b x). The newest event gets 1; c = 1 means no decay.
/// Throws Error(kConfig) unless -1 < c <= 1.
std::vector<double> TimeDecay(std::span<const double> uniqueness_in_start_order, double c);

enum class WeightScheme {
  kUniqueness,   ///< average uniqueness
  kAttribution,  ///< return attribution, normalised over the frame to sum to its row count
};

struct WeightSpec {
  WeightScheme scheme = WeightScheme::kUniqueness;
  double decay = 1;  ///< time-decay parameter c; the weight is (normalised) scheme x decay
};

/// Fills frame.weight. Concurrency, uniqueness and decay are per instrument (a label overlaps
/// only its own instrument's labels), spans on the calendar axis; attribution is normalised
/// over the whole frame. Needs close in the panel when the scheme is kAttribution; the panel's
/// calendar and instruments must be the frame's.
void ApplyWeights(LabelFrame& frame, const data::Panel& panel, const WeightSpec& spec);

}  // namespace alphaloom::label
