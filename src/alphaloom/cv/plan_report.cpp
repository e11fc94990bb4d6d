#include "alphaloom/cv/plan_report.h"

#include <fmt/format.h>

namespace alphaloom::cv {
namespace {

std::string DateAt(const SampleIndex& index, int32_t position) {
  return index.calendar()[static_cast<size_t>(position)].ToString();
}

nlohmann::json RowsJson(const SampleIndex& index, const std::vector<uint32_t>& rows) {
  nlohmann::json out = {{"rows", rows.size()}};
  if (!rows.empty()) {
    out["first"] = DateAt(index, index.date(rows.front()));
    out["last"] = DateAt(index, index.date(rows.back()));
  }
  return out;
}

std::string RowsText(const SampleIndex& index, const std::vector<uint32_t>& rows) {
  if (rows.empty()) return fmt::format("{:>23} {:>9}", "-", 0);
  return fmt::format("{}..{} {:>9}", DateAt(index, index.date(rows.front())), DateAt(index, index.date(rows.back())),
                     rows.size());
}

}  // namespace

nlohmann::json PlanJson(const FoldPlan& plan, const SampleIndex& index) {
  nlohmann::json out = {{"kind", plan.kind}, {"rows", index.rows()}, {"dates", index.dates().size()}};
  out["folds"] = nlohmann::json::array();
  for (const Fold& fold : plan.folds) {
    nlohmann::json test = RowsJson(index, fold.test);
    test["blocks"] = nlohmann::json::array();
    for (const DateRange& block : fold.test_blocks) {
      test["blocks"].push_back({DateAt(index, block.first), DateAt(index, block.last)});
    }
    out["folds"].push_back({{"name", fold.name},
                            {"train", RowsJson(index, fold.train)},
                            {"valid", RowsJson(index, fold.valid)},
                            {"test", test},
                            {"purged", fold.purged},
                            {"embargoed", fold.embargoed}});
  }
  out["groups"] = nlohmann::json::array();
  for (const DateRange& group : plan.groups) out["groups"].push_back({DateAt(index, group.first), DateAt(index, group.last)});
  out["paths"] = plan.paths;
  return out;
}

std::string PlanText(const FoldPlan& plan, const SampleIndex& index) {
  std::string text = fmt::format("{}: {} folds over {} rows, {} dates\n", plan.kind, plan.folds.size(), index.rows(),
                                 index.dates().size());
  text += fmt::format("{:<16} {:>33} {:>33} {:>33} {:>8} {:>9}\n", "fold", "train (dates, rows)", "valid (dates, rows)",
                      "test (dates, rows)", "purged", "embargoed");
  for (const Fold& fold : plan.folds) {
    text += fmt::format("{:<16} {:>33} {:>33} {:>33} {:>8} {:>9}\n", fold.name, RowsText(index, fold.train),
                        RowsText(index, fold.valid), RowsText(index, fold.test), fold.purged, fold.embargoed);
    if (fold.test_blocks.size() > 1) {
      std::vector<std::string> blocks;
      for (const DateRange& block : fold.test_blocks) {
        blocks.push_back(DateAt(index, block.first) + ".." + DateAt(index, block.last));
      }
      text += fmt::format("{:<16} test blocks: {}\n", "", fmt::join(blocks, ", "));
    }
  }
  if (!plan.paths.empty()) {
    text += fmt::format("{} backtest paths over {} groups:\n", plan.paths.size(), plan.groups.size());
    for (size_t p = 0; p < plan.paths.size(); ++p) {
      text += fmt::format("  path {}: splits {}\n", p, fmt::join(plan.paths[p], " "));
    }
  }
  return text;
}

}  // namespace alphaloom::cv
