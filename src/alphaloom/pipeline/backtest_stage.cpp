#include "alphaloom/pipeline/backtest_stage.h"

#include <fmt/format.h>

#include <memory>

#include "alphaloom/backtest/run_folder.h"
#include "alphaloom/backtest/signal.h"
#include "alphaloom/backtest/target_weights.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/metrics/conventions.h"

namespace alphaloom::pipeline {
namespace {

std::string_view StrategyName(BacktestStrategy strategy) {
  switch (strategy) {
    case BacktestStrategy::kQuantile: return "quantile";
    case BacktestStrategy::kWeights: return "weights";
    case BacktestStrategy::kTopk: break;
  }
  return "topk";
}

}  // namespace

nlohmann::ordered_json BacktestConfigJson(const BacktestStageConfig& config) {
  const backtest::ExchangeOptions& exchange = config.options.exchange;
  nlohmann::ordered_json json = {
      {"strategy", StrategyName(config.strategy)},
      {"signal_timing", config.options.timing == backtest::SignalTiming::kPreviousDay ? "previous_day" : "same_day_close"},
      {"account", config.options.initial_cash},
      {"deal_price", backtest::DealPriceName(exchange.deal_price)},
      {"open_cost", exchange.open_cost},
      {"close_cost", exchange.close_cost},
      {"min_cost", exchange.min_cost},
      {"impact_cost", exchange.impact_cost},
      {"limit_threshold", exchange.limit_threshold ? nlohmann::ordered_json(*exchange.limit_threshold) : nlohmann::ordered_json()},
      {"limit_rule", exchange.limit_rule == backtest::LimitRule::kOpenGap ? "open-gap" : "change"},
      {"trade_unit", exchange.trade_unit},
      {"preset", config.preset}};
  if (config.strategy == BacktestStrategy::kTopk) {
    json["topk"] = {{"topk", config.topk.topk},
                    {"n_drop", config.topk.n_drop},
                    {"risk_degree", config.topk.risk_degree},
                    {"hold_thresh", config.topk.hold_thresh},
                    {"only_tradable", config.topk.only_tradable},
                    {"forbid_all_trade_at_limit", config.topk.forbid_all_trade_at_limit},
                    {"sizing", config.topk.sizing == backtest::TopkSizing::kEquity ? "equity" : "cash"},
                    {"python_slices", config.topk.python_slices}};
  } else if (config.strategy == BacktestStrategy::kQuantile) {
    json["quantile"] = {{"quantile", config.quantile.quantile},
                        {"exposure", config.quantile.exposure},
                        {"long_only", config.quantile.long_only}};
  } else {
    json["allow_short"] = config.allow_short;
  }
  return json;
}

void ReadTradingStrategy(ConfigSection& strategy, BacktestStageConfig& config) {
  const std::string kind = strategy.String("kind");
  if (kind == "hybrid") {
    config.strategy = BacktestStrategy::kWeights;
    return;
  }
  if (kind == "topk_dropout") {
    config.strategy = BacktestStrategy::kTopk;
    backtest::TopkDropoutOptions& topk = config.topk;
    topk.topk = strategy.Int("topk");
    topk.n_drop = strategy.Int("n_drop");
    topk.risk_degree = strategy.Double("risk_degree");
    topk.hold_thresh = strategy.Int("hold_thresh");
    topk.only_tradable = strategy.Bool("only_tradable");
    topk.forbid_all_trade_at_limit = strategy.Bool("forbid_all_trade_at_limit");
    topk.sizing = strategy.String("sizing") == "equity" ? backtest::TopkSizing::kEquity : backtest::TopkSizing::kCash;
    topk.python_slices = strategy.Bool("python_slices");
  } else {
    config.strategy = BacktestStrategy::kQuantile;
    config.quantile.quantile = strategy.Double("quantile");
    config.quantile.exposure = strategy.Double("exposure");
    config.quantile.long_only = strategy.Bool("long_only");
    config.options.exchange.allow_short = !config.quantile.long_only;
  }
  strategy.RejectUnknownKeys();
}

void ReadBacktestConfig(ConfigSection& backtest, ConfigSection& metrics, BacktestStageConfig& config) {
  backtest::BacktestOptions& options = config.options;
  config.start = backtest.OptionalDate("start");
  config.end = backtest.OptionalDate("end");
  options.initial_cash = backtest.Double("account");
  options.timing = backtest.String("signal_timing") == "same_day_close" ? backtest::SignalTiming::kSameDayClose
                                                                        : backtest::SignalTiming::kPreviousDay;
  const std::string deal_price = backtest.String("deal_price");
  options.exchange.deal_price = deal_price == "open"   ? backtest::DealPrice::kOpen
                                : deal_price == "vwap" ? backtest::DealPrice::kVwap
                                                       : backtest::DealPrice::kClose;
  options.exchange.open_cost = backtest.Double("open_cost");
  options.exchange.close_cost = backtest.Double("close_cost");
  options.exchange.min_cost = backtest.Double("min_cost");
  options.exchange.impact_cost = backtest.Double("impact_cost");
  options.exchange.limit_threshold = backtest.OptionalDouble("limit_threshold");
  options.exchange.limit_rule =
      backtest.String("limit_rule") == "open-gap" ? backtest::LimitRule::kOpenGap : backtest::LimitRule::kChange;
  options.exchange.trade_unit = backtest.Double("trade_unit");
  config.ic = backtest.Bool("ic");
  backtest.RejectUnknownKeys();
  config.preset = metrics.String("preset");
}

nlohmann::ordered_json RunBacktestStage(const BacktestStageConfig& config, const BacktestInputs& inputs,
                                        const std::filesystem::path& out) {
  const std::optional<metrics::Conventions> conventions = metrics::PresetConventions(config.preset);
  if (!conventions) throw Error(ErrorKind::kConfig, fmt::format("preset: unknown preset '{}'", config.preset));
  const bool weights_strategy = config.strategy == BacktestStrategy::kWeights;
  if (weights_strategy && inputs.weights.empty()) {
    throw Error(ErrorKind::kUsage, "the weights strategy needs a weights file (datetime, instrument, weight)");
  }
  if (!weights_strategy && inputs.signal.empty()) {
    throw Error(ErrorKind::kUsage, fmt::format("the {} strategy needs a signal file", StrategyName(config.strategy)));
  }
  const data::QlibStore store = data::QlibStore::Open(inputs.store);
  std::vector<std::string> instruments;
  for (const data::InstrumentSpan& span : store.instruments()) instruments.push_back(span.instrument);

  backtest::SignalReadOptions read_options;
  read_options.value_column = config.score_column;
  read_options.horizon = config.horizon;
  std::optional<backtest::SignalMatrix> signal, weights;
  if (!inputs.signal.empty()) signal = backtest::ReadSignal(inputs.signal, instruments, store.calendar(), read_options);
  if (!inputs.weights.empty()) {
    backtest::SignalReadOptions weight_options;
    weight_options.value_column = config.score_column.empty() ? "weight" : config.score_column;
    weight_options.what = "weight";
    weights = backtest::ReadSignal(inputs.weights, instruments, store.calendar(), weight_options);
  }
  const backtest::SignalMatrix& driver = weights_strategy ? *weights : *signal;
  if (driver.dropped_nan > 0) LogWarn("{} rows with a NaN value read as absent (no score / weight 0)", driver.dropped_nan);

  // Default window: from the first signal date (no trade that day, as in Qlib) to the day after
  // the last one, within the store.
  const Calendar& calendar = store.calendar();
  const Date start = config.start.value_or(driver.first());
  Date end = calendar.back();
  if (config.end) {
    end = *config.end;
  } else {
    const size_t after_last = *calendar.IndexOf(driver.last()) + 1;
    if (after_last < calendar.size()) end = calendar[after_last];
  }
  const backtest::Market market =
      backtest::LoadMarket(store, start, end, backtest::RequiredMarketFields(config.options.exchange));

  backtest::BacktestOptions options = config.options;
  std::unique_ptr<backtest::Strategy> strategy;
  switch (config.strategy) {
    case BacktestStrategy::kTopk:
      strategy = std::make_unique<backtest::TopkDropoutStrategy>(config.topk);
      break;
    case BacktestStrategy::kQuantile:
      options.exchange.allow_short = !config.quantile.long_only;
      strategy = std::make_unique<backtest::QuantileStrategy>(config.quantile);
      break;
    case BacktestStrategy::kWeights: {
      options.exchange.allow_short = config.allow_short;
      backtest::TargetWeightsOptions weight_options;
      weight_options.allow_short = config.allow_short;
      strategy = std::make_unique<backtest::TargetWeightsStrategy>(weight_options);
      break;
    }
  }
  const backtest::BacktestResult result = backtest::RunBacktest(market, calendar, &driver, *strategy, options);
  std::optional<backtest::SignalIc> ic;
  if (signal && config.ic) ic = backtest::ComputeSignalIc(market, *signal);
  const nlohmann::ordered_json summary = backtest::SummarizeBacktest(result, ic ? &*ic : nullptr, *conventions, config.preset);
  nlohmann::ordered_json config_json = {{"data", inputs.store}, {"signal", inputs.signal.string()},
                                        {"weights", inputs.weights.string()}};
  config_json.update(BacktestConfigJson(config));
  backtest::WriteRunFolder(out, result, ic ? &*ic : nullptr, summary, config_json);
  LogInfo("{} days x {} instruments, {} orders: final account {:.2f}, annual return {}, Sharpe {}; run folder {}",
          market.day_count(), market.instrument_count(), result.trades.size(), result.daily.back().account,
          summary["annual_return"].dump(), summary["sharpe"].dump(), out.string());
  return summary;
}

}  // namespace alphaloom::pipeline
