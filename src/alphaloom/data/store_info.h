#pragma once
// A store at a glance: what `alphaloom data info` prints.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alphaloom/data/qlib_store.h"

namespace alphaloom::data {

struct StoreSummary {
  std::string dir;
  std::string market;
  std::string benchmark;
  size_t instruments = 0;          ///< in the market (benchmark excluded)
  size_t dates = 0;                ///< calendar length
  std::string first_date, last_date;
  size_t bars = 0;                 ///< non-missing closes inside the instruments' spans
  size_t missing = 0;              ///< missing closes (suspensions) inside the spans
  double missing_share = 0.0;      ///< missing / (bars + missing)
  std::vector<std::string> fields; ///< fields of the first instrument
  std::map<std::string, size_t> findings_by_rule;  ///< "rule (action)" -> count, from ingest
  size_t findings = 0;
};

/// Reads every instrument's close to count bars and gaps.
StoreSummary Summarize(const QlibStore& store);

/// Human-readable multi-line summary.
std::string FormatSummary(const StoreSummary& summary);
nlohmann::json SummaryToJson(const StoreSummary& summary);

}  // namespace alphaloom::data
