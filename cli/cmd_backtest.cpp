// alphaloom backtest --data DIR --signal FILE --strategy topk|weights|quantile [options] --out DIR
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>

#include "alphaloom/backtest/engine.h"
#include "alphaloom/backtest/quantile.h"
#include "alphaloom/backtest/run_folder.h"
#include "alphaloom/backtest/topk_dropout.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/metrics/conventions.h"
#include "alphaloom/report/report.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct BacktestArgs {
  std::string data, signal, weights, strategy = "topk", out, score_column, start, end, preset = "qlib";
  std::string deal_price = "close", limit_rule = "change", sizing = "cash", report_python;
  double horizon = std::nan("");
  double account = 1e8, open_cost = 0.0005, close_cost = 0.0015, min_cost = 5.0, impact_cost = 0.0;
  double limit_threshold = 0.095, trade_unit = 100.0;
  bool no_limit = false, signal_at_close = false, allow_short = false, report = false, no_ic = false;
  backtest::TopkDropoutOptions topk;
  backtest::QuantileOptions quantile;
  bool no_forbid_all = false, clamp_slices = false;
};

backtest::DealPrice ParseDealPrice(const std::string& name) {
  if (name == "open") return backtest::DealPrice::kOpen;
  if (name == "vwap") return backtest::DealPrice::kVwap;
  return backtest::DealPrice::kClose;
}

nlohmann::ordered_json ConfigJson(const BacktestArgs& args, const backtest::BacktestOptions& options) {
  nlohmann::ordered_json config = {
      {"data", args.data},
      {"signal", args.signal},
      {"weights", args.weights},
      {"strategy", args.strategy},
      {"signal_timing", options.timing == backtest::SignalTiming::kPreviousDay ? "previous_day" : "same_day_close"},
      {"account", options.initial_cash},
      {"deal_price", args.deal_price},
      {"open_cost", options.exchange.open_cost},
      {"close_cost", options.exchange.close_cost},
      {"min_cost", options.exchange.min_cost},
      {"impact_cost", options.exchange.impact_cost},
      {"limit_threshold", options.exchange.limit_threshold ? nlohmann::json(*options.exchange.limit_threshold) : nlohmann::json()},
      {"limit_rule", args.limit_rule},
      {"trade_unit", options.exchange.trade_unit},
      {"preset", args.preset}};
  if (args.strategy == "topk") {
    config["topk"] = {{"topk", args.topk.topk},
                      {"n_drop", args.topk.n_drop},
                      {"risk_degree", args.topk.risk_degree},
                      {"hold_thresh", args.topk.hold_thresh},
                      {"only_tradable", args.topk.only_tradable},
                      {"forbid_all_trade_at_limit", args.topk.forbid_all_trade_at_limit},
                      {"sizing", args.sizing},
                      {"python_slices", args.topk.python_slices}};
  } else if (args.strategy == "quantile") {
    config["quantile"] = {{"quantile", args.quantile.quantile},
                          {"exposure", args.quantile.exposure},
                          {"long_only", args.quantile.long_only}};
  } else {
    config["allow_short"] = args.allow_short;
  }
  return config;
}

