#include "alphaloom/data/table_io.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/data/arrow_columns.h"

namespace alphaloom::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void CheckArrow(const arrow::Status& status, const std::filesystem::path& path) {
  if (!status.ok()) throw Error(ErrorKind::kExternal, fmt::format("{}: {}", path.string(), status.ToString()));
}

std::string_view TypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kDate: return "date";
    case ColumnType::kString: return "string";
    case ColumnType::kNumber: return "number";
  }
  return "?";
}

std::string CsvCell(const TableColumn& column, size_t row) {
  switch (column.type) {
    case ColumnType::kDate: return column.dates[row].ToString();
    case ColumnType::kNumber: {
      const double value = column.numbers[row];
      return std::isnan(value) ? std::string() : fmt::format("{}", value);
    }
    case ColumnType::kString: {
      const std::string& text = column.strings[row];
      if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
      std::string quoted = "\"";
      for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    }
  }
  return {};
}

void WriteCsv(const Table& table, const std::filesystem::path& path) {
  std::string text;
  for (size_t col = 0; col < table.columns.size(); ++col) {
    text += (col ? "," : "") + table.columns[col].name;
  }
  text += '\n';
  for (size_t row = 0; row < table.rows(); ++row) {
    for (size_t col = 0; col < table.columns.size(); ++col) {
      if (col) text += ',';
      text += CsvCell(table.columns[col], row);
    }
    text += '\n';
  }
  WriteFileAtomic(path, text);
}

std::shared_ptr<arrow::Array> ToArrow(const TableColumn& column, const std::filesystem::path& path) {
  std::shared_ptr<arrow::Array> array;
  switch (column.type) {
    case ColumnType::kDate: {
      arrow::Date32Builder builder;
      for (const Date date : column.dates) CheckArrow(builder.Append(date.days()), path);
      CheckArrow(builder.Finish(&array), path);
      break;
    }
    case ColumnType::kString: {
      arrow::StringBuilder builder;
      for (const auto& text : column.strings) CheckArrow(builder.Append(text), path);
      CheckArrow(builder.Finish(&array), path);
      break;
    }
    case ColumnType::kNumber: {
      arrow::DoubleBuilder builder;
      CheckArrow(builder.AppendValues(column.numbers), path);
      CheckArrow(builder.Finish(&array), path);
      break;
    }
  }
  return array;
}

std::shared_ptr<arrow::DataType> ArrowType(ColumnType type) {
  switch (type) {
    case ColumnType::kDate: return arrow::date32();
    case ColumnType::kString: return arrow::utf8();
    case ColumnType::kNumber: return arrow::float64();
  }
  return arrow::float64();
}

void WriteParquet(const Table& table, const std::filesystem::path& path) {
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (const auto& column : table.columns) {
    fields.push_back(arrow::field(column.name, ArrowType(column.type)));
    arrays.push_back(ToArrow(column, path));
  }
  const auto arrow_table = arrow::Table::Make(arrow::schema(fields), arrays, static_cast<int64_t>(table.rows()));
  WriteThroughTemporary(path, [&](const std::filesystem::path& temporary) {
    auto out = arrow::io::FileOutputStream::Open(temporary.string());
    if (!out.ok()) throw Error(ErrorKind::kIo, fmt::format("{}: {}", temporary.string(), out.status().ToString()));
    CheckArrow(parquet::arrow::WriteTable(*arrow_table, arrow::default_memory_pool(), *out, 64 * 1024), path);
    CheckArrow((*out)->Close(), path);
  });
}

// Splits one CSV record at commas, honouring double quotes ("" inside quotes is a quote).
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool ParseNumber(std::string_view text, double& value) {
  text = Trim(text);
  if (text.empty() || text == "nan" || text == "NaN" || text == "NA" || text == "null") {
    value = kNaN;
    return true;
  }
  if (text.front() == '+') text.remove_prefix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::string MissingColumnMessage(const std::string& source, std::string_view name,
                                 const std::vector<std::string>& header) {
  return fmt::format("{}: missing column '{}' (has: {})", source, name, fmt::join(header, ", "));
}

Table ReadCsv(const std::filesystem::path& path, std::span<const ColumnRequest> requests) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return ParseTableCsv(text.str(), path.string(), requests);
}

