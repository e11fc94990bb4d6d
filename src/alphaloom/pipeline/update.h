#pragma once
// `alphaloom update`: the daily step of a workflow. New bars are ingested, the production model
// predicts one date, the strategy turns the predictions into target weights, and both are
// upserted into the SQL store, so rerunning a date changes nothing.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/table_io.h"

namespace alphaloom::pipeline {

struct UpdateRequest {
  std::filesystem::path workflow;       ///< the workflow YAML
  std::vector<std::string> overrides;   ///< --set key.path=value
  std::optional<Date> date;             ///< default: the store's last trading date (after ingest)
  /// A model directory or models:/NAME@ALIAS | models:/NAME/VERSION; default
  /// models:/<tracking.register_as>@production.
  std::string model;
};

struct UpdateOutcome {
  Date date;
  std::string model;          ///< what was resolved, e.g. models:/quickstart_lgb@production
  std::string model_version;  ///< the ensemble's version (predict's model_version)
  size_t predictions = 0;     ///< rows upserted into preds
  size_t weights = 0;         ///< rows upserted into target_weights
};

/// Features for `date` are computed by the same code as the batch run, from the whole history up
/// to `date` (time-series operators such as EMA remember all of it), so they equal the batch
/// values bit for bit. Strategies: hybrid (the strategy layer's weights for the date) and
/// topk_dropout (the TopK-dropout rule applied to the holdings of the strategy's latest earlier
/// target weights in the store, the new book equally weighted at risk_degree). Errors: Error(kConfig)
/// when the workflow has no store, no model to use, or a quantile strategy; Error(kNotFound) for
/// an unset alias or a date without features; the store's and tracker's errors.
UpdateOutcome RunDailyUpdate(const UpdateRequest& request, ThreadPool& pool);

/// The TopK-dropout decision for one day as target weights (datetime, instrument, weight,
/// alpha_score = the score): `held` are the current holdings. Qlib's rule (reference/qlib.md
/// section 6.2): candidates are the best topk + n_drop - |held| names not held; of the held and
/// the candidates ranked together, held names among the last n_drop are sold; candidates are bought
/// until the book is back to topk. Each name in the new book gets risk_degree / book size.
data::Table TopkTargetWeights(const data::Table& predictions, const std::vector<std::string>& held, int topk,
                              int n_drop, double risk_degree);

}  // namespace alphaloom::pipeline
