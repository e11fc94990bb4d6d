#pragma once
// Reading bar files of any supported format into RawBars, with parse-level findings.
#include <filesystem>
#include <string>
#include <vector>

#include "alphaloom/data/bars.h"
#include "alphaloom/data/columns.h"
#include "alphaloom/data/validate.h"

namespace alphaloom::data {

enum class FileFormat { kAuto, kCsv, kParquet, kQlib };

/// Parses "auto", "csv", "parquet" or "qlib"; throws Error(kUsage) otherwise.
FileFormat ParseFileFormat(std::string_view name);

/// How to read bar files.
struct ReadOptions {
  ColumnMapping mapping;       ///< explicit columns; unset fields are auto-detected
  ValidationPolicy policy;     ///< gives the action of not_data and malformed_row findings
};

/// What one file yielded: one RawBars per instrument (one for a per-instrument file, one per
/// symbol for a long file with a symbol column), the layout recognised, and the parse findings
/// (not_data, malformed_row, empty). Rows behind malformed_row findings are not in the bars.
struct ParsedFile {
  std::string source;
  std::string layout;
  std::vector<RawBars> instruments;
  std::vector<Finding> findings;

  /// True when a finding with action kError means the file must not be used.
  bool rejected() const;
};

/// Reads one file; the format comes from the extension (.parquet/.pq, otherwise CSV, gzip
/// detected by content) unless `format` says otherwise. Never throws for bad content: a file
/// that is not data yields a not_data finding. Throws Error(kIo) when the file cannot be read.
ParsedFile ReadBarsFile(const std::filesystem::path& path, FileFormat format, const ReadOptions& options);

}  // namespace alphaloom::data

namespace alphaloom::data {

/// Gathers parsed rows into one RawBars per instrument, in order of first appearance; shared by
/// the CSV and Parquet readers so both fill bars the same way.
class BarCollector {
 public:
  BarCollector(const ResolvedColumns& columns, std::string source, std::string default_symbol);

  /// Adds one bar. `symbol` empty means the default symbol; `values` is indexed by BarField
  /// (kDate and kSymbol entries are ignored).
  void Add(std::string_view symbol, Date date, const std::array<double, kBarFieldCount>& values, size_t line);
  std::vector<RawBars> Finish() { return std::move(instruments_); }

 private:
  RawBars& BarsFor(std::string_view symbol);

  const ResolvedColumns& columns_;
  std::string source_;
  std::string default_symbol_;
  std::vector<RawBars> instruments_;
  size_t last_index_ = 0;
};

/// A not_data finding for `source` with the action `policy` gives it.
Finding NotDataFinding(std::string_view source, std::string detail, const ValidationPolicy& policy);

}  // namespace alphaloom::data
