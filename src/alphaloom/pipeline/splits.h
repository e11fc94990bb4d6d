#pragma once
// The cv stage's configuration: the `cv:` section of a workflow.
#include <optional>

#include "alphaloom/cv/splitters.h"
#include "alphaloom/pipeline/config_section.h"

namespace alphaloom::pipeline {

struct SplitConfig {
  cv::SplitSpec spec;
  std::optional<Date> start, end;  ///< samples outside [start, end] are left out of every fold
};

/// Reads a cv section. Keys by kind (any other key is an error):
///   kind: walk_forward | purged_kfold | cpcv | segments           (default walk_forward)
///   walk_forward: train: expanding | rolling, train_days (250), test_days (250), step_days
///                 (= test_days), embargo_days (0: dates left out before each test block),
///                 valid_days (0), first_test (date)
///   purged_kfold: folds (5), embargo_pct (0.01)
///   cpcv: groups (6), test_groups (2), embargo_pct (0.01)
///   segments: train: {start, end}, valid: {start, end} (optional), test: {start, end},
///             embargo_days (0), purge (true)
///   every kind: start, end (dates bounding the samples)
SplitConfig ReadSplitConfig(ConfigSection& section);

}  // namespace alphaloom::pipeline
