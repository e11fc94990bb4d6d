#include "alphaloom/report/inspect.h"

#include <fmt/format.h>

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
