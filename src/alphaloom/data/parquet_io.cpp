#include "alphaloom/data/parquet_io.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/exception.h>

#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"
#include "alphaloom/data/symbol.h"

namespace alphaloom::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename ArrayType>
void AppendNumeric(const arrow::Array& chunk, std::vector<double>& out) {
  const auto& array = static_cast<const ArrayType&>(chunk);
  for (int64_t row = 0; row < array.length(); ++row) {
    out.push_back(array.IsNull(row) ? kNaN : static_cast<double>(array.Value(row)));
  }
}

// Converts a numeric column to doubles (nulls as NaN); false for a non-numeric type.
bool ToDoubles(const arrow::ChunkedArray& column, std::vector<double>& out) {
  out.clear();
  out.reserve(static_cast<size_t>(column.length()));
  for (const auto& chunk : column.chunks()) {
    switch (chunk->type_id()) {
      case arrow::Type::DOUBLE: AppendNumeric<arrow::DoubleArray>(*chunk, out); break;
      case arrow::Type::FLOAT: AppendNumeric<arrow::FloatArray>(*chunk, out); break;
      case arrow::Type::INT64: AppendNumeric<arrow::Int64Array>(*chunk, out); break;
      case arrow::Type::INT32: AppendNumeric<arrow::Int32Array>(*chunk, out); break;
      case arrow::Type::INT16: AppendNumeric<arrow::Int16Array>(*chunk, out); break;
      case arrow::Type::INT8: AppendNumeric<arrow::Int8Array>(*chunk, out); break;
      case arrow::Type::UINT64: AppendNumeric<arrow::UInt64Array>(*chunk, out); break;
      case arrow::Type::UINT32: AppendNumeric<arrow::UInt32Array>(*chunk, out); break;
      case arrow::Type::UINT16: AppendNumeric<arrow::UInt16Array>(*chunk, out); break;
      case arrow::Type::UINT8: AppendNumeric<arrow::UInt8Array>(*chunk, out); break;
      default: return false;
    }
  }
  return true;
}

int64_t FloorDiv(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

// Converts the date column; unparsable or null cells become nullopt. False for unsupported types.
bool ToDates(const arrow::ChunkedArray& column, std::vector<std::optional<Date>>& out) {
  out.clear();
  for (const auto& chunk : column.chunks()) {
    for (int64_t row = 0; row < chunk->length(); ++row) {
      if (chunk->IsNull(row)) {
        out.emplace_back();
        continue;
      }
      switch (chunk->type_id()) {
        case arrow::Type::DATE32:
          out.emplace_back(Date(static_cast<const arrow::Date32Array&>(*chunk).Value(row)));
          break;
        case arrow::Type::DATE64:
          out.emplace_back(Date(static_cast<int32_t>(
              FloorDiv(static_cast<const arrow::Date64Array&>(*chunk).Value(row), 86'400'000))));
          break;
        case arrow::Type::TIMESTAMP: {
          const auto& type = static_cast<const arrow::TimestampType&>(*chunk->type());
          int64_t per_day = 86'400;
          switch (type.unit()) {
            case arrow::TimeUnit::SECOND: break;
            case arrow::TimeUnit::MILLI: per_day *= 1'000; break;
            case arrow::TimeUnit::MICRO: per_day *= 1'000'000; break;
            case arrow::TimeUnit::NANO: per_day *= 1'000'000'000; break;
          }
          const int64_t value = static_cast<const arrow::TimestampArray&>(*chunk).Value(row);
          out.emplace_back(Date(static_cast<int32_t>(FloorDiv(value, per_day))));
          break;
        }
        case arrow::Type::STRING:
          out.push_back(ParseDate(static_cast<const arrow::StringArray&>(*chunk).GetView(row)));
          break;
        case arrow::Type::LARGE_STRING:
          out.push_back(ParseDate(static_cast<const arrow::LargeStringArray&>(*chunk).GetView(row)));
          break;
        default: return false;
      }
    }
  }
  return true;
}

bool ToStrings(const arrow::ChunkedArray& column, std::vector<std::string>& out) {
  out.clear();
  for (const auto& chunk : column.chunks()) {
    for (int64_t row = 0; row < chunk->length(); ++row) {
      if (chunk->IsNull(row)) {
        out.emplace_back();
      } else if (chunk->type_id() == arrow::Type::STRING) {
        out.emplace_back(static_cast<const arrow::StringArray&>(*chunk).GetView(row));
      } else if (chunk->type_id() == arrow::Type::LARGE_STRING) {
        out.emplace_back(static_cast<const arrow::LargeStringArray&>(*chunk).GetView(row));
      } else {
        return false;
      }
    }
  }
  return true;
}

std::shared_ptr<arrow::Table> OpenTable(const std::filesystem::path& path, std::string& failure) {
  try {
    auto file = arrow::io::ReadableFile::Open(path.string());
    if (!file.ok()) {
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot open: {}", path.string(), file.status().ToString()));
    }
    auto reader = parquet::arrow::OpenFile(*file, arrow::default_memory_pool());
    if (!reader.ok()) {
      failure = reader.status().ToString();
      return nullptr;
    }
    auto table = (*reader)->ReadTable();
    if (!table.ok()) {
      failure = table.status().ToString();
      return nullptr;
    }
    return *table;
  } catch (const parquet::ParquetException& error) {
    failure = error.what();
    return nullptr;
  }
}

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
