#include "alphaloom/backtest/market.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::backtest {

std::string_view DealPriceName(DealPrice price) {
  switch (price) {
    case DealPrice::kOpen: return "open";
    case DealPrice::kClose: return "close";
    case DealPrice::kVwap: return "vwap";
  }
  return "close";
}

long Market::InstrumentIndex(std::string_view instrument) const {
  for (size_t idx = 0; idx < instruments.size(); ++idx) {
    if (instruments[idx] == instrument) return static_cast<long>(idx);
  }
  return -1;
}

Market LoadMarket(const data::QlibStore& store, Date start, Date end) {
  const Calendar& calendar = store.calendar();
  const size_t first = calendar.LowerBound(start);
  const size_t stop = calendar.UpperBound(end);
  if (first >= stop) {
    throw Error(ErrorKind::kUsage, fmt::format("backtest window {} .. {} holds no trading date of {}", start.ToString(),
                                               end.ToString(), store.dir().string()));
  }
  Market market;
  market.first_store_index = first;
  market.dates = Calendar(std::vector<Date>(calendar.dates().begin() + static_cast<long>(first),
                                            calendar.dates().begin() + static_cast<long>(stop)));
  for (const data::InstrumentSpan& span : store.instruments()) market.instruments.push_back(span.instrument);

  const std::vector<std::string> fields = {"open", "close", "vwap", "factor", "change", "volume"};
  const data::Panel panel = store.LoadPanel(fields, market.instruments, market.dates.front(), market.dates.back(), true);
  const size_t days = market.day_count();
  const size_t count = market.instrument_count();
  std::vector<double>* targets[] = {&market.open, &market.close, &market.vwap,
                                    &market.factor, &market.change, &market.volume};
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    std::vector<double>& target = *targets[field_idx];
    target.assign(days * count, std::nan(""));
    const size_t panel_field = panel.FieldIndex(fields[field_idx]);
    // Instrument-major to date-major in tiles, so both sides stay in cache.
    constexpr size_t kTile = 32;
    for (size_t day_block = 0; day_block < days; day_block += kTile) {
      const size_t day_end = std::min(days, day_block + kTile);
      for (size_t instrument_idx = 0; instrument_idx < count; ++instrument_idx) {
        const std::span<const double> series = panel.Series(panel_field, instrument_idx);
        for (size_t day = day_block; day < day_end; ++day) target[day * count + instrument_idx] = series[day];
      }
    }
  }

  market.benchmark.assign(days, 0.0);
  if (!store.metadata().benchmark.empty()) {
    const data::FieldSeries close = store.ReadBenchmarkField("bench_close");
    auto close_at = [&](size_t store_idx) {
      if (store_idx < close.start || store_idx - close.start >= close.values.size()) return std::nan("");
      return static_cast<double>(close.values[store_idx - close.start]);
    };
    market.has_benchmark = true;
    for (size_t day = 0; day < days; ++day) {
      const size_t store_idx = first + day;
      if (store_idx == 0) continue;
      // Qlib evaluates $close/Ref($close,1)-1 in float32; the quotient rounded to float and then
      // reduced by 1 (exact in float by Sterbenz' lemma) reproduces its benchmark bit for bit.
      const double value = static_cast<double>(static_cast<float>(close_at(store_idx) / close_at(store_idx - 1))) - 1.0;
      market.benchmark[day] = std::isfinite(value) ? value : 0.0;
    }
  }
  return market;
}

}  // namespace alphaloom::backtest
