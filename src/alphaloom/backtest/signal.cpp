#include "alphaloom/backtest/signal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_map>

#include "alphaloom/common/error.h"
#include "alphaloom/data/table_io.h"

namespace alphaloom::backtest {

std::optional<std::span<const double>> SignalMatrix::Row(Date date) const {
  const auto found = std::lower_bound(dates.begin(), dates.end(), date);
  if (found == dates.end() || *found != date) return std::nullopt;
  const size_t row = static_cast<size_t>(found - dates.begin());
  return std::span<const double>(values).subspan(row * instrument_count, instrument_count);
}

namespace {

std::string PickValueColumn(const std::filesystem::path& path, const SignalReadOptions& options) {
  if (!options.value_column.empty()) return options.value_column;
  const std::vector<std::string> columns = data::ReadTableColumnNames(path);
  for (const char* name : {"score", "yhat"}) {
    if (std::find(columns.begin(), columns.end(), name) != columns.end()) return name;
  }
  throw Error(ErrorKind::kData, fmt::format("{}: no 'score' or 'yhat' column (choose one with --score-column)", path.string()));
}

}  // namespace

SignalMatrix ReadSignal(const std::filesystem::path& path, const std::vector<std::string>& instruments,
                        const Calendar& calendar, const SignalReadOptions& options) {
  const std::string value_column = PickValueColumn(path, options);
  // Instruments as codes: a file names the same few hundred instruments on every date.
  const data::ColumnRequest requests[] = {{"datetime", data::ColumnType::kDate, true},
                                          {"instrument", data::ColumnType::kString, true, true},
                                          {value_column, data::ColumnType::kNumber, true},
                                          {"horizon", data::ColumnType::kNumber, false}};
  const data::Table table = data::ReadTable(path, requests);
  const auto& dates = table.Find("datetime")->dates;
  const data::TableColumn& names = *table.Find("instrument");
  const auto& values = table.Find(value_column)->numbers;
  const data::TableColumn* horizon_column = table.Find("horizon");
  std::optional<double> horizon = options.horizon;
  if (horizon_column != nullptr && !horizon) {
    std::set<double> horizons(horizon_column->numbers.begin(), horizon_column->numbers.end());
    if (horizons.size() > 1) {
      throw Error(ErrorKind::kData, fmt::format("{}: {} horizons in the 'horizon' column; pick one with --horizon",
                                                path.string(), horizons.size()));
    }
  }

  // Market index of each distinct name of the file (-1: not in the market).
  std::vector<long> code_instrument(names.strings.size(), -1);
  {
    std::unordered_map<std::string_view, size_t> instrument_index;
    for (size_t idx = 0; idx < instruments.size(); ++idx) instrument_index.emplace(instruments[idx], idx);
    for (size_t code = 0; code < names.strings.size(); ++code) {
      const auto found = instrument_index.find(names.strings[code]);
      if (found != instrument_index.end()) code_instrument[code] = static_cast<long>(found->second);
    }
  }

  SignalMatrix matrix;
  matrix.instrument_count = instruments.size();
  // Files are usually sorted by date and instrument: remember the last look-up.
  constexpr uint32_t kSkipped = UINT32_MAX;
  const size_t rows = table.rows();
  std::vector<uint32_t> row_store_index(rows, kSkipped), row_instrument(rows);
  std::vector<unsigned char> date_used(calendar.size(), 0);
  Date last_date;
  size_t last_store_index = 0;
  bool have_last = false;
  for (size_t row = 0; row < rows; ++row) {
    if (horizon && horizon_column != nullptr && horizon_column->numbers[row] != *horizon) continue;
    if (!have_last || dates[row] != last_date) {
      const std::optional<size_t> store_index = calendar.IndexOf(dates[row]);
      if (!store_index) {
        throw Error(ErrorKind::kData, fmt::format("{}: row {} is dated {}, which is not a trading date of the store ({} .. {})",
                                                  path.string(), row + 1, dates[row].ToString(),
                                                  calendar.front().ToString(), calendar.back().ToString()));
      }
      last_date = dates[row];
      last_store_index = *store_index;
      have_last = true;
    }
    const long instrument = code_instrument[names.codes[row]];
    if (instrument < 0) {
      throw Error(ErrorKind::kNotFound, fmt::format("{}: row {}: instrument '{}' is not in the store's market",
                                                    path.string(), row + 1, names.String(row)));
    }
    if (std::isinf(values[row])) {
      throw Error(ErrorKind::kData, fmt::format("{}: row {}: infinite {} for {} on {}", path.string(), row + 1,
                                                options.what, names.String(row), dates[row].ToString()));
    }
    row_store_index[row] = static_cast<uint32_t>(last_store_index);
    row_instrument[row] = static_cast<uint32_t>(instrument);
    date_used[last_store_index] = 1;
  }
  std::vector<long> date_row(calendar.size(), -1);
  for (size_t store_index = 0; store_index < calendar.size(); ++store_index) {
    if (!date_used[store_index]) continue;
    date_row[store_index] = static_cast<long>(matrix.dates.size());
    matrix.dates.push_back(calendar[store_index]);
  }
  if (matrix.dates.empty()) throw Error(ErrorKind::kData, fmt::format("{}: no {} rows", path.string(), options.what));
  matrix.values.assign(matrix.dates.size() * matrix.instrument_count, std::nan(""));
  std::vector<unsigned char> seen(matrix.values.size(), 0);
  for (size_t row = 0; row < rows; ++row) {
    if (row_store_index[row] == kSkipped) continue;
    const size_t cell =
        static_cast<size_t>(date_row[row_store_index[row]]) * matrix.instrument_count + row_instrument[row];
    if (seen[cell]) {
      throw Error(ErrorKind::kData, fmt::format("{}: row {}: {} on {} appears twice", path.string(), row + 1,
                                                names.String(row), dates[row].ToString()));
    }
    seen[cell] = 1;
    if (std::isnan(values[row])) {
      ++matrix.dropped_nan;
      continue;
    }
    matrix.values[cell] = values[row];
  }
  return matrix;
}

}  // namespace alphaloom::backtest
