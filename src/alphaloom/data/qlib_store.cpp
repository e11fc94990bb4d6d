#include "alphaloom/data/qlib_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

static_assert(std::endian::native == std::endian::little, "the .bin layout is little-endian float32");

constexpr const char* kMetadataFile = "alphaloom.json";
constexpr const char* kFindingsFile = "findings.jsonl";

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

void WriteBin(const std::filesystem::path& path, size_t start_index, const std::vector<float>& values) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const float start = static_cast<float>(start_index);
  out.write(reinterpret_cast<const char*>(&start), sizeof(float));
  out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
  if (!out) throw Error(ErrorKind::kIo, fmt::format("{}: write failed", path.string()));
}

std::string InstrumentsText(std::span<const InstrumentSpan> spans) {
  std::string text;
  for (const auto& span : spans) {
    text += fmt::format("{}\t{}\t{}\n", span.instrument, span.start.ToString(), span.end.ToString());
  }
  return text;
}

std::vector<InstrumentSpan> ReadInstrumentsFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open instruments file", path.string()));
  std::vector<InstrumentSpan> spans;
  std::string line;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = tab1 == std::string::npos ? std::string::npos : line.find('\t', tab1 + 1);
    if (tab2 == std::string::npos) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: expected SYMBOL<TAB>start<TAB>end", path.string(), line_number));
    }
    const auto start = ParseDate(line.substr(tab1 + 1, tab2 - tab1 - 1));
    const auto end = ParseDate(line.substr(tab2 + 1));
    if (!start || !end) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: bad start or end date", path.string(), line_number));
    }
    spans.push_back({line.substr(0, tab1), *start, *end});
  }
  return spans;
}

nlohmann::json FindingToJson(const Finding& finding) {
  return {{"file", finding.file},         {"line", finding.line},
          {"instrument", finding.instrument}, {"date", finding.date ? finding.date->ToString() : ""},
          {"rule", RuleName(finding.rule)}, {"action", ActionName(finding.action)},
          {"detail", finding.detail}};
}

}  // namespace

std::string FeatureDirName(std::string_view instrument) {
  std::string name = Lower(instrument);
  static const char* kReserved[] = {"con", "prn", "aux", "nul"};
  bool reserved = std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved);
  if (name.size() == 4 && (name.starts_with("com") || name.starts_with("lpt")) && std::isdigit(name[3])) reserved = true;
  return reserved ? "_qlib_" + name : name;
}

void WriteQlibStore(const std::filesystem::path& out, const Calendar& calendar,
                    std::span<const AdjustedBars> instruments, const StoreMetadata& metadata,
                    std::span<const Finding> findings) {
  StagingDirectory staging(out);
  const std::filesystem::path root = staging.path();
  std::filesystem::create_directories(root / "calendars");
  std::filesystem::create_directories(root / "instruments");
  std::filesystem::create_directories(root / "features");
  calendar.WriteFile(root / "calendars" / "day.txt");

  std::vector<InstrumentSpan> market;
  nlohmann::json adjustments = nlohmann::json::object();
  constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> values;
  for (const AdjustedBars& bars : instruments) {
    if (bars.size() == 0) continue;
    const auto first = calendar.IndexOf(bars.dates.front());
    const auto last = calendar.IndexOf(bars.dates.back());
    Check(first.has_value() && last.has_value(), "every bar date must be in the store calendar");
    const std::filesystem::path dir = root / "features" / FeatureDirName(bars.instrument);
    std::filesystem::create_directories(dir);

    // Calendar offset of each bar within the instrument's span (bars are sorted: one walk).
    std::vector<size_t> offsets(bars.size());
    size_t day = *first;
    for (size_t index = 0; index < bars.size(); ++index) {
      while (day < calendar.size() && calendar[day] < bars.dates[index]) ++day;
      Check(day < calendar.size() && calendar[day] == bars.dates[index], "every bar date must be in the store calendar");
      offsets[index] = day - *first;
    }
    auto write_field = [&](const char* field, const std::vector<double>& column) {
      values.assign(*last - *first + 1, kMissing);
      for (size_t index = 0; index < bars.size(); ++index) values[offsets[index]] = static_cast<float>(column[index]);
      WriteBin(dir / fmt::format("{}.day.bin", field), *first, values);
    };
    write_field("open", bars.open);
    write_field("high", bars.high);
    write_field("low", bars.low);
    write_field("close", bars.close);
    write_field("volume", bars.volume);
    write_field("factor", bars.factor);
    write_field("change", bars.change);
    if (!bars.vwap.empty()) write_field("vwap", bars.vwap);

    adjustments[bars.instrument] = AdjustmentSourceName(bars.adjustment);
    if (bars.instrument != metadata.benchmark) {
      market.push_back({bars.instrument, bars.dates.front(), bars.dates.back()});
    }
  }
  std::sort(market.begin(), market.end(), [](const auto& a, const auto& b) { return a.instrument < b.instrument; });
  WriteFileAtomic(root / "instruments" / fmt::format("{}.txt", metadata.market), InstrumentsText(market));
  if (metadata.market != "all") WriteFileAtomic(root / "instruments" / "all.txt", InstrumentsText(market));

  nlohmann::json meta = {{"format", "qlib"},
                         {"writer", "alphaloom"},
                         {"market", metadata.market},
                         {"benchmark", metadata.benchmark},
                         {"source", metadata.source},
                         {"instruments", market.size()},
                         {"calendar", {{"start", calendar.empty() ? "" : calendar.front().ToString()},
                                       {"end", calendar.empty() ? "" : calendar.back().ToString()},
                                       {"dates", calendar.size()}}},
                         {"adjustment", adjustments}};
  WriteFileAtomic(root / kMetadataFile, meta.dump(2) + "\n");
  std::string findings_text;
  for (const Finding& finding : findings) findings_text += FindingToJson(finding).dump() + "\n";
  WriteFileAtomic(root / kFindingsFile, findings_text);
  staging.Commit();
}