Table ReadParquet(const std::filesystem::path& path, std::span<const ColumnRequest> requests) {
  std::string failure;
  const std::shared_ptr<arrow::Table> source = OpenTable(path, failure);
  if (!source) throw Error(ErrorKind::kData, fmt::format("{}: not a readable Parquet file: {}", path.string(), failure));
  const std::vector<std::string> header = source->ColumnNames();
  Table table;
  for (const auto& request : requests) {
    const auto column = source->GetColumnByName(request.name);
    if (!column) {
      if (request.required) throw Error(ErrorKind::kData, MissingColumnMessage(path.string(), request.name, header));
      continue;
    }
    TableColumn out{request.name, request.type, {}, {}, {}};
    bool converted = false;
    switch (request.type) {
      case ColumnType::kNumber: converted = ToDoubles(*column, out.numbers); break;
      case ColumnType::kString: converted = ToStrings(*column, out.strings); break;
      case ColumnType::kDate: {
        std::vector<std::optional<Date>> dates;
        converted = ToDates(*column, dates);
        for (size_t row = 0; converted && row < dates.size(); ++row) {
          if (!dates[row]) {
            throw Error(ErrorKind::kData, fmt::format("{}: row {}: column '{}': missing or unparsable date",
                                                      path.string(), row + 1, request.name));
          }
          out.dates.push_back(*dates[row]);
        }
        break;
      }
    }
    if (!converted) {
      throw Error(ErrorKind::kData, fmt::format("{}: column '{}' has type {}, expected a {} column", path.string(),
                                                request.name, column->type()->ToString(), TypeName(request.type)));
    }
    table.columns.push_back(std::move(out));
  }
  return table;
}

}  // namespace

Table ParseTableCsv(std::string_view text, const std::string& source, std::span<const ColumnRequest> requests) {
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line)) throw Error(ErrorKind::kData, fmt::format("{}: empty file (no header line)", source));
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  std::vector<std::string> header;
  for (auto& cell : SplitCsvLine(line)) header.emplace_back(Trim(cell));
  Table table;
  std::vector<size_t> source_index;
  for (const auto& request : requests) {
    const auto found = std::find(header.begin(), header.end(), request.name);
    if (found == header.end()) {
      if (request.required) throw Error(ErrorKind::kData, MissingColumnMessage(source, request.name, header));
      continue;
    }
    table.columns.push_back(TableColumn{request.name, request.type, {}, {}, {}});
    source_index.push_back(static_cast<size_t>(found - header.begin()));
  }
  size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (Trim(line).empty()) continue;
    const std::vector<std::string> cells = SplitCsvLine(line);
    if (cells.size() != header.size()) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: {} cells, the header has {}", source, line_number,
                                                cells.size(), header.size()));
    }
    for (size_t col = 0; col < table.columns.size(); ++col) {
      TableColumn& column = table.columns[col];
      const std::string& cell = cells[source_index[col]];
      switch (column.type) {
        case ColumnType::kString: column.strings.emplace_back(Trim(cell)); break;
        case ColumnType::kNumber: {
          double value = 0;
          if (!ParseNumber(cell, value)) {
            throw Error(ErrorKind::kData, fmt::format("{}:{}: column '{}': not a number: '{}'", source,
                                                      line_number, column.name, cell));
          }
          column.numbers.push_back(value);
          break;
        }
        case ColumnType::kDate: {
          const std::optional<Date> date = ParseDate(Trim(cell));
          if (!date) {
            throw Error(ErrorKind::kData, fmt::format("{}:{}: column '{}': {}", source, line_number, column.name,
                                                      Trim(cell).empty() ? std::string("missing date")
                                                                         : fmt::format("not a date: '{}'", cell)));
          }
          column.dates.push_back(*date);
          break;
        }
      }
    }
  }
  return table;
}

size_t TableColumn::size() const {
  switch (type) {
    case ColumnType::kDate: return dates.size();
    case ColumnType::kString: return strings.size();
    case ColumnType::kNumber: return numbers.size();
  }
  return 0;
}

TableColumn TableColumn::Dates(std::string name, std::vector<Date> values) {
  return TableColumn{std::move(name), ColumnType::kDate, std::move(values), {}, {}};
}

TableColumn TableColumn::Strings(std::string name, std::vector<std::string> values) {
  return TableColumn{std::move(name), ColumnType::kString, {}, std::move(values), {}};
}

TableColumn TableColumn::Numbers(std::string name, std::vector<double> values) {
  return TableColumn{std::move(name), ColumnType::kNumber, {}, {}, std::move(values)};
}

const TableColumn* Table::Find(std::string_view name) const {
  for (const auto& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

void WriteTable(const Table& table, const std::filesystem::path& path) {
  for (const auto& column : table.columns) {
    Check(column.size() == table.rows(), "table columns of equal length");
  }
  const std::string extension = path.extension().string();
  if (extension == ".csv") return WriteCsv(table, path);
  if (extension == ".parquet") return WriteParquet(table, path);
  throw Error(ErrorKind::kUsage, fmt::format("{}: output must end in .csv or .parquet", path.string()));
}

Table ReadTable(const std::filesystem::path& path, std::span<const ColumnRequest> requests) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: no such file", path.string()));
  }
  const std::string extension = path.extension().string();
  if (extension == ".csv") return ReadCsv(path, requests);
  if (extension == ".parquet") return ReadParquet(path, requests);
  throw Error(ErrorKind::kUsage, fmt::format("{}: input must end in .csv or .parquet", path.string()));
}

}  // namespace alphaloom::data
