#include "alphaloom/expr/registry.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "alphaloom/common/error.h"

namespace alphaloom::expr {
namespace {

std::string_view KindName(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::kElementwise: return "element-wise";
    case OperatorKind::kTimeSeries: return "time-series";
    case OperatorKind::kCrossSectional: return "cross-sectional";
  }
  return "";
}

}  // namespace

void Registry::Add(OperatorSpec spec) {
  const std::string name = spec.name;
  Check(specs_.emplace(name, std::move(spec)).second, "operator registered twice: " + name);
}

const OperatorSpec* Registry::Find(std::string_view name) const {
  const auto found = specs_.find(name);
  return found == specs_.end() ? nullptr : &found->second;
}

std::vector<const OperatorSpec*> Registry::All() const {
  std::vector<const OperatorSpec*> all;
  for (const auto& [name, spec] : specs_) all.push_back(&spec);
  return all;
}

const Registry& DefaultRegistry() {
  static const Registry registry = [] {
    Registry built;
    RegisterElementwiseOps(built);
    RegisterTimeSeriesOps(built);
    RegisterCrossSectionalOps(built);
    RegisterTaOps(built);
    return built;
  }();
  return registry;
}

std::string DescribeOperators(const Registry& registry, std::string_view format) {
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const OperatorSpec* spec : registry.All()) {
      list.push_back({{"name", spec->name}, {"signature", spec->signature}, {"kind", KindName(spec->kind)},
                      {"doc", spec->doc}, {"nan_policy", spec->nan_policy}, {"warmup", spec->warmup}});
    }
    return list.dump(2) + "\n";
  }
  if (format == "markdown") {
    std::string text = "| operator | kind | meaning | NaN policy | warm-up |\n|---|---|---|---|---|\n";
    for (const OperatorSpec* spec : registry.All()) {
      text += fmt::format("| `{}` | {} | {} | {} | {} |\n", spec->signature, KindName(spec->kind), spec->doc,
                          spec->nan_policy, spec->warmup);
    }
    return text;
  }
  if (format != "text") throw Error(ErrorKind::kUsage, fmt::format("unknown format '{}' (text, markdown, json)", format));
  std::string text;
  for (const OperatorSpec* spec : registry.All()) {
    text += fmt::format("{:<22} {:<15} {}\n{:<38} NaN: {}; warm-up: {}\n", spec->signature, KindName(spec->kind),
                        spec->doc, "", spec->nan_policy, spec->warmup);
  }
  return text;
}

}  // namespace alphaloom::expr