QlibStore QlibStore::Open(const std::filesystem::path& dir) {
  QlibStore store;
  store.dir_ = dir;
  if (!std::filesystem::is_directory(dir)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: not a directory (expected a store)", dir.string()));
  }
  const std::filesystem::path calendar_path = dir / "calendars" / "day.txt";
  if (!std::filesystem::exists(calendar_path)) {
    throw Error(ErrorKind::kData, fmt::format("{}: missing calendars/day.txt: not a Qlib-layout store", dir.string()));
  }
  store.calendar_ = Calendar::ReadFile(calendar_path);
  const std::filesystem::path meta_path = dir / kMetadataFile;
  if (std::filesystem::exists(meta_path)) {
    std::ifstream in(meta_path);
    const nlohmann::json meta = nlohmann::json::parse(in, nullptr, false);
    if (meta.is_discarded() || !meta.is_object()) {
      throw Error(ErrorKind::kData, fmt::format("{}: not valid JSON", meta_path.string()));
    }
    store.metadata_.market = meta.value("market", "all");
    store.metadata_.benchmark = meta.value("benchmark", "");
    store.metadata_.source = meta.value("source", "");
  }
  store.instruments_ = store.Instruments(store.metadata_.market);
  return store;
}

std::vector<InstrumentSpan> QlibStore::Instruments(std::string_view market) const {
  const std::filesystem::path path = dir_ / "instruments" / fmt::format("{}.txt", market);
  if (!std::filesystem::exists(path)) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: no market '{}' (missing {})", dir_.string(), market, path.string()));
  }
  return ReadInstrumentsFile(path);
}

bool QlibStore::HasInstrument(std::string_view instrument) const {
  return std::filesystem::is_directory(dir_ / "features" / FeatureDirName(instrument));
}

std::vector<std::string> QlibStore::Fields(std::string_view instrument) const {
  std::vector<std::string> fields;
  const std::filesystem::path dir = dir_ / "features" / FeatureDirName(instrument);
  if (!std::filesystem::is_directory(dir)) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: unknown instrument '{}'", dir_.string(), instrument));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".day.bin")) fields.push_back(name.substr(0, name.size() - 8));
  }
  std::sort(fields.begin(), fields.end());
  return fields;
}

std::optional<FieldSeries> QlibStore::TryReadField(std::string_view instrument, std::string_view field) const {
  // One open/fstat/read per file: for Qlib's small per-field files this beats mmap, whose
  // mapping, page faults and unmapping cost more than the copy (measured by bench/).
  const std::filesystem::path path =
      dir_ / "features" / FeatureDirName(instrument) / fmt::format("{}.day.bin", Lower(field));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int saved = errno;
    ::close(fd);
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot stat: {}", path.string(), std::strerror(saved)));
  }
  const size_t size = static_cast<size_t>(info.st_size);
  if (size < sizeof(float) || size % sizeof(float) != 0) {
    ::close(fd);
    throw Error(ErrorKind::kData, fmt::format("{}: size {} is not a whole number of float32 values with a start index",
                                              path.string(), size));
  }
  std::vector<float> raw(size / sizeof(float));
  size_t done = 0;
  while (done < size) {
    const ssize_t got = ::pread(fd, reinterpret_cast<char*>(raw.data()) + done, size - done, static_cast<off_t>(done));
    if (got <= 0) {
      const int saved = errno;
      ::close(fd);
      throw Error(ErrorKind::kIo, fmt::format("{}: read failed: {}", path.string(), got == 0 ? "short file" : std::strerror(saved)));
    }
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  const float start = raw[0];
  const size_t count = raw.size() - 1;
  if (!std::isfinite(start) || start < 0.0f || start != std::floor(start) ||
      static_cast<size_t>(start) + count > calendar_.size()) {
    throw Error(ErrorKind::kData, fmt::format("{}: start index {} with {} values does not fit the {}-day calendar",
                                              path.string(), start, count, calendar_.size()));
  }
  FieldSeries series;
  series.start = static_cast<size_t>(start);
  raw.erase(raw.begin());
  series.values = std::move(raw);
  return series;
}

