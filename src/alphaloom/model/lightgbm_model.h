#pragma once
// The LightGBM backend (C API of the pinned LightGBM, see scripts/setup.sh).
#include <map>
#include <memory>
#include <string>

#include "alphaloom/model/model.h"

namespace alphaloom::model {

/// A LightGBM model for `spec` (spec.backend is not looked at). Throws Error(kConfig) for a
/// parameter name LightGBM does not know (checked against the library's own list of names and
/// aliases), a parameter the spec owns (objective, num_class, seed, num_threads, deterministic,
/// num_iterations, early_stopping_round, verbosity and their aliases), the same parameter given
/// twice under different aliases, or a metric list (one metric drives early stopping).
std::unique_ptr<Model> MakeLightGbmModel(const ModelSpec& spec);

/// The parameters LightGBM receives for `spec`, by canonical name: objective (regression,
/// huber, binary, multiclass), num_class, metric (the objective's default unless given: l2,
/// huber, binary_logloss, multi_logloss), seed, num_threads, deterministic=true,
/// force_row_wise=true (unless force_col_wise is given), verbosity=-1, then spec.params.
/// Validates as MakeLightGbmModel.
std::map<std::string, std::string> LightGbmParameters(const ModelSpec& spec);

/// The pinned LightGBM version ("4.6.0").
std::string LightGbmVersion();

}  // namespace alphaloom::model
