#pragma once
// The feature stage: factor sets and extra expressions evaluated over a store.
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/expr/feature_frame.h"
#include "alphaloom/factors/factor_set.h"
#include "alphaloom/pipeline/config_section.h"

namespace alphaloom::pipeline {

/// Reads a factors section: `sets` (a list or comma-separated names of built-in sets or files
/// of NAME = expression lines) and `extra` (a mapping NAME: expression); defaults in the
/// workflow key table.
factors::FactorSet ReadFactorConfig(ConfigSection& section);

/// A stable hash of the factor names and expressions (for model metadata).
std::string FactorSetHash(const factors::FactorSet& set);

/// Evaluates `set` for `instruments`, output rows dated in [start, end]. The whole history up
/// to `end` is loaded so windows at `start` are as full as the data allows. A field no
/// instrument has is Error(kNotFound) naming it, except vwap (a source may lack it: as in Qlib,
/// the features reading it are NaN, with a warning).
expr::FeatureFrame ComputeFeatures(const data::QlibStore& store, std::span<const std::string> instruments,
                                   const factors::FactorSet& set, ThreadPool& pool,
                                   std::optional<Date> start = std::nullopt, std::optional<Date> end = std::nullopt);

}  // namespace alphaloom::pipeline
