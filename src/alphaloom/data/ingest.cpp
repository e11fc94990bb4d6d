#include "alphaloom/data/ingest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/adjust.h"
#include "alphaloom/data/qlib_store.h"

namespace alphaloom::data {
namespace {

bool IsQlibDirectory(const std::filesystem::path& path) {
  return std::filesystem::is_directory(path) && std::filesystem::exists(path / "calendars" / "day.txt");
}

bool IsBarFileName(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (name.empty() || name.front() == '.' || name == "truth.json") return false;
  for (std::string_view extension : {".csv", ".txt", ".gz", ".parquet", ".pq"}) {
    if (name.ends_with(extension)) return true;
  }
  return false;
}

// A Qlib directory read back as raw bars: raw = stored / factor, adj_close = stored close, so
// Adjust() reproduces the stored factor exactly.
std::vector<ParsedFile> ReadQlibDirectory(const std::filesystem::path& dir, const ValidationPolicy& policy) {
  const QlibStore store = QlibStore::Open(dir);
  std::vector<ParsedFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "features")) {
    if (!entry.is_directory()) continue;
    std::string instrument = entry.path().filename().string();
    if (instrument.starts_with("_qlib_")) instrument = instrument.substr(6);
    std::transform(instrument.begin(), instrument.end(), instrument.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    ParsedFile parsed;
    parsed.source = entry.path().string();
    parsed.layout = "qlib";
    const std::vector<std::string> fields = store.Fields(instrument);
    auto has = [&](const char* field) { return std::find(fields.begin(), fields.end(), field) != fields.end(); };
    for (const char* required : {"open", "high", "low", "close", "volume"}) {
      if (!has(required)) {
        parsed.findings.push_back(NotDataFinding(parsed.source, fmt::format("no {}.day.bin", required), policy));
      }
    }
    if (!parsed.findings.empty()) {
      files.push_back(std::move(parsed));
      continue;
    }
    const FieldSeries close = store.ReadField(instrument, "close");
    auto aligned = [&](const char* field) {
      std::vector<double> out(close.values.size(), std::nan(""));
      if (!has(field)) return out;
      const FieldSeries series = store.ReadField(instrument, field);
      for (size_t offset = 0; offset < out.size(); ++offset) {
        const size_t day = close.start + offset;
        if (day >= series.start && day - series.start < series.values.size()) out[offset] = series.values[day - series.start];
      }
      return out;
    };
    const auto open = aligned("open"), high = aligned("high"), low = aligned("low"), volume = aligned("volume");
    const auto vwap = aligned("vwap");
    auto factor = aligned("factor");
    RawBars& bars = parsed.instruments.emplace_back();
    bars.instrument = instrument;
    bars.source = parsed.source;
    for (size_t offset = 0; offset < close.values.size(); ++offset) {
      const double adjusted_close = close.values[offset];
      if (std::isnan(adjusted_close)) continue;  // a missing bar (suspension) stays missing
      const double f = std::isfinite(factor[offset]) && factor[offset] != 0.0 ? factor[offset] : 1.0;
      bars.dates.push_back(store.calendar()[close.start + offset]);
      bars.lines.push_back(close.start + offset + 1);
      bars.open.push_back(open[offset] / f);
      bars.high.push_back(high[offset] / f);
      bars.low.push_back(low[offset] / f);
      bars.close.push_back(adjusted_close / f);
      bars.volume.push_back(volume[offset] * f);
      if (has("vwap")) bars.vwap.push_back(vwap[offset] / f);
      bars.adj_close.push_back(adjusted_close);
    }
    files.push_back(std::move(parsed));
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.source < b.source; });
  return files;
}

// The first error-level finding, for the message that stops an ingest.
const Finding* FirstError(const std::vector<Finding>& findings) {
  for (const Finding& finding : findings) {
    if (finding.action == Action::kError) return &finding;
  }
  return nullptr;
}

}  // namespace

