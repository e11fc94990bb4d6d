#include "alphaloom/data/table_io.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/data/arrow_columns.h"
#include "alphaloom/data/string_codes.h"

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

// Appends the CSV text of one column's cells.
class CsvCellWriter {
 public:
  explicit CsvCellWriter(const TableColumn& column) : column_(&column) {}

  void Append(fmt::memory_buffer& out, size_t row) {
    switch (column_->type) {
      case ColumnType::kDate: {
        // Tables are mostly sorted by date: format each run of equal dates once.
        const Date date = column_->dates[row];
        if (!has_date_ || date != date_) {
          date_ = date;
          date_text_ = date.ToString();
          has_date_ = true;
        }
        out.append(date_text_.data(), date_text_.data() + date_text_.size());
        break;
      }
      case ColumnType::kNumber: {
        const double value = column_->numbers[row];
        if (!std::isnan(value)) fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), value);
        break;
      }
      case ColumnType::kString: {
        const std::string_view text = column_->String(row);
        if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
          out.append(text.data(), text.data() + text.size());
          break;
        }
        out.push_back('"');
        for (const char c : text) {
          if (c == '"') out.push_back('"');
          out.push_back(c);
        }
        out.push_back('"');
        break;
      }
    }
  }

 private:
  const TableColumn* column_;
  Date date_;
  std::string date_text_;
  bool has_date_ = false;
};

