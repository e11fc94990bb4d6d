#include "alphaloom/expr/feature_frame.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/writer.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom::expr {
namespace {

void CheckArrow(const arrow::Status& status, const std::filesystem::path& path) {
  if (!status.ok()) throw Error(ErrorKind::kExternal, fmt::format("{}: {}", path.string(), status.ToString()));
}

constexpr char kSaveMagic[8] = {'A', 'L', 'F', 'R', 'A', 'M', 'E', '1'};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

void WriteBytes(std::FILE* file, const void* bytes, size_t size, const std::filesystem::path& path) {
  if (size > 0 && std::fwrite(bytes, 1, size, file) != size) {
    throw Error(ErrorKind::kIo, fmt::format("{}: write failed", path.string()));
  }
}

void WriteCount(std::FILE* file, uint64_t count, const std::filesystem::path& path) {
  WriteBytes(file, &count, sizeof count, path);
}

void WriteNames(std::FILE* file, const std::vector<std::string>& names, const std::filesystem::path& path) {
  WriteCount(file, names.size(), path);
  for (const auto& name : names) {
    WriteCount(file, name.size(), path);
    WriteBytes(file, name.data(), name.size(), path);
  }
}

// Reads the saved layout with a check on every length, so a damaged file is an error rather
// than a huge allocation or a read past the end.
class SavedFileReader {
 public:
  explicit SavedFileReader(const std::filesystem::path& path) : path_(path) {
    file_.reset(std::fopen(path.string().c_str(), "rb"));
    if (!file_) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    std::error_code error;
    remaining_ = std::filesystem::file_size(path, error);
    if (error) throw Error(ErrorKind::kIo, fmt::format("{}: {}", path.string(), error.message()));
  }

  void Read(void* bytes, size_t size) {
    if (size > remaining_ || (size > 0 && std::fread(bytes, 1, size, file_.get()) != size)) {
      throw Error(ErrorKind::kData, fmt::format("{}: truncated feature cache file", path_.string()));
    }
    remaining_ -= size;
  }

  uint64_t Count(size_t element_size) {
    uint64_t count = 0;
    Read(&count, sizeof count);
    if (element_size > 0 && count > remaining_ / element_size) {
      throw Error(ErrorKind::kData, fmt::format("{}: damaged feature cache file", path_.string()));
    }
    return count;
  }

  std::vector<std::string> Names() {
    std::vector<std::string> names(Count(sizeof(uint64_t)));
    for (auto& name : names) {
      name.resize(Count(1));
      Read(name.data(), name.size());
    }
    return names;
  }

  uint64_t remaining() const { return remaining_; }

 private:
  std::filesystem::path path_;
  File file_;
  uint64_t remaining_ = 0;
};

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
  // No value is ever null (missing factor values are NaN), so every column is required: the
  // writer then has no definition levels to encode.
  std::vector<std::shared_ptr<arrow::Field>> fields = {arrow::field("datetime", arrow::date32(), false),
                                                       arrow::field("instrument", arrow::utf8(), false)};
  for (const auto& column : columns_) fields.push_back(arrow::field(column, arrow::float32(), false));
  const auto schema = arrow::schema(fields);
  // Factor values are nearly all distinct: dictionary encoding would only cost time. Min / max
  // statistics are kept for the row keys (datetime, instrument), which readers filter on, and
  // left out for the factor columns, where they cost a comparison per value and serve nobody.
  parquet::WriterProperties::Builder builder;
  builder.disable_dictionary()->disable_statistics()->enable_statistics("datetime")->enable_statistics("instrument");
  const auto properties = builder.build();
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

void FeatureFrame::Save(const std::filesystem::path& path) const {
  WriteThroughTemporary(path, [&](const std::filesystem::path& temporary) {
    File file(std::fopen(temporary.string().c_str(), "wb"));
    if (!file) throw Error(ErrorKind::kIo, fmt::format("{}: cannot create: {}", temporary.string(), std::strerror(errno)));
    WriteBytes(file.get(), kSaveMagic, sizeof kSaveMagic, path);
    WriteNames(file.get(), columns_, path);
    WriteNames(file.get(), instruments_, path);
    WriteCount(file.get(), rows(), path);
    std::vector<int32_t> days(rows());
    for (size_t row = 0; row < rows(); ++row) days[row] = row_dates_[row].days();
    WriteBytes(file.get(), days.data(), days.size() * sizeof(int32_t), path);
    WriteBytes(file.get(), row_instruments_.data(), row_instruments_.size() * sizeof(uint32_t), path);
    WriteBytes(file.get(), values_.data(), values_.size() * sizeof(float), path);
    if (std::fflush(file.get()) != 0) throw Error(ErrorKind::kIo, fmt::format("{}: write failed", path.string()));
  });
}

FeatureFrame FeatureFrame::Load(const std::filesystem::path& path) {
  SavedFileReader reader(path);
  char magic[sizeof kSaveMagic];
  reader.Read(magic, sizeof magic);
  if (std::memcmp(magic, kSaveMagic, sizeof magic) != 0) {
    throw Error(ErrorKind::kData, fmt::format("{}: not a feature cache file", path.string()));
  }
  std::vector<std::string> columns = reader.Names();
  std::vector<std::string> instruments = reader.Names();
  const uint64_t rows = reader.Count(sizeof(int32_t) + sizeof(uint32_t));
  std::vector<int32_t> days(rows);
  reader.Read(days.data(), days.size() * sizeof(int32_t));
  std::vector<Date> row_dates(rows);
  for (size_t row = 0; row < rows; ++row) row_dates[row] = Date(days[row]);
  std::vector<uint32_t> row_instruments(rows);
  reader.Read(row_instruments.data(), row_instruments.size() * sizeof(uint32_t));
  for (const uint32_t instrument : row_instruments) {
    if (instrument >= instruments.size()) throw Error(ErrorKind::kData, fmt::format("{}: damaged feature cache file", path.string()));
  }
  if (reader.remaining() != rows * columns.size() * sizeof(float)) {
    throw Error(ErrorKind::kData, fmt::format("{}: damaged feature cache file", path.string()));
  }
  FeatureFrame frame(std::move(columns), std::move(instruments), std::move(row_dates), std::move(row_instruments));
  reader.Read(frame.values_.data(), frame.values_.size() * sizeof(float));
  return frame;
}

}  // namespace alphaloom::expr
