#include "alphaloom/backtest/run_folder.h"

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/metrics/icir.h"
#include "alphaloom/metrics/summary.h"

namespace alphaloom::backtest {

namespace {

using data::Table;
using data::TableColumn;

void WriteBoth(const Table& table, const std::filesystem::path& dir, const std::string& stem) {
  data::WriteTable(table, dir / (stem + ".csv"));
  data::WriteTable(table, dir / (stem + ".parquet"));
}

Table DailyTable(const BacktestResult& result) {
  std::vector<Date> dates;
  std::vector<double> account, cash, holdings, gross, cost, turnover, bench, net, excess, positions;
  for (const DailyRecord& day : result.daily) {
    dates.push_back(day.date);
    account.push_back(day.account);
    cash.push_back(day.cash);
    holdings.push_back(day.holdings_value);
    gross.push_back(day.gross_return);
    cost.push_back(day.cost);
    turnover.push_back(day.turnover);
    bench.push_back(day.benchmark);
    net.push_back(day.gross_return - day.cost);
    excess.push_back(day.gross_return - day.benchmark - day.cost);
    positions.push_back(static_cast<double>(day.positions));
  }
  Table table;
  table.columns = {TableColumn::Dates("datetime", dates),          TableColumn::Numbers("account", account),
                   TableColumn::Numbers("cash", cash),              TableColumn::Numbers("holdings_value", holdings),
                   TableColumn::Numbers("return", gross),           TableColumn::Numbers("cost", cost),
                   TableColumn::Numbers("turnover", turnover),      TableColumn::Numbers("bench", bench),
                   TableColumn::Numbers("net_return", net),         TableColumn::Numbers("excess_return_with_cost", excess),
                   TableColumn::Numbers("positions", positions)};
  return table;
}

Table PositionsTable(const BacktestResult& result) {
  std::vector<Date> dates;
  std::vector<std::string> names;
  std::vector<double> amount, price, value, weight, days;
  for (const PositionRecord& row : result.positions) {
    dates.push_back(row.date);
    names.push_back(result.instruments[row.instrument]);
    amount.push_back(row.amount);
    price.push_back(row.price);
    value.push_back(row.value);
    weight.push_back(row.weight);
    days.push_back(row.days_held);
  }
  Table table;
  table.columns = {TableColumn::Dates("datetime", dates),   TableColumn::Strings("instrument", names),
                   TableColumn::Numbers("amount", amount),  TableColumn::Numbers("price", price),
                   TableColumn::Numbers("value", value),    TableColumn::Numbers("weight", weight),
                   TableColumn::Numbers("days_held", days)};
  return table;
}

Table TradesTable(const BacktestResult& result) {
  std::vector<Date> dates;
  std::vector<std::string> names, side, status;
  std::vector<double> requested, amount, price, value, cost;
  for (const TradeRecord& row : result.trades) {
    dates.push_back(row.date);
    names.push_back(result.instruments[row.instrument]);
    side.push_back(row.direction == Direction::kBuy ? "buy" : "sell");
    requested.push_back(row.requested);
    amount.push_back(row.fill.amount);
    price.push_back(row.fill.price);
    value.push_back(row.fill.value);
    cost.push_back(row.fill.cost);
    status.push_back(std::string(FillStatusName(row.fill.status)));
  }
  Table table;
  table.columns = {TableColumn::Dates("datetime", dates),       TableColumn::Strings("instrument", names),
                   TableColumn::Strings("side", side),           TableColumn::Numbers("requested", requested),
                   TableColumn::Numbers("amount", amount),       TableColumn::Numbers("price", price),
                   TableColumn::Numbers("value", value),         TableColumn::Numbers("cost", cost),
                   TableColumn::Strings("status", status)};
  return table;
}

}  // namespace

nlohmann::ordered_json SummarizeBacktest(const BacktestResult& result, const SignalIc* ic,
                                         const metrics::Conventions& conventions, std::string_view preset) {
  std::vector<double> gross, cost, bench, turnover;
  std::vector<Date> dates;
  for (const DailyRecord& day : result.daily) {
    gross.push_back(day.gross_return);
    cost.push_back(day.cost);
    bench.push_back(day.benchmark);
    turnover.push_back(day.turnover);
    dates.push_back(day.date);
  }
  metrics::SummaryInputs inputs;
  inputs.returns = gross;
  inputs.costs = cost;
  inputs.benchmark = bench;
  inputs.turnover = turnover;
  inputs.dates = dates;
  nlohmann::ordered_json summary = metrics::Summarize(inputs, conventions, preset);
  if (!result.daily.empty()) {
    summary["final_account"] = metrics::NumberToJson(result.daily.back().account);
    summary["initial_cash"] = metrics::NumberToJson(result.initial_cash);
  }
  if (ic != nullptr && !ic->dates.empty()) {
    const metrics::IcSummary pearson = metrics::SummarizeIc(ic->ic);
    const metrics::IcSummary rank = metrics::SummarizeIc(ic->rank_ic);
    summary["signal"] = {{"ic", metrics::NumberToJson(pearson.mean)},
                         {"icir", metrics::NumberToJson(pearson.ir)},
                         {"rank_ic", metrics::NumberToJson(rank.mean)},
                         {"rank_icir", metrics::NumberToJson(rank.ir)},
                         {"ic_days", pearson.days},
                         {"label", "Ref($close,-2)/Ref($close,-1)-1"}};
  }
  return summary;
}

void WriteRunFolder(const std::filesystem::path& out, const BacktestResult& result, const SignalIc* ic,
                    const nlohmann::ordered_json& summary, const nlohmann::ordered_json& config) {
  StagingDirectory staging(out);
  const std::filesystem::path& dir = staging.path();
  WriteBoth(DailyTable(result), dir, "daily");
  WriteBoth(PositionsTable(result), dir, "positions");
  WriteBoth(TradesTable(result), dir, "trades");
  if (ic != nullptr && !ic->dates.empty()) {
    std::vector<double> pairs(ic->pairs.begin(), ic->pairs.end());
    Table table;
    table.columns = {TableColumn::Dates("datetime", ic->dates), TableColumn::Numbers("ic", ic->ic),
                     TableColumn::Numbers("rank_ic", ic->rank_ic), TableColumn::Numbers("pairs", pairs)};
    WriteBoth(table, dir, "ic");
  }
  WriteFileAtomic(dir / "summary.json", summary.dump(2) + "\n");
  WriteFileAtomic(dir / "config.json", config.dump(2) + "\n");
  staging.Commit();
}

}  // namespace alphaloom::backtest
