#include "alphaloom/pipeline/inspect_strategy.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/expr/program.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/pipeline/features.h"
#include "alphaloom/pipeline/predict.h"
#include "alphaloom/pipeline/run.h"
#include "alphaloom/pipeline/workflow_plan.h"
#include "alphaloom/portfolio/meta_model.h"
#include "alphaloom/track/model_uri.h"
#include "alphaloom/track/tracker.h"

namespace alphaloom::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const data::TableColumn& RequiredColumn(const data::Table& table, std::string_view name) {
  const data::TableColumn* column = table.Find(name);
  if (column == nullptr) throw Error(ErrorKind::kInternal, fmt::format("strategy table lacks column {}", name));
  return *column;
}

// The rows of `table` (sorted by date) that belong to `instrument`.
std::vector<size_t> InstrumentRows(const data::Table& table, const std::string& instrument) {
  const data::TableColumn& names = RequiredColumn(table, "instrument");
  std::vector<size_t> rows;
  for (size_t row = 0; row < table.rows(); ++row) {
    if (names.String(row) == instrument) rows.push_back(row);
  }
  return rows;
}

std::vector<double> Pick(const data::TableColumn& column, const std::vector<size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (size_t row : rows) out.push_back(column.numbers[row]);
  return out;
}

std::string_view MlSignalName(MlSignal signal) {
  switch (signal) {
    case MlSignal::kProbUp: return "prob_up";
    case MlSignal::kBetSize: return "bet_size";
    case MlSignal::kYhatRank: return "yhat_rank";
  }
  return "";
}

// The instrument's yhat and prob_up on `dates` from a predictions table (rows of `horizon` when it
// has a horizon column, as RunHybridStrategy reads them); NaN where it has none.
void InstrumentPredictions(const data::Table& predictions, const std::string& instrument, int horizon,
                           const std::vector<Date>& dates, std::vector<double>& yhat, std::vector<double>& prob_up) {
  yhat.assign(dates.size(), kNaN);
  prob_up.assign(dates.size(), kNaN);
  const data::TableColumn* datetimes = predictions.Find("datetime");
  const data::TableColumn* names = predictions.Find("instrument");
  if (datetimes == nullptr || names == nullptr) return;  // RunHybridStrategy has refused it already
  const data::TableColumn* horizons = predictions.Find("horizon");
  const data::TableColumn* yhats = predictions.Find("yhat");
  const data::TableColumn* probabilities = predictions.Find("prob_up");
  std::unordered_map<int32_t, size_t> position;
  for (size_t index = 0; index < dates.size(); ++index) position.emplace(dates[index].days(), index);
  for (size_t row = 0; row < predictions.rows(); ++row) {
    if (horizons != nullptr && horizons->numbers[row] != horizon) continue;
    if (names->String(row) != instrument) continue;
    const auto found = position.find(datetimes->dates[row].days());
    if (found == position.end()) continue;
    if (yhats != nullptr) yhat[found->second] = yhats->numbers[row];
    if (probabilities != nullptr) prob_up[found->second] = probabilities->numbers[row];
  }
}

// The ML score the meta-model reads for the instrument's rows: the strategy run again with the ML
// component weighted 1 in every regime and on warm-up dates, so that its contribution is the score
// itself (1 * score), whatever the signal (a yhat rank needs the whole day's cross-section). The
// regime no longer matters then, so the cheap rules stand in for an HMM.
std::vector<double> MlScores(const HybridConfig& config, const data::QlibStore& store, const data::Table& predictions,
                             const StrategyInspectRequest& request, const std::vector<double>& prediction_read,
                             ThreadPool& pool) {
  HybridConfig ml_only = config;
  ml_only.regime.method = RegimeMethod::kRules;
  portfolio::ComponentWeights ml_weights{};
  ml_weights[portfolio::kMlComponent] = 1.0;
  ml_only.meta.default_weights = ml_weights;
  ml_only.meta.regime_weights.fill(ml_weights);
  const data::Table table = RunHybridStrategy(ml_only, store, predictions, request.start, request.end, pool);
  std::vector<double> scores = Pick(RequiredColumn(table, "c_ml"), InstrumentRows(table, request.instrument));
  Check(scores.size() == prediction_read.size(), "InspectHybridStrategy: the ML pass has the same rows");
  // A missing prediction contributes 0; the score itself is "none".
  for (size_t row = 0; row < scores.size(); ++row) {
    if (std::isnan(prediction_read[row])) scores[row] = kNaN;
  }
  return scores;
}

}  // namespace

HybridConfig DefaultHybridConfig() {
  ConfigSection section(LoadYamlText("kind: hybrid\n", "defaults"), "strategy", "defaults");
  return ReadHybridConfig(section);
}

