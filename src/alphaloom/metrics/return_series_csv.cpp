#include "alphaloom/metrics/return_series_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <string>

#include "alphaloom/common/error.h"

namespace alphaloom::metrics {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.front())) || text.front() == '"')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == '"')) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string_view> SplitCells(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(Trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

std::optional<double> ParseCell(std::string_view cell) {
  const std::string lower = Lower(cell);
  if (lower.empty() || lower == "na" || lower == "nan" || lower == "null" || lower == "none") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double value = 0.0;
  const char* end = cell.data() + cell.size();
  const auto [pointer, error] = std::from_chars(cell.data(), end, value);
  if (error != std::errc() || pointer != end) return std::nullopt;
  return value;
}

}  // namespace

ReturnSeries ParseReturnSeriesCsv(std::string_view text, std::string_view source, bool require_return) {
  ReturnSeries series;
  size_t line_number = 0;
  size_t position = 0;
  int date_column = -1, return_column = -1, benchmark_column = -1, cost_column = -1, turnover_column = -1;
  size_t columns = 0;
  std::vector<std::string> header;
  while (position < text.size()) {
    size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) continue;
    const std::vector<std::string_view> cells = SplitCells(line);
    if (columns == 0) {
      columns = cells.size();
      for (size_t index = 0; index < cells.size(); ++index) {
        const std::string name = Lower(cells[index]);
        header.push_back(name);
        const int column = static_cast<int>(index);
        if (name == "datetime" || name == "date") date_column = column;
        if (name == "return") return_column = column;
        if (name == "benchmark" || name == "bench") benchmark_column = column;
        if (name == "cost") cost_column = column;
        if (name == "turnover") turnover_column = column;
      }
      if (date_column < 0) throw Error(ErrorKind::kData, fmt::format("{}: no 'datetime' or 'date' column", source));
      if (require_return && return_column < 0) {
        throw Error(ErrorKind::kData, fmt::format("{}: no 'return' column", source));
      }
      continue;
    }
    if (cells.size() != columns) {
      throw Error(ErrorKind::kData,
                  fmt::format("{}:{}: {} cells, the header has {}", source, line_number, cells.size(), columns));
    }
    const std::optional<Date> date = ParseDate(cells[static_cast<size_t>(date_column)]);
    if (!date) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: '{}' is not a date", source, line_number,
                                                cells[static_cast<size_t>(date_column)]));
    }
    if (!series.dates.empty() && *date <= series.dates.back()) {
      throw Error(ErrorKind::kData, fmt::format("{}:{}: date {} is not after {}", source, line_number,
                                                date->ToString(), series.dates.back().ToString()));
    }
    series.dates.push_back(*date);
    const auto read = [&](int column, std::vector<double>& into) {
      if (column < 0) return;
      const std::string_view cell = cells[static_cast<size_t>(column)];
      const std::optional<double> value = ParseCell(cell);
      if (!value) {
        throw Error(ErrorKind::kData, fmt::format("{}:{}: column '{}': '{}' is not a number", source, line_number,
                                                  header[static_cast<size_t>(column)], cell));
      }
      into.push_back(*value);
    };
    read(return_column, series.returns);
    read(benchmark_column, series.benchmark);
    read(cost_column, series.costs);
    read(turnover_column, series.turnover);
  }
  if (columns == 0) throw Error(ErrorKind::kData, fmt::format("{}: empty file (no header)", source));
  return series;
}

std::vector<double> AlignByDate(const std::vector<Date>& dates, const std::vector<Date>& benchmark_dates,
                                const std::vector<double>& benchmark_values, std::string_view source) {
  std::vector<double> aligned;
  aligned.reserve(dates.size());
  for (const Date date : dates) {
    const auto found = std::lower_bound(benchmark_dates.begin(), benchmark_dates.end(), date);
    if (found == benchmark_dates.end() || *found != date) {
      throw Error(ErrorKind::kData, fmt::format("{}: no benchmark value for {}", source, date.ToString()));
    }
    aligned.push_back(benchmark_values[static_cast<size_t>(found - benchmark_dates.begin())]);
  }
  return aligned;
}

}  // namespace alphaloom::metrics
