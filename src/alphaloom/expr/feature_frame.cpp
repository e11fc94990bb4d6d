#include "alphaloom/expr/feature_frame.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>

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
  for (const auto& column : columns_) fields.push_back(arrow::field(column, arrow::float32()));
  const auto schema = arrow::schema(fields);
  // Factor values are nearly all distinct: dictionary encoding would only cost time.
  const auto properties = parquet::WriterProperties::Builder().disable_dictionary()->build();
  WriteThroughTemporary(path, [&](const std::filesystem::path& temporary) {
    auto out = arrow::io::FileOutputStream::Open(temporary.string());
    if (!out.ok()) throw Error(ErrorKind::kIo, fmt::format("{}: {}", temporary.string(), out.status().ToString()));
    auto writer = parquet::arrow::FileWriter::Open(*schema, arrow::default_memory_pool(), *out, properties);
    if (!writer.ok()) throw Error(ErrorKind::kExternal, fmt::format("{}: {}", path.string(), writer.status().ToString()));
    // One row group at a time: only a group's columns are transposed out of the row-major
    // matrix, so the write adds little memory on top of the frame itself.
    constexpr size_t kGroupRows = 16 * 1024;
    for (size_t first = 0; first < rows(); first += kGroupRows) {
      const size_t count = std::min(kGroupRows, rows() - first);
      std::vector<std::shared_ptr<arrow::Array>> arrays(2 + cols());
      arrow::Date32Builder dates;
      arrow::StringBuilder names;
      for (size_t row = first; row < first + count; ++row) {
        CheckArrow(dates.Append(row_dates_[row].days()), path);
        CheckArrow(names.Append(instrument(row)), path);
      }
      CheckArrow(dates.Finish(&arrays[0]), path);
      CheckArrow(names.Finish(&arrays[1]), path);
      // Missing values are written as float NaN (not Parquet nulls), as pandas and Qlib hold them.
      for (size_t col = 0; col < cols(); ++col) {
        auto buffer = arrow::AllocateBuffer(static_cast<int64_t>(count * sizeof(float)));
        if (!buffer.ok()) throw Error(ErrorKind::kExternal, fmt::format("{}: {}", path.string(), buffer.status().ToString()));
        float* column = reinterpret_cast<float*>((*buffer)->mutable_data());
        for (size_t row = 0; row < count; ++row) column[row] = values_[(first + row) * cols() + col];
        arrays[2 + col] = std::make_shared<arrow::FloatArray>(static_cast<int64_t>(count), std::move(*buffer));
      }
      CheckArrow((*writer)->WriteTable(*arrow::Table::Make(schema, arrays), static_cast<int64_t>(count)), path);
    }
    CheckArrow((*writer)->Close(), path);
    CheckArrow((*out)->Close(), path);
  });
}

}  // namespace alphaloom::expr