void WriteCsv(const Table& table, const std::filesystem::path& path) {
  fmt::memory_buffer text;
  for (size_t col = 0; col < table.columns.size(); ++col) {
    if (col) text.push_back(',');
    const std::string& name = table.columns[col].name;
    text.append(name.data(), name.data() + name.size());
  }
  text.push_back('\n');
  std::vector<CsvCellWriter> writers(table.columns.begin(), table.columns.end());
  const size_t rows = table.rows();
  for (size_t row = 0; row < rows; ++row) {
    for (size_t col = 0; col < writers.size(); ++col) {
      if (col) text.push_back(',');
      writers[col].Append(text, row);
    }
    text.push_back('\n');
  }
  WriteFileAtomic(path, std::string_view(text.data(), text.size()));
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
      const size_t rows = column.size();
      CheckArrow(builder.Reserve(static_cast<int64_t>(rows)), path);
      for (size_t row = 0; row < rows; ++row) CheckArrow(builder.Append(column.String(row)), path);
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
  std::vector<std::string> names, coded_names;
  for (const auto& request : requests) {
    names.push_back(request.name);
    if (request.type == ColumnType::kString && request.as_codes) coded_names.push_back(request.name);
  }
  std::string failure;
  const std::optional<ParquetColumns> source = ReadParquetColumns(path, names, coded_names, failure);
  if (!source) throw Error(ErrorKind::kData, fmt::format("{}: not a readable Parquet file: {}", path.string(), failure));
  Table table;
  for (size_t request_idx = 0; request_idx < requests.size(); ++request_idx) {
    const ColumnRequest& request = requests[request_idx];
    const std::shared_ptr<arrow::ChunkedArray>& column = source->columns[request_idx];
    if (!column) {
      if (request.required) {
        throw Error(ErrorKind::kData, MissingColumnMessage(path.string(), request.name, source->file_columns));
      }
      continue;
    }
    TableColumn out;
    out.name = request.name;
    out.type = request.type;
    bool converted = false;
    switch (request.type) {
      case ColumnType::kNumber: converted = ToDoubles(*column, out.numbers); break;
      case ColumnType::kString:
        out.coded = request.as_codes;
        converted = out.coded ? ToStringCodes(*column, out.strings, out.codes) : ToStrings(*column, out.strings);
        break;
      case ColumnType::kDate: {
        std::vector<std::optional<Date>> dates;
        converted = ToDates(*column, dates);
        if (converted) out.dates.reserve(dates.size());
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

// The extension of a table file that exists, after the checks ReadTable makes.
std::string ReadableTableExtension(const std::filesystem::path& path) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: no such file", path.string()));
  }
  std::string extension = path.extension().string();
  if (extension != ".csv" && extension != ".parquet") {
    throw Error(ErrorKind::kUsage, fmt::format("{}: input must end in .csv or .parquet", path.string()));
  }
  return extension;
}

// The cells of a CSV header line (byte-order mark dropped, cells trimmed).
std::vector<std::string> CsvHeader(std::string line) {
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  std::vector<std::string> header;
  for (auto& cell : SplitCsvLine(line)) header.emplace_back(Trim(cell));
  return header;
}

}  // namespace

Table ParseTableCsv(std::string_view text, const std::string& source, std::span<const ColumnRequest> requests) {
  std::istringstream in{std::string(text)};
  std::string line;
  if (!std::getline(in, line)) throw Error(ErrorKind::kData, fmt::format("{}: empty file (no header line)", source));
  const std::vector<std::string> header = CsvHeader(line);
  Table table;
  std::vector<size_t> source_index;
  for (const auto& request : requests) {
    const auto found = std::find(header.begin(), header.end(), request.name);
    if (found == header.end()) {
      if (request.required) throw Error(ErrorKind::kData, MissingColumnMessage(source, request.name, header));
      continue;
    }
    TableColumn column;
    column.name = request.name;
    column.type = request.type;
    column.coded = request.type == ColumnType::kString && request.as_codes;
    table.columns.push_back(std::move(column));
    source_index.push_back(static_cast<size_t>(found - header.begin()));
  }
  // Coders hold references into the columns, which no longer move.
  std::vector<std::optional<StringCoder>> coders(table.columns.size());
  for (size_t col = 0; col < table.columns.size(); ++col) {
    if (table.columns[col].coded) coders[col].emplace(table.columns[col].strings, table.columns[col].codes);
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
        case ColumnType::kString:
          if (coders[col]) {
            coders[col]->Append(coders[col]->Code(Trim(cell)));
          } else {
            column.strings.emplace_back(Trim(cell));
          }
          break;
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
    case ColumnType::kString: return coded ? codes.size() : strings.size();
    case ColumnType::kNumber: return numbers.size();
  }
  return 0;
}

TableColumn TableColumn::Dates(std::string name, std::vector<Date> values) {
  TableColumn column;
  column.name = std::move(name);
  column.type = ColumnType::kDate;
  column.dates = std::move(values);
  return column;
}

TableColumn TableColumn::Strings(std::string name, std::vector<std::string> values) {
  TableColumn column;
  column.name = std::move(name);
  column.type = ColumnType::kString;
  column.strings = std::move(values);
  return column;
}

TableColumn TableColumn::StringCodes(std::string name, std::vector<std::string> dictionary,
                                     std::vector<uint32_t> codes) {
  for (const uint32_t code : codes) Check(code < dictionary.size(), "string codes index their dictionary");
  TableColumn column;
  column.name = std::move(name);
  column.type = ColumnType::kString;
  column.strings = std::move(dictionary);
  column.codes = std::move(codes);
  column.coded = true;
  return column;
}

TableColumn TableColumn::Numbers(std::string name, std::vector<double> values) {
  TableColumn column;
  column.name = std::move(name);
  column.type = ColumnType::kNumber;
  column.numbers = std::move(values);
  return column;
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
  if (ReadableTableExtension(path) == ".csv") return ReadCsv(path, requests);
  return ReadParquet(path, requests);
}

std::vector<std::string> ReadTableColumnNames(const std::filesystem::path& path) {
  if (ReadableTableExtension(path) == ".csv") {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open for reading", path.string()));
    std::string line;
    if (!std::getline(in, line)) {
      throw Error(ErrorKind::kData, fmt::format("{}: empty file (no header line)", path.string()));
    }
    return CsvHeader(line);
  }
  std::string failure;
  const std::optional<ParquetColumns> source = ReadParquetColumns(path, {}, {}, failure);
  if (!source) throw Error(ErrorKind::kData, fmt::format("{}: not a readable Parquet file: {}", path.string(), failure));
  return source->file_columns;
}

}  // namespace alphaloom::data