InspectWorkflow ReadInspectWorkflow(const fs::path& path, const std::vector<std::string>& overrides) {
  YAML::Node root = LoadYamlFile(path.string());
  ApplyOverrides(root, overrides);
  InspectWorkflow workflow;
  workflow.source = path.string();
  if (root["data"]) {
    const WorkflowPlan plan = ReadWorkflowPlan(root, workflow.source, PlanEnvironment::kWarn);
    workflow.hybrid_from_file = plan.hybrid.has_value();
    workflow.hybrid = plan.hybrid ? *plan.hybrid : DefaultHybridConfig();
    workflow.store = plan.train.store;
    workflow.run_model = plan.output_dir / plan.train.name / "model";
    workflow.tracking = plan.tracking;
    workflow.cache_dir = plan.cache_dir;
    return workflow;
  }
  if (root["strategy"]) {
    ConfigSection section(root["strategy"], "strategy", workflow.source);
    if (section.kind() == "hybrid") {
      workflow.hybrid = ReadHybridConfig(section);
      workflow.hybrid_from_file = true;
      return workflow;
    }
  }
  workflow.hybrid = DefaultHybridConfig();
  return workflow;
}

InspectPredictions PredictForInspect(const std::string& model, const std::string& store, const TrackingConfig& tracking,
                                     const fs::path& cache_dir, Date start, Date end, ThreadPool& pool) {
  fs::path model_dir = model;
  if (model.rfind("models:/", 0) == 0) {
    const std::unique_ptr<track::Tracker> tracker = track::OpenTracker(TrackerOptionsOf(tracking));
    model_dir = track::ResolveModelDirectory(*tracker, model, cache_dir / "models");
  }
  PredictRequest request;
  request.model_dir = model_dir;
  request.store = store;
  request.start = start;
  request.end = end;
  InspectPredictions out;
  out.table = Predict(request, pool);
  out.source = fmt::format("model {}", model);
  const data::TableColumn* versions = out.table.Find("model_version");
  if (versions != nullptr && out.table.rows() > 0) out.version = std::string(versions->String(0));
  // Predict has read ensemble.json already; its folds' training windows say which rows the
  // ensemble has seen.
  const nlohmann::json ensemble = nlohmann::json::parse(data::ReadFileMaybeGzip(model_dir / "ensemble.json"));
  for (const auto& fold : ensemble.value("folds", nlohmann::json::array())) {
    if (!fold.contains("train_end") || !fold["train_end"].is_string()) continue;
    const std::optional<Date> train_end = ParseDate(fold["train_end"].get<std::string>());
    if (train_end && (!out.trained_through || *train_end > *out.trained_through)) out.trained_through = train_end;
  }
  return out;
}

InspectPredictions ReadPredictionsForInspect(const fs::path& file) {
  const data::ColumnRequest requests[] = {{"datetime", data::ColumnType::kDate, true},
                                          {"instrument", data::ColumnType::kString, true},
                                          {"horizon", data::ColumnType::kNumber, false},
                                          {"yhat", data::ColumnType::kNumber, false},
                                          {"prob_up", data::ColumnType::kNumber, false}};
  InspectPredictions out;
  out.table = data::ReadTable(file, requests);
  out.source = fmt::format("predictions {}", file.string());
  return out;
}

std::vector<std::vector<double>> InstrumentFeatures(const data::QlibStore& store, const std::string& instrument,
                                                    const factors::FactorSet& set, const std::vector<Date>& dates,
                                                    ThreadPool& pool) {
  std::vector<std::vector<double>> values(set.names.size(), std::vector<double>(dates.size(), kNaN));
  if (dates.empty() || set.names.empty()) return values;
  const expr::Program program = expr::Program::Compile(set.names, set.expressions);
  const auto is_cross_sectional = [](const expr::DagNode& node) {
    return node.op != nullptr && node.op->kind == expr::OperatorKind::kCrossSectional;
  };
  std::vector<std::string> instruments;
  if (std::any_of(program.nodes().begin(), program.nodes().end(), is_cross_sectional)) {
    for (const data::InstrumentSpan& span : store.instruments()) instruments.push_back(span.instrument);
  }
  if (std::find(instruments.begin(), instruments.end(), instrument) == instruments.end()) {
    instruments.push_back(instrument);
  }
  const expr::FeatureFrame frame = ComputeFeatures(store, instruments, set, pool, dates.front(), dates.back());
  std::unordered_map<int32_t, size_t> position;
  for (size_t index = 0; index < dates.size(); ++index) position.emplace(dates[index].days(), index);
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (frame.instrument(row) != instrument) continue;
    const auto found = position.find(frame.date(row).days());
    if (found == position.end()) continue;
    for (size_t col = 0; col < frame.cols(); ++col) values[col][found->second] = frame.At(row, col);
  }
  return values;
}

