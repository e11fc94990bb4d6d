#include "alphaloom/report/inspect.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/metrics/annual_return.h"
#include "alphaloom/metrics/annual_volatility.h"
#include "alphaloom/metrics/drawdown.h"
#include "alphaloom/metrics/max_drawdown.h"
#include "alphaloom/metrics/sharpe_ratio.h"

namespace alphaloom::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Percent(double value) { return std::isfinite(value) ? fmt::format("{:+.2f}%", 100.0 * value) : "n/a"; }

std::string UnsignedPercent(double value) {
  return std::isfinite(value) ? fmt::format("{:.2f}%", 100.0 * value) : "n/a";
}

std::string Number(double value, int digits = 4) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, digits) : "n/a";
}

std::string SplitText(const data::FactorEvent& event) {
  return fmt::format("{}:{}", event.split_numerator, event.split_denominator);
}

std::string EventText(const data::FactorEvent& event) {
  switch (event.kind) {
    case data::FactorEventKind::kSplit: return fmt::format("split {}", SplitText(event));
    case data::FactorEventKind::kReverseSplit: return fmt::format("reverse split {}", SplitText(event));
    case data::FactorEventKind::kDividend:
      return fmt::format("dividend {} per share ({:.2f}% of the previous close)", Number(event.payout_amount),
                         100.0 * event.payout_yield);
    case data::FactorEventKind::kDistribution:
      return fmt::format("distribution (spin-off or special payout) worth {:.2f}% of the previous close",
                         100.0 * event.payout_yield);
    case data::FactorEventKind::kOther: return "factor fell (the adjustment went backwards)";
  }
  return "";
}