void RunBacktestCommand(BacktestArgs args, const GlobalOptions& global) {
  const std::optional<metrics::Conventions> conventions = metrics::PresetConventions(args.preset);
  if (!conventions) throw Error(ErrorKind::kUsage, fmt::format("--preset: unknown preset '{}'", args.preset));
  if (args.strategy == "weights" && args.weights.empty()) {
    throw Error(ErrorKind::kUsage, "--strategy weights needs --weights FILE (datetime, instrument, weight)");
  }
  if (args.strategy != "weights" && args.signal.empty()) {
    throw Error(ErrorKind::kUsage, fmt::format("--strategy {} needs --signal FILE", args.strategy));
  }
  const data::QlibStore store = data::QlibStore::Open(args.data);
  std::vector<std::string> instruments;
  for (const data::InstrumentSpan& span : store.instruments()) instruments.push_back(span.instrument);

  backtest::SignalReadOptions read_options;
  read_options.value_column = args.score_column;
  if (!std::isnan(args.horizon)) read_options.horizon = args.horizon;
  std::optional<backtest::SignalMatrix> signal, weights;
  if (!args.signal.empty()) signal = backtest::ReadSignal(args.signal, instruments, store.calendar(), read_options);
  if (!args.weights.empty()) {
    backtest::SignalReadOptions weight_options;
    weight_options.value_column = args.score_column.empty() ? "weight" : args.score_column;
    weight_options.what = "weight";
    weights = backtest::ReadSignal(args.weights, instruments, store.calendar(), weight_options);
  }
  const backtest::SignalMatrix& driver = args.strategy == "weights" ? *weights : *signal;
  if (driver.dropped_nan > 0) {
    LogWarn("{} rows with a NaN value read as absent (no score / weight 0)", driver.dropped_nan);
  }

  backtest::BacktestOptions options;
  options.initial_cash = args.account;
  options.timing = args.signal_at_close ? backtest::SignalTiming::kSameDayClose : backtest::SignalTiming::kPreviousDay;
  options.exchange.deal_price = ParseDealPrice(args.deal_price);
  options.exchange.open_cost = args.open_cost;
  options.exchange.close_cost = args.close_cost;
  options.exchange.min_cost = args.min_cost;
  options.exchange.impact_cost = args.impact_cost;
  options.exchange.limit_threshold = args.no_limit ? std::nullopt : std::optional<double>(args.limit_threshold);
  options.exchange.limit_rule = args.limit_rule == "open-gap" ? backtest::LimitRule::kOpenGap : backtest::LimitRule::kChange;
  options.exchange.trade_unit = args.trade_unit;

  // Default window: from the first signal date (no trade that day, as in Qlib) to the day after
  // the last one, within the store.
  const Calendar& calendar = store.calendar();
  const Date start = args.start.empty() ? driver.first() : ParseDateOrThrow(args.start, "--start");
  Date end = calendar.back();
  if (!args.end.empty()) {
    end = ParseDateOrThrow(args.end, "--end");
  } else {
    const size_t after_last = *calendar.IndexOf(driver.last()) + 1;
    if (after_last < calendar.size()) end = calendar[after_last];
  }
  const backtest::Market market = backtest::LoadMarket(store, start, end);

  std::unique_ptr<backtest::Strategy> strategy;
  if (args.strategy == "topk") {
    args.topk.forbid_all_trade_at_limit = !args.no_forbid_all;
    args.topk.python_slices = !args.clamp_slices;
    args.topk.sizing = args.sizing == "equity" ? backtest::TopkSizing::kEquity : backtest::TopkSizing::kCash;
    strategy = std::make_unique<backtest::TopkDropoutStrategy>(args.topk);
  } else if (args.strategy == "quantile") {
    options.exchange.allow_short = !args.quantile.long_only;
    strategy = std::make_unique<backtest::QuantileStrategy>(args.quantile);
  } else {
    options.exchange.allow_short = args.allow_short;
    backtest::TargetWeightsOptions weight_options;
    weight_options.allow_short = args.allow_short;
    strategy = std::make_unique<backtest::TargetWeightsStrategy>(weight_options);
  }
  const backtest::BacktestResult result = backtest::RunBacktest(market, calendar, &driver, *strategy, options);
  std::optional<backtest::SignalIc> ic;
  if (signal && !args.no_ic) ic = backtest::ComputeSignalIc(market, *signal);
  const nlohmann::ordered_json summary =
      backtest::SummarizeBacktest(result, ic ? &*ic : nullptr, *conventions, args.preset);
  backtest::WriteRunFolder(args.out, result, ic ? &*ic : nullptr, summary, ConfigJson(args, options));
  LogInfo("{} days x {} instruments, {} orders: final account {:.2f}, annual return {}, Sharpe {}; run folder {}",
          market.day_count(), market.instrument_count(), result.trades.size(), result.daily.back().account,
          summary["annual_return"].dump(), summary["sharpe"].dump(), args.out);
  if (args.report) {
    report::ReportOptions report_options;
    report_options.python = args.report_python;
    const std::filesystem::path report_dir = std::filesystem::path(args.out) / "report";
    report::WriteReport(args.out, report_dir, report_options);
    LogInfo("report written to {}", (report_dir / "index.html").string());
  }
  (void)global;
}

}  // namespace

