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

/// Reads a cv section: kind (walk_forward | purged_kfold | cpcv | segments) decides which keys
/// apply; keys, defaults and checks are the `cv` rows of the workflow key table
/// (`alphaloom config --describe cv`). Rules that need the samples (folds, groups) are checked
/// by the splitters.
SplitConfig ReadSplitConfig(ConfigSection& section);

}  // namespace alphaloom::pipeline