nlohmann::ordered_json Nullable(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json OptionalDate(const std::optional<Date>& date) {
  return date ? nlohmann::ordered_json(date->ToString()) : nlohmann::ordered_json(nullptr);
}

size_t CountKind(const data::InstrumentHistory& history, data::FactorEventKind kind) {
  size_t count = 0;
  for (const data::FactorEvent& event : history.factor_events) count += event.kind == kind ? 1 : 0;
  return count;
}

// Appends the last `max_listed` of `items` formatted by `line`, and how many were left out.
template <typename T, typename Line>
void AppendList(std::string& text, const std::vector<T>& items, size_t max_listed, Line line) {
  const size_t skipped = items.size() > max_listed ? items.size() - max_listed : 0;
  if (skipped > 0) text += fmt::format("    ... {} earlier (--json lists all)\n", skipped);
  for (size_t index = skipped; index < items.size(); ++index) text += "    " + line(items[index]) + "\n";
}

// Short names of the meta-model's components for the text table (JSON keeps the full names).
std::string ShortComponent(std::string_view component) {
  if (component == "mean_reversion") return "mrev";
  if (component == "volatility") return "vol";
  if (component == "relative_strength") return "rs";
  return std::string(component);
}

std::string Cell(double value, std::string_view format) {
  return std::isfinite(value) ? fmt::format(fmt::runtime(format), value) : "-";
}

// A text table: columns of right-aligned cells (the first left-aligned), each as wide as its
// widest cell or header, two spaces apart.
class TextTable {
 public:
  void Add(std::string header, std::vector<std::string> cells) {
    columns_.push_back({std::move(header), std::move(cells)});
  }
  std::string Format(std::string_view indent) const {
    std::vector<size_t> widths;
    size_t rows = 0;
    for (const auto& [header, cells] : columns_) {
      size_t width = header.size();
      for (const std::string& cell : cells) width = std::max(width, cell.size());
      widths.push_back(width);
      rows = std::max(rows, cells.size());
    }
    std::string text;
    const auto line = [&](auto cell_of) {
      std::string out(indent);
      for (size_t col = 0; col < columns_.size(); ++col) {
        if (col > 0) out += "  ";
        out += col == 0 ? fmt::format("{:<{}}", cell_of(col), widths[col])
                        : fmt::format("{:>{}}", cell_of(col), widths[col]);
      }
      while (!out.empty() && out.back() == ' ') out.pop_back();
      return out + "\n";
    };
    text += line([&](size_t col) { return columns_[col].first; });
    for (size_t row = 0; row < rows; ++row) {
      text += line([&](size_t col) { return row < columns_[col].second.size() ? columns_[col].second[row] : ""; });
    }
    return text;
  }

 private:
  std::vector<std::pair<std::string, std::vector<std::string>>> columns_;
};

std::vector<std::string> Cells(const std::vector<double>& values, size_t begin, std::string_view format) {
  std::vector<std::string> cells;
  for (size_t row = begin; row < values.size(); ++row) cells.push_back(Cell(values[row], format));
  return cells;
}

std::string MlText(const StrategyInspection& s) {
  if (s.ml_source.empty()) return "none (no model or predictions: the ML component scores nothing)";
  std::string text = fmt::format("{} as {}", s.ml_source, s.ml_signal);
  if (!s.ml_version.empty()) text += fmt::format(", version {}", s.ml_version);
  if (s.ml_trained_through) {
    text += fmt::format(", trained through {}", s.ml_trained_through->ToString());
    if (s.table_begin < s.rows() && s.dates[s.table_begin] <= *s.ml_trained_through) {
      text += " (rows up to then are in-sample for the ML score)";
    }
  }
  return text;
}

std::string FormatStrategy(const StrategyInspection& s) {
  const size_t begin = s.table_begin;
  const bool hmm = s.regime_method == "hmm";
  const bool ml = !s.ml_source.empty();
  std::string text = fmt::format("strategy      hybrid, settings: {}\n", s.config);
  text += fmt::format("  regime      {} (from the benchmark{})\n", s.regime_method,
                      hmm ? "; p_* are the filtered probabilities" : "");
  text += fmt::format("  ML          {}\n", MlText(s));
  text += "  meta weights (a date's weights: its regime's set, or the probability-weighted mix of the sets)\n";
  TextTable weights;
  std::vector<std::string> set_names;
  for (const auto& [name, values] : s.weight_sets) set_names.push_back(name);
  weights.Add("set", set_names);
  for (size_t component = 0; component < s.components.size(); ++component) {
    std::vector<std::string> cells;
    for (const auto& [name, values] : s.weight_sets) cells.push_back(Cell(values[component], "{:.2f}"));
    weights.Add(ShortComponent(s.components[component]), std::move(cells));
  }
  text += weights.Format("    ");
  if (begin >= s.rows()) return text + "  no rows\n";
  text += fmt::format(
      "  {} rows, {} .. {}: signals in [-1, 1] (mrev mean_reversion, vol volatility, rs relative_strength{}), "
      "c_x = weight x signal, alpha = sum of c_x, weight = target weight (traded on the next day), rvol = "
      "realized volatility\n",
      s.rows() - begin, s.dates[begin].ToString(), s.dates.back().ToString(), ml ? ", ml the ML score" : "");
  TextTable table;
  std::vector<std::string> dates;
  for (size_t row = begin; row < s.rows(); ++row) dates.push_back(s.dates[row].ToString());
  table.Add("date", std::move(dates));
  table.Add("close", Cells(s.close, begin, "{:.4f}"));
  for (size_t feature = 0; feature < s.feature_names.size(); ++feature) {
    table.Add(s.feature_names[feature], Cells(s.features[feature], begin, "{:.6g}"));
  }
  const size_t signal_count = ml ? s.components.size() : s.components.size() - 1;
  for (size_t component = 0; component < signal_count; ++component) {
    if (ml && component + 1 == s.components.size()) {
      table.Add("yhat", Cells(s.yhat, begin, "{:+.5f}"));
      table.Add("prob_up", Cells(s.prob_up, begin, "{:.4f}"));
    }
    table.Add(ShortComponent(s.components[component]), Cells(s.signals[component], begin, "{:+.4f}"));
  }
  std::vector<std::string> regimes;
  for (size_t row = begin; row < s.rows(); ++row) {
    regimes.push_back(s.regime[row] < 0 ? "-" : s.regime_labels[static_cast<size_t>(s.regime[row])]);
  }
  table.Add("regime", std::move(regimes));
  if (hmm) {
    for (size_t index = 0; index < s.regime_labels.size(); ++index) {
      table.Add("p_" + s.regime_labels[index], Cells(s.probabilities[index], begin, "{:.3f}"));
    }
  }
  for (size_t component = 0; component < signal_count; ++component) {
    table.Add("c_" + ShortComponent(s.components[component]), Cells(s.contributions[component], begin, "{:+.4f}"));
  }
  table.Add("alpha", Cells(s.alpha_score, begin, "{:+.4f}"));
  table.Add("rvol", Cells(s.realized_vol, begin, "{:.3f}"));
  table.Add("weight", Cells(s.weight, begin, "{:.4f}"));
  return text + table.Format("  ");
}

nlohmann::ordered_json StrategyToJson(const StrategyInspection& s) {
  const bool hmm = s.regime_method == "hmm";
  const bool ml = !s.ml_source.empty();
  nlohmann::ordered_json json;
  json["config"] = s.config;
  json["regime_method"] = s.regime_method;
  json["regime_labels"] = s.regime_labels;
  json["ml"] = ml ? nlohmann::ordered_json{{"source", s.ml_source},
                                           {"signal", s.ml_signal},
                                           {"version", s.ml_version.empty() ? nlohmann::ordered_json(nullptr)
                                                                            : nlohmann::ordered_json(s.ml_version)},
                                           {"trained_through", OptionalDate(s.ml_trained_through)}}
                  : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json weight_sets = nlohmann::ordered_json::object();
  for (const auto& [name, values] : s.weight_sets) {
    nlohmann::ordered_json set = nlohmann::ordered_json::object();
    for (size_t component = 0; component < s.components.size(); ++component) {
      set[s.components[component]] = values[component];
    }
    weight_sets[name] = std::move(set);
  }
  json["meta_weights"] = std::move(weight_sets);
  json["features"] = s.feature_names;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t row = s.table_begin; row < s.rows(); ++row) {
    nlohmann::ordered_json item;
    item["date"] = s.dates[row].ToString();
    item["close"] = Nullable(s.close[row]);
    nlohmann::ordered_json features = nlohmann::ordered_json::object();
    for (size_t feature = 0; feature < s.feature_names.size(); ++feature) {
      features[s.feature_names[feature]] = Nullable(s.features[feature][row]);
    }
    item["features"] = std::move(features);
    nlohmann::ordered_json signals = nlohmann::ordered_json::object();
    for (size_t component = 0; component < s.components.size(); ++component) {
      signals[s.components[component]] = Nullable(s.signals[component][row]);
    }
    item["signals"] = std::move(signals);
    item["prediction"] = ml ? nlohmann::ordered_json{{"yhat", Nullable(s.yhat[row])},
                                                     {"prob_up", Nullable(s.prob_up[row])}}
                            : nlohmann::ordered_json(nullptr);
    item["regime"] = s.regime[row] < 0 ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(s.regime_labels[static_cast<size_t>(s.regime[row])]);
    if (hmm) {
      nlohmann::ordered_json probabilities = nlohmann::ordered_json::object();
      for (size_t index = 0; index < s.regime_labels.size(); ++index) {
        probabilities[s.regime_labels[index]] = s.probabilities[index][row];
      }
      item["regime_probabilities"] = std::move(probabilities);
    }
    nlohmann::ordered_json contributions = nlohmann::ordered_json::object();
    for (size_t component = 0; component < s.components.size(); ++component) {
      contributions["c_" + s.components[component]] = s.contributions[component][row];
    }
    item["contributions"] = std::move(contributions);
    item["alpha_score"] = s.alpha_score[row];
    item["realized_vol"] = Nullable(s.realized_vol[row]);
    item["weight"] = s.weight[row];
    rows.push_back(std::move(item));
  }
  json["rows"] = std::move(rows);
  return json;
}

}  // namespace

