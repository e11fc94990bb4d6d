#pragma once
// A label over the (date, instrument) panel with the look-ahead span of every row.
#include <filesystem>
#include <string>
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/data/table_io.h"

namespace alphaloom::label {

/// One row per (date, instrument) where the label is defined, ordered by date, then by
/// instrument index. Dates are positions in `calendar`. Every row carries t1, the last bar its
/// value depends on (t1 >= its date): splitters purge by it. Rows whose label cannot be computed
/// (no future bar, suspended bar, warm-up) are absent, never NaN.
struct LabelFrame {
  std::string name;  ///< what the label is, e.g. "forward_qlib_h1"; recorded in model metadata
  Calendar calendar;
  std::vector<std::string> instruments;
  std::vector<int32_t> row_date;          ///< calendar index of the row's date
  std::vector<uint32_t> row_instrument;   ///< index into `instruments`
  std::vector<int32_t> row_t1;            ///< calendar index of the span end, >= row_date
  std::vector<double> value;
  std::vector<double> weight;             ///< sample weights; empty when none were computed

  size_t rows() const { return row_date.size(); }

  /// Columns datetime, instrument, label, t1 and, when weights exist, weight.
  data::Table ToTable() const;
  /// Writes ToTable() as .csv or .parquet (temporary name, then rename).
  void Write(const std::filesystem::path& path) const;
  /// Reads a file of ToTable()'s shape (weight optional). The calendar is the sorted union of
  /// every datetime and t1 in the file; rows are re-sorted by (date, instrument). Throws
  /// Error(kData) naming the file for a missing label or t1 column, a t1 before its row's date,
  /// a non-finite label or weight, or a duplicate (datetime, instrument).
  static LabelFrame Read(const std::filesystem::path& path);
  /// Read's checks and sorting on a table already loaded; `source` names it in messages.
  static LabelFrame FromTable(const data::Table& table, const std::string& source);
  /// The columns Read asks for.
  static std::vector<data::ColumnRequest> Columns();
};

/// Builds a frame from instrument-major arrays (instrument_count x calendar.size()), keeping
/// the cells whose value is finite; `t1` holds calendar indices (ignored where value is NaN).
LabelFrame FrameFromGrid(std::string name, const Calendar& calendar, std::vector<std::string> instruments,
                         const std::vector<double>& value, const std::vector<int32_t>& t1);

}  // namespace alphaloom::label
