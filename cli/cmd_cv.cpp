// alphaloom cv plan --config FILE [--labels FILE] [--json] [--out FILE.json]
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/cv/plan_report.h"
#include "alphaloom/data/instrument_spec.h"
#include "alphaloom/pipeline/labels.h"
#include "alphaloom/pipeline/splits.h"
#include "alphaloom/pipeline/workflow.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct PlanArgs {
  std::string config, labels, out;
  bool json = false;
};

void RunPlan(const PlanArgs& args, const GlobalOptions& global) {
  if (args.config.empty()) throw Error(ErrorKind::kUsage, "cv plan needs --config FILE");
  const YAML::Node root = pipeline::LoadYamlFile(args.config);
  pipeline::ConfigSection top(root, "", args.config);
  for (const auto& section : pipeline::WorkflowSections()) top.Allow(section);
  top.RejectUnknownKeys();
  pipeline::ConfigSection cv_section = top.Child("cv");
  const pipeline::SplitConfig split = pipeline::ReadSplitConfig(cv_section);

  label::LabelFrame frame;
  if (!args.labels.empty()) {
    frame = label::LabelFrame::Read(args.labels);
  } else {
    pipeline::ConfigSection data_section = top.Child("data");
    if (!data_section.Has("store")) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: missing (the store directory), or give --labels FILE",
                                                  data_section.Where("store")));
    }
    const std::string store_dir = data_section.String("store");
    data_section.Allow("ingest");
    data_section.RejectUnknownKeys();
    pipeline::ConfigSection universe = top.Child("universe");
    const std::string market = universe.String("market");
    universe.Allow("benchmark");
    universe.RejectUnknownKeys();
    pipeline::ConfigSection label_section = top.Child("label");
    const pipeline::LabelConfig label_config = pipeline::ReadLabelConfig(label_section);
    const data::QlibStore store = data::QlibStore::Open(store_dir);
    ThreadPool pool(ThreadCount(global));
    // With several horizons the plan is made for the longest: its spans purge the most.
    std::vector<label::LabelFrame> frames =
        pipeline::ComputeLabels(store, data::ResolveInstruments(store, market), label_config, pool, split.end);
    frame = std::move(frames[static_cast<size_t>(
        std::max_element(label_config.horizons.begin(), label_config.horizons.end()) - label_config.horizons.begin())]);
  }
  pipeline::RestrictDates(frame, split.start, split.end);
  const cv::SampleIndex index = cv::SampleIndex::FromLabels(frame);
  ThreadPool pool(ThreadCount(global));
  const cv::FoldPlan plan = cv::MakePlan(index, split.spec, &pool);
  const nlohmann::json json = cv::PlanJson(plan, index);
  if (args.json) {
    fmt::print("{}\n", json.dump(2));
  } else {
    fmt::print("labels: {} ({} rows)\n{}", frame.name, frame.rows(), cv::PlanText(plan, index));
  }
  if (!args.out.empty()) {
    WriteFileAtomic(args.out, json.dump(2) + "\n");
    LogInfo("plan written to {}", args.out);
  }
}

}  // namespace

void AddCvCommand(CLI::App& app, const GlobalOptions& global) {
  CLI::App* cv = app.add_subcommand("cv", "Cross-validation plans");
  cv->require_subcommand(1);
  auto args = std::make_shared<PlanArgs>();
  CLI::App* plan = cv->add_subcommand("plan", "Print every fold: date ranges, row counts, purged and embargoed rows");
  plan->add_option("--config", args->config, "Workflow YAML (data, universe, label and cv sections)");
  plan->add_option("--labels", args->labels, "A label file (datetime, instrument, label, t1) instead of computing labels");
  plan->add_flag("--json", args->json, "Print JSON instead of the table");
  plan->add_option("--out", args->out, "Also write the plan as JSON to this file");
  plan->callback([args, &global] { RunPlan(*args, global); });
}

}  // namespace alphaloom::cli
