#include "alphaloom/metrics/conventions.h"

#include <array>
#include <cmath>
#include <string>

#include "alphaloom/common/error.h"

namespace alphaloom::metrics {
namespace {

constexpr std::array<std::string_view, 2> kPresetNames = {"default", "qlib"};

}  // namespace

Conventions DefaultConventions() { return Conventions{}; }

Conventions QlibConventions() {
  Conventions conventions;
  conventions.periods_per_year = 238.0;
  conventions.compounding = Compounding::kSum;
  conventions.initial_capital_is_peak = false;
  return conventions;
}

std::optional<Conventions> PresetConventions(std::string_view name) {
  if (name == "default") return DefaultConventions();
  if (name == "qlib") return QlibConventions();
  return std::nullopt;
}

std::span<const std::string_view> PresetNames() { return kPresetNames; }

void ValidateConventions(const Conventions& conventions) {
  if (!std::isfinite(conventions.periods_per_year) || conventions.periods_per_year <= 0) {
    throw Error(ErrorKind::kConfig,
                "periods_per_year must be a positive number, got " + std::to_string(conventions.periods_per_year));
  }
  if (conventions.ddof < 0) {
    throw Error(ErrorKind::kConfig, "ddof must be >= 0, got " + std::to_string(conventions.ddof));
  }
  if (!std::isfinite(conventions.risk_free_annual) || conventions.risk_free_annual <= -1) {
    throw Error(ErrorKind::kConfig,
                "risk_free_annual must be a number > -1, got " + std::to_string(conventions.risk_free_annual));
  }
}

double RiskFreePerPeriod(const Conventions& conventions) {
  if (conventions.risk_free_annual == 0) return 0.0;
  if (conventions.compounding == Compounding::kSum) return conventions.risk_free_annual / conventions.periods_per_year;
  return std::pow(1.0 + conventions.risk_free_annual, 1.0 / conventions.periods_per_year) - 1.0;
}

std::vector<double> PrepareReturns(std::span<const double> returns, const Conventions& conventions) {
  std::vector<double> prepared;
  prepared.reserve(returns.size());
  for (const double value : returns) {
    if (!std::isnan(value)) {
      prepared.push_back(value);
    } else if (conventions.nan_policy == NanPolicy::kZero) {
      prepared.push_back(0.0);
    }
  }
  return prepared;
}

PreparedPair PreparePair(std::span<const double> first, std::span<const double> second,
                         const Conventions& conventions) {
  if (first.size() != second.size()) {
    throw Error(ErrorKind::kData, "paired series differ in length: " + std::to_string(first.size()) + " vs " +
                                      std::to_string(second.size()));
  }
  PreparedPair pair;
  pair.first.reserve(first.size());
  pair.second.reserve(second.size());
  for (size_t index = 0; index < first.size(); ++index) {
    const bool missing = std::isnan(first[index]) || std::isnan(second[index]);
    if (missing && conventions.nan_policy == NanPolicy::kSkip) continue;
    pair.first.push_back(std::isnan(first[index]) ? 0.0 : first[index]);
    pair.second.push_back(std::isnan(second[index]) ? 0.0 : second[index]);
  }
  return pair;
}

}  // namespace alphaloom::metrics
