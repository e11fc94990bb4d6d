#include "alphaloom/expr/feature_frame.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom::expr {
namespace {

void CheckArrow(const arrow::Status& status, const std::filesystem::path& path) {
  if (!status.ok()) throw Error(ErrorKind::kExternal, fmt::format("{}: {}", path.string(), status.ToString()));
}

}  // namespace

FeatureFrame::FeatureFrame(std::vector<std::string> columns, std::vector<std::string> instruments,
                           std::vector<Date> row_dates, std::vector<uint32_t> row_instruments)
    : columns_(std::move(columns)),
      instruments_(std::move(instruments)),
      row_dates_(std::move(row_dates)),
      row_instruments_(std::move(row_instruments)),
      values_(row_dates_.size() * columns_.size(), std::numeric_limits<float>::quiet_NaN()) {
  Check(row_dates_.size() == row_instruments_.size(), "one instrument per row");
}

size_t FeatureFrame::ColumnIndex(std::string_view column) const {
  const auto found = std::find(columns_.begin(), columns_.end(), column);
  if (found == columns_.end()) throw Error(ErrorKind::kNotFound, fmt::format("no column '{}'", column));
  return static_cast<size_t>(found - columns_.begin());
}

void FeatureFrame::Write(const std::filesystem::path& path) const {
  const std::string extension = path.extension().string();
  if (extension == ".csv") {
    std::string text = "datetime,instrument";
    for (const auto& column : columns_) text += "," + column;
    text += "\n";
    for (size_t row = 0; row < rows(); ++row) {
      text += row_dates_[row].ToString();
      text += ',';
      text += instrument(row);
      for (size_t col = 0; col < cols(); ++col) {
        const float value = At(row, col);
        text += std::isnan(value) ? std::string(",") : fmt::format(",{}", value);
      }
      text += '\n';
    }
    WriteFileAtomic(path, text);
    return;
  }
  if (extension != ".parquet") {
    throw Error(ErrorKind::kUsage, fmt::format("{}: output must end in .csv or .parquet", path.string()));
  }
  std::vector<std::shared_ptr<arrow::Field>> fields = {arrow::field("datetime", arrow::date32()),
                                                       arrow::field("instrument", arrow::utf8())};
  std::vector<std::shared_ptr<arrow::Array>> arrays(2 + cols());
  arrow::Date32Builder dates;
  arrow::StringBuilder names;
  for (size_t row = 0; row < rows(); ++row) {
    CheckArrow(dates.Append(row_dates_[row].days()), path);
    CheckArrow(names.Append(instrument(row)), path);
  }
  CheckArrow(dates.Finish(&arrays[0]), path);
  CheckArrow(names.Finish(&arrays[1]), path);
  // Columns are transposed out of the row-major matrix in row blocks that stay in cache.
  // Missing values are written as float NaN (not Parquet nulls), as pandas and Qlib hold them.
  std::vector<std::shared_ptr<arrow::Buffer>> buffers(cols());
  for (size_t col = 0; col < cols(); ++col) {
    fields.push_back(arrow::field(columns_[col], arrow::float32()));
    auto buffer = arrow::AllocateBuffer(static_cast<int64_t>(rows() * sizeof(float)));
    if (!buffer.ok()) throw Error(ErrorKind::kExternal, fmt::format("{}: {}", path.string(), buffer.status().ToString()));
    buffers[col] = std::move(*buffer);
  }
  constexpr size_t kBlock = 256;
  for (size_t block = 0; block < rows(); block += kBlock) {
    const size_t block_end = std::min(rows(), block + kBlock);
    for (size_t col = 0; col < cols(); ++col) {
      float* column = reinterpret_cast<float*>(buffers[col]->mutable_data());
      for (size_t row = block; row < block_end; ++row) column[row] = values_[row * cols() + col];
    }
  }
  for (size_t col = 0; col < cols(); ++col) {
    arrays[2 + col] = std::make_shared<arrow::FloatArray>(static_cast<int64_t>(rows()), buffers[col]);
  }
  const auto table = arrow::Table::Make(arrow::schema(fields), arrays);
  // Factor values are nearly all distinct: dictionary encoding would only cost time.
  const auto properties = parquet::WriterProperties::Builder().disable_dictionary()->build();
  std::filesystem::path temporary = path;
  temporary += fmt::format(".tmp-{}", ::getpid());
  {
    auto out = arrow::io::FileOutputStream::Open(temporary.string());
    if (!out.ok()) throw Error(ErrorKind::kIo, fmt::format("{}: {}", temporary.string(), out.status().ToString()));
    CheckArrow(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), *out, 64 * 1024, properties), path);
    CheckArrow((*out)->Close(), path);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("{}: cannot rename into place: {}", path.string(), error.message()));
}

}  // namespace alphaloom::expr
