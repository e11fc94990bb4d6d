#include "alphaloom/data/arrow_columns.h"

#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/exception.h>

#include <limits>
#include <string_view>

#include "alphaloom/common/error.h"
#include "alphaloom/data/string_codes.h"

namespace alphaloom::data {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <typename ArrayType>
void AppendNumeric(const arrow::Array& chunk, std::vector<double>& out) {
  const auto& array = static_cast<const ArrayType&>(chunk);
  const auto* values = array.raw_values();
  if (array.null_count() == 0) {
    for (int64_t row = 0; row < array.length(); ++row) out.push_back(static_cast<double>(values[row]));
    return;
  }
  for (int64_t row = 0; row < array.length(); ++row) {
    out.push_back(array.IsNull(row) ? kNaN : static_cast<double>(values[row]));
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

// Appends one date per row of `chunk` (nullopt for a null), `convert` mapping a non-null row to
// its date.
template <typename Convert>
void AppendDates(const arrow::Array& chunk, std::vector<std::optional<Date>>& out, Convert convert) {
  const bool has_nulls = chunk.null_count() != 0;
  for (int64_t row = 0; row < chunk.length(); ++row) {
    if (has_nulls && chunk.IsNull(row)) {
      out.emplace_back();
    } else {
      out.push_back(convert(row));
    }
  }
}

// Converts the date column; unparsable or null cells become nullopt. False for unsupported types.
bool ToDates(const arrow::ChunkedArray& column, std::vector<std::optional<Date>>& out) {
  out.clear();
  out.reserve(static_cast<size_t>(column.length()));
  for (const auto& chunk : column.chunks()) {
    switch (chunk->type_id()) {
      case arrow::Type::DATE32: {
        const int32_t* days = static_cast<const arrow::Date32Array&>(*chunk).raw_values();
        AppendDates(*chunk, out, [&](int64_t row) { return std::optional<Date>(Date(days[row])); });
        break;
      }
      case arrow::Type::DATE64: {
        const int64_t* millis = static_cast<const arrow::Date64Array&>(*chunk).raw_values();
        AppendDates(*chunk, out, [&](int64_t row) {
          return std::optional<Date>(Date(static_cast<int32_t>(FloorDiv(millis[row], 86'400'000))));
        });
        break;
      }
      case arrow::Type::TIMESTAMP: {
        const auto& type = static_cast<const arrow::TimestampType&>(*chunk->type());
        int64_t per_day = 86'400;
        switch (type.unit()) {
          case arrow::TimeUnit::SECOND: break;
          case arrow::TimeUnit::MILLI: per_day *= 1'000; break;
          case arrow::TimeUnit::MICRO: per_day *= 1'000'000; break;
          case arrow::TimeUnit::NANO: per_day *= 1'000'000'000; break;
        }
        const int64_t* stamps = static_cast<const arrow::TimestampArray&>(*chunk).raw_values();
        // Rows of one day usually come together: divide only when the day changes.
        int64_t day_begin = 1, day_end = 0, day = 0;
        AppendDates(*chunk, out, [&](int64_t row) {
          const int64_t value = stamps[row];
          if (value < day_begin || value >= day_end) {
            day = FloorDiv(value, per_day);
            day_begin = day * per_day;
            day_end = day_begin + per_day;
          }
          return std::optional<Date>(Date(static_cast<int32_t>(day)));
        });
        break;
      }
      case arrow::Type::STRING: {
        const auto& strings = static_cast<const arrow::StringArray&>(*chunk);
        AppendDates(*chunk, out, [&](int64_t row) { return ParseDate(strings.GetView(row)); });
        break;
      }
      case arrow::Type::LARGE_STRING: {
        const auto& strings = static_cast<const arrow::LargeStringArray&>(*chunk);
        AppendDates(*chunk, out, [&](int64_t row) { return ParseDate(strings.GetView(row)); });
        break;
      }
      default:
        // Another type is only acceptable while every cell is null.
        if (chunk->null_count() != chunk->length()) return false;
        out.resize(out.size() + static_cast<size_t>(chunk->length()));
        break;
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

namespace {

template <typename StringArray>
void AppendPlainCodes(const StringArray& array, StringCoder& coder) {
  for (int64_t row = 0; row < array.length(); ++row) {
    coder.Append(coder.Code(array.IsNull(row) ? std::string_view() : array.GetView(row)));
  }
}

// Rows of a dictionary chunk: each of the chunk's dictionary entries is looked up once, when a
// row first uses it (so codes follow first appearance whatever the chunk's dictionary order).
template <typename IndexArray, typename StringArray>
bool AppendDictionaryCodes(const arrow::DictionaryArray& chunk, const StringArray& values, StringCoder& coder) {
  const auto& indices = static_cast<const IndexArray&>(*chunk.indices());
  const auto* raw = indices.raw_values();
  constexpr uint32_t kUnmapped = UINT32_MAX;
  std::vector<uint32_t> mapped(static_cast<size_t>(values.length()), kUnmapped);
  const bool has_nulls = chunk.null_count() != 0;
  for (int64_t row = 0; row < chunk.length(); ++row) {
    if (has_nulls && chunk.IsNull(row)) {
      coder.Append(coder.Code(std::string_view()));
      continue;
    }
    const auto entry = static_cast<size_t>(raw[row]);
    if (entry >= mapped.size()) return false;
    if (mapped[entry] == kUnmapped) mapped[entry] = coder.Code(values.GetView(static_cast<int64_t>(entry)));
    coder.Append(mapped[entry]);
  }
  return true;
}

template <typename StringArray>
bool AppendDictionaryChunk(const arrow::DictionaryArray& chunk, const StringArray& values, StringCoder& coder) {
  switch (chunk.indices()->type_id()) {
    case arrow::Type::INT8: return AppendDictionaryCodes<arrow::Int8Array>(chunk, values, coder);
    case arrow::Type::INT16: return AppendDictionaryCodes<arrow::Int16Array>(chunk, values, coder);
    case arrow::Type::INT32: return AppendDictionaryCodes<arrow::Int32Array>(chunk, values, coder);
    case arrow::Type::INT64: return AppendDictionaryCodes<arrow::Int64Array>(chunk, values, coder);
    case arrow::Type::UINT8: return AppendDictionaryCodes<arrow::UInt8Array>(chunk, values, coder);
    case arrow::Type::UINT16: return AppendDictionaryCodes<arrow::UInt16Array>(chunk, values, coder);
    case arrow::Type::UINT32: return AppendDictionaryCodes<arrow::UInt32Array>(chunk, values, coder);
    case arrow::Type::UINT64: return AppendDictionaryCodes<arrow::UInt64Array>(chunk, values, coder);
    default: return false;
  }
}

}  // namespace

bool ToStringCodes(const arrow::ChunkedArray& column, std::vector<std::string>& dictionary,
                   std::vector<uint32_t>& codes) {
  dictionary.clear();
  codes.clear();
  codes.reserve(static_cast<size_t>(column.length()));
  StringCoder coder(dictionary, codes);
  for (const auto& chunk : column.chunks()) {
    switch (chunk->type_id()) {
      case arrow::Type::STRING: AppendPlainCodes(static_cast<const arrow::StringArray&>(*chunk), coder); break;
      case arrow::Type::LARGE_STRING:
        AppendPlainCodes(static_cast<const arrow::LargeStringArray&>(*chunk), coder);
        break;
      case arrow::Type::DICTIONARY: {
        const auto& encoded = static_cast<const arrow::DictionaryArray&>(*chunk);
        const std::shared_ptr<arrow::Array>& values = encoded.dictionary();
        bool known = false;
        if (values->type_id() == arrow::Type::STRING) {
          known = AppendDictionaryChunk(encoded, static_cast<const arrow::StringArray&>(*values), coder);
        } else if (values->type_id() == arrow::Type::LARGE_STRING) {
          known = AppendDictionaryChunk(encoded, static_cast<const arrow::LargeStringArray&>(*values), coder);
        }
        if (!known) return false;
        break;
      }
      default:
        // Only an all-null chunk of another type reads (as empty strings), as ToStrings does.
        if (chunk->null_count() != chunk->length()) return false;
        for (int64_t row = 0; row < chunk->length(); ++row) coder.Append(coder.Code(std::string_view()));
        break;
    }
  }
  return true;
}

std::optional<ParquetColumns> ReadParquetColumns(const std::filesystem::path& path, std::span<const std::string> names,
                                                 std::span<const std::string> dictionary_names, std::string& failure) {
  try {
    auto file = arrow::io::ReadableFile::Open(path.string());
    if (!file.ok()) {
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot open: {}", path.string(), file.status().ToString()));
    }
    parquet::arrow::FileReaderBuilder builder;
    if (const arrow::Status opened = builder.Open(*file); !opened.ok()) {
      failure = opened.ToString();
      return std::nullopt;
    }
    parquet::ArrowReaderProperties properties;
    const parquet::SchemaDescriptor& leaves = *builder.raw_reader()->metadata()->schema();
    for (const std::string& name : dictionary_names) {
      // Only a flat column is a leaf of its own name; nested ones are read as they are.
      const int leaf = leaves.ColumnIndex(name);
      if (leaf >= 0) properties.set_read_dictionary(leaf, true);
    }
    builder.memory_pool(arrow::default_memory_pool())->properties(properties);
    auto reader = builder.Build();
    if (!reader.ok()) {
      failure = reader.status().ToString();
      return std::nullopt;
    }
    std::shared_ptr<arrow::Schema> schema;
    if (const arrow::Status got = (*reader)->GetSchema(&schema); !got.ok()) {
      failure = got.ToString();
      return std::nullopt;
    }
    ParquetColumns out;
    out.file_columns = schema->field_names();
    for (const std::string& name : names) {
      const int field = schema->GetFieldIndex(name);
      std::shared_ptr<arrow::ChunkedArray> column;
      if (field >= 0) {
        if (const arrow::Status read = (*reader)->ReadColumn(field, &column); !read.ok()) {
          failure = read.ToString();
          return std::nullopt;
        }
      }
      out.columns.push_back(std::move(column));
    }
    return out;
  } catch (const parquet::ParquetException& error) {
    failure = error.what();
    return std::nullopt;
  }
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
