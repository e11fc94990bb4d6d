#include "alphaloom/data/parquet_io.h"

#include <arrow/api.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"
#include "alphaloom/data/arrow_columns.h"
#include "alphaloom/data/symbol.h"

namespace alphaloom::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

ParsedFile ReadBarsParquet(const std::filesystem::path& path, const ReadOptions& options) {
  ParsedFile parsed;
  parsed.source = path.string();
  std::string failure;
  const std::shared_ptr<arrow::Table> table = OpenTable(path, failure);
  if (!table) {
    parsed.findings.push_back(NotDataFinding(parsed.source, "not a readable Parquet file: " + failure, options.policy));
    return parsed;
  }
  std::vector<std::string> header = table->ColumnNames();
  ResolvedColumns columns;
  try {
    columns = ResolveColumns(header, options.mapping, parsed.source);
  } catch (const Error& error) {
    parsed.findings.push_back(NotDataFinding(parsed.source, error.what(), options.policy));
    return parsed;
  }
  parsed.layout = columns.layout;

  std::vector<std::optional<Date>> dates;
  if (!ToDates(*table->column(columns[BarField::kDate]), dates)) {
    parsed.findings.push_back(NotDataFinding(
        parsed.source,
        fmt::format("date column of type {} is not a date, timestamp or string",
                    table->column(columns[BarField::kDate])->type()->ToString()),
        options.policy));
    return parsed;
  }
  std::vector<std::string> symbols;
  if (columns.has(BarField::kSymbol) && !ToStrings(*table->column(columns[BarField::kSymbol]), symbols)) {
    parsed.findings.push_back(NotDataFinding(parsed.source, "symbol column is not a string column", options.policy));
    return parsed;
  }
  std::array<std::vector<double>, kBarFieldCount> numeric;
  for (size_t field = 0; field < kBarFieldCount; ++field) {
    const auto bar_field = static_cast<BarField>(field);
    if (bar_field == BarField::kDate || bar_field == BarField::kSymbol || columns.index[field] < 0) continue;
    if (!ToDoubles(*table->column(columns.index[field]), numeric[field])) {
      parsed.findings.push_back(NotDataFinding(
          parsed.source,
          fmt::format("column '{}' ({}) has non-numeric type {}", header[static_cast<size_t>(columns.index[field])],
                      BarFieldName(bar_field), table->column(columns.index[field])->type()->ToString()),
          options.policy));
      return parsed;
    }
  }

  std::string default_symbol;
  try {
    default_symbol = SymbolFromFileName(path);
  } catch (const Error&) {
    if (symbols.empty()) {
      parsed.findings.push_back(NotDataFinding(
          parsed.source, "no symbol column and no instrument symbol can be derived from the file name", options.policy));
      return parsed;
    }
  }
  BarCollector collector(columns, parsed.source, default_symbol);
  std::array<double, kBarFieldCount> values;
  values.fill(kNaN);
  const size_t rows = static_cast<size_t>(table->num_rows());
  for (size_t row = 0; row < rows; ++row) {
    const std::string_view symbol = symbols.empty() ? std::string_view() : std::string_view(symbols[row]);
    if (!dates[row]) {
      Finding finding;
      finding.rule = Rule::kMalformedRow;
      finding.action = options.policy.action(Rule::kMalformedRow);
      finding.file = parsed.source;
      finding.line = row + 1;
      finding.instrument = symbol.empty() ? default_symbol : std::string(symbol);
      finding.detail = "missing or unparsable date";
      parsed.findings.push_back(std::move(finding));
      continue;
    }
    for (size_t field = 0; field < kBarFieldCount; ++field) {
      if (!numeric[field].empty()) values[field] = numeric[field][row];
    }
    collector.Add(symbol, *dates[row], values, row + 1);
  }
  parsed.instruments = collector.Finish();
  if (rows == 0) {
    Finding finding;
    finding.rule = Rule::kEmpty;
    finding.action = options.policy.action(Rule::kEmpty);
    finding.file = parsed.source;
    finding.instrument = default_symbol;
    finding.detail = "no rows";
    parsed.findings.push_back(std::move(finding));
  }
  return parsed;
}

}  // namespace alphaloom::data