report::StrategyInspection InspectHybridStrategy(const HybridConfig& config, const data::QlibStore& store,
                                                 const StrategyInspectRequest& request, ThreadPool& pool) {
  const auto& spans = store.instruments();
  const bool traded = std::any_of(spans.begin(), spans.end(), [&](const data::InstrumentSpan& span) {
    return span.instrument == request.instrument;
  });
  if (!traded) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("{}: not in market {} of {}, which the strategy trades (the benchmark is not traded)",
                            request.instrument, store.metadata().market, store.dir().string()));
  }
  static const data::Table kNoPredictions;
  const data::Table& predictions = request.predictions != nullptr ? *request.predictions : kNoPredictions;
  const data::Table table = RunHybridStrategy(config, store, predictions, request.start, request.end, pool);
  const std::vector<size_t> rows = InstrumentRows(table, request.instrument);
  if (rows.empty()) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: no bar between {} and {}", request.instrument,
                                                  request.start.ToString(), request.end.ToString()));
  }

  report::StrategyInspection out;
  out.regime_method = config.regime.method == RegimeMethod::kHmm ? "hmm" : "rules";
  out.regime_labels.assign(config.regime.labels.begin(), config.regime.labels.end());
  out.components.assign(portfolio::kComponentNames.begin(), portfolio::kComponentNames.end());
  out.weight_sets.emplace_back("default", std::vector<double>(config.meta.default_weights.begin(),
                                                              config.meta.default_weights.end()));
  for (size_t regime_idx = 0; regime_idx < regime::kRegimeCount; ++regime_idx) {
    const portfolio::ComponentWeights& weights = config.meta.regime_weights[regime_idx];
    out.weight_sets.emplace_back(config.regime.labels[regime_idx], std::vector<double>(weights.begin(), weights.end()));
  }
  out.ml_signal = std::string(MlSignalName(config.ml_signal));

  const data::TableColumn& datetimes = RequiredColumn(table, "datetime");
  for (size_t row : rows) out.dates.push_back(datetimes.dates[row]);
  out.weight = Pick(RequiredColumn(table, "weight"), rows);
  out.alpha_score = Pick(RequiredColumn(table, "alpha_score"), rows);
  out.realized_vol = Pick(RequiredColumn(table, "realized_vol"), rows);
  for (std::string_view component : portfolio::kComponentNames) {
    out.contributions.push_back(Pick(RequiredColumn(table, fmt::format("c_{}", component)), rows));
  }

  // The regime of each row, with its probabilities: the series the strategy combined with.
  const regime::RegimeSeries regimes = ComputeRegimes(config.regime, store, request.end);
  const Calendar& calendar = store.calendar();
  out.probabilities.assign(regime::kRegimeCount, std::vector<double>(out.rows()));
  for (size_t row = 0; row < out.rows(); ++row) {
    const size_t date_idx = *calendar.IndexOf(out.dates[row]);
    out.regime.push_back(regimes.regime[date_idx]);
    for (size_t regime_idx = 0; regime_idx < regime::kRegimeCount; ++regime_idx) {
      out.probabilities[regime_idx][row] = regimes.probabilities[date_idx][regime_idx];
    }
  }

  // The rule alphas are time-series expressions of the instrument's own close and the benchmark's,
  // so the instrument alone gives the values the strategy computed over the market.
  const std::vector<std::string> fields = {"close", "bench_close"};
  const std::vector<std::string> instruments = {request.instrument};
  const data::Panel panel = store.LoadPanel(fields, instruments, std::nullopt, request.end);
  expr::OutputRange range;
  range.begin = panel.calendar().LowerBound(request.start);
  const expr::FeatureFrame alphas = signal::ComputeRuleAlphas(panel, config.signals, pool, range);
  std::map<Date, size_t> alpha_row;
  for (size_t row = 0; row < alphas.rows(); ++row) alpha_row.emplace(alphas.date(row), row);
  out.signals.assign(portfolio::kComponentCount, std::vector<double>(out.rows(), kNaN));
  const size_t close_idx = panel.FieldIndex("close");
  for (size_t row = 0; row < out.rows(); ++row) {
    out.close.push_back(panel.At(close_idx, 0, *panel.calendar().IndexOf(out.dates[row])));
    const auto found = alpha_row.find(out.dates[row]);
    if (found == alpha_row.end()) continue;
    for (size_t component = 0; component < std::size(signal::kAlphaNames); ++component) {
      out.signals[component][row] = alphas.At(found->second, component);
    }
  }

  if (predictions.rows() > 0) {
    InstrumentPredictions(predictions, request.instrument, config.horizon, out.dates, out.yhat, out.prob_up);
    const std::vector<double>& read = config.ml_signal == MlSignal::kYhatRank ? out.yhat : out.prob_up;
    out.signals[portfolio::kMlComponent] = MlScores(config, store, predictions, request, read, pool);
  }
  return out;
}

}  // namespace alphaloom::pipeline