void AddBacktestCommand(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<BacktestArgs>();
  CLI::App* command = app.add_subcommand(
      "backtest", "Daily backtest of a signal (TopK-dropout, target weights, long-short quantile) with Qlib's exchange rules");
  command->add_option("--data", args->data, "Store directory (Qlib layout)")->required();
  command->add_option("--signal", args->signal, "Scores: CSV/Parquet with datetime, instrument, score (or yhat)");
  command->add_option("--weights", args->weights, "Target weights: CSV/Parquet with datetime, instrument, weight");
  command->add_option("--strategy", args->strategy, "topk (TopK-dropout), weights or quantile (long-short)")
      ->check(CLI::IsMember({"topk", "weights", "quantile"}));
  command->add_option("--score-column", args->score_column, "Value column (default: score, else yhat; weight for --weights)");
  command->add_option("--horizon", args->horizon, "Rows of this horizon when the file has a horizon column");
  command->add_option("--start", args->start, "First backtest day (default: the first signal date)");
  command->add_option("--end", args->end, "Last backtest day (default: the trading day after the last signal date)");
  command->add_flag("--signal-at-close", args->signal_at_close,
                    "Trade on t with the signal dated t, at t's close (the signal must be known before the close)");
  command->add_option("--account", args->account, "Initial cash (default 1e8)");
  command->add_option("--deal-price", args->deal_price, "open, close or vwap (default close)")
      ->check(CLI::IsMember({"open", "close", "vwap"}));
  command->add_option("--open-cost", args->open_cost, "Cost rate of buys (default 0.0005)");
  command->add_option("--close-cost", args->close_cost, "Cost rate of sells (default 0.0015)");
  command->add_option("--min-cost", args->min_cost, "Minimum cost per executed order (default 5)");
  command->add_option("--impact-cost", args->impact_cost, "Impact coefficient on (value / day's traded value)^2 (default 0)");
  command->add_option("--limit-threshold", args->limit_threshold, "Price-limit move that blocks trading (default 0.095)");
  command->add_flag("--no-limit", args->no_limit, "No price limits (suspensions still block)");
  command->add_option("--limit-rule", args->limit_rule, "change (Qlib: day's close-to-close) or open-gap")
      ->check(CLI::IsMember({"change", "open-gap"}));
  command->add_option("--trade-unit", args->trade_unit, "Lot size in raw shares, rounded with $factor (default 100; 0 = none)");
  command->add_option("--topk", args->topk.topk, "TopK: names held (default 50)");
  command->add_option("--n-drop", args->topk.n_drop, "TopK: names replaced per day (default 5)");
  command->add_option("--risk-degree", args->topk.risk_degree, "TopK: fraction of cash spent on buys (default 0.95)");
  command->add_option("--hold-thresh", args->topk.hold_thresh, "TopK: closes a name is held before it may be sold (default 1)");
  command->add_flag("--only-tradable", args->topk.only_tradable, "TopK: skip untradable names when picking (Qlib option)");
  command->add_flag("--no-forbid-all-trade-at-limit", args->no_forbid_all,
                    "TopK: a limit blocks only its own direction (Qlib's forbid_all_trade_at_limit=False)");
  command->add_option("--sizing", args->sizing, "TopK: cash (Qlib) or equity (equal share of equity per name)")
      ->check(CLI::IsMember({"cash", "equity"}));
  command->add_flag("--clamp-slices", args->clamp_slices, "TopK: clamp Qlib's negative Python slice counts at 0");
  command->add_option("--quantile", args->quantile.quantile, "Quantile: fraction of names per side (default 0.2)");
  command->add_option("--exposure", args->quantile.exposure, "Quantile: weight per side (default 0.5)");
  command->add_flag("--long-only", args->quantile.long_only, "Quantile: the long side only");
  command->add_flag("--allow-short", args->allow_short, "Weights: accept negative weights (short positions)");
  command->add_option("--preset", args->preset, "Summary conventions: qlib (238, summed; default) or default")
      ->check(CLI::IsMember({"qlib", "default"}));
  command->add_flag("--no-ic", args->no_ic, "Skip the signal's daily IC (ic.csv, the report's IC chart)");
  command->add_flag("--report", args->report, "Also write the HTML report under OUT/report");
  command->add_option("--report-python", args->report_python, "Python with matplotlib for the report charts");
  command->add_option("--out", args->out, "Run folder (written atomically)")->required();
  command->callback([args, &global] { RunBacktestCommand(*args, global); });
}

}  // namespace alphaloom::cli
