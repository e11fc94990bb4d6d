#include "alphaloom/backtest/market.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

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

Market LoadMarket(const data::QlibStore& store, Date start, Date end, MarketFields fields) {
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

  struct FieldTarget {
    std::string_view name;
    std::vector<double>* values;
  };
  std::vector<FieldTarget> targets = {{"close", &market.close}, {"factor", &market.factor}, {"change", &market.change}};
  if (fields.open) targets.push_back({"open", &market.open});
  if (fields.vwap) targets.push_back({"vwap", &market.vwap});
  if (fields.volume) targets.push_back({"volume", &market.volume});
  const size_t days = market.day_count();
  const size_t count = market.instrument_count();
  // Each file holds one instrument's history; the market is date-major. Reading a block of
  // instruments and then writing each day's short run of them keeps both sides in cache.
  constexpr size_t kBlock = 16;
  std::vector<std::optional<data::FieldSeries>> block(kBlock);
  for (const FieldTarget& target : targets) {
    std::vector<double>& values = *target.values;
    values.assign(days * count, std::nan(""));
    for (size_t block_start = 0; block_start < count; block_start += kBlock) {
      const size_t block_size = std::min(kBlock, count - block_start);
      for (size_t offset = 0; offset < block_size; ++offset) {
        const std::string& instrument = market.instruments[block_start + offset];
        block[offset] = store.TryReadField(instrument, target.name);
        if (!block[offset] && !store.HasInstrument(instrument)) {
          throw Error(ErrorKind::kNotFound,
                      fmt::format("{}: unknown instrument '{}'", store.dir().string(), instrument));
        }
      }
      for (size_t offset = 0; offset < block_size; ++offset) {
        if (!block[offset]) continue;
        const data::FieldSeries& series = *block[offset];
        // Window days the file covers: store days [series.start, series.start + size) within [first, stop).
        const size_t from = std::max(series.start, first);
        const size_t to = std::min(series.start + series.values.size(), stop);
        double* column = values.data() + block_start + offset;
        for (size_t store_day = from; store_day < to; ++store_day) {
          column[(store_day - first) * count] = static_cast<double>(series.values[store_day - series.start]);
        }
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