ReturnStats ComputeReturnStats(const data::InstrumentHistory& history, const metrics::Conventions& conventions) {
  ReturnStats stats;
  stats.conventions = conventions;
  std::vector<double> returns;
  std::vector<size_t> offsets;  // the day of each return
  for (size_t offset = 0; offset < history.change.size(); ++offset) {
    if (std::isnan(history.change[offset])) continue;
    returns.push_back(history.change[offset]);
    offsets.push_back(offset);
  }
  stats.count = returns.size();
  stats.annual_return = metrics::CompoundedAnnualReturn(returns, conventions);
  stats.annual_volatility = metrics::AnnualVolatility(returns, conventions);
  stats.sharpe = metrics::SharpeRatio(returns, conventions);
  stats.max_drawdown = returns.empty() ? 0.0 : metrics::MaxDrawdown(returns, conventions);

  double first_close = kNaN;
  double last_close = kNaN;
  std::optional<size_t> first_bar;
  for (size_t offset = 0; offset < history.close.size(); ++offset) {
    if (std::isnan(history.close[offset])) continue;
    if (!first_bar) {
      first_bar = offset;
      first_close = history.close[offset];
    }
    last_close = history.close[offset];
  }
  stats.total_return = last_close / first_close - 1.0;

  // The underwater curve starts at the first bar (the starting capital is that bar's close).
  stats.drawdown.assign(history.close.size(), kNaN);
  if (first_bar) stats.drawdown[*first_bar] = 0.0;
  const std::vector<double> underwater =
      metrics::Underwater(metrics::PrepareReturns(returns, conventions), conventions);
  size_t trough = 0;
  for (size_t index = 0; index < underwater.size() && index < offsets.size(); ++index) {
    stats.drawdown[offsets[index]] = underwater[index];
    if (underwater[index] < underwater[trough]) trough = index;
  }
  if (first_bar && !underwater.empty() && underwater[trough] < 0.0) {
    stats.drawdown_trough = history.dates[offsets[trough]];
    stats.drawdown_peak = history.dates[*first_bar];
    for (size_t index = trough; index-- > 0;) {
      if (underwater[index] == 0.0) {
        stats.drawdown_peak = history.dates[offsets[index]];
        break;
      }
    }
  }
  return stats;
}

