#include "alphaloom/data/bar_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/data/parquet_io.h"

namespace alphaloom::data {

FileFormat ParseFileFormat(std::string_view name) {
  if (name == "auto") return FileFormat::kAuto;
  if (name == "csv") return FileFormat::kCsv;
  if (name == "parquet") return FileFormat::kParquet;
  if (name == "qlib") return FileFormat::kQlib;
  throw Error(ErrorKind::kUsage, fmt::format("unknown format '{}' (expected auto, csv, parquet or qlib)", name));
}

bool ParsedFile::rejected() const {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.action == Action::kError; });
}

ParsedFile ReadBarsFile(const std::filesystem::path& path, FileFormat format, const ReadOptions& options) {
  if (format == FileFormat::kAuto) {
    const std::string extension = path.extension().string();
    format = (extension == ".parquet" || extension == ".pq") ? FileFormat::kParquet : FileFormat::kCsv;
  }
  switch (format) {
    case FileFormat::kParquet: return ReadBarsParquet(path, options);
    case FileFormat::kCsv: return ReadBarsCsv(path, options);
    default:
      throw Error(ErrorKind::kUsage, fmt::format("{}: a Qlib store is a directory, not a bar file", path.string()));
  }
}

BarCollector::BarCollector(const ResolvedColumns& columns, std::string source, std::string default_symbol)
    : columns_(columns), source_(std::move(source)), default_symbol_(std::move(default_symbol)) {}

RawBars& BarCollector::BarsFor(std::string_view symbol) {
  if (symbol.empty()) symbol = default_symbol_;
  if (last_index_ < instruments_.size() && instruments_[last_index_].instrument == symbol) {
    return instruments_[last_index_];
  }
  for (size_t index = 0; index < instruments_.size(); ++index) {
    if (instruments_[index].instrument == symbol) {
      last_index_ = index;
      return instruments_[index];
    }
  }
  RawBars& bars = instruments_.emplace_back();
  bars.instrument = std::string(symbol);
  bars.source = source_;
  last_index_ = instruments_.size() - 1;
  return bars;
}

void BarCollector::Add(std::string_view symbol, Date date, const std::array<double, kBarFieldCount>& values,
                       size_t line) {
  RawBars& bars = BarsFor(symbol);
  auto value = [&](BarField field) { return values[static_cast<size_t>(field)]; };
  bars.dates.push_back(date);
  bars.lines.push_back(line);
  bars.open.push_back(value(BarField::kOpen));
  bars.high.push_back(value(BarField::kHigh));
  bars.low.push_back(value(BarField::kLow));
  bars.close.push_back(value(BarField::kClose));
  bars.volume.push_back(value(BarField::kVolume));
  if (columns_.has(BarField::kVwap)) bars.vwap.push_back(value(BarField::kVwap));
  if (columns_.has(BarField::kAdjClose)) bars.adj_close.push_back(value(BarField::kAdjClose));
  if (columns_.has(BarField::kDividend)) {
    // An empty dividend cell means no dividend; only the price columns treat empty as missing.
    const double dividend = value(BarField::kDividend);
    bars.dividend.push_back(std::isnan(dividend) ? 0.0 : dividend);
  }
  if (columns_.has(BarField::kSplit)) {
    const double split = value(BarField::kSplit);
    bars.split.push_back(std::isnan(split) || split == 0.0 ? 1.0 : split);
  }
}

Finding NotDataFinding(std::string_view source, std::string detail, const ValidationPolicy& policy) {
  Finding finding;
  finding.rule = Rule::kNotData;
  finding.action = policy.action(Rule::kNotData);
  finding.file = std::string(source);
  finding.detail = std::move(detail);
  return finding;
}

}  // namespace alphaloom::data
