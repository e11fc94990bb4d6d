#pragma once
// Features joined with a label: the rows a model learns from, and the rows it predicts.
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/expr/feature_frame.h"
#include "alphaloom/label/label_frame.h"

namespace alphaloom::dataset {

/// The feature rows that have a label (Qlib's DropnaLabel), in (date, instrument) order, with
/// the label, its span end and its weight. Row positions are those of the label's calendar, so
/// the set plugs into cv::SampleIndex directly.
struct LearningSet {
  expr::FeatureFrame features;   ///< only the labelled rows
  std::vector<double> label;
  std::vector<double> weight;    ///< empty when the labels carry none
  Calendar calendar;             ///< the label frame's calendar
  std::vector<int32_t> row_date; ///< calendar position of each row
  std::vector<int32_t> row_t1;   ///< calendar position of each row's span end
  std::vector<size_t> source_row; ///< the row of the full feature frame each row came from

  size_t rows() const { return label.size(); }
};

/// Keeps the feature rows with a label (matched on date and instrument name) and attaches
/// label, t1 and weight. Labels on rows without features are ignored (a label needs features to
/// learn from). Throws Error(kData) when no row has both.
LearningSet JoinLabels(const expr::FeatureFrame& features, const label::LabelFrame& labels);

/// The rows `rows` (ascending indices) of `set`.
LearningSet Subset(const LearningSet& set, const std::vector<uint32_t>& rows);

/// Copies `rows` (ascending indices into `frame`) into a new frame with the same columns.
expr::FeatureFrame GatherRows(const expr::FeatureFrame& frame, const std::vector<uint32_t>& rows);

}  // namespace alphaloom::dataset