FieldSeries QlibStore::ReadField(std::string_view instrument, std::string_view field) const {
  std::optional<FieldSeries> series = TryReadField(instrument, field);
  if (!series) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: no field '{}' for instrument '{}' (features/{}/{}.day.bin missing)",
                                                  dir_.string(), field, instrument, FeatureDirName(instrument),
                                                  Lower(field)));
  }
  return std::move(*series);
}

FieldSeries QlibStore::ReadBenchmarkField(std::string_view field) const {
  const std::string_view stored = field.substr(kBenchmarkFieldPrefix.size());
  if (metadata_.benchmark.empty()) {
    throw Error(ErrorKind::kNotFound, fmt::format("field '${}' needs a benchmark, but store {} records none "
                                                  "(ingest with --benchmark SYMBOL)",
                                                  field, dir_.string()));
  }
  std::optional<FieldSeries> series = TryReadField(metadata_.benchmark, stored);
  if (!series) {
    throw Error(ErrorKind::kNotFound, fmt::format("field '${}': benchmark '{}' of store {} has no field '{}'", field,
                                                  metadata_.benchmark, dir_.string(), stored));
  }
  return std::move(*series);
}

Panel QlibStore::LoadPanel(std::span<const std::string> fields, std::span<const std::string> instruments,
                           std::optional<Date> start, std::optional<Date> end, bool missing_fields_as_nan) const {
  std::vector<std::string> names;
  if (instruments.empty()) {
    for (const auto& span : instruments_) names.push_back(span.instrument);
  } else {
    for (const auto& name : instruments) {
      if (!HasInstrument(name)) throw Error(ErrorKind::kNotFound, fmt::format("{}: unknown instrument '{}'", dir_.string(), name));
      names.push_back(name);
    }
  }
  const size_t first = start ? calendar_.LowerBound(*start) : 0;
  const size_t last_exclusive = end ? calendar_.UpperBound(*end) : calendar_.size();
  std::vector<Date> dates;
  if (first < last_exclusive) {
    dates.assign(calendar_.dates().begin() + static_cast<std::ptrdiff_t>(first),
                 calendar_.dates().begin() + static_cast<std::ptrdiff_t>(last_exclusive));
  }
  Panel panel(Calendar(std::move(dates)), names, std::vector<std::string>(fields.begin(), fields.end()));
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (IsBenchmarkField(fields[field_idx])) {
      const FieldSeries series = ReadBenchmarkField(fields[field_idx]);
      const size_t from = std::max(series.start, first);
      const size_t to = std::min(series.start + series.values.size(), last_exclusive);
      for (size_t instrument_idx = 0; instrument_idx < names.size(); ++instrument_idx) {
        std::span<double> out = panel.Series(field_idx, instrument_idx);
        for (size_t day = from; day < to; ++day) out[day - first] = series.values[day - series.start];
      }
      continue;
    }
    // An optional field (vwap) may exist for some instruments only; those without it stay NaN.
    size_t found = 0;
    for (size_t instrument_idx = 0; instrument_idx < names.size(); ++instrument_idx) {
      const std::optional<FieldSeries> stored = TryReadField(names[instrument_idx], fields[field_idx]);
      if (!stored) continue;
      ++found;
      const FieldSeries& series = *stored;
      std::span<double> out = panel.Series(field_idx, instrument_idx);
      const size_t from = std::max(series.start, first);
      const size_t to = std::min(series.start + series.values.size(), last_exclusive);
      for (size_t day = from; day < to; ++day) out[day - first] = series.values[day - series.start];
    }
    if (found == 0 && !names.empty() && !missing_fields_as_nan) {
      throw Error(ErrorKind::kNotFound, fmt::format("{}: no instrument has field '{}'", dir_.string(), fields[field_idx]));
    }
  }
  return panel;
}

std::vector<Finding> QlibStore::Findings() const {
  std::vector<Finding> findings;
  std::ifstream in(dir_ / kFindingsFile);
  if (!in) return findings;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded()) continue;
    Finding finding;
    finding.rule = ParseRule(row.value("rule", "")).value_or(Rule::kNotData);
    finding.action = ParseAction(row.value("action", "")).value_or(Action::kWarn);
    finding.file = row.value("file", "");
    finding.line = row.value("line", size_t{0});
    finding.instrument = row.value("instrument", "");
    finding.date = ParseDate(row.value("date", ""));
    finding.detail = row.value("detail", "");
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace alphaloom::data
