#pragma once
// The label stage: the `label:` section of a workflow (or the `alphaloom label` flags) and the
// computation of the labels it asks for over a store.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/label/forward.h"
#include "alphaloom/label/label_frame.h"
#include "alphaloom/label/states.h"
#include "alphaloom/label/triple_barrier.h"
#include "alphaloom/label/weights.h"
#include "alphaloom/pipeline/config_section.h"

namespace alphaloom::pipeline {

enum class LabelKind { kForward, kStates, kTripleBarrier, kMeta };

struct LabelConfig {
  LabelKind kind = LabelKind::kForward;
  label::ForwardSpec forward;        ///< forward and states (its horizon is horizons[0])
  /// One label per horizon (forward, states); triple_barrier and meta: {vertical_bars}.
  std::vector<int> horizons = {1};
  label::StateSpec states;           ///< states
  label::TripleBarrierSpec barrier;  ///< triple_barrier and meta
  std::string side;                  ///< expression giving the side (+1/-1, 0 = no trade); required for meta
  std::optional<label::WeightSpec> weights;
};

/// Reads a label section: kind (forward | states | triple_barrier | meta) decides which keys
/// apply; keys, defaults and checks are the `label` rows of the workflow key table
/// (`alphaloom config --describe label`). Beyond them: states take no normalize, meta needs a
/// side, thresholds must be strictly increasing.
LabelConfig ReadLabelConfig(ConfigSection& section);

/// Computes the labels of `instruments` over the whole store calendar up to `end`, one frame per
/// configured horizon (in config order), with weights when configured. Loads close (and high,
/// low for ATR, and the side expression's fields).
std::vector<label::LabelFrame> ComputeLabels(const data::QlibStore& store, std::span<const std::string> instruments,
                                             const LabelConfig& config, ThreadPool& pool,
                                             std::optional<Date> end = std::nullopt);

/// Keeps the rows dated in [start, end] (either bound optional); t1 may lie beyond `end`.
void RestrictDates(label::LabelFrame& frame, std::optional<Date> start, std::optional<Date> end);

}  // namespace alphaloom::pipeline
