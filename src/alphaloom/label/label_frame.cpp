#include "alphaloom/label/label_frame.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "alphaloom/common/error.h"

namespace alphaloom::label {

data::Table LabelFrame::ToTable() const {
  std::vector<Date> dates(rows()), ends(rows());
  std::vector<std::string> names(rows());
  for (size_t row = 0; row < rows(); ++row) {
    dates[row] = calendar[static_cast<size_t>(row_date[row])];
    ends[row] = calendar[static_cast<size_t>(row_t1[row])];
    names[row] = instruments[row_instrument[row]];
  }
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::move(dates)));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(names)));
  table.columns.push_back(data::TableColumn::Numbers("label", value));
  table.columns.push_back(data::TableColumn::Dates("t1", std::move(ends)));
  if (!weight.empty()) table.columns.push_back(data::TableColumn::Numbers("weight", weight));
  return table;
}

void LabelFrame::Write(const std::filesystem::path& path) const { data::WriteTable(ToTable(), path); }

std::vector<data::ColumnRequest> LabelFrame::Columns() {
  return {
      {"datetime", data::ColumnType::kDate, true},  {"instrument", data::ColumnType::kString, true},
      {"label", data::ColumnType::kNumber, true},   {"t1", data::ColumnType::kDate, true},
      {"weight", data::ColumnType::kNumber, false},
  };
}

LabelFrame LabelFrame::Read(const std::filesystem::path& path) {
  LabelFrame frame = FromTable(data::ReadTable(path, Columns()), path.string());
  frame.name = path.stem().string();
  return frame;
}

LabelFrame LabelFrame::FromTable(const data::Table& table, const std::string& source) {
  for (const auto& request : Columns()) {
    const data::TableColumn* column = table.Find(request.name);
    if (request.required && (!column || column->type != request.type)) {
      throw Error(ErrorKind::kData, fmt::format("{}: missing column '{}'", source, request.name));
    }
  }
  const auto& dates = table.Find("datetime")->dates;
  const auto& names = table.Find("instrument")->strings;
  const auto& labels = table.Find("label")->numbers;
  const auto& ends = table.Find("t1")->dates;
  const data::TableColumn* weights = table.Find("weight");
  const size_t count = table.rows();

  LabelFrame frame;
  frame.name = "labels";
  frame.calendar = Calendar::Union(std::vector<std::vector<Date>>{dates, ends});
  frame.instruments = names;
  std::sort(frame.instruments.begin(), frame.instruments.end());
  frame.instruments.erase(std::unique(frame.instruments.begin(), frame.instruments.end()), frame.instruments.end());

  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::vector<uint32_t> instrument_of(count);
  for (size_t row = 0; row < count; ++row) {
    const auto found = std::lower_bound(frame.instruments.begin(), frame.instruments.end(), names[row]);
    instrument_of[row] = static_cast<uint32_t>(found - frame.instruments.begin());
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return dates[a] != dates[b] ? dates[a] < dates[b] : instrument_of[a] < instrument_of[b];
  });
  for (size_t k = 0; k < count; ++k) {
    const size_t row = order[k];
    const std::string where = fmt::format("{}: row {} ({} {})", source, row + 1, dates[row].ToString(), names[row]);
    if (k > 0 && dates[order[k - 1]] == dates[row] && instrument_of[order[k - 1]] == instrument_of[row]) {
      throw Error(ErrorKind::kData, where + ": duplicate (datetime, instrument)");
    }
    if (!std::isfinite(labels[row])) throw Error(ErrorKind::kData, where + ": label is not a finite number");
    if (ends[row] < dates[row]) {
      throw Error(ErrorKind::kData, fmt::format("{}: t1 {} is before the row's date", where, ends[row].ToString()));
    }
    if (weights && !std::isfinite(weights->numbers[row])) {
      throw Error(ErrorKind::kData, where + ": weight is not a finite number");
    }
    frame.row_date.push_back(static_cast<int32_t>(*frame.calendar.IndexOf(dates[row])));
    frame.row_t1.push_back(static_cast<int32_t>(*frame.calendar.IndexOf(ends[row])));
    frame.row_instrument.push_back(instrument_of[row]);
    frame.value.push_back(labels[row]);
    if (weights) frame.weight.push_back(weights->numbers[row]);
  }
  return frame;
}

LabelFrame FrameFromGrid(std::string name, const Calendar& calendar, std::vector<std::string> instruments,
                         const std::vector<double>& value, const std::vector<int32_t>& t1) {
  const size_t date_count = calendar.size();
  Check(value.size() == instruments.size() * date_count && t1.size() == value.size(), "label grid shape");
  LabelFrame frame;
  frame.name = std::move(name);
  frame.calendar = calendar;
  frame.instruments = std::move(instruments);
  for (size_t date_idx = 0; date_idx < date_count; ++date_idx) {
    for (size_t instrument_idx = 0; instrument_idx < frame.instruments.size(); ++instrument_idx) {
      const size_t cell = instrument_idx * date_count + date_idx;
      if (!std::isfinite(value[cell])) continue;
      Check(t1[cell] >= static_cast<int32_t>(date_idx), "label span ends at or after its date");
      frame.row_date.push_back(static_cast<int32_t>(date_idx));
      frame.row_instrument.push_back(static_cast<uint32_t>(instrument_idx));
      frame.row_t1.push_back(t1[cell]);
      frame.value.push_back(value[cell]);
    }
  }
  return frame;
}

}  // namespace alphaloom::label
