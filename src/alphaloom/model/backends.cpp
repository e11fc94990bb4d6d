#include <fmt/format.h>

#include <cctype>

#include "alphaloom/common/error.h"
#include "alphaloom/model/backend_support.h"
#include "alphaloom/model/lightgbm_model.h"
#include "alphaloom/model/model.h"
#include "alphaloom/model/ridge_model.h"
#include "alphaloom/model/xgboost_model.h"

namespace alphaloom::model {

const std::vector<Backend>& Backends() {
  static const std::vector<Backend> backends = {
      {"lightgbm", "LightGBM gradient-boosted trees (C API)", MakeLightGbmModel},
      {"xgboost", "XGBoost gradient-boosted trees, hist method (C API)", MakeXgBoostModel},
      {"ridge", "ridge regression on standardised features (closed form, Eigen)", MakeRidgeModel},
  };
  return backends;
}

std::unique_ptr<Model> MakeModel(const ModelSpec& spec) {
  std::string known;
  for (const Backend& backend : Backends()) {
    if (backend.name == spec.backend) {
      CheckSpecCommon(spec);
      return backend.make(spec);
    }
    known += known.empty() ? "" : ", ";
    known += backend.name;
  }
  throw Error(ErrorKind::kConfig, fmt::format("unknown model backend '{}' (known: {})", spec.backend, known));
}

void CheckParamText(std::string_view library, const std::string& name, const std::string& value) {
  const auto bad = [](const std::string& text) {
    if (text.empty()) return true;
    for (const char c : text) {
      if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)) || c == '=') {
        return true;
      }
    }
    return false;
  };
  if (bad(name)) throw Error(ErrorKind::kConfig, fmt::format("{}: bad parameter name '{}'", library, name));
  if (bad(value)) {
    throw Error(ErrorKind::kConfig,
                fmt::format("{}: parameter '{}' has value '{}'; values must be non-empty, without spaces or '='",
                            library, name, value));
  }
}

void CheckSpecCommon(const ModelSpec& spec) {
  if (spec.num_rounds < 1)
    throw Error(ErrorKind::kConfig, fmt::format("num_rounds = {}; must be >= 1", spec.num_rounds));
  if (spec.early_stopping_rounds < 0) {
    throw Error(ErrorKind::kConfig,
                fmt::format("early_stopping_rounds = {}; must be >= 0 (0: off)", spec.early_stopping_rounds));
  }
  if (spec.seed < 0) throw Error(ErrorKind::kConfig, fmt::format("seed = {}; must be >= 0", spec.seed));
  if (spec.threads < 1) throw Error(ErrorKind::kConfig, fmt::format("threads = {}; must be >= 1", spec.threads));
  if (spec.objective == Objective::kMulticlass && spec.num_class < 2) {
    throw Error(ErrorKind::kConfig, fmt::format("multiclass needs num_class >= 2, got {}", spec.num_class));
  }
  if (spec.objective != Objective::kMulticlass && spec.num_class != 0) {
    throw Error(ErrorKind::kConfig, fmt::format("num_class = {} is only for the multiclass objective, not {}",
                                                spec.num_class, ObjectiveName(spec.objective)));
  }
}

void ThrowReservedParam(std::string_view library, std::string_view name, std::string_view field) {
  throw Error(ErrorKind::kConfig,
              fmt::format("{}: parameter '{}' is set through the model spec's '{}', not params", library, name, field));
}

}  // namespace alphaloom::model
