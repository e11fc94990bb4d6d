#include "alphaloom/metrics/gates.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/summary.h"

namespace alphaloom::metrics {
namespace {

const SummaryMetric* FindMetric(std::string_view name) {
  for (const SummaryMetric& metric : SummaryMetrics()) {
    if (metric.key == name) return &metric;
  }
  return nullptr;
}

std::string KnownMetricNames() {
  std::string names;
  for (const SummaryMetric& metric : SummaryMetrics()) {
    if (!names.empty()) names += ", ";
    names += metric.key;
  }
  return names;
}

Gate GateFromKey(const std::string& key, double threshold, std::string_view source) {
  constexpr std::string_view kMin = "_min";
  constexpr std::string_view kMax = "_max";
  const bool at_least = key.ends_with(kMin);
  const bool at_most = key.ends_with(kMax);
  const std::string metric = (at_least || at_most) ? key.substr(0, key.size() - 4) : std::string();
  if ((!at_least && !at_most) || FindMetric(metric) == nullptr) {
    throw Error(ErrorKind::kConfig,
                fmt::format("{}: unknown gate key '{}': a gate key is <metric>_min or <metric>_max with a metric of "
                            "the summary ({})",
                            source, key, KnownMetricNames()));
  }
  return {key, metric, at_least ? Comparison::kAtLeast : Comparison::kAtMost, threshold};
}

}  // namespace

std::vector<Gate> DefaultGates() {
  return {{"sortino_min", "sortino", Comparison::kAtLeast, 1.2},
          {"profit_factor_min", "profit_factor", Comparison::kAtLeast, 1.15},
          {"max_drawdown_max", "max_drawdown", Comparison::kAtMost, 0.06}};
}

std::vector<Gate> ParseGatesConfig(std::string_view text, std::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: not valid YAML or JSON: {}", source, error.what()));
  }
  std::vector<Gate> gates = DefaultGates();
  YAML::Node map;
  if (root.IsMap() && root["gates"]) {
    map = root["gates"];
  } else if (root.IsMap() && root["metrics"] && root["metrics"].IsMap() && root["metrics"]["gates"]) {
    map = root["metrics"]["gates"];
  } else if (root.IsNull() || root.IsMap()) {
    return gates;
  } else {
    throw Error(ErrorKind::kConfig, fmt::format("{}: expected a map with a 'gates' key", source));
  }
  if (map.IsNull()) return gates;
  if (!map.IsMap()) throw Error(ErrorKind::kConfig, fmt::format("{}: 'gates' must be a map of <metric>_min/_max: "
                                                                "threshold", source));
  for (const auto& item : map) {
    const std::string key = item.first.as<std::string>();
    const auto existing = std::find_if(gates.begin(), gates.end(), [&](const Gate& gate) { return gate.key == key; });
    if (item.second.IsNull()) {
      GateFromKey(key, 0.0, source);  // a removed gate's key must be valid too
      if (existing != gates.end()) gates.erase(existing);
      continue;
    }
    double threshold = std::numeric_limits<double>::quiet_NaN();
    try {
      threshold = item.second.as<double>();
    } catch (const YAML::Exception&) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: gate '{}' needs a number, got '{}'", source, key,
                                                  item.second.IsScalar() ? item.second.Scalar() : "a collection"));
    }
    if (!std::isfinite(threshold)) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: gate '{}' needs a finite threshold", source, key));
    }
    Gate gate = GateFromKey(key, threshold, source);
    if (existing != gates.end()) {
      *existing = std::move(gate);
    } else {
      gates.push_back(std::move(gate));
    }
  }
  return gates;
}

std::vector<GateResult> EvaluateGates(const std::vector<Gate>& gates, const nlohmann::json& summary) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<GateResult> results;
  for (const Gate& gate : gates) {
    GateResult result{gate, kNaN, kNaN, false, ""};
    const SummaryMetric* metric = FindMetric(gate.metric);
    if (!summary.is_object() || !summary.contains(gate.metric)) {
      result.note = "missing from summary";
    } else if (const std::optional<double> value = NumberFromJson(summary.at(gate.metric)); !value) {
      result.note = "not a number in summary";
    } else {
      result.value = *value;
      result.compared = metric != nullptr && metric->gate_on_magnitude ? std::abs(*value) : *value;
      if (std::isnan(result.compared)) {
        result.note = "NaN";
      } else {
        result.passed = gate.comparison == Comparison::kAtLeast ? result.compared >= gate.threshold
                                                                 : result.compared <= gate.threshold;
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::string FormatGateResults(const std::vector<GateResult>& results) {
  std::string text = fmt::format("{:<28} {:<28} {:>14} {:>4} {:>12}  {}\n", "gate", "metric", "value", "op", "threshold",
                                 "result");
  for (const GateResult& result : results) {
    const bool magnitude = !std::isnan(result.value) && result.compared != result.value;
    std::string value = std::isnan(result.value) ? result.note : fmt::format("{:.6g}", result.value);
    if (magnitude) value = fmt::format("|{:.6g}|", result.value);
    text += fmt::format("{:<28} {:<28} {:>14} {:>4} {:>12}  {}\n", result.gate.key, result.gate.metric, value,
                        result.gate.comparison == Comparison::kAtLeast ? ">=" : "<=",
                        fmt::format("{:.6g}", result.gate.threshold), result.passed ? "PASS" : "FAIL");
  }
  return text;
}

}  // namespace alphaloom::metrics
