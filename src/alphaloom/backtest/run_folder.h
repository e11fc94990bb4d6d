#pragma once
// A backtest's run folder, written whole or not at all (StagingDirectory):
//   daily.csv|parquet      datetime, account, cash, holdings_value, return (gross of cost), cost,
//                          turnover, bench, net_return, excess_return_with_cost, positions
//   positions.csv|parquet  datetime, instrument, amount, price, value, weight, days_held
//   trades.csv|parquet     datetime, instrument, side, requested, amount, price, value, cost, status
//   ic.csv|parquet         datetime, ic, rank_ic, pairs (when a score signal was given)
//   summary.json           metrics::Summarize of the daily series (+ "signal" IC summary)
//   config.json            what the run was asked to do
#include <filesystem>
#include <nlohmann/json.hpp>

#include "alphaloom/backtest/engine.h"
#include "alphaloom/metrics/conventions.h"

namespace alphaloom::backtest {

/// The summary of `result` under `conventions` (named `preset`): metrics::Summarize over the
/// daily gross returns with costs, benchmark, turnover and dates, plus, when `ic` has days, a
/// "signal" object with ic/rank_ic mean, std, ICIR and day count (metrics/icir.h).
nlohmann::ordered_json SummarizeBacktest(const BacktestResult& result, const SignalIc* ic,
                                         const metrics::Conventions& conventions, std::string_view preset);

/// Writes the folder at `out` (replacing an existing one only once everything is written).
/// Throws Error(kIo) when it cannot be written.
void WriteRunFolder(const std::filesystem::path& out, const BacktestResult& result, const SignalIc* ic,
                    const nlohmann::ordered_json& summary, const nlohmann::ordered_json& config);

}  // namespace alphaloom::backtest
