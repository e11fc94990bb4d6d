// alphaloom store migrate|put|get|info --uri URI ...: the SQL store of features, labels,
// predictions and target weights (SQLite file or PostgreSQL).
#include <arrow/api.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/arrow_columns.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/store/sql_store.h"
#include "alphaloom/store/tables.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct StoreArgs {
  std::string uri, table, file, out, start, end, instrument, model_name, label_name = "label", strategy;
};

store::StoreTable TableFlag(const std::string& name) {
  if (const std::optional<store::StoreTable> table = store::FindTable(name)) return *table;
  throw Error(ErrorKind::kUsage,
              fmt::format("--table: unknown table '{}' (features, labels, preds, target_weights)", name));
}

// Column names of a .csv (header line) or .parquet (schema) file.
std::vector<std::string> FileColumns(const std::filesystem::path& path) {
  if (path.extension() == ".parquet") {
    std::string failure;
    const std::shared_ptr<arrow::Table> table = data::OpenTable(path, failure);
    if (!table) throw Error(ErrorKind::kData, fmt::format("{}: not a readable Parquet file: {}", path.string(), failure));
    return table->schema()->field_names();
  }
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open", path.string()));
  std::string header;
  std::getline(in, header);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  std::vector<std::string> names;
  size_t begin = 0;
  while (begin <= header.size()) {
    const size_t comma = std::min(header.find(',', begin), header.size());
    std::string name = header.substr(begin, comma - begin);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    names.push_back(std::move(name));
    begin = comma + 1;
  }
  return names;
}

// The date column of an input file is `datetime` (AlphaLoom's files) or `date`.
data::Table ReadInput(const std::filesystem::path& path, std::vector<data::ColumnRequest> requests) {
  requests.push_back({"datetime", data::ColumnType::kDate, false});
  requests.push_back({"date", data::ColumnType::kDate, false});
  data::Table table = data::ReadTable(path, requests);
  if (table.Find("datetime") == nullptr && table.Find("date") == nullptr) {
    throw Error(ErrorKind::kData, fmt::format("{}: missing column 'datetime' (or 'date')", path.string()));
  }
  return table;
}

data::Table ReadPutFile(store::StoreTable table, const StoreArgs& args) {
  const std::filesystem::path path = args.file;
  using data::ColumnType;
  switch (table) {
    case store::StoreTable::kPreds: {
      data::Table rows = ReadInput(path, {{"instrument", ColumnType::kString},
                                          {"horizon", ColumnType::kNumber},
                                          {"yhat", ColumnType::kNumber},
                                          {"yhat_std", ColumnType::kNumber, false},
                                          {"prob_up", ColumnType::kNumber, false},
                                          {"model_version", ColumnType::kString, false},
                                          {"model_name", ColumnType::kString, false}});
      if (rows.Find("model_version") == nullptr) {
        rows.columns.push_back(data::TableColumn::Strings("model_version", std::vector<std::string>(rows.rows())));
      }
      return store::WithNameColumn(std::move(rows), "model_name", args.model_name, path.string() + ": preds");
    }
    case store::StoreTable::kTargetWeights:
      return store::TargetWeightRows(ReadInput(path, {{"instrument", ColumnType::kString},
                                                      {"weight", ColumnType::kNumber},
                                                      {"alpha_score", ColumnType::kNumber, false},
                                                      {"strategy", ColumnType::kString, false}}),
                                     args.strategy);
    case store::StoreTable::kLabels:
      return store::LabelRows(ReadInput(path, {{"instrument", ColumnType::kString},
                                               {"label", ColumnType::kNumber},
                                               {"t1", ColumnType::kDate, false},
                                               {"weight", ColumnType::kNumber, false}}),
                              args.label_name);
    case store::StoreTable::kFeatures: {
      const std::vector<std::string> names = FileColumns(path);
      const bool long_form = std::find(names.begin(), names.end(), "feature") != names.end();
      if (long_form) {
        return ReadInput(path, {{"instrument", ColumnType::kString},
                                {"feature", ColumnType::kString},
                                {"value", ColumnType::kNumber}});
      }
      std::vector<data::ColumnRequest> requests = {{"instrument", ColumnType::kString}};
      for (const std::string& name : names) {
        if (name != "datetime" && name != "date" && name != "instrument") {
          requests.push_back({name, ColumnType::kNumber});
        }
      }
      return store::LongFeatures(ReadInput(path, requests));
    }
  }
  return {};
}

std::string Cell(const data::TableColumn& column, size_t row) {
  switch (column.type) {
    case data::ColumnType::kDate: return column.dates[row].ToString();
    case data::ColumnType::kString: return column.strings[row];
    case data::ColumnType::kNumber:
      return std::isnan(column.numbers[row]) ? std::string() : fmt::format("{}", column.numbers[row]);
  }
  return {};
}

