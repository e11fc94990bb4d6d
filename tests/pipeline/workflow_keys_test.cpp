// The workflow key table (pipeline/workflow_keys.h) and the readers that go through it: the
// table is well formed, every reader reads exactly the declared keys (workflows that set every
// key, for every kind), the table's defaults are the libraries', its checks reject what is out of
// range with the file, line and key, the examples validate, and docs/workflow.md shows the table.
#include "alphaloom/pipeline/workflow_keys.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/conventions.h"
#include "alphaloom/model/model.h"
#include "alphaloom/pipeline/workflow_plan.h"
#include "alphaloom/portfolio/meta_model.h"
#include "test_support.h"

namespace alphaloom::pipeline {
namespace {
namespace fs = std::filesystem;

std::string_view Last(std::string_view path) { return path.substr(path.rfind('.') + 1); }
std::string_view Parent(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

const fs::path& StoreDir() {
  static test::TempDir dir;
  static const fs::path store = [] {
    fs::create_directories(dir / "store");
    return dir / "store";
  }();
  return store;
}

// Values for keys whose default is none (or must differ for the file to be valid), by table path.
const std::map<std::string_view, std::string>& SampleValues() {
  static const std::map<std::string_view, std::string> values = {
      {"data.store", StoreDir().string()},
      {"data.ingest.input", "raw"},
      {"universe.benchmark", "BENCH"},
      {"factors.extra", "{MOM5: 'Ref($close, 5) / $close - 1'}"},
      {"label.lowest", "-2"},
      {"label.side", "Sign($close - Ref($close, 5))"},
      {"processors.steps", "[dropna_label, zscore, {fillna: {value: 0}}, {robust_zscore: {clip: true}}]"},
      {"cv.first_test", "2014-01-02"},
      {"cv.start", "2010-01-04"},
      {"cv.end", "2020-12-31"},
      {"cv.train.start", "2010-01-04"},
      {"cv.train.end", "2014-12-31"},
      {"cv.valid.start", "2015-01-02"},
      {"cv.valid.end", "2015-12-31"},
      {"cv.test.start", "2016-01-04"},
      {"cv.test.end", "2020-12-31"},
      {"model.params", "{num_leaves: 7}"},
      {"strategy.meta.weights.*.trend", "1"},
      {"backtest.start", "2016-01-04"},
      {"backtest.end", "2020-12-31"},
      {"backtest.limit_threshold", "0.095"},
      {"metrics.gates", "{sharpe_min: 0.5, sortino_min: null}"},
      {"tracking.experiment", "experiment"},
      {"tracking.run_name", "run"},
      {"tracking.register_as", "model"},
      {"tracking.alias", "staging"},
      {"tracking.token_env", "ALPHALOOM_TEST_TOKEN"},
      {"store.uri", "sqlite:///preds.db"},
      {"store.model_name", "model"},
  };
  return values;
}

// The kind chosen for each section that has one.
using Kinds = std::map<std::string, std::string, std::less<>>;

Kinds DefaultKinds() {
  Kinds kinds;
  for (const WorkflowKey& key : WorkflowKeys()) {
    if (Last(key.path) == "kind") kinds[std::string(Parent(key.path))] = std::string(key.fallback);
  }
  return kinds;
}

bool Applies(const WorkflowKey& key, const Kinds& kinds) {
  const auto kind = kinds.find(Parent(key.path));
  return AppliesToKind(key, kind == kinds.end() ? std::string_view() : std::string_view(kind->second));
}

// A workflow setting every key that applies to `kinds`: its default, or a sample value. Wildcard
// sections get two names: default and bull.
YAML::Node EveryKey(const Kinds& kinds) {
  YAML::Node root(YAML::NodeType::Map);
  for (const WorkflowKey& key : WorkflowKeys()) {
    if (key.type == KeyType::kSection || key.path.starts_with("processors.steps.")) continue;
    std::vector<std::string> segments;
    std::string path(key.path);
    for (size_t begin = 0; begin <= path.size();) {
      const size_t dot = std::min(path.find('.', begin), path.size());
      segments.push_back(path.substr(begin, dot - begin));
      begin = dot + 1;
    }
    // Every ancestor must apply too (cv.train.start only under segments).
    bool applies = Applies(key, kinds);
    for (std::string_view ancestor = Parent(key.path); !ancestor.empty() && applies; ancestor = Parent(ancestor)) {
      for (const WorkflowKey& row : WorkflowKeys()) {
        if (row.path == ancestor && row.type == KeyType::kSection) applies = Applies(row, kinds);
      }
    }
    if (!applies) continue;
    const auto sample = SampleValues().find(key.path);
    std::string text = sample != SampleValues().end() ? sample->second : std::string(key.fallback);
    if (Last(key.path) == "kind") text = kinds.at(std::string(Parent(key.path)));
    if (text.empty() && key.type != KeyType::kString) continue;
    const YAML::Node value = text.empty() ? YAML::Node(std::string()) : YAML::Load(text);
    for (const std::string label : {"default", "bull"}) {
      std::vector<YAML::Node> chain = {root};
      for (size_t index = 0; index + 1 < segments.size(); ++index) {
        const std::string name = segments[index] == "*" ? label : segments[index];
        YAML::Node parent = chain.back();
        if (!parent[name]) parent[name] = YAML::Node(YAML::NodeType::Map);
        chain.push_back(parent[name]);
      }
      chain.back()[segments.back()] = value;
      if (key.path.find('*') == std::string_view::npos) break;
    }
  }
  return YAML::Load(YAML::Dump(root));  // fresh marks, as a file would have
}

std::vector<Kinds> EveryKind() {
  std::vector<Kinds> all = {DefaultKinds()};
  for (const WorkflowKey& key : WorkflowKeys()) {
    if (Last(key.path) != "kind") continue;
    for (const std::string_view choice : Choices(key)) {
      Kinds kinds = DefaultKinds();
      kinds[std::string(Parent(key.path))] = std::string(choice);
      all.push_back(kinds);
    }
  }
  return all;
}

std::string KindsText(const Kinds& kinds) {
  std::string text;
  for (const auto& [section, kind] : kinds) text += section + "=" + kind + " ";
  return text;
}

void SetToken() { setenv("ALPHALOOM_TEST_TOKEN", "secret", 1); }

template <class Read>
Error Caught(Read&& read) {
  try {
    read();
  } catch (const Error& error) {
    return error;
  }
  return Error(ErrorKind::kInternal, "no error");
}

TEST(WorkflowKeys, TableIsWellFormed) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const WorkflowKey& key : WorkflowKeys()) {
    SCOPED_TRACE(std::string(key.path));
    EXPECT_FALSE(key.doc.empty());
    EXPECT_EQ(key.doc.find('\n'), std::string_view::npos);
    const std::string_view parent = Parent(key.path);
    if (!parent.empty()) {
      bool declared = false;
      // A step's parameters sit under the step's name, below the steps key.
      for (const WorkflowKey& row : WorkflowKeys()) {
        declared = declared || (row.path == parent && row.type == KeyType::kSection) ||
                   (row.path == Parent(parent) && row.type == KeyType::kSteps);
      }
      EXPECT_TRUE(declared) << "its section is not declared";
    }
    const std::vector<std::string_view> kinds = Choices(WorkflowKey{.choices = key.kinds});
    const WorkflowKey* kind_key = KindKey(parent);
    if (!kinds.empty()) {
      ASSERT_NE(kind_key, nullptr) << "kinds in a section without a kind key";
      const std::vector<std::string_view> known = Choices(*kind_key);
      for (const std::string_view kind : kinds) {
        EXPECT_NE(std::find(known.begin(), known.end(), kind), known.end()) << kind;
      }
    }
    for (const std::string_view kind : kinds.empty() ? std::vector<std::string_view>{""} : kinds) {
      EXPECT_TRUE(seen.emplace(std::string(key.path), std::string(kind)).second) << "declared twice for kind " << kind;
    }
    if (!key.choices.empty()) {
      EXPECT_EQ(key.type, KeyType::kString);
      if (!key.fallback.empty()) {
        const auto choices = Choices(key);
        EXPECT_NE(std::find(choices.begin(), choices.end(), key.fallback), choices.end()) << "default not a choice";
      }
    }
    const bool numeric = key.type == KeyType::kInt || key.type == KeyType::kNumber || key.type == KeyType::kNumbers;
    if (std::isfinite(key.min) || std::isfinite(key.max) || key.bars || key.distinct) EXPECT_TRUE(numeric);
    if (key.required) EXPECT_TRUE(key.fallback.empty());
  }
  // A path declared for several kinds of its section must not overlap: checked above; and a
  // path declared both for every kind and for some kind would be ambiguous.
  for (const auto& [path, kind] : seen) {
    if (!kind.empty()) EXPECT_EQ(seen.count({path, ""}), 0u) << path;
  }
}

TEST(WorkflowKeys, ChoicesAndNamesMatchTheLibraries) {
  std::vector<std::string_view> backends;
  for (const model::Backend& backend : model::Backends()) backends.push_back(backend.name);
  EXPECT_EQ(Choices(*FindWorkflowKey("model", "kind", "")), backends);
  const auto presets = metrics::PresetNames();
  EXPECT_EQ(Choices(*FindWorkflowKey("metrics", "preset", "")),
            std::vector<std::string_view>(presets.begin(), presets.end()));
  std::vector<std::string_view> components;
  for (const WorkflowKey* key : SectionKeys("strategy.meta.weights.*", "")) components.push_back(Last(key->path));
  EXPECT_EQ(components,
            std::vector<std::string_view>(portfolio::kComponentNames.begin(), portfolio::kComponentNames.end()));
  for (const std::string_view section : {"strategy.regime.ids", "strategy.regime.labels"}) {
    std::vector<std::string_view> roles;
    for (const WorkflowKey* key : SectionKeys(section, "")) roles.push_back(Last(key->path));
    EXPECT_EQ(roles, std::vector<std::string_view>(regime::kRegimeNames.begin(), regime::kRegimeNames.end()))
        << section;
  }
}

// Every key set, for every kind of every section: the table check passes and the readers read
// every key (a key declared but not read, or read but not declared, is Error(kInternal)).
TEST(WorkflowKeys, EveryKeyOfEveryKindIsReadAndValid) {
  SetToken();
  for (const Kinds& kinds : EveryKind()) {
    SCOPED_TRACE(KindsText(kinds));
    const YAML::Node root = EveryKey(kinds);
    try {
      ValidateWorkflow(root, "wf.yaml");
      const WorkflowPlan plan = ReadWorkflowPlan(root, "wf.yaml");
      EXPECT_TRUE(plan.ingest.has_value());
      EXPECT_TRUE(plan.tracking.enabled);
      EXPECT_EQ(plan.tracking.token, "secret");
      EXPECT_EQ(plan.hybrid.has_value(), kinds.at("strategy") == "hybrid");
    } catch (const Error& error) {
      ADD_FAILURE() << error.what() << "\n" << YAML::Dump(root);
    }
  }
}

// What an empty workflow reads is what the libraries default to: the table repeats their
// defaults (the workflow has its own for the few listed).
TEST(WorkflowKeys, DefaultsAreTheLibraries) {
  const YAML::Node root = LoadYamlText(fmt::format("data: {{store: {}}}\n", StoreDir().string()), "wf.yaml");
  WorkflowPlan plan = ReadWorkflowPlan(root, "wf.yaml");
  const label::ForwardSpec forward;
  EXPECT_EQ(plan.train.label.forward.horizon, forward.horizon);
  EXPECT_EQ(plan.train.label.forward.form, forward.form);
  EXPECT_EQ(plan.train.label.forward.normalize, forward.normalize);
  EXPECT_EQ(plan.train.label.forward.price_field, forward.price_field);
  EXPECT_EQ(plan.train.label.forward.require_bar, forward.require_bar);
  EXPECT_EQ(plan.train.model.num_rounds, model::ModelSpec().num_rounds);
  EXPECT_EQ(plan.train.model.backend, model::ModelSpec().backend);
  EXPECT_EQ(plan.train.model.threads, model::ModelSpec().threads);
  EXPECT_EQ(plan.train.model.seed, model::ModelSpec().seed);
  EXPECT_EQ(plan.train.model.early_stopping_rounds, model::ModelSpec().early_stopping_rounds);
  const auto& walk = std::get<cv::WalkForwardSpec>(plan.train.cv.spec);
  const cv::WalkForwardSpec walk_default;
  EXPECT_EQ(walk.train_days, walk_default.train_days);
  EXPECT_EQ(walk.test_days, walk_default.test_days);
  EXPECT_EQ(walk.step_days, walk_default.step_days);
  EXPECT_EQ(walk.gap_days, walk_default.gap_days);
  EXPECT_EQ(walk.valid_days, walk_default.valid_days);
  EXPECT_EQ(walk.expanding, walk_default.expanding);
  // Backtest: the engine's defaults, except limit_threshold: the workflow reader has always read
  // an absent key as "no price limits" (Qlib's Exchange default), while `alphaloom backtest` and
  // the engine default to 0.095.
  BacktestStageConfig expected;
  expected.options.exchange.limit_threshold = std::nullopt;
  EXPECT_EQ(BacktestConfigJson(plan.backtest), BacktestConfigJson(expected));
  EXPECT_EQ(plan.backtest.ic, expected.ic);
  EXPECT_FALSE(plan.backtest.start || plan.backtest.end);

  // The kinds not chosen by default, read through the same sections.
  plan = ReadWorkflowPlan(LoadYamlText(fmt::format("data: {{store: {}}}\nlabel: {{kind: triple_barrier}}\n"
                                                   "cv: {{kind: cpcv}}\nstrategy: {{kind: hybrid}}\n",
                                                   StoreDir().string()),
                                       "wf.yaml"),
                          "wf.yaml");
  const label::TripleBarrierSpec barrier;
  const label::TripleBarrierSpec& read = plan.train.label.barrier;
  EXPECT_EQ(read.volatility, barrier.volatility);
  EXPECT_EQ(read.span, barrier.span);
  EXPECT_EQ(read.atr_period, barrier.atr_period);
  EXPECT_EQ(read.profit_take, barrier.profit_take);
  EXPECT_EQ(read.stop_loss, barrier.stop_loss);
  EXPECT_EQ(read.vertical_bars, barrier.vertical_bars);
  EXPECT_EQ(read.min_ret, barrier.min_ret);
  EXPECT_EQ(read.timeout, barrier.timeout);
  const auto& cpcv = std::get<cv::CpcvSpec>(plan.train.cv.spec);
  EXPECT_EQ(cpcv.groups, cv::CpcvSpec().groups);
  EXPECT_EQ(cpcv.test_groups, cv::CpcvSpec().test_groups);
  EXPECT_EQ(cpcv.embargo_pct, cv::CpcvSpec().embargo_pct);
  ASSERT_TRUE(plan.hybrid);
  const HybridConfig hybrid_default;
  const signal::RuleAlphaParams& signals = plan.hybrid->signals;
  EXPECT_EQ(signals.trend_windows, hybrid_default.signals.trend_windows);
  EXPECT_EQ(signals.rs_windows, hybrid_default.signals.rs_windows);
  EXPECT_EQ(signals.trend_scale, hybrid_default.signals.trend_scale);
  EXPECT_EQ(signals.reversion_window, hybrid_default.signals.reversion_window);
  EXPECT_EQ(signals.reversion_k, hybrid_default.signals.reversion_k);
  EXPECT_EQ(signals.strong_trend_window, hybrid_default.signals.strong_trend_window);
  EXPECT_EQ(signals.strong_trend, hybrid_default.signals.strong_trend);
  EXPECT_EQ(signals.vol_window, hybrid_default.signals.vol_window);
  EXPECT_EQ(signals.vol_history, hybrid_default.signals.vol_history);
  EXPECT_EQ(signals.vol_scale, hybrid_default.signals.vol_scale);
  EXPECT_EQ(signals.rs_scale, hybrid_default.signals.rs_scale);
  EXPECT_EQ(signals.realized_vol_window, hybrid_default.signals.realized_vol_window);
  const regime::RuleRegimeParams& rules = plan.hybrid->regime.rules;
  const regime::RuleRegimeParams rules_default;
  EXPECT_EQ(rules.trend_window, rules_default.trend_window);
  EXPECT_EQ(rules.trend_band, rules_default.trend_band);
  EXPECT_EQ(rules.vol_window, rules_default.vol_window);
  EXPECT_EQ(rules.high_vol, rules_default.high_vol);
  EXPECT_EQ(rules.crash_vol, rules_default.crash_vol);
  EXPECT_EQ(rules.crash_window, rules_default.crash_window);
  EXPECT_EQ(rules.crash_return, rules_default.crash_return);
  EXPECT_EQ(rules.confirm_days, rules_default.confirm_days);
  const regime::HmmRegimeParams& hmm = plan.hybrid->regime.hmm;
  const regime::HmmRegimeParams hmm_default;
  EXPECT_EQ(hmm.states, hmm_default.states);
  EXPECT_EQ(hmm.min_train, hmm_default.min_train);
  EXPECT_EQ(hmm.refit_every, hmm_default.refit_every);
  EXPECT_EQ(hmm.fit_window, hmm_default.fit_window);
  EXPECT_EQ(hmm.return_scale, hmm_default.return_scale);
  EXPECT_EQ(hmm.fit.n_iter, hmm_default.fit.n_iter);
  EXPECT_EQ(hmm.fit.tol, hmm_default.fit.tol);
  EXPECT_EQ(hmm.fit.covars_prior, hmm_default.fit.covars_prior);
  EXPECT_EQ(hmm.crash_vol, hmm_default.crash_vol);
  EXPECT_EQ(hmm.warm_start, hmm_default.warm_start);
  EXPECT_EQ(plan.hybrid->regime.ids, hybrid_default.regime.ids);
  EXPECT_EQ(plan.hybrid->regime.labels, hybrid_default.regime.labels);
  const portfolio::SizingConfig& sizing = plan.hybrid->sizing;
  const portfolio::SizingConfig sizing_default;
  EXPECT_EQ(sizing.method, sizing_default.method);
  EXPECT_EQ(sizing.target_vol, sizing_default.target_vol);
  EXPECT_EQ(sizing.min_vol, sizing_default.min_vol);
  EXPECT_EQ(sizing.max_weight, sizing_default.max_weight);
  EXPECT_EQ(sizing.max_gross, sizing_default.max_gross);
  EXPECT_EQ(sizing.max_net, sizing_default.max_net);
  EXPECT_EQ(sizing.long_only, sizing_default.long_only);
  EXPECT_EQ(sizing.min_abs_score, sizing_default.min_abs_score);
  EXPECT_EQ(sizing.kelly_fraction, sizing_default.kelly_fraction);
  EXPECT_EQ(sizing.kelly_edge, sizing_default.kelly_edge);
  EXPECT_EQ(plan.hybrid->meta.regime_weights, hybrid_default.meta.regime_weights);
  EXPECT_EQ(plan.hybrid->meta.default_weights, hybrid_default.meta.default_weights);

  plan = ReadWorkflowPlan(LoadYamlText(fmt::format("data: {{store: {}}}\nlabel: {{kind: states}}\n"
                                                   "cv: {{kind: purged_kfold}}\nstrategy: {{kind: quantile}}\n",
                                                   StoreDir().string()),
                                       "wf.yaml"),
                          "wf.yaml");
  EXPECT_EQ(plan.train.label.states.thresholds, label::StateSpec().thresholds);
  EXPECT_FALSE(plan.train.label.states.lowest.has_value());
  EXPECT_EQ(std::get<cv::PurgedKFoldSpec>(plan.train.cv.spec).folds, cv::PurgedKFoldSpec().folds);
  EXPECT_EQ(std::get<cv::PurgedKFoldSpec>(plan.train.cv.spec).embargo_pct, cv::PurgedKFoldSpec().embargo_pct);
  EXPECT_EQ(plan.backtest.quantile.quantile, backtest::QuantileOptions().quantile);
  EXPECT_EQ(plan.backtest.quantile.exposure, backtest::QuantileOptions().exposure);
  EXPECT_EQ(plan.backtest.quantile.long_only, backtest::QuantileOptions().long_only);

  const dataset::ProcessorStep step_default;
  const YAML::Node steps = LoadYamlText(
      fmt::format("data: {{store: {}}}\nprocessors: {{steps: [fillna, robust_zscore]}}\n", StoreDir().string()),
      "wf.yaml");
  const TrainConfig train = ReadTrainConfig(steps, "wf.yaml");
  ASSERT_EQ(train.processors.size(), 2u);
  EXPECT_EQ(train.processors[0].fill_value, step_default.fill_value);
  EXPECT_EQ(train.processors[1].clip, step_default.clip);
}

// A number just outside each declared bound is rejected, by the readers and by the table check,
// with "file:line: key: must be ..."; a value on a closed bound is accepted.
TEST(WorkflowKeys, BoundsAreCheckedWithFileLineAndKey) {
  SetToken();
  size_t checked = 0;
  for (const WorkflowKey& key : WorkflowKeys()) {
    const bool numeric = key.type == KeyType::kInt || key.type == KeyType::kNumber || key.type == KeyType::kNumbers;
    if (!numeric || !(std::isfinite(key.min) || std::isfinite(key.max))) continue;
    SCOPED_TRACE(std::string(key.path));
    Kinds kinds = DefaultKinds();
    for (std::string_view section = Parent(key.path); !section.empty(); section = Parent(section)) {
      for (const WorkflowKey& row : WorkflowKeys()) {
        if (row.path == section || (Parent(row.path) == Parent(section) && Last(row.path) == Last(section))) {
          if (!row.kinds.empty() && !AppliesToKind(row, kinds[std::string(Parent(row.path))])) {
            kinds[std::string(Parent(row.path))] = std::string(Choices(WorkflowKey{.choices = row.kinds}).front());
          }
        }
      }
    }
    if (!key.kinds.empty() && !AppliesToKind(key, kinds[std::string(Parent(key.path))])) {
      kinds[std::string(Parent(key.path))] = std::string(Choices(WorkflowKey{.choices = key.kinds}).front());
    }
    const double step = key.type == KeyType::kNumber ? 0.001 : 1;
    std::vector<std::pair<double, bool>> cases;  // value, accepted
    if (std::isfinite(key.min)) {
      cases.emplace_back(key.min, !key.min_open);
      cases.emplace_back(key.min_open ? key.min : key.min - step, false);
    }
    if (std::isfinite(key.max)) {
      cases.emplace_back(key.max, !key.max_open);
      cases.emplace_back(key.max_open ? key.max : key.max + step, false);
    }
    for (const auto& [value, accepted] : cases) {
      YAML::Node root = EveryKey(kinds);
      std::vector<std::string> segments;
      for (std::string_view rest = key.path; !rest.empty();) {
        const size_t dot = std::min(rest.find('.'), rest.size());
        segments.emplace_back(rest.substr(0, dot));
        rest = dot < rest.size() ? rest.substr(dot + 1) : std::string_view();
      }
      // Node copies, not assignments: assigning a yaml-cpp node rewrites what it refers to.
      std::vector<YAML::Node> chain = {root};
      for (size_t index = 0; index + 1 < segments.size(); ++index) chain.push_back(chain.back()[segments[index]]);
      chain.back()[segments.back()] = fmt::format("{}", value);  // a list may be one number
      const std::string text = YAML::Dump(root);
      const YAML::Node file = LoadYamlText(text, "wf.yaml");
      if (accepted) {
        EXPECT_NO_THROW(ValidateWorkflow(file, "wf.yaml")) << value;
        EXPECT_NO_THROW(ReadWorkflowPlan(file, "wf.yaml")) << value;
        continue;
      }
      const std::string where = fmt::format("{}: must be", key.path);
      for (const Error& error : {Caught([&] { ValidateWorkflow(file, "wf.yaml"); }),
                                 Caught([&] { ReadWorkflowPlan(file, "wf.yaml"); })}) {
        EXPECT_EQ(error.kind(), ErrorKind::kConfig) << value << ": " << error.what();
        const std::string message = error.what();
        EXPECT_EQ(message.rfind("wf.yaml:", 0), 0u) << message;
        EXPECT_NE(message.find(where), std::string::npos) << value << ": " << message;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 60u);
}

TEST(WorkflowKeys, TypesChoicesAndKindsAreChecked) {
  const auto error_of = [](const std::string& yaml) {
    const YAML::Node root = LoadYamlText(fmt::format("data: {{store: {}}}\n{}", StoreDir().string(), yaml), "wf.yaml");
    const Error table = Caught([&] { ValidateWorkflow(root, "wf.yaml"); });
    const Error reader = Caught([&] { ReadWorkflowPlan(root, "wf.yaml"); });
    EXPECT_EQ(table.kind(), ErrorKind::kConfig) << yaml << ": " << table.what();
    EXPECT_EQ(reader.kind(), ErrorKind::kConfig) << yaml << ": " << reader.what();
    EXPECT_EQ(std::string(table.what()), std::string(reader.what())) << yaml;
    return std::string(table.what());
  };
  EXPECT_EQ(error_of("model:\n  threads: 1.5\n"), "wf.yaml:3: model.threads: expected an integer, got '1.5'");
  EXPECT_EQ(error_of("backtest:\n  account: lots\n"),
            "wf.yaml:3: backtest.account: expected a finite number, got 'lots'");
  EXPECT_EQ(error_of("report:\n  html: maybe\n"), "wf.yaml:3: report.html: expected true or false, got 'maybe'");
  EXPECT_EQ(error_of("cv:\n  start: 2015-13-01\n"),
            "wf.yaml:3: cv.start: expected a date (YYYY-MM-DD), got '2015-13-01'");
  EXPECT_EQ(error_of("backtest:\n  deal_price: mid\n"),
            "wf.yaml:3: backtest.deal_price: 'mid' is not one of open, close, vwap");
  EXPECT_EQ(error_of("strategy:\n  kind: quantile\n  topk: 5\n"),
            "wf.yaml:4: strategy.topk: unknown key (known here: exposure, kind, long_only, quantile)");
  EXPECT_EQ(error_of("strategy:\n  kind: hybrid\n  sizing: {method: kelly, kelly_fraction: 1.5}\n"),
            "wf.yaml:4: strategy.sizing.kelly_fraction: must be in (0, 1], got 1.5");
  EXPECT_EQ(error_of("strategy:\n  kind: hybrid\n  meta:\n    weights:\n      bull: {trend: 1, momentum: 0}\n"),
            "wf.yaml:6: strategy.meta.weights.bull.momentum: unknown key (known here: mean_reversion, ml, "
            "relative_strength, trend, volatility)");
  EXPECT_EQ(error_of("processors:\n  steps: [{fillna: {val: 1}}]\n"),
            "wf.yaml:3: processors.steps.fillna.val: unknown key (known here: value)");
  EXPECT_EQ(error_of("label: {horizon: [1, 1.5]}\n"),
            "wf.yaml:2: label.horizon: expected a whole number of bars, got 1.5");
  EXPECT_EQ(error_of("label: {horizon: '3,3'}\n"), "wf.yaml:2: label.horizon: 3 is listed twice");
  EXPECT_EQ(error_of("label: {horizon: []}\n"), "wf.yaml:2: label.horizon: give at least one");
  EXPECT_EQ(error_of("tracking: {max_attempts: 0}\n"), "wf.yaml:2: tracking.max_attempts: must be at least 1, got 0");
  EXPECT_EQ(error_of("datta: {store: x}\n"), "wf.yaml:2: datta: unknown key (known here: backtest, cv, data, factors, "
                                            "label, metrics, model, name, output, processors, report, store, strategy, "
                                            "tracking, universe)");
  // Required keys.
  const Error missing = Caught([] { ValidateWorkflow(LoadYamlText("name: x\n", "wf.yaml"), "wf.yaml"); });
  EXPECT_EQ(std::string(missing.what()), "wf.yaml: data: missing (the bar store and its ingest)");
  const Error no_input =
      Caught([] { ValidateWorkflow(LoadYamlText("data: {store: s, ingest: {format: csv}}\n", "wf.yaml"), "wf.yaml"); });
  EXPECT_EQ(std::string(no_input.what()),
            "wf.yaml: data.ingest.input: missing (a bar file, a directory of bar files, or a Qlib directory)");
}

TEST(WorkflowKeys, ReadersAskingForUndeclaredKeysAreBugs) {
  const YAML::Node root = LoadYamlText("label: {kind: forward, horizon: 2}\n", "wf.yaml");
  ConfigSection label(root["label"], "label", "wf.yaml");
  EXPECT_EQ(Caught([&] { label.Int("spam"); }).kind(), ErrorKind::kInternal);
  EXPECT_EQ(Caught([&] { label.Double("span"); }).kind(), ErrorKind::kInternal) << "span is for barrier kinds only";
  EXPECT_EQ(Caught([&] { label.Int("kind"); }).kind(), ErrorKind::kInternal) << "kind is a string";
  EXPECT_EQ(Caught([&] { label.Has("spam"); }).kind(), ErrorKind::kInternal);
  label.String("kind");
  const Error unread = Caught([&] { label.RejectUnknownKeys(); });
  EXPECT_EQ(unread.kind(), ErrorKind::kInternal);
  EXPECT_NE(std::string(unread.what()).find("label.horizon: declared in the workflow key table but not read"),
            std::string::npos)
      << unread.what();
  label.Doubles("horizon");
  EXPECT_NO_THROW(label.RejectUnknownKeys());
}

TEST(WorkflowKeys, ExamplesValidate) {
  size_t examples = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(ALPHALOOM_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    const YAML::Node root = LoadYamlFile(entry.path().string());
    EXPECT_NO_THROW(ValidateWorkflow(root, entry.path().string()));
    try {
      ReadWorkflowPlan(root, entry.path().string(), PlanEnvironment::kWarn);
    } catch (const Error& error) {
      ADD_FAILURE() << error.what();
    }
    ++examples;
  }
  EXPECT_GE(examples, 4u);
}

TEST(WorkflowKeys, DocsShowTheTable) {
  const fs::path doc_path = fs::path(ALPHALOOM_SOURCE_DIR) / "docs" / "workflow.md";
  std::ifstream in(doc_path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string expected = DescribeWorkflowKeys(DescribeFormat::kMarkdown);
  const std::string shown = GeneratedBlock(text.str());
  if (shown == expected) return;
  // The first line that differs, not two copies of the whole table.
  std::istringstream shown_lines(shown), expected_lines(expected);
  std::string shown_line, expected_line;
  size_t line = 0;
  while (true) {
    ++line;
    const bool more_shown = static_cast<bool>(std::getline(shown_lines, shown_line));
    const bool more_expected = static_cast<bool>(std::getline(expected_lines, expected_line));
    if (!more_shown) shown_line = "(end)";
    if (!more_expected) expected_line = "(end)";
    if (shown_line != expected_line || !(more_shown && more_expected)) break;
  }
  ADD_FAILURE() << "docs/workflow.md's keys table differs from the workflow key table at its line " << line
                << ":\n  doc:   " << shown_line << "\n  table: " << expected_line
                << "\nregenerate it with: alphaloom config --describe --format markdown --update-doc docs/workflow.md";
}

TEST(WorkflowKeys, Describe) {
  const nlohmann::json all = nlohmann::json::parse(DescribeWorkflowKeys(DescribeFormat::kJson));
  EXPECT_EQ(all.size(), WorkflowKeys().size());
  const nlohmann::json label = nlohmann::json::parse(DescribeWorkflowKeys(DescribeFormat::kJson, "label"));
  ASSERT_FALSE(label.empty());
  for (const auto& row : label) EXPECT_EQ(row["key"].get<std::string>().rfind("label", 0), 0u);
  const auto horizon =
      std::find_if(label.begin(), label.end(), [](const auto& row) { return row["key"] == "label.horizon"; });
  ASSERT_NE(horizon, label.end());
  EXPECT_EQ((*horizon)["default"], "[1]");
  EXPECT_EQ((*horizon)["min"], 1.0);
  EXPECT_EQ((*horizon)["kinds"], nlohmann::json::array({"forward", "states"}));
  const std::string text = DescribeWorkflowKeys(DescribeFormat::kText, "strategy.regime.hmm");
  EXPECT_NE(text.find("strategy.regime.hmm.states"), std::string::npos);
  EXPECT_NE(text.find("a positive number"), std::string::npos) << text;
  EXPECT_EQ(text.find("strategy.sizing"), std::string::npos);
  EXPECT_NE(DescribeWorkflowKeys(DescribeFormat::kMarkdown, "metrics").find("| `metrics.trials` |"), std::string::npos);
  const Error unknown = Caught([] { DescribeWorkflowKeys(DescribeFormat::kText, "labels"); });
  EXPECT_EQ(unknown.kind(), ErrorKind::kUsage);
  EXPECT_NE(std::string(unknown.what()).find("unknown section 'labels'"), std::string::npos);

  const std::string doc = fmt::format("intro\n{}\nold\n{}\nafter\n", kDocBegin, kDocEnd);
  EXPECT_EQ(ReplaceGeneratedBlock(doc, "new\n"), fmt::format("intro\n{}\nnew\n{}\nafter\n", kDocBegin, kDocEnd));
  EXPECT_EQ(GeneratedBlock(doc), "old\n");
  EXPECT_EQ(Caught([] { GeneratedBlock("no markers\n"); }).kind(), ErrorKind::kData);
}

}  // namespace
}  // namespace alphaloom::pipeline
