#include "alphaloom/data/bar_writer.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>
#include <parquet/exception.h>
#include <parquet/properties.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <string>
#include <system_error>
#include <vector>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

struct NamedColumn {
  const char* name;
  const std::vector<double>* values;
};

// The single place that fixes column names and order, so CSV and Parquet files always agree.
std::vector<NamedColumn> OutputColumns(const RawBars& bars, const std::filesystem::path& path) {
  std::vector<NamedColumn> columns = {
      {"open", &bars.open}, {"high", &bars.high}, {"low", &bars.low}, {"close", &bars.close}, {"volume", &bars.volume}};
  if (bars.has_vwap()) columns.push_back({"vwap", &bars.vwap});
  if (bars.has_adj_close()) columns.push_back({"adj_close", &bars.adj_close});
  if (!bars.dividend.empty()) columns.push_back({"dividend", &bars.dividend});
  if (!bars.split.empty()) columns.push_back({"split", &bars.split});
  for (const NamedColumn& column : columns) {
    if (column.values->size() != bars.size()) {
      throw Error(ErrorKind::kData, fmt::format("{}: {} column '{}' has {} values for {} dates", path.string(),
                                                bars.instrument, column.name, column.values->size(), bars.size()));
    }
  }
  return columns;
}

std::filesystem::path TemporaryName(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path temporary = path;
  temporary += fmt::format(".tmp-{}-{}", ::getpid(), counter.fetch_add(1));
  return temporary;
}

// Arrow reports file-system trouble as IOError; everything else is the library's own failure.
void ThrowIfFailed(const arrow::Status& status, const std::filesystem::path& path, const char* what) {
  if (status.ok()) return;
  const ErrorKind kind = status.IsIOError() ? ErrorKind::kIo : ErrorKind::kExternal;
  throw Error(kind, fmt::format("{}: {}: {}", path.string(), what, status.ToString()));
}

template <typename T>
T ValueOrThrow(arrow::Result<T> result, const std::filesystem::path& path, const char* what) {
  ThrowIfFailed(result.status(), path, what);
  return std::move(result).ValueUnsafe();
}

// Removes the temporary file unless the write got as far as renaming it.
class TemporaryFileGuard {
 public:
  explicit TemporaryFileGuard(std::filesystem::path path) : path_(std::move(path)) {}
  ~TemporaryFileGuard() {
    if (!released_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }
  TemporaryFileGuard(const TemporaryFileGuard&) = delete;
  TemporaryFileGuard& operator=(const TemporaryFileGuard&) = delete;
  void Release() { released_ = true; }

 private:
  std::filesystem::path path_;
  bool released_ = false;
};

}  // namespace

void WriteBarsCsv(const RawBars& bars, const std::filesystem::path& path) {
  const std::vector<NamedColumn> columns = OutputColumns(bars, path);
  fmt::memory_buffer text;
  text.reserve(64 + bars.size() * (11 + columns.size() * 12));
  fmt::format_to(std::back_inserter(text), "date");
  for (const NamedColumn& column : columns) fmt::format_to(std::back_inserter(text), ",{}", column.name);
  text.push_back('\n');
  for (size_t row = 0; row < bars.size(); ++row) {
    const std::string date = bars.dates[row].ToString();
    text.append(date.data(), date.data() + date.size());
    for (const NamedColumn& column : columns) {
      const double value = (*column.values)[row];
      text.push_back(',');
      if (!std::isnan(value)) fmt::format_to(std::back_inserter(text), "{}", value);
    }
    text.push_back('\n');
  }
  WriteFileAtomic(path, std::string_view(text.data(), text.size()));
}

void WriteBarsParquet(const RawBars& bars, const std::filesystem::path& path) {
  const std::vector<NamedColumn> columns = OutputColumns(bars, path);
  const auto row_count = static_cast<int64_t>(bars.size());

  std::vector<int32_t> days(bars.size());
  for (size_t row = 0; row < bars.size(); ++row) days[row] = bars.dates[row].days();

  // The arrays borrow the vectors' memory: no copy, and both outlive the write below.
  std::vector<std::shared_ptr<arrow::Field>> fields = {arrow::field("date", arrow::date32(), false)};
  std::vector<std::shared_ptr<arrow::Array>> arrays = {
      std::make_shared<arrow::Date32Array>(row_count, arrow::Buffer::Wrap(days))};
  for (const NamedColumn& column : columns) {
    fields.push_back(arrow::field(column.name, arrow::float64(), false));
    arrays.push_back(std::make_shared<arrow::DoubleArray>(row_count, arrow::Buffer::Wrap(*column.values)));
  }
  const std::shared_ptr<arrow::Table> table = arrow::Table::Make(arrow::schema(fields), arrays, row_count);

  const std::filesystem::path temporary = TemporaryName(path);
  TemporaryFileGuard guard(temporary);
  try {
    std::shared_ptr<arrow::io::FileOutputStream> sink =
        ValueOrThrow(arrow::io::FileOutputStream::Open(temporary.string()), temporary, "cannot create file");
    const std::shared_ptr<parquet::WriterProperties> properties =
        parquet::WriterProperties::Builder().compression(parquet::Compression::SNAPPY)->build();
    constexpr int64_t kRowGroupRows = 64 * 1024;
    ThrowIfFailed(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink, kRowGroupRows, properties),
                  temporary, "cannot write parquet");
    ThrowIfFailed(sink->Close(), temporary, "cannot close file");
  } catch (const parquet::ParquetException& error) {
    // Parts of the Parquet library report failures by exception rather than Status.
    throw Error(ErrorKind::kExternal, fmt::format("{}: cannot write parquet: {}", temporary.string(), error.what()));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot rename into place: {}", path.string(), error.message()));
  }
  guard.Release();
}

}  // namespace alphaloom::data
