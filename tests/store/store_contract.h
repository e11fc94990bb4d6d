#pragma once
// Behaviour every SqlStore backend must show, as value-parameterized tests: a binary includes
// this header, defines FreshStoreUri for its backends and instantiates StoreContract with them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/store/sql_store.h"
#include "alphaloom/store/tables.h"

namespace alphaloom::store::testing {

/// A URI of an empty store of `backend` ("sqlite" or "postgres"), different on every call;
/// an empty string when the backend is unavailable (the test then skips, saying why).
std::string FreshStoreUri(const std::string& backend);

/// Why FreshStoreUri(backend) returned empty.
std::string UnavailableReason(const std::string& backend);

inline Date Day(int year, int month, int day) { return Date::FromYmd(year, month, day); }

/// A predictions table shaped like pipeline::Predict's output, plus model_name.
inline data::Table PredsTable(std::vector<std::string> instruments, std::vector<Date> dates,
                              std::vector<double> horizons, std::vector<double> yhat, std::string model = "lgb") {
  const size_t rows = instruments.size();
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::move(dates)));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(instruments)));
  table.columns.push_back(data::TableColumn::Numbers("horizon", std::move(horizons)));
  std::vector<double> yhat_std, prob_up;
  for (double value : yhat) {
    yhat_std.push_back(std::abs(value) / 10.0);
    prob_up.push_back(value > 0 ? 0.75 : 0.25);
  }
  table.columns.push_back(data::TableColumn::Numbers("yhat", std::move(yhat)));
  table.columns.push_back(data::TableColumn::Numbers("yhat_std", std::move(yhat_std)));
  table.columns.push_back(data::TableColumn::Numbers("prob_up", std::move(prob_up)));
  table.columns.push_back(data::TableColumn::Strings("model_version", std::vector<std::string>(rows, "abc123")));
  table.columns.push_back(data::TableColumn::Strings("model_name", std::vector<std::string>(rows, model)));
  return table;
}

/// Cell-by-cell equality with NaN equal to NaN and doubles compared bit for bit.
inline void ExpectSameTable(const data::Table& actual, const data::Table& expected) {
  ASSERT_EQ(actual.columns.size(), expected.columns.size());
  ASSERT_EQ(actual.rows(), expected.rows());
  for (size_t index = 0; index < actual.columns.size(); ++index) {
    const data::TableColumn& a = actual.columns[index];
    const data::TableColumn& e = expected.columns[index];
    ASSERT_EQ(a.name, e.name);
    ASSERT_EQ(a.type, e.type) << a.name;
    EXPECT_EQ(a.strings, e.strings) << a.name;
    EXPECT_EQ(a.dates, e.dates) << a.name;
    ASSERT_EQ(a.numbers.size(), e.numbers.size());
    for (size_t row = 0; row < a.numbers.size(); ++row) {
      if (std::isnan(e.numbers[row])) {
        EXPECT_TRUE(std::isnan(a.numbers[row])) << a.name << " row " << row;
      } else {
        EXPECT_EQ(a.numbers[row], e.numbers[row]) << a.name << " row " << row;
        EXPECT_EQ(std::signbit(a.numbers[row]), std::signbit(e.numbers[row])) << a.name << " row " << row;
      }
    }
  }
}

/// The Put error's message (empty when Put did not throw an Error of `kind`).
inline std::string PutError(SqlStore& store, StoreTable table, const data::Table& rows, ErrorKind kind) {
  try {
    store.Put(table, rows);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "Put did not throw";
  return {};
}

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    uri_ = FreshStoreUri(GetParam());
    if (uri_.empty()) GTEST_SKIP() << UnavailableReason(GetParam());
    store_ = OpenStore(uri_);
  }
  SqlStore& Migrated() {
    store_->Migrate();
    return *store_;
  }
  std::string uri_;
  std::unique_ptr<SqlStore> store_;
};

TEST_P(StoreContract, MigratesFromEmptyAndRerunIsANoop) {
  EXPECT_EQ(store_->SchemaVersion(), 0);
  EXPECT_TRUE(store_->Info().rows.empty());
  EXPECT_EQ(store_->Migrate(), LatestSchemaVersion());
  EXPECT_EQ(store_->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(store_->Migrate(), 0);
  EXPECT_EQ(OpenStore(uri_)->Migrate(), 0);
  const StoreInfo info = store_->Info();
  ASSERT_EQ(info.rows.size(), 4u);
  for (const auto& [name, rows] : info.rows) EXPECT_EQ(rows, 0) << name;
}

TEST_P(StoreContract, PutBeforeMigrateSaysToMigrate) {
  const std::string message =
      PutError(*store_, StoreTable::kPreds, PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.5}), ErrorKind::kData);
  EXPECT_NE(message.find("store migrate"), std::string::npos) << message;
}

