#pragma once
// Promotion gates: thresholds a strategy's out-of-sample summary must meet before its model is
// promoted. Each gate names a summary metric, a comparison and a threshold.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace alphaloom::metrics {

/// Which way a gate compares.
enum class Comparison {
  kAtLeast,  ///< value >= threshold (config key "<metric>_min")
  kAtMost,   ///< value <= threshold (config key "<metric>_max")
};

struct Gate {
  std::string key;     ///< the config key, e.g. "sortino_min"
  std::string metric;  ///< a key of SummaryMetrics(), e.g. "sortino"
  Comparison comparison;
  double threshold;
};

/// sortino_min 1.2, profit_factor_min 1.15, max_drawdown_max 0.06 (the summary is the
/// out-of-sample one, so "sortino" is the out-of-sample Sortino).
std::vector<Gate> DefaultGates();

/// Parses a gates config (YAML or JSON text; `source` names it in errors). The gates are the
/// map under top-level `gates`, or under `metrics: {gates: ...}` in a workflow file; each key is
/// "<metric>_min" or "<metric>_max" with a metric of SummaryMetrics() and a number as value.
/// A key given replaces the default of the same key in place; `null` removes it; new keys are
/// appended; the other defaults stay.
/// A file with neither map yields DefaultGates(). Throws Error(kConfig) naming the key for an
/// unknown key or a non-numeric threshold, and for text that is not YAML.
std::vector<Gate> ParseGatesConfig(std::string_view text, std::string_view source);

struct GateResult {
  Gate gate;
  double value;       ///< as read from the summary (NaN when null or missing)
  double compared;    ///< |value| for metrics gated on their magnitude, else value
  bool passed;
  std::string note;   ///< why a gate failed without a comparison ("missing from summary", "NaN")
};

/// Evaluates each gate against `summary` (a Summarize() object). A metric missing from the
/// summary, null (NaN) or not a number fails its gate. Drawdown and tail-loss metrics are
/// compared by magnitude (max_drawdown -0.05 meets max_drawdown_max 0.06).
std::vector<GateResult> EvaluateGates(const std::vector<Gate>& gates, const nlohmann::json& summary);

/// One line per gate (gate key, metric, value, comparison, threshold, PASS/FAIL) under a header.
std::string FormatGateResults(const std::vector<GateResult>& results);

}  // namespace alphaloom::metrics