std::vector<std::filesystem::path> ListBarFiles(const std::filesystem::path& input) {
  std::error_code error;
  if (!std::filesystem::exists(input, error)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: no such file or directory", input.string()));
  }
  if (!std::filesystem::is_directory(input)) return {input};
  std::vector<std::filesystem::path> files;
  for (auto it = std::filesystem::recursive_directory_iterator(input); it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && it->path().filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && IsBarFileName(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

IngestReport Ingest(const IngestOptions& options) {
  IngestReport report;
  const ValidationPolicy& policy = options.read.policy;
  const bool from_qlib = options.format == FileFormat::kQlib ||
                         (options.format == FileFormat::kAuto && IsQlibDirectory(options.input));

  // 1. Read and validate every file in parallel; results stay in file order.
  ThreadPool pool(options.threads);
  std::vector<ParsedFile> parsed;
  if (from_qlib) {
    parsed = ReadQlibDirectory(options.input, policy);
  } else {
    const std::vector<std::filesystem::path> files = ListBarFiles(options.input);
    if (files.empty()) {
      throw Error(ErrorKind::kData, fmt::format("{}: no bar files (.csv, .txt, .gz, .parquet) found", options.input.string()));
    }
    parsed.resize(files.size());
    pool.ParallelFor(files.size(), [&](size_t index) {
      parsed[index] = ReadBarsFile(files[index], options.format, options.read);
    });
  }
  std::vector<std::vector<ValidatedBars>> validated_files(parsed.size());
  pool.ParallelFor(parsed.size(), [&](size_t index) {
    if (parsed[index].rejected()) return;
    for (RawBars& bars : parsed[index].instruments) validated_files[index].push_back(Validate(std::move(bars), policy));
  });
  report.files = parsed.size();
  LogDebug("read {} files from {}", parsed.size(), options.input.string());

  auto reject = [&](const std::string& what, const std::vector<Finding>& findings) {
    const Finding* first = FirstError(findings);
    const std::string reason = first ? first->ToString() : what;
    if (!options.skip_bad_files) {
      throw Error(ErrorKind::kData, fmt::format("{} (use --on-error skip to skip bad files)", reason));
    }
    report.skipped.push_back(reason);
    LogWarn("skipped {}", reason);
  };

  // 2. Per-file validation.
  std::vector<ValidatedBars> accepted;
  std::map<std::string, std::string, std::less<>> source_of;
  for (size_t file_index = 0; file_index < parsed.size(); ++file_index) {
    const ParsedFile& file = parsed[file_index];
    report.findings.insert(report.findings.end(), file.findings.begin(), file.findings.end());
    if (file.rejected()) {
      reject(file.source, file.findings);
      continue;
    }
    for (ValidatedBars& validated : validated_files[file_index]) {
      const RawBars& bars = validated.bars;
      if (auto seen = source_of.find(bars.instrument); seen != source_of.end()) {
        Finding finding;
        finding.rule = Rule::kDuplicateInstrument;
        finding.action = policy.action(Rule::kDuplicateInstrument);
        finding.file = file.source;
        finding.instrument = bars.instrument;
        finding.detail = fmt::format("already read from {}; the first file's bars are kept", seen->second);
        report.findings.push_back(finding);
        if (finding.action == Action::kError) reject(file.source, {finding});
        continue;
      }
      report.findings.insert(report.findings.end(), validated.findings.begin(), validated.findings.end());
      if (validated.rejected) {
        reject(file.source, validated.findings);
        continue;
      }
      if (validated.bars.size() == 0) {
        report.skipped.push_back(fmt::format("{}: {}: no valid bars left", file.source, validated.bars.instrument));
        continue;
      }
      source_of.emplace(validated.bars.instrument, file.source);
      accepted.push_back(std::move(validated));
    }
  }
  if (accepted.empty()) throw Error(ErrorKind::kData, fmt::format("{}: no usable bars in the input", options.input.string()));

  // 3. Market calendar, then the calendar rules.
  Calendar calendar;
  if (options.calendar_file) {
    calendar = Calendar::ReadFile(*options.calendar_file);
  } else {
    std::vector<std::vector<Date>> date_lists;
    date_lists.reserve(accepted.size());
    for (const auto& validated : accepted) date_lists.push_back(validated.bars.dates);
    calendar = Calendar::Union(date_lists);
  }
  // Calendar rules and adjustment per instrument in parallel, merged in input order.
  std::vector<size_t> findings_before(accepted.size());
  std::vector<AdjustedBars> adjusted_all(accepted.size());
  pool.ParallelFor(accepted.size(), [&](size_t index) {
    ValidatedBars& validated = accepted[index];
    findings_before[index] = validated.findings.size();
    CheckAgainstCalendar(validated, calendar, policy);
    if (!validated.rejected && validated.bars.size() > 0) adjusted_all[index] = Adjust(validated.bars);
  });
  std::vector<AdjustedBars> adjusted;
  adjusted.reserve(accepted.size());
  for (size_t index = 0; index < accepted.size(); ++index) {
    const ValidatedBars& validated = accepted[index];
    const auto first_new = validated.findings.begin() + static_cast<std::ptrdiff_t>(findings_before[index]);
    report.findings.insert(report.findings.end(), first_new, validated.findings.end());
    if (validated.rejected) {
      reject(validated.bars.source, {first_new, validated.findings.end()});
      continue;
    }
    if (validated.bars.size() == 0) continue;
    report.bars += validated.bars.size();
    adjusted.push_back(std::move(adjusted_all[index]));
  }
  if (adjusted.empty()) throw Error(ErrorKind::kData, fmt::format("{}: no usable bars in the input", options.input.string()));

  // 4. Benchmark and write.
  StoreMetadata metadata;
  metadata.market = options.market;
  metadata.benchmark = options.benchmark;
  metadata.source = options.input.string();
  if (!metadata.benchmark.empty()) {
    const bool found = std::any_of(adjusted.begin(), adjusted.end(),
                                   [&](const AdjustedBars& bars) { return bars.instrument == metadata.benchmark; });
    if (!found) {
      throw Error(ErrorKind::kNotFound, fmt::format("benchmark '{}' is not among the {} instruments read from {}",
                                                    metadata.benchmark, adjusted.size(), options.input.string()));
    }
  }
  std::sort(adjusted.begin(), adjusted.end(), [](const auto& a, const auto& b) { return a.instrument < b.instrument; });
  WriteQlibStore(options.out, calendar, adjusted, metadata, report.findings);
  report.instruments = adjusted.size();
  report.dates = calendar.size();
  return report;
}

}  // namespace alphaloom::data
