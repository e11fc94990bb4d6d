#pragma once
// Factor values over a (date, instrument) row index, as a row-major float32 matrix: the layout
// LightGBM and XGBoost take without a copy.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::expr {

class FeatureFrame {
 public:
  FeatureFrame() = default;
  FeatureFrame(std::vector<std::string> columns, std::vector<std::string> instruments, std::vector<Date> row_dates,
               std::vector<uint32_t> row_instruments);

  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<std::string>& instruments() const { return instruments_; }
  size_t rows() const { return row_dates_.size(); }
  size_t cols() const { return columns_.size(); }
  Date date(size_t row) const { return row_dates_[row]; }
  const std::string& instrument(size_t row) const { return instruments_[row_instruments_[row]]; }
  uint32_t instrument_index(size_t row) const { return row_instruments_[row]; }

  float At(size_t row, size_t col) const { return values_[row * columns_.size() + col]; }
  float& At(size_t row, size_t col) { return values_[row * columns_.size() + col]; }
  /// The whole matrix, rows() x cols(), row-major.
  std::span<const float> matrix() const { return values_; }
  std::span<float> matrix() { return values_; }

  /// Writes datetime, instrument, then the columns; .csv or .parquet by extension, through a
  /// temporary file and a rename. Throws Error(kUsage) for another extension.
  void Write(const std::filesystem::path& path) const;

  /// Saves the frame in AlphaLoom's own binary layout (the stage cache's: a header, the names,
  /// the row index and the raw float32 matrix), through a temporary file and a rename. Load
  /// reads it back exactly. Load throws Error(kIo) when the file cannot be read and Error(kData)
  /// when it is not such a file or is truncated.
  void Save(const std::filesystem::path& path) const;
  static FeatureFrame Load(const std::filesystem::path& path);

 private:
  std::vector<std::string> columns_;
  std::vector<std::string> instruments_;
  std::vector<Date> row_dates_;
  std::vector<uint32_t> row_instruments_;
  std::vector<float> values_;
};

}  // namespace alphaloom::expr
