#include "alphaloom/store/tables.h"

#include <fmt/format.h>

#include "alphaloom/common/error.h"

namespace alphaloom::store {

data::Table WithNameColumn(data::Table table, std::string_view name, std::string_view value, std::string_view what) {
  const size_t rows = table.rows();
  for (auto it = table.columns.begin(); it != table.columns.end(); ++it) {
    if (it->name != name) continue;
    if (value.empty()) {
      if (it->type != data::ColumnType::kString) {
        throw Error(ErrorKind::kData, fmt::format("{}: column '{}' must hold strings", what, name));
      }
      return table;
    }
    table.columns.erase(it);
    break;
  }
  if (value.empty()) throw Error(ErrorKind::kData, fmt::format("{} needs a {} (no '{}' column)", what, name, name));
  table.columns.push_back(
      data::TableColumn::Strings(std::string(name), std::vector<std::string>(rows, std::string(value))));
  return table;
}

data::Table PredsRows(const data::Table& predictions, std::string_view model_name) {
  return WithNameColumn(predictions, "model_name", model_name, "preds");
}

void WritePredictions(SqlStore& store, const data::Table& predictions, std::string_view model_name) {
  store.Put(StoreTable::kPreds, PredsRows(predictions, model_name));
}

namespace {

std::string_view TypeWord(data::ColumnType type) {
  switch (type) {
    case data::ColumnType::kDate: return "date";
    case data::ColumnType::kString: return "string";
    case data::ColumnType::kNumber: return "number";
  }
  return "?";
}

const data::TableColumn& Require(const data::Table& table, std::string_view name, data::ColumnType type,
                                 std::string_view what) {
  const data::TableColumn* column = table.Find(name);
  if (column == nullptr && name == "datetime") column = table.Find("date");
  if (column == nullptr || column->type != type) {
    throw Error(ErrorKind::kData, fmt::format("{}: missing {} column '{}'", what, TypeWord(type), name));
  }
  return *column;
}

}  // namespace

data::Table LongFeatures(const data::Table& wide) {
  const data::TableColumn& dates = Require(wide, "datetime", data::ColumnType::kDate, "features");
  const data::TableColumn& instruments = Require(wide, "instrument", data::ColumnType::kString, "features");
  std::vector<const data::TableColumn*> features;
  for (const data::TableColumn& column : wide.columns) {
    if (column.type == data::ColumnType::kNumber) features.push_back(&column);
  }
  const size_t rows = wide.rows() * features.size();
  std::vector<Date> out_dates;
  std::vector<std::string> out_instruments, out_features;
  std::vector<double> out_values;
  out_dates.reserve(rows);
  out_instruments.reserve(rows);
  out_features.reserve(rows);
  out_values.reserve(rows);
  for (size_t row = 0; row < wide.rows(); ++row) {
    for (const data::TableColumn* feature : features) {
      out_dates.push_back(dates.dates[row]);
      out_instruments.push_back(instruments.strings[row]);
      out_features.push_back(feature->name);
      out_values.push_back(feature->numbers[row]);
    }
  }
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::move(out_dates)));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(out_instruments)));
  table.columns.push_back(data::TableColumn::Strings("feature", std::move(out_features)));
  table.columns.push_back(data::TableColumn::Numbers("value", std::move(out_values)));
  return table;
}

data::Table LongFeatures(const expr::FeatureFrame& frame) {
  const size_t rows = frame.rows() * frame.cols();
  std::vector<Date> dates;
  std::vector<std::string> instruments, features;
  std::vector<double> values;
  dates.reserve(rows);
  instruments.reserve(rows);
  features.reserve(rows);
  values.reserve(rows);
  for (size_t row = 0; row < frame.rows(); ++row) {
    for (size_t col = 0; col < frame.cols(); ++col) {
      dates.push_back(frame.date(row));
      instruments.push_back(frame.instrument(row));
      features.push_back(frame.columns()[col]);
      values.push_back(static_cast<double>(frame.At(row, col)));
    }
  }
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::move(dates)));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(instruments)));
  table.columns.push_back(data::TableColumn::Strings("feature", std::move(features)));
  table.columns.push_back(data::TableColumn::Numbers("value", std::move(values)));
  return table;
}

data::Table LabelRows(const data::Table& labels, std::string_view name) {
  data::Table table;
  table.columns.push_back(Require(labels, "datetime", data::ColumnType::kDate, "labels"));
  table.columns.back().name = "datetime";
  table.columns.push_back(Require(labels, "instrument", data::ColumnType::kString, "labels"));
  table.columns.push_back(Require(labels, "label", data::ColumnType::kNumber, "labels"));
  table.columns.back().name = "value";
  if (const data::TableColumn* t1 = labels.Find("t1"); t1 != nullptr && t1->type == data::ColumnType::kDate) {
    table.columns.push_back(*t1);
  }
  if (const data::TableColumn* weight = labels.Find("weight");
      weight != nullptr && weight->type == data::ColumnType::kNumber) {
    table.columns.push_back(*weight);
  }
  return WithNameColumn(std::move(table), "name", name, "labels");
}

data::Table TargetWeightRows(const data::Table& weights, std::string_view strategy) {
  return WithNameColumn(weights, "strategy", strategy, "target_weights");
}

}  // namespace alphaloom::store
