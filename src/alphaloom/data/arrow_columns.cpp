#include "alphaloom/data/arrow_columns.h"

#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/exception.h>

#include <limits>

#include "alphaloom/common/error.h"

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

int64_t FloorDiv(int64_t value, int64_t divisor) {
  const int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

}  // namespace

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

}  // namespace alphaloom::data
