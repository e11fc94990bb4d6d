#include "alphaloom/data/store_info.h"

#include <fmt/format.h>

#include <cmath>

namespace alphaloom::data {

StoreSummary Summarize(const QlibStore& store) {
  StoreSummary summary;
  summary.dir = store.dir().string();
  summary.market = store.metadata().market;
  summary.benchmark = store.metadata().benchmark;
  summary.instruments = store.instruments().size();
  summary.dates = store.calendar().size();
  if (!store.calendar().empty()) {
    summary.first_date = store.calendar().front().ToString();
    summary.last_date = store.calendar().back().ToString();
  }
  for (const InstrumentSpan& span : store.instruments()) {
    const FieldSeries close = store.ReadField(span.instrument, "close");
    for (float value : close.values) {
      if (std::isnan(value)) {
        ++summary.missing;
      } else {
        ++summary.bars;
      }
    }
  }
  const size_t total = summary.bars + summary.missing;
  summary.missing_share = total == 0 ? 0.0 : static_cast<double>(summary.missing) / static_cast<double>(total);
  if (!store.instruments().empty()) summary.fields = store.Fields(store.instruments().front().instrument);
  for (const Finding& finding : store.Findings()) {
    ++summary.findings_by_rule[fmt::format("{} ({})", RuleName(finding.rule), ActionName(finding.action))];
    ++summary.findings;
  }
  return summary;
}

std::string FormatSummary(const StoreSummary& summary) {
  std::string text = fmt::format("store        {}\n", summary.dir);
  text += fmt::format("market       {} ({} instruments)\n", summary.market, summary.instruments);
  text += fmt::format("benchmark    {}\n", summary.benchmark.empty() ? "(none)" : summary.benchmark);
  text += fmt::format("dates        {} .. {} ({} trading days)\n", summary.first_date, summary.last_date, summary.dates);
  text += fmt::format("bars         {}\n", summary.bars);
  text += fmt::format("missing      {} ({:.3f}% of listed days)\n", summary.missing, 100.0 * summary.missing_share);
  text += fmt::format("fields       {}\n", fmt::join(summary.fields, " "));
  text += fmt::format("findings     {}\n", summary.findings);
  for (const auto& [rule, count] : summary.findings_by_rule) text += fmt::format("  {:<32} {}\n", rule, count);
  return text;
}

nlohmann::json SummaryToJson(const StoreSummary& summary) {
  return {{"store", summary.dir},
          {"market", summary.market},
          {"benchmark", summary.benchmark},
          {"instruments", summary.instruments},
          {"dates", summary.dates},
          {"first_date", summary.first_date},
          {"last_date", summary.last_date},
          {"bars", summary.bars},
          {"missing", summary.missing},
          {"missing_share", summary.missing_share},
          {"fields", summary.fields},
          {"findings", summary.findings},
          {"findings_by_rule", summary.findings_by_rule}};
}

}  // namespace alphaloom::data
