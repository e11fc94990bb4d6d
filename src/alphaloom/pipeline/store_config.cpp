#include "alphaloom/pipeline/store_config.h"

#include <fmt/format.h>

#include "alphaloom/common/error.h"

namespace alphaloom::pipeline {

bool StoreConfig::Writes(store::StoreTable table) const {
  switch (table) {
    case store::StoreTable::kFeatures: return features;
    case store::StoreTable::kLabels: return labels;
    case store::StoreTable::kPreds: return preds;
    case store::StoreTable::kTargetWeights: return target_weights;
  }
  return false;
}

StoreConfig ReadStoreConfig(ConfigSection& section) {
  StoreConfig config;
  config.uri = section.String("uri");
  if (!config.uri.empty()) {
    try {
      store::ParseStoreUri(config.uri);
    } catch (const Error& error) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where("uri"), error.what()));
    }
  }
  config.preds = config.target_weights = config.features = config.labels = false;
  for (const std::string& name : section.Names("tables")) {
    const std::optional<store::StoreTable> table = store::FindTable(name);
    if (!table) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: unknown table '{}' (features, labels, preds, target_weights)",
                                                  section.Where("tables"), name));
    }
    switch (*table) {
      case store::StoreTable::kFeatures: config.features = true; break;
      case store::StoreTable::kLabels: config.labels = true; break;
      case store::StoreTable::kPreds: config.preds = true; break;
      case store::StoreTable::kTargetWeights: config.target_weights = true; break;
    }
  }
  config.model_name = section.String("model_name");
  section.RejectUnknownKeys();
  return config;
}

}  // namespace alphaloom::pipeline