TEST_P(StoreContract, UpsertTwiceGivesTheSameRows) {
  SqlStore& store = Migrated();
  const data::Table rows = PredsTable({"B", "A", "A"}, {Day(2020, 1, 2), Day(2020, 1, 2), Day(2020, 1, 3)},
                                      {1, 1, 5}, {0.25, -0.5, 1e-3});
  store.Put(StoreTable::kPreds, rows);
  const data::Table first = store.Get(StoreTable::kPreds, {});
  store.Put(StoreTable::kPreds, rows);
  const data::Table second = store.Get(StoreTable::kPreds, {});
  ExpectSameTable(second, first);
  ASSERT_EQ(first.rows(), 3u);
  // Ordered by date, then instrument.
  EXPECT_EQ(first.Find("instrument")->strings, (std::vector<std::string>{"A", "B", "A"}));
  EXPECT_EQ(first.Find("yhat")->numbers, (std::vector<double>{-0.5, 0.25, 1e-3}));
  EXPECT_EQ(first.Find("horizon")->numbers, (std::vector<double>{1, 1, 5}));
  EXPECT_EQ(first.Find("model_version")->strings, (std::vector<std::string>(3, "abc123")));
}

TEST_P(StoreContract, ConflictUpdatesValuesAndAddsNewKeys) {
  SqlStore& store = Migrated();
  store.Put(StoreTable::kPreds, PredsTable({"A", "B"}, {Day(2020, 1, 2), Day(2020, 1, 2)}, {1, 1}, {0.1, 0.2}, "old"));
  store.Put(StoreTable::kPreds, PredsTable({"B", "C"}, {Day(2020, 1, 2), Day(2020, 1, 2)}, {1, 1}, {0.9, 0.3}, "new"));
  const data::Table rows = store.Get(StoreTable::kPreds, {});
  EXPECT_EQ(rows.Find("instrument")->strings, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(rows.Find("yhat")->numbers, (std::vector<double>{0.1, 0.9, 0.3}));
  EXPECT_EQ(rows.Find("model_name")->strings, (std::vector<std::string>{"old", "new", "new"}));
  EXPECT_EQ(store.Info().rows[2], (std::pair<std::string, int64_t>("preds", 3)));
}

TEST_P(StoreContract, InjectionStringIsStoredVerbatim) {
  SqlStore& store = Migrated();
  const std::string evil = "x'); DROP TABLE preds;--";
  const std::string quoted = "O\"Brien\\' ; DELETE FROM preds WHERE ''='";
  store.Put(StoreTable::kPreds, PredsTable({evil, quoted}, {Day(2021, 6, 1), Day(2021, 6, 1)}, {1, 1}, {1, 2}, evil));
  StoreQuery query;
  query.instrument = evil;
  const data::Table rows = store.Get(StoreTable::kPreds, query);
  ASSERT_EQ(rows.rows(), 1u);
  EXPECT_EQ(rows.Find("instrument")->strings[0], evil);
  EXPECT_EQ(rows.Find("model_name")->strings[0], evil);
  query.instrument = quoted;
  EXPECT_EQ(store.Get(StoreTable::kPreds, query).Find("yhat")->numbers, std::vector<double>{2});
  EXPECT_EQ(store.Info().rows[2].second, 2);
  data::Table weights;
  weights.columns.push_back(data::TableColumn::Dates("datetime", {Day(2021, 6, 1)}));
  weights.columns.push_back(data::TableColumn::Strings("instrument", {evil}));
  weights.columns.push_back(data::TableColumn::Numbers("weight", {0.5}));
  store.Put(StoreTable::kTargetWeights, TargetWeightRows(weights, "'; DROP TABLE target_weights;--"));
  EXPECT_EQ(store.Get(StoreTable::kTargetWeights, {}).Find("strategy")->strings[0], "'; DROP TABLE target_weights;--");
}

TEST_P(StoreContract, NanIsNullAndInfinityIsRejected) {
  SqlStore& store = Migrated();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  data::Table rows = PredsTable({"A", "B"}, {Day(2020, 1, 2), Day(2020, 1, 2)}, {1, 1}, {nan, -0.0});
  rows.columns.erase(rows.columns.begin() + 4);  // no yhat_std column: NULL
  store.Put(StoreTable::kPreds, rows);
  const data::Table back = store.Get(StoreTable::kPreds, {});
  EXPECT_TRUE(std::isnan(back.Find("yhat")->numbers[0]));
  EXPECT_EQ(back.Find("yhat")->numbers[1], 0.0);
  EXPECT_FALSE(std::signbit(back.Find("yhat")->numbers[1]));
  EXPECT_TRUE(std::isnan(back.Find("yhat_std")->numbers[0]));
  EXPECT_TRUE(std::isnan(back.Find("yhat_std")->numbers[1]));

  const data::Table bad = PredsTable({"C", "D"}, {Day(2020, 1, 3), Day(2020, 1, 3)}, {1, 1},
                                     {1.0, std::numeric_limits<double>::infinity()});
  const std::string message = PutError(store, StoreTable::kPreds, bad, ErrorKind::kData);
  EXPECT_NE(message.find("row 2"), std::string::npos) << message;
  EXPECT_NE(message.find("'D'"), std::string::npos) << message;
  EXPECT_NE(message.find("2020-01-03"), std::string::npos) << message;
  EXPECT_NE(message.find("yhat is infinite"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(store.Get(StoreTable::kPreds, {}).rows(), 2u) << "a rejected batch writes nothing";

  const std::string fractional =
      PutError(store, StoreTable::kPreds, PredsTable({"E"}, {Day(2020, 1, 3)}, {1.5}, {1}), ErrorKind::kData);
  EXPECT_NE(fractional.find("horizon is 1.5, not a whole number"), std::string::npos) << fractional;
}

TEST_P(StoreContract, UnicodeTickersRoundTrip) {
  SqlStore& store = Migrated();
  const std::vector<std::string> tickers = {"トヨタ自動車", "Ölß.DE", "🚀MOON", "שלום", "A"};
  store.Put(StoreTable::kPreds,
            PredsTable(tickers, std::vector<Date>(5, Day(2022, 3, 4)), {1, 1, 1, 1, 1}, {1, 2, 3, 4, 5}));
  const data::Table back = store.Get(StoreTable::kPreds, {});
  // Byte order of UTF-8 = code point order, on both backends.
  EXPECT_EQ(back.Find("instrument")->strings,
            (std::vector<std::string>{"A", "Ölß.DE", "שלום", "トヨタ自動車", "🚀MOON"}));
  StoreQuery query;
  query.instrument = "🚀MOON";
  EXPECT_EQ(store.Get(StoreTable::kPreds, query).Find("yhat")->numbers, std::vector<double>{3});

  const std::string invalid = PutError(
      store, StoreTable::kPreds, PredsTable({std::string("bad\xff")}, {Day(2022, 3, 4)}, {1}, {1}), ErrorKind::kData);
  EXPECT_NE(invalid.find("not valid UTF-8"), std::string::npos) << invalid;
  const std::string nul = PutError(store, StoreTable::kPreds,
                                   PredsTable({std::string("a\0b", 3)}, {Day(2022, 3, 4)}, {1}, {1}), ErrorKind::kData);
  EXPECT_NE(nul.find("NUL"), std::string::npos) << nul;
}

TEST_P(StoreContract, DuplicateKeyInOneBatchIsRejected) {
  SqlStore& store = Migrated();
  const std::string message = PutError(
      store, StoreTable::kPreds, PredsTable({"A", "A"}, {Day(2020, 1, 2), Day(2020, 1, 2)}, {1, 1}, {1, 2}),
      ErrorKind::kData);
  EXPECT_NE(message.find("appears twice"), std::string::npos) << message;
  EXPECT_NE(message.find("row 2"), std::string::npos) << message;
  store.Put(StoreTable::kPreds, PredsTable({"A", "A"}, {Day(2020, 1, 2), Day(2020, 1, 2)}, {1, 5}, {1, 2}));
}

TEST_P(StoreContract, ReadsByDateRangeAndInstrument) {
  SqlStore& store = Migrated();
  store.Put(StoreTable::kPreds,
            PredsTable({"A", "B", "A", "B", "A"},
                       {Day(2020, 1, 2), Day(2020, 1, 2), Day(2020, 1, 3), Day(2020, 1, 6), Day(2020, 1, 7)},
                       {1, 1, 1, 1, 1}, {1, 2, 3, 4, 5}));
  StoreQuery query;
  query.start = Day(2020, 1, 3);
  query.end = Day(2020, 1, 6);
  EXPECT_EQ(store.Get(StoreTable::kPreds, query).Find("yhat")->numbers, (std::vector<double>{3, 4}));
  query.instrument = "A";
  EXPECT_EQ(store.Get(StoreTable::kPreds, query).Find("yhat")->numbers, (std::vector<double>{3}));
  query.start.reset();
  EXPECT_EQ(store.Get(StoreTable::kPreds, query).Find("datetime")->dates,
            (std::vector<Date>{Day(2020, 1, 2), Day(2020, 1, 3)}));
  query.instrument = "Z";
  EXPECT_EQ(store.Get(StoreTable::kPreds, query).rows(), 0u);
}

TEST_P(StoreContract, TargetWeightsForADate) {
  SqlStore& store = Migrated();
  data::Table weights;
  weights.columns.push_back(data::TableColumn::Dates("datetime", {Day(2020, 1, 2), Day(2020, 1, 2), Day(2020, 1, 3)}));
  weights.columns.push_back(data::TableColumn::Strings("instrument", {"A", "B", "A"}));
  weights.columns.push_back(data::TableColumn::Numbers("weight", {0.6, 0.4, 1.0}));
  weights.columns.push_back(data::TableColumn::Numbers("alpha_score", {2.0, std::nan(""), 1.5}));
  store.Put(StoreTable::kTargetWeights, TargetWeightRows(weights, "hybrid"));
  store.Put(StoreTable::kTargetWeights, TargetWeightRows(weights, "topk"));
  StoreQuery day;
  day.start = day.end = Day(2020, 1, 2);
  const data::Table back = store.Get(StoreTable::kTargetWeights, day);
  EXPECT_EQ(back.Find("instrument")->strings, (std::vector<std::string>{"A", "A", "B", "B"}));
  EXPECT_EQ(back.Find("strategy")->strings, (std::vector<std::string>{"hybrid", "topk", "hybrid", "topk"}));
  EXPECT_EQ(back.Find("weight")->numbers, (std::vector<double>{0.6, 0.6, 0.4, 0.4}));
  EXPECT_TRUE(std::isnan(back.Find("alpha_score")->numbers[2]));
}

TEST_P(StoreContract, LabelsAndWideFeatures) {
  SqlStore& store = Migrated();
  data::Table labels;
  labels.columns.push_back(data::TableColumn::Dates("datetime", {Day(2020, 1, 2), Day(2020, 1, 2)}));
  labels.columns.push_back(data::TableColumn::Strings("instrument", {"A", "B"}));
  labels.columns.push_back(data::TableColumn::Numbers("label", {0.01, -0.02}));
  labels.columns.push_back(data::TableColumn::Dates("t1", {Day(2020, 1, 9), Day(2020, 1, 8)}));
  store.Put(StoreTable::kLabels, LabelRows(labels, "fwd_5"));
  const data::Table label_back = store.Get(StoreTable::kLabels, {});
  EXPECT_EQ(label_back.Find("name")->strings, (std::vector<std::string>{"fwd_5", "fwd_5"}));
  EXPECT_EQ(label_back.Find("value")->numbers, (std::vector<double>{0.01, -0.02}));
  EXPECT_EQ(label_back.Find("t1")->dates, (std::vector<Date>{Day(2020, 1, 9), Day(2020, 1, 8)}));
  EXPECT_TRUE(std::isnan(label_back.Find("weight")->numbers[0]));

  data::Table wide;
  wide.columns.push_back(data::TableColumn::Dates("datetime", {Day(2020, 1, 2), Day(2020, 1, 2)}));
  wide.columns.push_back(data::TableColumn::Strings("instrument", {"B", "A"}));
  wide.columns.push_back(data::TableColumn::Numbers("MA5", {1.5, 2.5}));
  wide.columns.push_back(data::TableColumn::Numbers("KMID", {std::nan(""), -1.0}));
  store.Put(StoreTable::kFeatures, LongFeatures(wide));
  const data::Table features = store.Get(StoreTable::kFeatures, {});
  EXPECT_EQ(features.Find("instrument")->strings, (std::vector<std::string>{"A", "A", "B", "B"}));
  EXPECT_EQ(features.Find("feature")->strings, (std::vector<std::string>{"KMID", "MA5", "KMID", "MA5"}));
  EXPECT_EQ(features.Find("value")->numbers[1], 2.5);
  EXPECT_TRUE(std::isnan(features.Find("value")->numbers[2]));
}

TEST_P(StoreContract, WritesPredictOutputInOneCall) {
  SqlStore& store = Migrated();
  data::Table predict = PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.3});
  predict.columns.pop_back();  // Predict's table has no model_name
  WritePredictions(store, predict, "lightgbm_alpha158");
  EXPECT_EQ(store.Get(StoreTable::kPreds, {}).Find("model_name")->strings,
            std::vector<std::string>{"lightgbm_alpha158"});
  EXPECT_THROW(WritePredictions(store, predict, ""), Error);
}

TEST_P(StoreContract, MissingColumnIsNamed) {
  SqlStore& store = Migrated();
  data::Table rows = PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.3});
  rows.columns.erase(rows.columns.begin() + 3);
  const std::string message = PutError(store, StoreTable::kPreds, rows, ErrorKind::kData);
  EXPECT_NE(message.find("missing column 'yhat'"), std::string::npos) << message;
}

}  // namespace alphaloom::store::testing