std::string FormatInspection(const Inspection& inspection, size_t max_listed) {
  const data::InstrumentHistory& h = inspection.history;
  const ReturnStats& r = inspection.returns;
  std::string text =
      fmt::format("instrument    {}{}\n", h.instrument, h.is_benchmark ? " (the store's benchmark)" : "");
  text += fmt::format("store         {} (market {})\n", h.store, h.market);
  text += fmt::format("listed        {} .. {}\n", h.listed_first.ToString(), h.listed_last.ToString());
  text += fmt::format("range         {} .. {} ({} trading days)\n", h.range_first.ToString(), h.range_last.ToString(),
                      h.days);
  text += fmt::format("bars          {}, first {}, last {}\n", h.bars, h.first_bar.ToString(), h.last_bar.ToString());
  text += fmt::format("missing       {} days ({:.2f}%) in {} runs (suspensions)\n", h.missing,
                      h.days == 0 ? 0.0 : 100.0 * static_cast<double>(h.missing) / static_cast<double>(h.days),
                      h.missing_runs.size());
  AppendList(text, h.missing_runs, max_listed, [](const data::MissingRun& run) {
    return fmt::format("{} .. {}  {} days", run.first.ToString(), run.last.ToString(), run.days);
  });
  text += fmt::format("last close    {} (adjusted $close); traded {}, factor {}\n", Number(h.last_close),
                      Number(h.last_traded_close), Number(h.last_factor, 6));
  text += fmt::format(
      "factor        {} changes: {} splits, {} reverse splits, {} dividends, {} distributions, {} other\n",
      h.factor_events.size(), CountKind(h, data::FactorEventKind::kSplit),
      CountKind(h, data::FactorEventKind::kReverseSplit), CountKind(h, data::FactorEventKind::kDividend),
      CountKind(h, data::FactorEventKind::kDistribution), CountKind(h, data::FactorEventKind::kOther));
  AppendList(text, h.factor_events, max_listed, [](const data::FactorEvent& event) {
    return fmt::format("{}  x{:<9.6f} {}", event.date.ToString(), event.ratio, EventText(event));
  });
  text += fmt::format("returns       {} bar-to-bar returns of $close ({:g} per year, compounded, ddof {})\n", r.count,
                      r.conventions.periods_per_year, r.conventions.ddof);
  text += fmt::format("  total {}, annualized {}, volatility {}, Sharpe {}\n", Percent(r.total_return),
                      Percent(r.annual_return), UnsignedPercent(r.annual_volatility), Number(r.sharpe, 3));
  text += fmt::format("  max drawdown {}", Percent(r.max_drawdown));
  if (r.drawdown_trough) {
    text += fmt::format(" (peak {}, trough {})", r.drawdown_peak->ToString(), r.drawdown_trough->ToString());
  }
  text += "\n";
  text += "quality\n";
  text += fmt::format("  zero volume   {} bars\n", h.zero_volume.size());
  AppendList(text, h.zero_volume, max_listed, [](Date date) { return "  " + date.ToString(); });
  text += fmt::format("  price jumps   {} beyond {:g} sigma (median {}, robust sigma {} per bar)\n", h.jumps.size(),
                      inspection.options.jump_sigma, Percent(h.median_change), UnsignedPercent(h.robust_sigma));
  AppendList(text, h.jumps, max_listed, [](const data::PriceJump& jump) {
    std::string line =
        fmt::format("  {}  {:>8}  {:+.1f} sigma", jump.date.ToString(), Percent(jump.change), jump.sigmas);
    if (jump.factor_changed) line += "  (factor changed that day)";
    if (jump.unadjusted_split > 0) {
      line += fmt::format("  (traded close x{}: an unadjusted reverse split?)", jump.unadjusted_split);
    }
    if (jump.unadjusted_split < 0) {
      line += fmt::format("  (traded close /{}: an unadjusted split?)", -jump.unadjusted_split);
    }
    return line;
  });
  text += fmt::format("  stale prices  {} runs of >= {} bars with the same traded close\n", h.stale_runs.size(),
                      inspection.options.stale_bars);
  AppendList(text, h.stale_runs, max_listed, [](const data::StaleRun& run) {
    return fmt::format("  {} .. {}  {} bars at {}", run.first.ToString(), run.last.ToString(), run.bars,
                       Number(run.close));
  });
  size_t findings = 0;
  for (const auto& [rule, count] : h.findings_by_rule) findings += count;
  text += fmt::format("  ingest        {} findings\n", findings);
  for (const auto& [rule, count] : h.findings_by_rule) text += fmt::format("    {:<30} {}\n", rule, count);
  if (inspection.features) {
    const FeatureValues& features = *inspection.features;
    text += fmt::format("features      {} on {} ({} factors)\n", features.set, features.date.ToString(),
                        features.values.size());
    size_t width = 0;
    for (const auto& [name, value] : features.values) width = std::max(width, name.size());
    for (const auto& [name, value] : features.values) {
      text += fmt::format("  {:<{}}  {}\n", name, width, std::isfinite(value) ? fmt::format("{:.6g}", value) : "NaN");
    }
  }
  if (inspection.strategy) text += FormatStrategy(*inspection.strategy);
  return text;
}

