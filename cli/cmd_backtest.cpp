// alphaloom backtest --data DIR --signal FILE --strategy topk|weights|quantile [options] --out DIR
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/metrics/conventions.h"
#include "alphaloom/pipeline/backtest_stage.h"
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

void RunBacktestCommand(BacktestArgs args) {
  pipeline::BacktestStageConfig config;
  if (args.strategy == "weights" && args.weights.empty()) {
    throw Error(ErrorKind::kUsage, "--strategy weights needs --weights FILE (datetime, instrument, weight)");
  }
  if (args.strategy != "weights" && args.signal.empty()) {
    throw Error(ErrorKind::kUsage, fmt::format("--strategy {} needs --signal FILE", args.strategy));
  }
  if (!metrics::PresetConventions(args.preset)) throw Error(ErrorKind::kUsage, fmt::format("--preset: unknown preset '{}'", args.preset));
  config.strategy = args.strategy == "topk"       ? pipeline::BacktestStrategy::kTopk
                    : args.strategy == "quantile" ? pipeline::BacktestStrategy::kQuantile
                                                  : pipeline::BacktestStrategy::kWeights;
  config.topk = args.topk;
  config.topk.forbid_all_trade_at_limit = !args.no_forbid_all;
  config.topk.python_slices = !args.clamp_slices;
  config.topk.sizing = args.sizing == "equity" ? backtest::TopkSizing::kEquity : backtest::TopkSizing::kCash;
  config.quantile = args.quantile;
  config.allow_short = args.allow_short;
  backtest::BacktestOptions& options = config.options;
  options.initial_cash = args.account;
  options.timing = args.signal_at_close ? backtest::SignalTiming::kSameDayClose : backtest::SignalTiming::kPreviousDay;
  options.exchange.deal_price = args.deal_price == "open"   ? backtest::DealPrice::kOpen
                                : args.deal_price == "vwap" ? backtest::DealPrice::kVwap
                                                            : backtest::DealPrice::kClose;
  options.exchange.open_cost = args.open_cost;
  options.exchange.close_cost = args.close_cost;
  options.exchange.min_cost = args.min_cost;
  options.exchange.impact_cost = args.impact_cost;
  options.exchange.limit_threshold = args.no_limit ? std::nullopt : std::optional<double>(args.limit_threshold);
  options.exchange.limit_rule = args.limit_rule == "open-gap" ? backtest::LimitRule::kOpenGap : backtest::LimitRule::kChange;
  options.exchange.trade_unit = args.trade_unit;
  config.preset = args.preset;
  config.score_column = args.score_column;
  if (!std::isnan(args.horizon)) config.horizon = args.horizon;
  config.start = OptionalDateFlag(args.start, "--start");
  config.end = OptionalDateFlag(args.end, "--end");
  config.ic = !args.no_ic;
  pipeline::RunBacktestStage(config, {args.data, args.signal, args.weights}, args.out);
  if (args.report) {
    report::ReportOptions report_options;
    report_options.python = args.report_python;
    const std::filesystem::path report_dir = std::filesystem::path(args.out) / "report";
    report::WriteReport(args.out, report_dir, report_options);
    LogInfo("report written to {}", (report_dir / "index.html").string());
  }
}

}  // namespace

void AddBacktestCommand(CLI::App& app, const GlobalOptions& /*global*/) {
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
  command->callback([args] { RunBacktestCommand(*args); });
}

}  // namespace alphaloom::cli
