// Hand-worked tiny backtests (two instruments, three days: fills, costs, limits, suspensions,
// lots with $factor, cash clipping), leakage, bad input and the account invariant.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "alphaloom/backtest/engine.h"
#include "alphaloom/backtest/quantile.h"
#include "alphaloom/backtest/target_weights.h"
#include "alphaloom/backtest/topk_dropout.h"
#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom::backtest {
namespace {

const double kNan = std::nan("");

// A market over consecutive weekdays from 2024-01-01 with `closes[day][instrument]`; open = vwap
// = close, factor 1, change = close / previous close - 1 (0 on day 0), volume 1e6.
Market TinyMarket(const std::vector<std::vector<double>>& closes) {
  Market market;
  const size_t names = closes.front().size();
  for (size_t idx = 0; idx < names; ++idx) market.instruments.push_back(std::string(1, static_cast<char>('A' + idx)));
  std::vector<Date> dates;
  for (size_t day = 0; day < closes.size(); ++day) dates.push_back(Date(Date::FromYmd(2024, 1, 1).days() + static_cast<int>(day)));
  market.dates = Calendar(dates);
  for (size_t day = 0; day < closes.size(); ++day) {
    for (size_t idx = 0; idx < names; ++idx) {
      const double close = closes[day][idx];
      market.close.push_back(close);
      market.open.push_back(close);
      market.vwap.push_back(close);
      market.factor.push_back(std::isnan(close) ? kNan : 1.0);
      market.volume.push_back(1e6);
      market.change.push_back(day == 0 ? 0.0 : close / closes[day - 1][idx] - 1.0);
    }
  }
  market.benchmark.assign(closes.size(), 0.0);
  return market;
}

// A signal with one row per market date: scores[day][instrument].
SignalMatrix Scores(const Market& market, const std::vector<std::vector<double>>& scores) {
  SignalMatrix signal;
  signal.instrument_count = market.instrument_count();
  for (size_t day = 0; day < scores.size(); ++day) {
    signal.dates.push_back(market.dates[day]);
    signal.values.insert(signal.values.end(), scores[day].begin(), scores[day].end());
  }
  return signal;
}

BacktestOptions HandOptions() {
  BacktestOptions options;
  options.initial_cash = 10000;
  options.exchange.open_cost = 0.001;
  options.exchange.close_cost = 0.002;
  options.exchange.min_cost = 5;
  options.exchange.trade_unit = 100;
  options.exchange.limit_threshold = 0.095;
  return options;
}

TopkDropoutOptions TopOne() {
  TopkDropoutOptions options;
  options.topk = 1;
  options.n_drop = 1;
  return options;
}

BacktestResult RunTopk(const Market& market, const SignalMatrix& signal, const BacktestOptions& options,
                       TopkDropoutOptions topk = TopOne()) {
  TopkDropoutStrategy strategy(topk);
  return RunBacktest(market, market.dates, &signal, strategy, options);
}

TEST(BacktestHandWorked, TopOneRotatesWithLotsAndCosts) {
  // Day 0: no signal row for the day before -> no trade. Day 1 (signal of day 0: A best): buy A
  // with 0.95 * 10000 at 10.5 = 904.8 shares -> 900 in lots of 100 = 9450, cost
  // max(9.45, 5) = 9.45, cash 540.55. Day 2 (signal of day 1: B best): sell all 900 A at 11 =
  // 9900, cost 19.8, cash 10420.75; buy B with 0.95 * 10420.75 at 20 = 495 -> 400 shares =
  // 8000, cost max(8, 5) = 8, cash 2412.75, account 10412.75.
  const Market market = TinyMarket({{10, 20}, {10.5, 20}, {11, 20}});
  const SignalMatrix signal = Scores(market, {{1, 0}, {0, 1}, {0, 1}});
  const BacktestResult result = RunTopk(market, signal, HandOptions());
  ASSERT_EQ(result.daily.size(), 3u);
  EXPECT_EQ(result.daily[0].turnover, 0.0);
  EXPECT_DOUBLE_EQ(result.daily[0].account, 10000);

  ASSERT_EQ(result.trades.size(), 3u);
  EXPECT_EQ(result.trades[0].instrument, 0u);
  EXPECT_DOUBLE_EQ(result.trades[0].fill.amount, 900);
  EXPECT_DOUBLE_EQ(result.trades[0].fill.cost, 9.45);
  EXPECT_NEAR(result.daily[1].cash, 540.55, 1e-9);
  EXPECT_NEAR(result.daily[1].account, 9990.55, 1e-9);
  EXPECT_NEAR(result.daily[1].gross_return, 0.0, 1e-15);
  EXPECT_NEAR(result.daily[1].cost, 9.45 / 10000, 1e-15);
  EXPECT_NEAR(result.daily[1].turnover, 9450.0 / 10000, 1e-15);

  EXPECT_EQ(result.trades[1].direction, Direction::kSell);
  EXPECT_DOUBLE_EQ(result.trades[1].fill.value, 9900);
  EXPECT_NEAR(result.trades[1].fill.cost, 19.8, 1e-12);
  EXPECT_EQ(result.trades[2].instrument, 1u);
  EXPECT_DOUBLE_EQ(result.trades[2].fill.amount, 400);
  EXPECT_DOUBLE_EQ(result.trades[2].fill.cost, 8);
  EXPECT_NEAR(result.daily[2].cash, 2412.75, 1e-9);
  EXPECT_NEAR(result.daily[2].account, 10412.75, 1e-9);
  EXPECT_NEAR(result.daily[2].gross_return, (10412.75 - 9990.55 + 27.8) / 9990.55, 1e-15);
  EXPECT_NEAR(result.daily[2].turnover, 17900 / 9990.55, 1e-15);
  ASSERT_EQ(result.positions.size(), 2u);
  EXPECT_EQ(result.positions[1].instrument, 1u);
  EXPECT_EQ(result.positions[1].days_held, 1);
}

TEST(BacktestHandWorked, MinimumCostBindsOnSmallOrders) {
  // 0.95 * 10000 at 10 -> 900 shares worth 9000: 9000 * 0.0001 = 0.9 < min_cost 5.
  BacktestOptions options = HandOptions();
  options.exchange.open_cost = 0.0001;
  const Market market = TinyMarket({{10, 20}, {10, 20}});
  const BacktestResult result = RunTopk(market, Scores(market, {{1, 0}, {1, 0}}), options);
  ASSERT_EQ(result.trades.size(), 1u);
  EXPECT_DOUBLE_EQ(result.trades[0].fill.cost, 5);
  EXPECT_DOUBLE_EQ(result.daily[1].cash, 10000 - 9000 - 5);
}

TEST(BacktestHandWorked, LimitUpBlocksTheBuyAndLimitDownTheSell) {
  // Day 2: B jumps +10% (limit up) so it cannot be bought; A's sale still happens and its cash
  // stays idle (Qlib does not redistribute).
  const Market up = TinyMarket({{10, 20}, {10.5, 20}, {11, 22}});
  const BacktestResult bought = RunTopk(up, Scores(up, {{1, 0}, {0, 1}, {0, 1}}), HandOptions());
  ASSERT_EQ(bought.trades.size(), 2u);
  EXPECT_EQ(bought.trades[1].direction, Direction::kSell);
  EXPECT_EQ(bought.daily[2].positions, 0u);
  EXPECT_NEAR(bought.daily[2].cash, 540.55 + 9900 - 19.8, 1e-9);
  // Day 2: A falls 10% (limit down) and cannot be sold, yet B is still bought because the buy
  // list was fixed before the tradability checks (Qlib's quirk): the book holds two names.
  BacktestOptions no_lots = HandOptions();
  no_lots.exchange.trade_unit = 0;
  const Market down = TinyMarket({{10, 20}, {10.5, 20}, {9.45, 20}});
  const BacktestResult stuck = RunTopk(down, Scores(down, {{1, 0}, {0, 1}, {0, 1}}), no_lots);
  ASSERT_EQ(stuck.trades.size(), 2u);
  EXPECT_EQ(stuck.trades[1].direction, Direction::kBuy);
  EXPECT_EQ(stuck.trades[1].instrument, 1u);
  EXPECT_EQ(stuck.daily[2].positions, 2u);
  // Without any limit A is sold and only B is held.
  no_lots.exchange.limit_threshold = std::nullopt;
  EXPECT_EQ(RunTopk(down, Scores(down, {{1, 0}, {0, 1}, {0, 1}}), no_lots).daily[2].positions, 1u);
}

TEST(BacktestHandWorked, SuspendedHoldingKeepsItsLastMarkAndCannotBeSold) {
  const Market market = TinyMarket({{10, 20}, {10.5, 20}, {kNan, 20}, {11.5, 20}});
  const BacktestResult result = RunTopk(market, Scores(market, {{1, 0}, {0, 1}, {0, 1}, {0, 1}}), HandOptions());
  // Day 2: A suspended -> not sold, still marked at 10.5; B's buy (0.95 * 540.55 at 20) rounds
  // to 0 lots: an empty order, nothing dealt.
  EXPECT_NEAR(result.daily[2].account, 9990.55, 1e-9);
  EXPECT_DOUBLE_EQ(result.daily[2].turnover, 0.0);
  ASSERT_EQ(result.trades.size(), 4u);
  EXPECT_EQ(result.trades[1].fill.status, FillStatus::kEmpty);
  // Day 3: A is back at 11.5 and sold whole, then B is bought with the proceeds.
  EXPECT_EQ(result.trades[2].direction, Direction::kSell);
  EXPECT_DOUBLE_EQ(result.trades[2].fill.value, 900 * 11.5);
  EXPECT_EQ(result.trades[3].instrument, 1u);
  EXPECT_GT(result.trades[3].fill.amount, 0.0);
}

TEST(BacktestHandWorked, LotsAreWholeRawSharesThroughTheFactor) {
  // factor 0.5: 950 adjusted shares are 475 raw -> 400 raw -> 800 adjusted.
  Market market = TinyMarket({{10, 20}, {10, 20}});
  for (size_t cell = 0; cell < market.factor.size(); ++cell) market.factor[cell] = 0.5;
  const BacktestResult result = RunTopk(market, Scores(market, {{1, 0}, {1, 0}}), HandOptions());
  ASSERT_EQ(result.trades.size(), 1u);
  EXPECT_DOUBLE_EQ(result.trades[0].fill.amount, 800);
  // A NaN factor next to a close switches lots off (Qlib's adjusted-price mode).
  market.factor[1] = kNan;
  const BacktestResult unrounded = RunTopk(market, Scores(market, {{1, 0}, {1, 0}}), HandOptions());
  EXPECT_DOUBLE_EQ(unrounded.trades[0].fill.amount, 950);
}

TEST(BacktestHandWorked, BuysAreClippedToTheCash) {
  // Target weight 1 of 10000 at 10 = 1000 shares costing 10000 + 10: more than the cash, so
  // the amount becomes cash / (1 + 0.001) / 10 = 999.0... -> 900 in lots.
  const Market market = TinyMarket({{10, 20}, {10, 20}});
  TargetWeightsStrategy strategy(TargetWeightsOptions{});
  const SignalMatrix weights = Scores(market, {{1, 0}, {1, 0}});
  BacktestOptions options = HandOptions();
  const BacktestResult result = RunBacktest(market, market.dates, &weights, strategy, options);
  ASSERT_EQ(result.trades.size(), 1u);
  EXPECT_DOUBLE_EQ(result.trades[0].requested, 1000);
  EXPECT_DOUBLE_EQ(result.trades[0].fill.amount, 900);
  EXPECT_EQ(result.trades[0].fill.status, FillStatus::kPartial);
  options.exchange.trade_unit = 0;
  const BacktestResult exact = RunBacktest(market, market.dates, &weights, strategy, options);
  EXPECT_NEAR(exact.trades[0].fill.amount, 10000 / 1.001 / 10, 1e-9);
  EXPECT_NEAR(exact.daily[1].cash, 0.0, 1e-9);
}

TEST(BacktestTiming, SameDayCloseUsesTodaysRowAndNeedsTheClose) {
  const Market market = TinyMarket({{10, 20}, {11, 20}});
  const SignalMatrix signal = Scores(market, {{1, 0}, {0, 1}});
  BacktestOptions options = HandOptions();
  options.timing = SignalTiming::kSameDayClose;
  const BacktestResult result = RunTopk(market, signal, options);
  ASSERT_FALSE(result.trades.empty());
  EXPECT_EQ(result.trades[0].date, market.dates[0]);
  options.exchange.deal_price = DealPrice::kOpen;
  EXPECT_THROW(RunTopk(market, signal, options), Error);
}

// Random market and scores; perturbing every price after day t changes no trade or daily record
// on or before t.
TEST(BacktestLeakage, LaterPricesChangeNoEarlierDecision) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.0, 0.03);
  const size_t days = 40, names = 6;
  std::vector<std::vector<double>> closes(days, std::vector<double>(names));
  std::vector<std::vector<double>> scores(days, std::vector<double>(names));
  for (size_t name = 0; name < names; ++name) {
    double price = 20 + 5.0 * static_cast<double>(name);
    for (size_t day = 0; day < days; ++day) {
      price *= std::exp(noise(rng));
      closes[day][name] = price;
      scores[day][name] = noise(rng);
    }
  }
  const Market market = TinyMarket(closes);
  const SignalMatrix signal = Scores(market, scores);
  BacktestOptions options = HandOptions();
  options.initial_cash = 1e6;
  TopkDropoutOptions topk;
  topk.topk = 3;
  topk.n_drop = 1;
  for (const DealPrice deal : {DealPrice::kClose, DealPrice::kOpen}) {
    options.exchange.deal_price = deal;
    const BacktestResult base = RunTopk(market, signal, options, topk);
    for (size_t cut : {5u, 17u, 30u}) {
      Market perturbed = market;
      for (size_t day = cut + 1; day < days; ++day) {
        for (size_t name = 0; name < names; ++name) {
          const size_t cell = perturbed.Cell(day, name);
          const double shock = 1.0 + 0.2 * noise(rng);
          perturbed.close[cell] *= shock;
          perturbed.open[cell] *= 2.0 - shock;
          perturbed.vwap[cell] *= shock;
          perturbed.change[cell] = 0.5 * noise(rng);
          perturbed.volume[cell] *= 3;
        }
      }
      const BacktestResult moved = RunTopk(perturbed, signal, options, topk);
      size_t compared = 0;
      for (size_t idx = 0; idx < base.trades.size() && base.trades[idx].date <= market.dates[cut]; ++idx) {
        ASSERT_LT(idx, moved.trades.size());
        EXPECT_EQ(base.trades[idx].instrument, moved.trades[idx].instrument);
        EXPECT_EQ(base.trades[idx].fill.amount, moved.trades[idx].fill.amount);
        EXPECT_EQ(base.trades[idx].fill.price, moved.trades[idx].fill.price);
        ++compared;
      }
      EXPECT_GT(compared, 0u);
      for (size_t day = 0; day <= cut; ++day) EXPECT_EQ(base.daily[day].account, moved.daily[day].account);
      EXPECT_NE(base.daily.back().account, moved.daily.back().account);
    }
  }
}