nlohmann::ordered_json InspectionToJson(const Inspection& inspection) {
  const data::InstrumentHistory& h = inspection.history;
  const ReturnStats& r = inspection.returns;
  nlohmann::ordered_json json;
  json["instrument"] = h.instrument;
  json["store"] = h.store;
  json["market"] = h.market;
  json["is_benchmark"] = h.is_benchmark;
  json["listed"] = {{"first", h.listed_first.ToString()}, {"last", h.listed_last.ToString()}};
  json["range"] = {{"first", h.range_first.ToString()}, {"last", h.range_last.ToString()}, {"days", h.days}};
  json["bars"] = h.bars;
  json["first_bar"] = h.first_bar.ToString();
  json["last_bar"] = h.last_bar.ToString();
  json["missing"] = h.missing;
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const data::MissingRun& run : h.missing_runs) {
    runs.push_back({{"first", run.first.ToString()}, {"last", run.last.ToString()}, {"days", run.days}});
  }
  json["missing_runs"] = std::move(runs);
  json["last_close"] = Nullable(h.last_close);
  json["last_traded_close"] = Nullable(h.last_traded_close);
  json["last_factor"] = Nullable(h.last_factor);
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const data::FactorEvent& event : h.factor_events) {
    nlohmann::ordered_json item = {{"date", event.date.ToString()},
                                   {"kind", data::FactorEventKindName(event.kind)},
                                   {"ratio", event.ratio}};
    item["split"] = event.split_numerator > 0 ? nlohmann::ordered_json(SplitText(event)) : nullptr;
    item["payout_yield"] = Nullable(event.payout_yield);
    item["payout_amount"] = Nullable(event.payout_amount);
    events.push_back(std::move(item));
  }
  json["factor_changes"] = {{"splits", CountKind(h, data::FactorEventKind::kSplit)},
                            {"reverse_splits", CountKind(h, data::FactorEventKind::kReverseSplit)},
                            {"dividends", CountKind(h, data::FactorEventKind::kDividend)},
                            {"distributions", CountKind(h, data::FactorEventKind::kDistribution)},
                            {"other", CountKind(h, data::FactorEventKind::kOther)},
                            {"events", std::move(events)}};
  json["returns"] = {{"count", r.count},
                     {"total_return", Nullable(r.total_return)},
                     {"annual_return", Nullable(r.annual_return)},
                     {"annual_volatility", Nullable(r.annual_volatility)},
                     {"sharpe", Nullable(r.sharpe)},
                     {"max_drawdown", Nullable(r.max_drawdown)},
                     {"max_drawdown_peak", OptionalDate(r.drawdown_peak)},
                     {"max_drawdown_trough", OptionalDate(r.drawdown_trough)},
                     {"periods_per_year", r.conventions.periods_per_year},
                     {"ddof", r.conventions.ddof}};
  nlohmann::ordered_json zero_volume = nlohmann::ordered_json::array();
  for (Date date : h.zero_volume) zero_volume.push_back(date.ToString());
  nlohmann::ordered_json jumps = nlohmann::ordered_json::array();
  for (const data::PriceJump& jump : h.jumps) {
    jumps.push_back({{"date", jump.date.ToString()},
                     {"change", jump.change},
                     {"sigmas", jump.sigmas},
                     {"factor_changed", jump.factor_changed},
                     {"unadjusted_split", jump.unadjusted_split}});
  }
  nlohmann::ordered_json stale = nlohmann::ordered_json::array();
  for (const data::StaleRun& run : h.stale_runs) {
    stale.push_back({{"first", run.first.ToString()}, {"last", run.last.ToString()}, {"bars", run.bars},
                     {"close", run.close}});
  }
  nlohmann::ordered_json findings = nlohmann::ordered_json::object();
  for (const auto& [rule, count] : h.findings_by_rule) findings[rule] = count;
  json["quality"] = {{"zero_volume", std::move(zero_volume)},
                     {"jump_sigma", inspection.options.jump_sigma},
                     {"median_change", Nullable(h.median_change)},
                     {"robust_sigma", Nullable(h.robust_sigma)},
                     {"jumps", std::move(jumps)},
                     {"stale_bars", inspection.options.stale_bars},
                     {"stale_runs", std::move(stale)},
                     {"ingest_findings", std::move(findings)}};
  if (inspection.features) {
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (const auto& [name, value] : inspection.features->values) values[name] = Nullable(value);
    json["features"] = {{"set", inspection.features->set},
                        {"date", inspection.features->date.ToString()},
                        {"values", std::move(values)}};
  } else {
    json["features"] = nullptr;
  }
  json["strategy"] = inspection.strategy ? StrategyToJson(*inspection.strategy) : nlohmann::ordered_json(nullptr);
  return json;
}

