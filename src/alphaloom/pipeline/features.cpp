#include "alphaloom/pipeline/features.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "alphaloom/common/error.h"
#include "alphaloom/common/hash.h"
#include "alphaloom/common/log.h"
#include "alphaloom/expr/executor.h"

namespace alphaloom::pipeline {

factors::FactorSet ReadFactorConfig(ConfigSection& section) {
  factors::FactorSet set;
  const std::vector<std::string> names = section.Names("sets");
  for (const auto& name : names) {
    try {
      set.Append(factors::LoadFactorSet(name));
    } catch (const Error& error) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where("sets"), error.what()));
    }
  }
  const YAML::Node extra = section.Raw("extra");
  if (extra && !extra.IsNull()) {
    if (!extra.IsMap()) throw Error(ErrorKind::kConfig, fmt::format("{}: expected NAME: expression pairs", section.Where("extra")));
    for (const auto& item : extra) {
      if (!item.first.IsScalar() || !item.second.IsScalar()) {
        throw Error(ErrorKind::kConfig, fmt::format("{}: expected NAME: expression pairs", section.Where("extra")));
      }
      set.names.push_back(item.first.Scalar());
      set.expressions.push_back(item.second.Scalar());
    }
  }
  section.RejectUnknownKeys();
  return set;
}

std::string FactorSetHash(const factors::FactorSet& set) {
  ContentHasher hasher;
  for (size_t i = 0; i < set.names.size(); ++i) {
    hasher.UpdateField(set.names[i]);
    hasher.UpdateField(set.expressions[i]);
  }
  return hasher.HexDigest();
}

namespace {

// Rows follow the store's listing spans (instruments/all.txt), not the bars of the loaded range:
// an instrument suspended on the last loaded date is still listed, so the features of a date come
// out with the same rows whether the range ends there (a daily update) or later (a batch run).
// Instruments the listing does not name (the benchmark) keep the spans of their bars.
std::vector<expr::RowSpan> ListingSpans(const data::QlibStore& store, const data::Panel& panel) {
  std::vector<expr::RowSpan> spans = expr::SpansFromPanel(panel);
  std::map<std::string, const data::InstrumentSpan*> listed;
  for (const data::InstrumentSpan& span : store.instruments()) listed[span.instrument] = &span;
  const Calendar& calendar = panel.calendar();
  for (size_t index = 0; index < panel.instruments().size(); ++index) {
    const auto it = listed.find(panel.instruments()[index]);
    if (it == listed.end() || calendar.size() == 0) continue;
    const size_t first = calendar.LowerBound(it->second->start);
    const size_t after_last = calendar.UpperBound(it->second->end);
    spans[index] = first < after_last ? expr::RowSpan{first, after_last - 1, false} : expr::RowSpan{};
  }
  return spans;
}

}  // namespace

expr::FeatureFrame ComputeFeatures(const data::QlibStore& store, std::span<const std::string> instruments,
                                   const factors::FactorSet& set, ThreadPool& pool, std::optional<Date> start,
                                   std::optional<Date> end) {
  const expr::Program program = expr::Program::Compile(set.names, set.expressions);
  std::set<std::string> stored;
  for (const auto& name : instruments) {
    for (auto& field : store.Fields(name)) stored.insert(std::move(field));
  }
  for (const auto& field : program.Fields()) {
    if (stored.count(field) != 0 || data::IsBenchmarkField(field)) continue;
    if (field != "vwap") {
      throw Error(ErrorKind::kNotFound, fmt::format("unknown field '${}': {} has {}", field, store.dir().string(),
                                                    fmt::join(stored, " ")));
    }
    LogWarn("field '{}' is not in {}: features that read it are NaN (as in Qlib)", field, store.dir().string());
  }
  std::vector<std::string> fields = program.Fields();
  // Rows exist where the instrument has bars; benchmark fields cannot tell, so a program that
  // reads only those also loads the close.
  const auto is_benchmark = [](const std::string& field) { return data::IsBenchmarkField(field); };
  if (std::all_of(fields.begin(), fields.end(), is_benchmark)) fields.push_back("close");
  const data::Panel panel = store.LoadPanel(fields, instruments, std::nullopt, end, true);
  expr::OutputRange range;
  if (start) range.begin = panel.calendar().LowerBound(*start);
  return expr::Evaluate(program, panel, ListingSpans(store, panel), pool, range);
}

}  // namespace alphaloom::pipeline
