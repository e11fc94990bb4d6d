#include "alphaloom/dataset/learning_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "alphaloom/common/error.h"

namespace alphaloom::dataset {

expr::FeatureFrame GatherRows(const expr::FeatureFrame& frame, const std::vector<uint32_t>& rows) {
  std::vector<Date> dates(rows.size());
  std::vector<uint32_t> instruments(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    dates[k] = frame.date(rows[k]);
    instruments[k] = frame.instrument_index(rows[k]);
  }
  expr::FeatureFrame out(frame.columns(), frame.instruments(), std::move(dates), std::move(instruments));
  const size_t cols = frame.cols();
  const float* source = frame.matrix().data();
  float* target = out.matrix().data();
  for (size_t k = 0; k < rows.size(); ++k) {
    std::memcpy(target + k * cols, source + static_cast<size_t>(rows[k]) * cols, cols * sizeof(float));
  }
  return out;
}

LearningSet Subset(const LearningSet& set, const std::vector<uint32_t>& rows) {
  LearningSet out;
  out.features = GatherRows(set.features, rows);
  out.calendar = set.calendar;
  for (const uint32_t row : rows) {
    out.label.push_back(set.label[row]);
    if (!set.weight.empty()) out.weight.push_back(set.weight[row]);
    out.row_date.push_back(set.row_date[row]);
    out.row_t1.push_back(set.row_t1[row]);
    out.source_row.push_back(set.source_row[row]);
  }
  return out;
}

LearningSet JoinLabels(const expr::FeatureFrame& features, const label::LabelFrame& labels) {
  // Label instrument index -> feature instrument index, by name.
  std::unordered_map<std::string, uint32_t> feature_instrument;
  for (uint32_t i = 0; i < features.instruments().size(); ++i) feature_instrument[features.instruments()[i]] = i;
  std::vector<int64_t> to_feature(labels.instruments.size(), -1);
  for (size_t i = 0; i < labels.instruments.size(); ++i) {
    const auto found = feature_instrument.find(labels.instruments[i]);
    if (found != feature_instrument.end()) to_feature[i] = found->second;
  }
  // Both frames are sorted by date. For each date, the label rows are placed in a slot per
  // feature instrument, then the feature rows of that date pick theirs up.
  LearningSet set;
  set.calendar = labels.calendar;
  std::vector<uint32_t> rows;
  std::vector<int64_t> slot(features.instruments().size(), -1);
  size_t label_row = 0, row = 0;
  while (row < features.rows()) {
    const Date date = features.date(row);
    size_t row_end = row;
    while (row_end < features.rows() && features.date(row_end) == date) ++row_end;
    while (label_row < labels.rows() && labels.calendar[static_cast<size_t>(labels.row_date[label_row])] < date) {
      ++label_row;
    }
    size_t label_end = label_row;
    while (label_end < labels.rows() && labels.calendar[static_cast<size_t>(labels.row_date[label_end])] == date) {
      const int64_t instrument = to_feature[labels.row_instrument[label_end]];
      if (instrument >= 0) slot[static_cast<size_t>(instrument)] = static_cast<int64_t>(label_end);
      ++label_end;
    }
    for (size_t r = row; r < row_end; ++r) {
      const int64_t found = slot[features.instrument_index(r)];
      if (found < 0) continue;
      const auto k = static_cast<size_t>(found);
      rows.push_back(static_cast<uint32_t>(r));
      set.label.push_back(labels.value[k]);
      if (!labels.weight.empty()) set.weight.push_back(labels.weight[k]);
      set.row_date.push_back(labels.row_date[k]);
      set.row_t1.push_back(labels.row_t1[k]);
      set.source_row.push_back(r);
    }
    for (size_t k = label_row; k < label_end; ++k) {
      const int64_t instrument = to_feature[labels.row_instrument[k]];
      if (instrument >= 0) slot[static_cast<size_t>(instrument)] = -1;
    }
    label_row = label_end;
    row = row_end;
  }
  if (rows.empty()) {
    throw Error(ErrorKind::kData, fmt::format("no feature row has a label ({} feature rows, {} label rows): do the "
                                              "dates and instruments overlap?", features.rows(), labels.rows()));
  }
  set.features = GatherRows(features, rows);
  return set;
}

}  // namespace alphaloom::dataset
