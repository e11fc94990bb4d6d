#pragma once
// Small panels for the label and cv tests.
#include <cstdint>
#include <random>
#include <vector>

#include "alphaloom/data/panel.h"

namespace alphaloom::test {

/// A panel on weekdays from 2024-01-01 with `closes[i]` as instrument "I<i>"'s close (NaN = no
/// bar) and high/low at close * (1 +- 0.01).
inline data::Panel ClosePanel(const std::vector<std::vector<double>>& closes) {
  const size_t dates = closes.empty() ? 0 : closes.front().size();
  const Date start = Date::FromYmd(2024, 1, 1);
  std::vector<Date> days;
  for (Date d = start; days.size() < dates; d = Date(d.days() + 1)) {
    const int weekday = (d.days() + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday != 0 && weekday != 6) days.push_back(d);
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < closes.size(); ++i) {
    std::string name = "I";  // not "I" + to_string(i): g++ 12 warns falsely (-Wrestrict) on that
    name += std::to_string(i);
    names.push_back(name);
  }
  data::Panel panel(Calendar(days), names, {"close", "high", "low"});
  for (size_t i = 0; i < closes.size(); ++i) {
    for (size_t t = 0; t < dates; ++t) {
      panel.Series(0, i)[t] = closes[i][t];
      panel.Series(1, i)[t] = closes[i][t] * 1.01;
      panel.Series(2, i)[t] = closes[i][t] * 0.99;
    }
  }
  return panel;
}

/// Random-walk closes for `instruments` x `dates`, with about 2% of bars missing.
inline std::vector<std::vector<double>> RandomCloses(size_t instruments, size_t dates, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> step(0.0, 0.02);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<std::vector<double>> closes(instruments, std::vector<double>(dates));
  for (auto& series : closes) {
    double price = 50 + 50 * uniform(rng);
    for (double& close : series) {
      price *= std::exp(step(rng));
      close = uniform(rng) < 0.02 ? std::nan("") : price;
    }
  }
  return closes;
}

}  // namespace alphaloom::test
