#pragma once
// The `store:` section of a workflow: where predictions, target weights, features and labels are
// written (store/sql_store.h).
#include <string>

#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/store/sql_store.h"

namespace alphaloom::pipeline {

struct StoreConfig {
  std::string uri;  ///< empty: no store (the section is absent or has no uri)
  bool preds = true;
  bool target_weights = true;
  bool features = false;
  bool labels = false;
  std::string model_name;  ///< preds.model_name; empty: the workflow's model name

  bool enabled() const { return !uri.empty(); }
  /// True when the workflow should write `table`.
  bool Writes(store::StoreTable table) const;
};

/// Reads a store section (uri, tables, model_name: the `store` rows of the workflow key table).
/// The URI is parsed here, so a bad one fails with the file and line before any stage runs.
/// Throws Error(kConfig) "file:line: store.key: ..." for a bad URI, an unknown table or key.
StoreConfig ReadStoreConfig(ConfigSection& section);

}  // namespace alphaloom::pipeline
