#include "alphaloom/store/schema.h"

#include <array>

namespace alphaloom::store {
namespace {

const std::array<TableSpec, 4>& Specs() {
  static const std::array<TableSpec, 4> specs = {{
      {StoreTable::kFeatures,
       "features",
       {{"instrument", SqlType::kText, true},
        {"date", SqlType::kDate, true},
        {"feature", SqlType::kText, true},
        {"value", SqlType::kReal}}},
      {StoreTable::kLabels,
       "labels",
       {{"instrument", SqlType::kText, true},
        {"date", SqlType::kDate, true},
        {"name", SqlType::kText, true},
        {"value", SqlType::kReal},
        {"t1", SqlType::kDate, false, false},
        {"weight", SqlType::kReal, false, false}}},
      {StoreTable::kPreds,
       "preds",
       {{"instrument", SqlType::kText, true},
        {"date", SqlType::kDate, true},
        {"horizon", SqlType::kInteger, true},
        {"yhat", SqlType::kReal},
        {"yhat_std", SqlType::kReal, false, false},
        {"prob_up", SqlType::kReal, false, false},
        {"model_name", SqlType::kText},
        {"model_version", SqlType::kText}}},
      {StoreTable::kTargetWeights,
       "target_weights",
       {{"instrument", SqlType::kText, true},
        {"date", SqlType::kDate, true},
        {"strategy", SqlType::kText, true},
        {"weight", SqlType::kReal},
        {"alpha_score", SqlType::kReal, false, false}}},
  }};
  return specs;
}

constexpr std::array<StoreTable, 4> kAllTables = {StoreTable::kFeatures, StoreTable::kLabels, StoreTable::kPreds,
                                                  StoreTable::kTargetWeights};

// Migration text is frozen once released: a later schema change is a new migration, never an
// edit here. {DATE} and {REAL} stand for the dialect's types; {CLUSTERED} makes a SQLite table
// a WITHOUT ROWID table, stored in primary-key order (one b-tree per table instead of two);
// {KEY_TEXT} gives PostgreSQL key text the "C" collation: byte order whatever the server's locale
// (the order SQLite uses), and byte comparisons in the key index instead of locale ones.
struct MigrationText {
  int version;
  std::string_view description;
  std::vector<std::string_view> statements;
};

const std::vector<MigrationText>& MigrationTexts() {
  static const std::vector<MigrationText> texts = {
      {1,
       "features, labels, preds and target_weights tables",
       {"CREATE TABLE features (instrument {KEY_TEXT} NOT NULL, date {DATE} NOT NULL, feature {KEY_TEXT} NOT NULL, "
        "value {REAL}, PRIMARY KEY (instrument, date, feature)){CLUSTERED}",
        "CREATE TABLE labels (instrument {KEY_TEXT} NOT NULL, date {DATE} NOT NULL, name {KEY_TEXT} NOT NULL, value {REAL}, "
        "t1 {DATE}, weight {REAL}, PRIMARY KEY (instrument, date, name)){CLUSTERED}",
        "CREATE TABLE preds (instrument {KEY_TEXT} NOT NULL, date {DATE} NOT NULL, horizon INTEGER NOT NULL, "
        "yhat {REAL}, yhat_std {REAL}, prob_up {REAL}, model_name {KEY_TEXT} NOT NULL, model_version TEXT NOT NULL, "
        "PRIMARY KEY (instrument, date, horizon)){CLUSTERED}",
        "CREATE TABLE target_weights (instrument {KEY_TEXT} NOT NULL, date {DATE} NOT NULL, strategy {KEY_TEXT} NOT NULL, "
        "weight {REAL}, alpha_score {REAL}, PRIMARY KEY (instrument, date, strategy)){CLUSTERED}"}},
      {2,
       "date indexes for reads by date range",
       {"CREATE INDEX features_date ON features (date)", "CREATE INDEX labels_date ON labels (date)",
        "CREATE INDEX preds_date ON preds (date)", "CREATE INDEX target_weights_date ON target_weights (date)"}},
  };
  return texts;
}

std::string Substitute(std::string_view text, Dialect dialect) {
  std::string out(text);
  const auto replace = [&out](std::string_view token, std::string_view with) {
    for (size_t at = out.find(token); at != std::string::npos; at = out.find(token, at + with.size())) {
      out.replace(at, token.size(), with);
    }
  };
  replace("{DATE}", dialect == Dialect::kPostgres ? "DATE" : "TEXT");
  replace("{REAL}", dialect == Dialect::kPostgres ? "DOUBLE PRECISION" : "REAL");
  replace("{KEY_TEXT}", dialect == Dialect::kPostgres ? "TEXT COLLATE \"C\"" : "TEXT");
  replace("{CLUSTERED}", dialect == Dialect::kPostgres ? "" : " WITHOUT ROWID");
  return out;
}

}  // namespace

const TableSpec& Spec(StoreTable table) { return Specs()[static_cast<size_t>(table)]; }

std::span<const StoreTable> AllTables() { return kAllTables; }

std::optional<StoreTable> FindTable(std::string_view name) {
  for (const TableSpec& spec : Specs()) {
    if (spec.name == name) return spec.table;
  }
  return std::nullopt;
}

std::string_view TableColumnName(const SqlColumn& column) {
  return column.name == "date" ? std::string_view("datetime") : column.name;
}

data::ColumnType TableColumnType(SqlType type) {
  switch (type) {
    case SqlType::kText: return data::ColumnType::kString;
    case SqlType::kDate: return data::ColumnType::kDate;
    case SqlType::kInteger:
    case SqlType::kReal: return data::ColumnType::kNumber;
  }
  return data::ColumnType::kNumber;
}

std::vector<Migration> Migrations(Dialect dialect) {
  std::vector<Migration> migrations;
  for (const MigrationText& text : MigrationTexts()) {
    Migration migration{text.version, text.description, {}};
    for (std::string_view statement : text.statements) migration.statements.push_back(Substitute(statement, dialect));
    migrations.push_back(std::move(migration));
  }
  return migrations;
}

int LatestSchemaVersion() { return MigrationTexts().back().version; }

}  // namespace alphaloom::store