TEST(BacktestBadInput, SignalFilesAreCheckedAgainstTheStore) {
  test::TempDir dir;
  const std::vector<std::string> names = {"A", "B"};
  const Calendar calendar(std::vector<Date>{Date::FromYmd(2024, 1, 2), Date::FromYmd(2024, 1, 3)});
  auto read = [&](const std::string& text) {
    test::WriteText(dir / "s.csv", text);
    return ReadSignal(dir / "s.csv", names, calendar, SignalReadOptions{});
  };
  const SignalMatrix ok = read("datetime,instrument,score\n2024-01-02,A,1\n2024-01-02,B,\n2024-01-03,B,2\n");
  EXPECT_EQ(ok.dates.size(), 2u);
  EXPECT_EQ(ok.dropped_nan, 1u);
  EXPECT_TRUE(std::isnan((*ok.Row(calendar[0]))[1]));
  const SignalMatrix yhat = read("datetime,instrument,yhat,model_version\n2024-01-02,A,0.5,v1\n");
  EXPECT_EQ((*yhat.Row(calendar[0]))[0], 0.5);
  auto kind_of = [&](const std::string& text) {
    try {
      read(text);
    } catch (const Error& error) {
      return error.kind();
    }
    return ErrorKind::kInternal;
  };
  EXPECT_EQ(kind_of("datetime,instrument,score\n2024-01-02,ZZZ,1\n"), ErrorKind::kNotFound);
  EXPECT_EQ(kind_of("datetime,instrument,score\n2023-12-29,A,1\n"), ErrorKind::kData);
  EXPECT_EQ(kind_of("datetime,instrument,score\n2024-01-02,A,1\n2024-01-02,A,2\n"), ErrorKind::kData);
  EXPECT_EQ(kind_of("datetime,instrument,score\n2024-01-02,A,inf\n"), ErrorKind::kData);
  EXPECT_EQ(kind_of("datetime,instrument,other\n2024-01-02,A,1\n"), ErrorKind::kData);
  EXPECT_EQ(kind_of("datetime,instrument,score,horizon\n2024-01-02,A,1,1\n2024-01-02,A,1,5\n"), ErrorKind::kData);
}

