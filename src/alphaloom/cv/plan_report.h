#pragma once
// Human- and machine-readable descriptions of a fold plan (`alphaloom cv plan`).
#include <nlohmann/json.hpp>
#include <string>

#include "alphaloom/cv/splitters.h"

namespace alphaloom::cv {

/// A table, one line per fold: train / valid / test date ranges and row counts, purged and
/// embargoed counts; for CPCV also the groups and the path assembly.
std::string PlanText(const FoldPlan& plan, const SampleIndex& index);

/// The same as JSON: {"kind", "rows", "dates", "folds": [{"name", "train": {"first", "last",
/// "rows"}, "valid": ..., "test": {"blocks": [[first, last]...], "rows"}, "purged",
/// "embargoed"}], "groups", "paths"}. Dates are "YYYY-MM-DD".
nlohmann::json PlanJson(const FoldPlan& plan, const SampleIndex& index);

}  // namespace alphaloom::cv
