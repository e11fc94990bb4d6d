// The hybrid strategy section: defaults, one-line errors naming file, line and key, and the
// whole layer on a synthetic store (limits, contributions, causality) with rules and the HMM.
#include "alphaloom/pipeline/strategy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "alphaloom/common/error.h"
#include "alphaloom/portfolio/bet_size.h"
#include "pipeline/config_test_support.h"
#include "test_support.h"

namespace alphaloom::pipeline {
namespace {

using test::ConfigError;

HybridConfig Hybrid(const std::string& yaml) { return test::ReadSection(yaml, "strategy", ReadHybridConfig); }

TEST(StrategyConfig, DefaultsAndOverrides) {
  HybridConfig config = Hybrid("strategy: {kind: hybrid}\n");
  EXPECT_EQ(config.regime.method, RegimeMethod::kRules);
  EXPECT_EQ(config.sizing.target_vol, 0.10);
  EXPECT_EQ(config.signals.trend_windows, (std::vector<int>{20, 50, 200}));
  config = Hybrid(
      "strategy:\n"
      "  kind: hybrid\n"
      "  signals: {trend_windows: [10, 30], reversion_k: 2.5}\n"
      "  regime:\n"
      "    method: hmm\n"
      "    hmm: {states: 2, refit_every: 21}\n"
      "    ids: {bull: 10, crash: 40}\n"
      "    labels: {bull: risk_on}\n"
      "  meta:\n"
      "    ml_signal: bet_size\n"
      "    weights:\n"
      "      risk_on: {trend: 0.5, ml: 0.5}\n"
      "      default: {trend: 1}\n"
      "  sizing: {method: kelly, max_weight: 0.1, long_only: false}\n");
  EXPECT_EQ(config.signals.trend_windows, (std::vector<int>{10, 30}));
  EXPECT_EQ(config.regime.method, RegimeMethod::kHmm);
  EXPECT_EQ(config.regime.hmm.states, 2);
  EXPECT_EQ(config.regime.ids[0], 10);
  EXPECT_EQ(config.regime.ids[3], 40);
  EXPECT_EQ(config.regime.labels[0], "risk_on");
  EXPECT_EQ(config.ml_signal, MlSignal::kBetSize);
  EXPECT_EQ(config.meta.regime_weights[0][0], 0.5);
  EXPECT_EQ(config.meta.regime_weights[0][portfolio::kMlComponent], 0.5);
  EXPECT_EQ(config.meta.default_weights[0], 1.0);
  EXPECT_EQ(config.sizing.method, portfolio::SizingMethod::kKelly);
  EXPECT_FALSE(config.sizing.long_only);
}

TEST(StrategyConfig, BadConfigIsOneLineNamingFileLineAndKey) {
  EXPECT_EQ(ConfigError([] {
              Hybrid("strategy:\n  kind: hybrid\n  meta:\n    weights:\n      bull: {trend: 0.5, ml: 0.3}\n");
            }),
            "wf.yaml:5: strategy.meta.weights.bull: absolute weights sum to 0.8, they must sum to 1 (so alpha_score "
            "stays in [-1, 1])");
  EXPECT_EQ(
      ConfigError([] { Hybrid("strategy:\n  kind: hybrid\n  meta:\n    weights:\n      sideways: {trend: 1}\n"); }),
      "wf.yaml:5: strategy.meta.weights.sideways: unknown regime label 'sideways' (labels: bull, bear, choppy, "
      "crash, or default)");
  EXPECT_EQ(ConfigError([] { Hybrid("strategy:\n  kind: hybrid\n  sizing:\n    target_vol: -0.1\n"); }),
            "wf.yaml:4: strategy.sizing.target_vol: must be a positive number, got -0.1");
  EXPECT_EQ(ConfigError([] { Hybrid("strategy:\n  kind: hybrid\n  regime:\n    rules: {high_vol: 0.5}\n"); }),
            "wf.yaml:4: strategy.regime.rules.high_vol: 0.5 is above crash_vol 0.45");
  EXPECT_NE(ConfigError([] {
              Hybrid("strategy:\n  kind: hybrid\n  sizing: {target_volatility: 0.1}\n");
            }).find("target_volatility"),
            std::string::npos);
  EXPECT_NE(ConfigError([] {
              Hybrid("strategy:\n  kind: hybrid\n  meta: {weights: {bull: {trend: 1, momentum: 0}}}\n");
            }).find("momentum"),
            std::string::npos);
  EXPECT_NE(ConfigError([] { Hybrid("strategy: {kind: topk_dropout}\n"); }).find("strategy.kind"), std::string::npos);
}

// One synthetic store shared by the end-to-end tests (built once by the CLI).
const std::filesystem::path& SynthStore() {
  static test::TempDir dir;
  static const std::filesystem::path store = [] {
    const std::filesystem::path path = dir / "store";
    const test::CommandResult result = test::RunAlphaloom(
        "-q synth --instruments 25 --start 2014-01-01 --end 2018-12-31 --seed 3 --format qlib --out " + path.string());
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return path;
  }();
  return store;
}

const std::vector<double>& Numbers(const data::Table& table, const std::string& name) {
  const data::TableColumn* column = table.Find(name);
  EXPECT_NE(column, nullptr) << name;
  return column->numbers;
}

void CheckLimitsAndContributions(const data::Table& table, const portfolio::SizingConfig& sizing) {
  const auto& dates = table.Find("datetime")->dates;
  const auto& weights = Numbers(table, "weight");
  const auto& scores = Numbers(table, "alpha_score");
  double gross = 0;
  double net = 0;
  for (size_t row = 0; row < table.rows(); ++row) {
    double sum = 0;
    for (const auto name : portfolio::kComponentNames) sum += Numbers(table, "c_" + std::string(name))[row];
    ASSERT_EQ(sum, scores[row]) << row;
    ASSERT_LE(std::fabs(scores[row]), 1.0);
    ASSERT_LE(std::fabs(weights[row]), sizing.max_weight + 1e-15);
    if (sizing.long_only) ASSERT_GE(weights[row], 0.0);
    gross += std::fabs(weights[row]);
    net += weights[row];
    if (row + 1 == table.rows() || dates[row + 1] != dates[row]) {
      ASSERT_LE(gross, sizing.max_gross);
      ASSERT_LE(std::fabs(net), sizing.max_net + 1e-12);
      gross = net = 0;
    }
  }
}

void CheckPrefixEqual(const data::Table& full, const data::Table& cut, Date last) {
  ASSERT_GT(cut.rows(), 0u);
  ASSERT_EQ(cut.Find("datetime")->dates.back(), last);
  for (size_t column = 0; column < full.columns.size(); ++column) {
    const data::TableColumn& a = full.columns[column];
    const data::TableColumn& b = cut.columns[column];
    for (size_t row = 0; row < cut.rows(); ++row) {
      if (a.type == data::ColumnType::kNumber) {
        ASSERT_TRUE((std::isnan(a.numbers[row]) && std::isnan(b.numbers[row])) || a.numbers[row] == b.numbers[row])
            << a.name << " row " << row;
      } else if (a.type == data::ColumnType::kString) {
        ASSERT_EQ(a.strings[row], b.strings[row]) << a.name << " row " << row;
      } else {
        ASSERT_EQ(a.dates[row], b.dates[row]) << a.name << " row " << row;
      }
    }
  }
}

TEST(StrategyRun, RulesEndToEndRespectsLimitsAndNeverReadsTheFuture) {
  const data::QlibStore store = data::QlibStore::Open(SynthStore());
  HybridConfig config = Hybrid("strategy: {kind: hybrid, sizing: {max_weight: 0.08, max_gross: 0.9, max_net: 0.7}}\n");
  ThreadPool pool(2);
  const data::Table full = RunHybridStrategy(config, store, {}, std::nullopt, std::nullopt, pool);
  ASSERT_GT(full.rows(), 1000u);
  CheckLimitsAndContributions(full, config.sizing);
  // Warm-up dates (the 200-day average) have no regime; later ones do.
  std::set<std::string> regimes(full.Find("regime")->strings.begin(), full.Find("regime")->strings.end());
  EXPECT_EQ(full.Find("regime")->strings.front(), "");
  EXPECT_NE(full.Find("regime")->strings.back(), "");
  EXPECT_GE(regimes.size(), 2u);
  size_t invested_rows = 0;
  for (double weight : Numbers(full, "weight")) invested_rows += weight > 0 ? 1 : 0;
  EXPECT_GT(invested_rows, 1000u);
  const Date cut = Date::FromYmd(2017, 6, 30);
  const data::Table truncated = RunHybridStrategy(config, store, {}, std::nullopt, cut, pool);
  CheckPrefixEqual(full, truncated, cut);
}

TEST(StrategyRun, HmmAndPredictionsEndToEndNeverReadTheFuture) {
  const data::QlibStore store = data::QlibStore::Open(SynthStore());
  HybridConfig config = Hybrid(
      "strategy:\n  kind: hybrid\n  regime: {method: hmm, hmm: {states: 2, min_train: 300, refit_every: 40}}\n"
      "  meta: {ml_signal: bet_size}\n  sizing: {long_only: false, max_net: 0.2}\n");
  // Predictions with a known P(up) per row: the ML contribution must equal weight * BetSize.
  data::Table predictions;
  std::vector<Date> dates;
  std::vector<std::string> names;
  std::vector<double> probabilities;
  const auto& calendar = store.calendar().dates();
  for (size_t date_idx = 500; date_idx < calendar.size(); ++date_idx) {
    for (const auto& span : store.instruments()) {
      dates.push_back(calendar[date_idx]);
      names.push_back(span.instrument);
      probabilities.push_back(0.5 + 0.4 * std::sin(static_cast<double>(date_idx + names.size())));
    }
  }
  predictions.columns.push_back(data::TableColumn::Dates("datetime", dates));
  predictions.columns.push_back(data::TableColumn::Strings("instrument", names));
  predictions.columns.push_back(data::TableColumn::Numbers("prob_up", probabilities));
  ThreadPool pool(2);
  const Date start = Date::FromYmd(2015, 6, 1);
  const data::Table full = RunHybridStrategy(config, store, predictions, start, std::nullopt, pool);
  CheckLimitsAndContributions(full, config.sizing);
  size_t with_ml = 0;
  for (double contribution : Numbers(full, "c_ml")) with_ml += contribution != 0 ? 1 : 0;
  EXPECT_GT(with_ml, full.rows() / 2);
  const Date cut = Date::FromYmd(2016, 11, 30);
  const data::Table truncated = RunHybridStrategy(config, store, predictions, start, cut, pool);
  CheckPrefixEqual(full, truncated, cut);
}

TEST(StrategyRun, MlSignalTransforms) {
  const data::QlibStore store = data::QlibStore::Open(SynthStore());
  const std::string only_ml =
      "    weights: {default: {ml: 1}, bull: {ml: 1}, bear: {ml: 1}, choppy: {ml: 1}, crash: {ml: 1}}\n";
  const Date day = store.calendar()[700];
  data::Table predictions;
  std::vector<Date> dates;
  std::vector<std::string> names;
  std::vector<double> yhat, prob_up;
  for (const auto& span : store.instruments()) {
    dates.push_back(day);
    names.push_back(span.instrument);
    yhat.push_back(static_cast<double>(names.size() % 7) + 0.01 * static_cast<double>(names.size()));
    prob_up.push_back(0.05 + 0.9 * static_cast<double>(names.size()) / 30.0);
  }
  predictions.columns.push_back(data::TableColumn::Dates("datetime", dates));
  predictions.columns.push_back(data::TableColumn::Strings("instrument", names));
  predictions.columns.push_back(data::TableColumn::Numbers("yhat", yhat));
  predictions.columns.push_back(data::TableColumn::Numbers("prob_up", prob_up));
  ThreadPool pool(1);
  for (const std::string kind : {"yhat_rank", "bet_size", "prob_up"}) {
    const HybridConfig config = Hybrid("strategy:\n  kind: hybrid\n  meta:\n    ml_signal: " + kind + "\n" + only_ml);
    const data::Table table = RunHybridStrategy(config, store, predictions, day, day, pool);
    const auto& instruments = table.Find("instrument")->strings;
    const auto& scores = Numbers(table, "alpha_score");
    ASSERT_GT(table.rows(), 10u);
    std::vector<double> ranked_yhat;
    for (size_t row = 0; row < table.rows(); ++row) {
      const size_t index = static_cast<size_t>(std::find(names.begin(), names.end(), instruments[row]) - names.begin());
      ranked_yhat.push_back(yhat[index]);
      if (kind == "bet_size") EXPECT_DOUBLE_EQ(scores[row], portfolio::BetSize(prob_up[index])) << instruments[row];
      if (kind == "prob_up") EXPECT_DOUBLE_EQ(scores[row], 2 * prob_up[index] - 1) << instruments[row];
    }
    if (kind == "yhat_rank") {
      const size_t best =
          static_cast<size_t>(std::max_element(ranked_yhat.begin(), ranked_yhat.end()) - ranked_yhat.begin());
      const size_t worst =
          static_cast<size_t>(std::min_element(ranked_yhat.begin(), ranked_yhat.end()) - ranked_yhat.begin());
      EXPECT_EQ(scores[best], 1.0);
      EXPECT_EQ(scores[worst], -1.0);
      for (size_t a = 0; a < table.rows(); ++a) {
        for (size_t b = 0; b < table.rows(); ++b) {
          if (ranked_yhat[a] < ranked_yhat[b]) EXPECT_LT(scores[a], scores[b]);
        }
      }
    }
  }
}

TEST(StrategyRun, RegimeTableHasOneRowPerDate) {
  const data::QlibStore store = data::QlibStore::Open(SynthStore());
  RegimeConfig config;
  config.labels[0] = "up";
  const regime::RegimeSeries series = ComputeRegimes(config, store);
  const data::Table table = RegimeTable(series, config, Date::FromYmd(2016, 1, 1));
  EXPECT_EQ(table.columns.size(), 7u);
  EXPECT_NE(table.Find("p_up"), nullptr);
  EXPECT_EQ(table.Find("datetime")->dates.front(),
            store.calendar()[store.calendar().LowerBound(Date::FromYmd(2016, 1, 1))]);
}

}  // namespace
}  // namespace alphaloom::pipeline
