#pragma once
// The shapes other stages produce, turned into the rows of a store table, so that writing what
// `alphaloom predict`, `features`, `label` or a strategy made is one call.
#include <string_view>

#include "alphaloom/data/table_io.h"
#include "alphaloom/expr/feature_frame.h"
#include "alphaloom/store/sql_store.h"

namespace alphaloom::store {

/// `table` with a string column `name` set to `value` on every row (replacing a column of that
/// name). An empty `value` keeps an existing column and throws Error(kData) ("`what` needs
/// ...") when there is none.
data::Table WithNameColumn(data::Table table, std::string_view name, std::string_view value, std::string_view what);

/// The rows of `preds` from the table pipeline::Predict returns (datetime, instrument, horizon,
/// yhat, yhat_std, prob_up, model_version), labelled with `model_name` (see WithNameColumn).
data::Table PredsRows(const data::Table& predictions, std::string_view model_name);

/// Writes the table pipeline::Predict returns into `preds` (PredsRows, then Put): one upsert.
void WritePredictions(SqlStore& store, const data::Table& predictions, std::string_view model_name);

/// Long `features` rows (datetime, instrument, feature, value) from a wide table: datetime,
/// instrument and one number column per feature (what `alphaloom features` writes). String and
/// other date columns are ignored. Rows come out date-major as in `wide`, features in column
/// order; NaN values are kept (stored as NULL).
data::Table LongFeatures(const data::Table& wide);
/// The same from a feature frame (float32 values widened to double).
data::Table LongFeatures(const expr::FeatureFrame& frame);

/// `labels` rows (datetime, instrument, name, value, t1, weight) from a label file's table
/// (datetime, instrument, label, t1[, weight]), the label named `name` (e.g. "fwd_1").
data::Table LabelRows(const data::Table& labels, std::string_view name);

/// `target_weights` rows from a table of datetime, instrument, weight[, alpha_score], for
/// strategy `strategy` (see WithNameColumn).
data::Table TargetWeightRows(const data::Table& weights, std::string_view strategy);

}  // namespace alphaloom::store