void WriteInspectChart(const Inspection& inspection, const std::filesystem::path& png, const ReportOptions& options) {
  if (png.extension() != ".png") {
    throw Error(ErrorKind::kUsage, fmt::format("--plot {}: the chart is a PNG, name it *.png", png.string()));
  }
  const std::filesystem::path directory = png.has_parent_path() ? png.parent_path() : ".";
  if (!std::filesystem::is_directory(directory)) {
    throw Error(ErrorKind::kIo,
                fmt::format("--plot {}: directory {} does not exist", png.string(), directory.string()));
  }
  const data::InstrumentHistory& h = inspection.history;
  nlohmann::json input;
  input["title"] = fmt::format("{}  {} .. {}", h.instrument, h.range_first.ToString(), h.range_last.ToString());
  std::vector<std::string> dates;
  for (Date date : h.dates) dates.push_back(date.ToString());
  input["dates"] = std::move(dates);
  input["close"] = h.close;  // NaN is written as null
  input["traded_close"] = h.traded_close;
  input["volume"] = h.volume;
  input["drawdown"] = inspection.returns.drawdown;
  nlohmann::json events = nlohmann::json::array();
  for (const data::FactorEvent& event : h.factor_events) {
    const std::string label = event.split_numerator > 0 ? SplitText(event) : fmt::format("x{:.3f}", event.ratio);
    events.push_back(
        {{"date", event.date.ToString()}, {"kind", data::FactorEventKindName(event.kind)}, {"label", label}});
  }
  input["events"] = std::move(events);
  nlohmann::json missing = nlohmann::json::array();
  for (const data::MissingRun& run : h.missing_runs) missing.push_back({run.first.ToString(), run.last.ToString()});
  input["missing_runs"] = std::move(missing);
  nlohmann::json jumps = nlohmann::json::array();
  for (const data::PriceJump& jump : h.jumps) jumps.push_back(jump.date.ToString());
  input["jumps"] = std::move(jumps);
  input["max_drawdown"] = Nullable(inspection.returns.max_drawdown);
  if (inspection.strategy) {
    const StrategyInspection& s = *inspection.strategy;
    nlohmann::json strategy;
    std::vector<std::string> strategy_dates;
    for (Date date : s.dates) strategy_dates.push_back(date.ToString());
    strategy["dates"] = std::move(strategy_dates);
    strategy["components"] = s.components;
    strategy["signals"] = s.signals;
    strategy["has_ml"] = !s.ml_source.empty();
    strategy["alpha_score"] = s.alpha_score;
    strategy["weight"] = s.weight;
    strategy["regime"] = s.regime;
    strategy["regime_labels"] = s.regime_labels;
    strategy["regime_method"] = s.regime_method;
    strategy["table_first"] = s.table_begin < s.rows() ? nlohmann::json(s.dates[s.table_begin].ToString()) : nullptr;
    input["strategy"] = std::move(strategy);
  }

  const std::filesystem::path script =
      std::filesystem::path(ALPHALOOM_REPORT_SCRIPT).parent_path() / "inspect_chart.py";
  WriteThroughTemporary(png, [&](const std::filesystem::path& temporary) {
    const std::filesystem::path input_path = temporary.string() + ".json";
    const std::filesystem::path log = temporary.string() + ".log";
    try {
      WriteFileAtomic(input_path, input.dump());
      RunChartScript({ReportPython(options).string(), script.string(), input_path.string(), temporary.string()}, log);
    } catch (...) {
      std::filesystem::remove(input_path);
      std::filesystem::remove(log);
      throw;
    }
    std::filesystem::remove(input_path);
    std::filesystem::remove(log);
  });
}

}  // namespace alphaloom::report
