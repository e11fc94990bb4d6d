#pragma once
// The daily loop (reference/qlib.md section 6.1): on each window day the strategy decides from
// the signal row the timing allows, the exchange deals the orders in order at the day's deal
// price, holdings are marked to the close, and the day's account value, return, cost and
// turnover are recorded. The account invariant is checked every day.
#include <string>
#include <vector>

#include "alphaloom/backtest/exchange.h"
#include "alphaloom/backtest/signal.h"
#include "alphaloom/backtest/strategy.h"

namespace alphaloom::backtest {

/// Which signal row a day's decision reads.
enum class SignalTiming {
  /// The row dated the previous store trading date (computed from data up to t-1's close), and
  /// the orders execute on t: the default, leak-free with any deal price.
  kPreviousDay,
  /// The row dated t itself: the signal is taken to be known AT t's close and the orders deal at
  /// t's close. Only valid with deal price close (checked); the signal must really be computable
  /// before the closing auction.
  kSameDayClose,
};

struct BacktestOptions {
  double initial_cash = 1e8;
  SignalTiming timing = SignalTiming::kPreviousDay;
  ExchangeOptions exchange;
};

/// One row of the daily table.
struct DailyRecord {
  Date date;
  double account = 0.0;      ///< cash + holdings at the close
  double cash = 0.0;
  double holdings_value = 0.0;
  double gross_return = 0.0;  ///< (account - previous account + cost) / previous account (Qlib's "return")
  double cost = 0.0;          ///< cost paid / previous account
  double turnover = 0.0;      ///< traded value / previous account
  double benchmark = 0.0;
  size_t positions = 0;
  bool had_signal = false;
};

/// One held instrument at a day's close.
struct PositionRecord {
  Date date;
  size_t instrument = 0;
  double amount = 0.0;
  double price = 0.0;  ///< mark
  double value = 0.0;
  double weight = 0.0;  ///< value / account
  int days_held = 0;
};

/// One order and what became of it.
struct TradeRecord {
  Date date;
  size_t instrument = 0;
  Direction direction = Direction::kBuy;
  double requested = 0.0;
  Fill fill;
};

struct BacktestResult {
  std::vector<std::string> instruments;
  std::vector<DailyRecord> daily;
  std::vector<PositionRecord> positions;
  std::vector<TradeRecord> trades;
  double initial_cash = 0.0;
};

/// Runs `strategy` over every day of `market` with `signal` (one row per store date it has;
/// `store_calendar` maps days to the previous trading date). Throws Error(kConfig) for
/// kSameDayClose with a deal price other than close and for initial_cash not finite and > 0,
/// Error(kInternal) when the account invariant breaks. Checked every day: the cash equals the
/// initial cash plus the fills' proceeds minus their prices and costs; the change of the account
/// value (cash + holdings at the marks) equals the profit booked per fill and per re-mark minus
/// the costs (to 1e-9 of the account, plus 1e-5 of the traded value for the residual a whole-
/// holding sale may drop); a long-only account holds no negative amount and no negative cash.
BacktestResult RunBacktest(const Market& market, const Calendar& store_calendar, const SignalMatrix* signal,
                           Strategy& strategy, const BacktestOptions& options);

/// Qlib's label for a signal dated d: close(d+2) / close(d+1) - 1 (what a position opened at
/// the close after the signal earns over one day), over the window's closes.
struct SignalIc {
  std::vector<Date> dates;
  std::vector<double> ic, rank_ic;
  std::vector<size_t> pairs;
};

/// Daily IC and rank IC (metrics/daily_ic.h) of the signal rows dated inside the window whose
/// label the window's closes define; empty when none.
SignalIc ComputeSignalIc(const Market& market, const SignalMatrix& signal);

}  // namespace alphaloom::backtest
