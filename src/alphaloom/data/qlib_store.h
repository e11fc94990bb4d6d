#pragma once
// The on-disk store, in Qlib's layout (reference/qlib.md §4) so Qlib itself can read it:
//   calendars/day.txt                 one YYYY-MM-DD per line
//   instruments/<market>.txt          SYMBOL<TAB>start<TAB>end
//   features/<symbol>/<field>.day.bin little-endian float32: [start index, values...]
// plus AlphaLoom's own alphaloom.json (store metadata) and findings.csv (validation report).
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/data/adjust.h"
#include "alphaloom/data/panel.h"
#include "alphaloom/data/validate.h"

namespace alphaloom::data {

/// An instrument's listing span in the store.
struct InstrumentSpan {
  std::string instrument;
  Date start;
  Date end;
};

/// What a store records about itself beside the Qlib files.
struct StoreMetadata {
  std::string market = "all";  ///< name of the instruments file of the tradeable universe
  std::string benchmark;       ///< benchmark symbol ("" when none); stored but not in the market
  std::string source;          ///< what was ingested (path or "synth")
};

/// Fields every store has, in the order they are written; "vwap" is added when present.
inline constexpr const char* kStoreFields[] = {"open", "high", "low", "close", "volume", "factor", "change"};

/// Directory name of `instrument` under features/: lower-case, with Qlib's "_qlib_" prefix for
/// Windows-reserved names (con, prn, aux, nul, com0-9, lpt0-9).
std::string FeatureDirName(std::string_view instrument);

/// Writes a complete store at `out`: built in a temporary sibling directory and renamed into
/// place, so `out` is either the old store or the whole new one. Every bar date must be in
/// `calendar`; missing bars inside an instrument's span are written as NaN.
void WriteQlibStore(const std::filesystem::path& out, const Calendar& calendar,
                    std::span<const AdjustedBars> instruments, const StoreMetadata& metadata,
                    std::span<const Finding> findings);

/// One field of one instrument as stored: values for calendar indices start, start+1, ...
struct FieldSeries {
  size_t start = 0;
  std::vector<float> values;
};

/// Read access to a store directory (one written by AlphaLoom or by Qlib's dump_bin).
class QlibStore {
 public:
  /// Opens `dir`; throws Error(kIo/kData) naming the file when the layout is missing or broken.
  static QlibStore Open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const Calendar& calendar() const { return calendar_; }
  const StoreMetadata& metadata() const { return metadata_; }
  /// Spans of instruments/<market>.txt; throws Error(kNotFound) for an unknown market.
  std::vector<InstrumentSpan> Instruments(std::string_view market) const;
  /// Spans of the default market (metadata().market, "all" for foreign stores).
  const std::vector<InstrumentSpan>& instruments() const { return instruments_; }
  /// Fields stored for `instrument` (names of its .day.bin files), sorted.
  std::vector<std::string> Fields(std::string_view instrument) const;
  /// Whether features/<instrument>/ exists.
  bool HasInstrument(std::string_view instrument) const;

  /// Reads one field (one open and read of its file). Throws Error(kNotFound) naming instrument
  /// and field when the file is absent, Error(kData) when it is malformed.
  FieldSeries ReadField(std::string_view instrument, std::string_view field) const;
  /// As ReadField, but nullopt when the file is absent.
  std::optional<FieldSeries> TryReadField(std::string_view instrument, std::string_view field) const;

  /// Loads `fields` of `instruments` (all of the default market when empty) over calendar
  /// dates [start, end] (the whole calendar when nullopt) into a Panel; NaN where not stored.
  /// A field no instrument has is an Error(kNotFound) unless `missing_fields_as_nan` (Qlib reads
  /// an absent $vwap as all-NaN). A benchmark field bench_<f> (IsBenchmarkField) is the
  /// benchmark's <f> (metadata().benchmark) on each date, copied into every instrument's series
  /// (NaN where the benchmark has no bar); Error(kNotFound) naming the field and the store when
  /// the store records no benchmark or the benchmark has no <f>, whatever `missing_fields_as_nan`.
  Panel LoadPanel(std::span<const std::string> fields, std::span<const std::string> instruments = {},
                  std::optional<Date> start = std::nullopt, std::optional<Date> end = std::nullopt,
                  bool missing_fields_as_nan = false) const;

  /// The validation findings recorded at ingest (empty for foreign stores).
  std::vector<Finding> Findings() const;

  /// The benchmark's series for benchmark field `field` (bench_close -> its close); throws
  /// Error(kNotFound) naming the field and the store when there is no benchmark or no such field.
  FieldSeries ReadBenchmarkField(std::string_view field) const;

 private:
  std::filesystem::path dir_;
  Calendar calendar_;
  StoreMetadata metadata_;
  std::vector<InstrumentSpan> instruments_;
};

}  // namespace alphaloom::data
