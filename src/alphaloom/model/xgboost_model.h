#pragma once
// The XGBoost backend (C API of Debian's libxgboost, the version the Python package is pinned to).
#include <map>
#include <memory>
#include <string>

#include "alphaloom/model/model.h"

namespace alphaloom::model {

/// An XGBoost model for `spec` (spec.backend is not looked at). Throws Error(kConfig) for a
/// parameter the spec owns (objective, num_class, seed, random_state, nthread, n_jobs,
/// verbosity, validate_parameters) or one given twice under two names (eta / learning_rate,
/// gamma / min_split_loss, lambda / reg_lambda, alpha / reg_alpha). Parameter names XGBoost does
/// not use are an Error(kConfig) naming them, raised by Fit: XGBoost only judges them once it
/// configures a booster, and the warning it then writes ("Parameters: { ... } are not used") is
/// captured and turned into the error.
std::unique_ptr<Model> MakeXgBoostModel(const ModelSpec& spec);

/// The parameters XGBoost receives for `spec` (set in name order): objective
/// (reg:squarederror, reg:pseudohubererror, binary:logistic, multi:softprob), num_class,
/// eval_metric (the objective's default unless given: rmse, mphe, logloss, mlogloss), seed,
/// nthread, tree_method=hist (unless given), verbosity=1, validate_parameters=1, then
/// spec.params. Validates as MakeXgBoostModel.
std::map<std::string, std::string> XgBoostParameters(const ModelSpec& spec);

/// The linked XGBoost version ("1.7.4").
std::string XgBoostVersion();

}  // namespace alphaloom::model