TEST(BacktestBadInput, NegativeWeightsZeroCashAndBadOptions) {
  const Market market = TinyMarket({{10, 20}, {10, 20}});
  const SignalMatrix weights = Scores(market, {{0.5, -0.2}, {0.5, -0.2}});
  TargetWeightsStrategy long_only(TargetWeightsOptions{});
  try {
    RunBacktest(market, market.dates, &weights, long_only, HandOptions());
    FAIL() << "negative weight accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(error.what()).find("B"), std::string::npos);
  }
  BacktestOptions zero_cash = HandOptions();
  zero_cash.initial_cash = 0;
  TopkDropoutStrategy topk(TopOne());
  EXPECT_THROW(RunBacktest(market, market.dates, &weights, topk, zero_cash), Error);
  TopkDropoutOptions bad = TopOne();
  bad.topk = 0;
  EXPECT_THROW(TopkDropoutStrategy{bad}, Error);
  BacktestOptions bad_cost = HandOptions();
  bad_cost.exchange.open_cost = -0.1;
  EXPECT_THROW(RunBacktest(market, market.dates, &weights, topk, bad_cost), Error);
}

TEST(BacktestInvariant, LongShortQuantileKeepsTheBooks) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 0.02);
  const size_t days = 30, names = 10;
  std::vector<std::vector<double>> closes(days, std::vector<double>(names)), scores = closes;
  for (size_t name = 0; name < names; ++name) {
    double price = 30;
    for (size_t day = 0; day < days; ++day) {
      price *= std::exp(noise(rng));
      closes[day][name] = price;
      scores[day][name] = noise(rng);
    }
  }
  const Market market = TinyMarket(closes);
  const SignalMatrix signal = Scores(market, scores);
  BacktestOptions options = HandOptions();
  options.initial_cash = 1e6;
  options.exchange.allow_short = true;
  options.exchange.trade_unit = 0;
  QuantileStrategy strategy(QuantileOptions{});
  const BacktestResult result = RunBacktest(market, market.dates, &signal, strategy, options);
  size_t shorts = 0;
  for (const DailyRecord& day : result.daily) {
    double held = 0.0;
    for (const PositionRecord& position : result.positions) {
      if (position.date != day.date) continue;
      held += position.value;
      shorts += position.amount < 0;
    }
    EXPECT_NEAR(day.cash + held, day.account, 1e-6);
  }
  EXPECT_GT(shorts, 0u);
  // Dollar-neutral: the book's net value stays small against the account.
  EXPECT_LT(std::abs(result.daily.back().holdings_value), 0.1 * result.daily.back().account);
}

}  // namespace
}  // namespace alphaloom::backtest