void PrintTable(const data::Table& table) {
  std::vector<size_t> widths;
  for (const data::TableColumn& column : table.columns) {
    size_t width = column.name.size();
    for (size_t row = 0; row < table.rows(); ++row) width = std::max(width, Cell(column, row).size());
    widths.push_back(width);
  }
  const auto print_row = [&](const auto& cell_of) {
    std::string line;
    for (size_t index = 0; index < table.columns.size(); ++index) {
      if (index > 0) line += "  ";
      line += fmt::format("{:<{}}", cell_of(index), widths[index]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  };
  print_row([&](size_t index) { return table.columns[index].name; });
  for (size_t row = 0; row < table.rows(); ++row) {
    print_row([&](size_t index) { return Cell(table.columns[index], row); });
  }
}

// Reading never creates a SQLite file as a side effect.
store::OpenOptions ReaderOptions() {
  store::OpenOptions options;
  options.create = false;
  return options;
}

void RequireUri(const StoreArgs& args) {
  if (args.uri.empty()) throw Error(ErrorKind::kUsage, "store needs --uri (sqlite:///PATH, a file path, or postgresql://...)");
}

void RunMigrate(const StoreArgs& args) {
  RequireUri(args);
  const std::unique_ptr<store::SqlStore> db = store::OpenStore(args.uri);
  const int applied = db->Migrate();
  fmt::print("{}: schema version {} ({} migration{} applied)\n", db->uri(), db->SchemaVersion(), applied,
             applied == 1 ? "" : "s");
}

void RunPut(const StoreArgs& args) {
  RequireUri(args);
  if (args.file.empty()) throw Error(ErrorKind::kUsage, "store put needs --file F.csv|F.parquet");
  const store::StoreTable table = TableFlag(args.table);
  const data::Table rows = ReadPutFile(table, args);
  const std::unique_ptr<store::SqlStore> db = store::OpenStore(args.uri);
  // put creates or upgrades the schema itself, so a fresh file needs no separate migrate.
  db->Migrate();
  db->Put(table, rows);
  LogInfo("{}: {} rows upserted into {}", db->uri(), rows.rows(), args.table);
}

void RunGet(const StoreArgs& args) {
  RequireUri(args);
  const store::StoreTable table = TableFlag(args.table);
  store::StoreQuery query;
  query.start = OptionalDateFlag(args.start, "--start");
  query.end = OptionalDateFlag(args.end, "--end");
  if (!args.instrument.empty()) query.instrument = args.instrument;
  const std::unique_ptr<store::SqlStore> db = store::OpenStore(args.uri, ReaderOptions());
  const data::Table rows = db->Get(table, query);
  if (args.out.empty()) {
    PrintTable(rows);
    return;
  }
  data::WriteTable(rows, args.out);
  LogInfo("{} rows of {} written to {}", rows.rows(), args.table, args.out);
}

void RunInfo(const StoreArgs& args) {
  RequireUri(args);
  const std::unique_ptr<store::SqlStore> db = store::OpenStore(args.uri, ReaderOptions());
  const store::StoreInfo info = db->Info();
  fmt::print("uri: {}\nbackend: {}\nschema version: {} (this build: {})\n", info.uri,
             info.backend == store::Backend::kPostgres ? "postgresql" : "sqlite", info.schema_version,
             info.latest_version);
  if (info.schema_version == 0) fmt::print("no AlphaLoom schema yet: run `alphaloom store migrate --uri {}`\n", info.uri);
  for (const auto& [name, rows] : info.rows) fmt::print("{}: {} rows\n", name, rows);
}

}  // namespace

void AddStoreCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  CLI::App* command = app.add_subcommand("store", "SQL store of features, labels, predictions and target weights");
  command->require_subcommand(1);
  auto args = std::make_shared<StoreArgs>();
  const auto add_uri = [&args](CLI::App* sub) {
    sub->add_option("--uri", args->uri, "sqlite:///relative.db, sqlite:////abs.db, a file path, or postgresql://...")
        ->required();
  };
  CLI::App* migrate = command->add_subcommand("migrate", "Create or upgrade the schema (idempotent)");
  add_uri(migrate);
  migrate->callback([args] { RunMigrate(*args); });

  CLI::App* put = command->add_subcommand("put", "Upsert the rows of a .csv or .parquet file into a table");
  add_uri(put);
  put->add_option("--table", args->table, "preds, labels, features or target_weights")->required();
  put->add_option("--file", args->file, "Input .csv or .parquet (datetime, instrument, ...)")->required();
  put->add_option("--model-name", args->model_name, "preds: model name (else the file's model_name column)");
  put->add_option("--label-name", args->label_name, "labels: the label's name (default: label)");
  put->add_option("--strategy", args->strategy, "target_weights: strategy name (else the file's strategy column)");
  put->callback([args] { RunPut(*args); });

  CLI::App* get = command->add_subcommand("get", "Read a table back: print it, or write .csv/.parquet");
  add_uri(get);
  get->add_option("--table", args->table, "preds, labels, features or target_weights")->required();
  get->add_option("--start", args->start, "First date (inclusive)");
  get->add_option("--end", args->end, "Last date (inclusive)");
  get->add_option("--instrument", args->instrument, "One instrument");
  get->add_option("--out", args->out, "Output .csv or .parquet (default: print)");
  get->callback([args] { RunGet(*args); });

  CLI::App* info = command->add_subcommand("info", "Schema version and row counts");
  add_uri(info);
  info->callback([args] { RunInfo(*args); });
}

}  // namespace alphaloom::cli
