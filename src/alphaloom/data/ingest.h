#pragma once
// Ingest: bar files (or a Qlib directory) -> validated, adjusted store in Qlib's layout.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/data/bar_reader.h"
#include "alphaloom/data/validate.h"

namespace alphaloom::data {

struct IngestOptions {
  std::filesystem::path input;   ///< a bar file, a directory of bar files, or a Qlib directory
  std::filesystem::path out;     ///< the store to write (replaced atomically when it exists)
  FileFormat format = FileFormat::kAuto;  ///< auto: Qlib when input has calendars/day.txt, else by extension
  std::string market = "all";    ///< name of the instruments file of the tradeable universe
  std::string benchmark;         ///< symbol stored as the benchmark, kept out of the market
  bool skip_bad_files = false;   ///< --on-error skip: a rejected file is reported and skipped
  ReadOptions read;              ///< column mapping and validation policy
  std::optional<std::filesystem::path> calendar_file;  ///< explicit market calendar; else the union
  size_t threads = 1;            ///< files are read and validated in parallel
};

struct IngestReport {
  size_t files = 0;                         ///< bar files found in the input
  std::vector<std::string> skipped;         ///< files (or instruments) left out, with the reason
  size_t instruments = 0;                   ///< instruments in the store (benchmark included)
  size_t dates = 0;                         ///< calendar length
  size_t bars = 0;                          ///< bars written
  std::vector<Finding> findings;            ///< everything validation reported, in input order
};

/// The bar files under `input` (itself when it is a file), sorted by path: .csv, .txt, .gz,
/// .parquet and .pq; hidden files and truth.json are ignored.
std::vector<std::filesystem::path> ListBarFiles(const std::filesystem::path& input);

/// Reads, validates, adjusts and writes. Throws Error(kData) naming the first error-level
/// finding when a file is rejected and skip_bad_files is false; the old store is untouched.
IngestReport Ingest(const IngestOptions& options);

}  // namespace alphaloom::data
