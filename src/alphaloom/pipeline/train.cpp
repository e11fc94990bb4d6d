#include "alphaloom/pipeline/train.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/hash.h"
#include "alphaloom/common/log.h"
#include "alphaloom/common/progress.h"
#include "alphaloom/cv/plan_report.h"
#include "alphaloom/data/instrument_spec.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/dataset/learning_set.h"
#include "alphaloom/model/artifact.h"
#include "alphaloom/model/uncertainty.h"
#include "alphaloom/pipeline/evaluation.h"
#include "alphaloom/pipeline/features.h"
#include "alphaloom/pipeline/workflow.h"

namespace alphaloom::pipeline {
namespace {

std::vector<dataset::ProcessorStep> ReadProcessors(ConfigSection& section) {
  section.String("fit_on");
  std::vector<dataset::ProcessorStep> steps;
  const YAML::Node list = section.Raw("steps");
  if (!list || list.IsNull()) {
    section.RejectUnknownKeys();
    return steps;
  }
  if (!list.IsSequence()) throw Error(ErrorKind::kConfig, fmt::format("{}: expected a list of steps", section.Where("steps")));
  for (const auto& item : list) {
    std::string name;
    YAML::Node params;
    if (item.IsScalar()) {
      name = item.Scalar();
    } else if (item.IsMap() && item.size() == 1 && item.begin()->first.IsScalar()) {
      name = item.begin()->first.Scalar();
      params = item.begin()->second;
    } else {
      throw Error(ErrorKind::kConfig, fmt::format("{}: a step is a name or {{name: {{parameters}}}}", section.Where("steps")));
    }
    // Rows without a label never reach training, so dropna_label is implied; it is accepted
    // because Qlib configs list it.
    if (name == "dropna_label") continue;
    dataset::ProcessorStep step;
    try {
      step.kind = dataset::ParseProcessorKind(name);
    } catch (const Error& error) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where("steps"), error.what()));
    }
    ConfigSection step_section(params, "processors.steps." + name, section.source());
    if (step.kind == dataset::ProcessorKind::kFillNa) step.fill_value = step_section.Double("value");
    if (step.kind == dataset::ProcessorKind::kRobustZScore) step.clip = step_section.Bool("clip");
    step_section.RejectUnknownKeys();
    steps.push_back(step);
  }
  section.RejectUnknownKeys();
  return steps;
}

model::ModelSpec ReadModel(ConfigSection& section) {
  model::ModelSpec spec;
  spec.backend = section.String("kind");
  spec.objective = model::ParseObjective(section.String("objective"));
  spec.num_class = section.Int("num_class");
  spec.num_rounds = section.Int("num_rounds");
  spec.early_stopping_rounds = section.Int("early_stopping");
  spec.seed = section.Int("seed");
  spec.threads = section.Int("threads");
  const YAML::Node params = section.Raw("params");
  if (params && !params.IsNull()) {
    if (!params.IsMap()) throw Error(ErrorKind::kConfig, fmt::format("{}: expected name: value pairs", section.Where("params")));
    for (const auto& item : params) {
      if (!item.first.IsScalar() || !item.second.IsScalar()) {
        throw Error(ErrorKind::kConfig, fmt::format("{}: expected name: value pairs", section.Where("params")));
      }
      spec.params[item.first.Scalar()] = item.second.Scalar();
    }
  }
  section.RejectUnknownKeys();
  return spec;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<Date> RowDates(const expr::FeatureFrame& frame) {
  std::vector<Date> dates(frame.rows());
  for (size_t row = 0; row < frame.rows(); ++row) dates[row] = frame.date(row);
  return dates;
}

template <typename T>
std::vector<T> Pick(const std::vector<T>& values, const std::vector<uint32_t>& rows) {
  std::vector<T> out;
  if (values.empty()) return out;
  out.reserve(rows.size());
  for (const uint32_t row : rows) out.push_back(values[row]);
  return out;
}

// One fold's rows, gathered and processed.
struct FoldData {
  expr::FeatureFrame x;
  std::vector<Date> dates;
  std::vector<double> label;
  std::vector<double> weight;
};

FoldData Gather(const dataset::LearningSet& set, const std::vector<double>& targets, const std::vector<uint32_t>& rows) {
  FoldData data{dataset::GatherRows(set.features, rows), {}, Pick(targets, rows), Pick(set.weight, rows)};
  data.dates = RowDates(data.x);
  return data;
}

dataset::MatrixRef Ref(FoldData& data) {
  return dataset::MatrixRef{data.x.matrix().data(), data.x.rows(), data.x.cols(), data.dates};
}

// The rows of `features` that have no target (their label needs bars after the row's date, which
// a suspension, a delisting or the end of the data removes), with their label-calendar positions
// (-1 off that calendar). They are predicted for the signal like every row on the same date, so
// the signal does not tell the strategy in advance which names lose their next bars; they are
// never scored.
struct UnlabelledRows {
  std::vector<uint32_t> rows;
  std::vector<int32_t> positions;
  std::vector<unsigned char> taken;  ///< already predicted by an earlier fold
};

UnlabelledRows FindUnlabelledRows(const expr::FeatureFrame& features, const dataset::LearningSet& set) {
  std::vector<unsigned char> labelled(features.rows(), 0);
  for (const size_t row : set.source_row) labelled[row] = 1;
  UnlabelledRows out;
  for (size_t row = 0; row < features.rows(); ++row) {
    if (labelled[row]) continue;
    const std::optional<size_t> position = set.calendar.IndexOf(features.date(row));
    out.rows.push_back(static_cast<uint32_t>(row));
    out.positions.push_back(position ? static_cast<int32_t>(*position) : -1);
  }
  out.taken.assign(out.rows.size(), 0);
  return out;
}

// The unlabelled rows on the dates of `fold`'s test blocks that no earlier fold took.
std::vector<uint32_t> TakeTestDateRows(UnlabelledRows& unlabelled, const cv::Fold& fold) {
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < unlabelled.rows.size(); ++i) {
    if (unlabelled.taken[i] || unlabelled.positions[i] < 0) continue;
    const int32_t position = unlabelled.positions[i];
    const auto inside = [position](const cv::DateRange& block) {
      return position >= block.first && position <= block.last;
    };
    if (std::none_of(fold.test_blocks.begin(), fold.test_blocks.end(), inside)) continue;
    unlabelled.taken[i] = 1;
    rows.push_back(unlabelled.rows[i]);
  }
  return rows;
}

// Applies the fold's fitted processors to the test rows and the unlabelled rows of the same dates
// together (a cross-sectional processor sees the whole cross-section of each date, as it was
// known on that date), then splits them back into `test` and `extra`.
void TransformTestRows(const dataset::ProcessorChain& processors, const dataset::LearningSet& set,
                       const std::vector<uint32_t>& test_rows, const expr::FeatureFrame& features,
                       const std::vector<uint32_t>& extra_rows, FoldData& test, FoldData& extra) {
  std::vector<uint32_t> frame_rows;
  frame_rows.reserve(test_rows.size() + extra_rows.size());
  for (const uint32_t row : test_rows) frame_rows.push_back(static_cast<uint32_t>(set.source_row[row]));
  frame_rows.insert(frame_rows.end(), extra_rows.begin(), extra_rows.end());
  std::sort(frame_rows.begin(), frame_rows.end());
  FoldData both{dataset::GatherRows(features, frame_rows), {}, {}, {}};
  both.dates = RowDates(both.x);
  processors.Transform(Ref(both));
  const size_t cols = both.x.cols();
  const std::span<const float> values = both.x.matrix();
  size_t next_test = 0, next_extra = 0;
  for (size_t row = 0; row < frame_rows.size(); ++row) {
    const bool is_extra = next_extra < extra_rows.size() && extra_rows[next_extra] == frame_rows[row];
    FoldData& target = is_extra ? extra : test;
    size_t& next = is_extra ? next_extra : next_test;
    std::copy_n(values.begin() + static_cast<long>(row * cols), cols,
                target.x.matrix().begin() + static_cast<long>(next * cols));
    ++next;
  }
}

}  // namespace

TrainConfig ReadTrainConfig(const YAML::Node& root, const std::string& source) {
  ConfigSection top(root, "", source);
  for (const auto& section : WorkflowSections()) top.Allow(section);
  top.RejectUnknownKeys();
  TrainConfig config;
  config.name = top.String("name");
  ConfigSection data = top.Child("data");
  config.store = data.String("store");
  data.Allow("ingest");
  data.RejectUnknownKeys();
  ConfigSection universe = top.Child("universe");
  config.market = universe.String("market");
  universe.Allow("benchmark");
  universe.RejectUnknownKeys();
  ConfigSection factors = top.Child("factors");
  config.factors = ReadFactorConfig(factors);
  ConfigSection label = top.Child("label");
  config.label = ReadLabelConfig(label);
  ConfigSection processors = top.Child("processors");
  config.processors = ReadProcessors(processors);
  ConfigSection cv = top.Child("cv");
  config.cv = ReadSplitConfig(cv);
  ConfigSection model_section = top.Child("model");
  config.model = ReadModel(model_section);
  const bool classifier =
      config.model.objective == model::Objective::kBinary || config.model.objective == model::Objective::kMulticlass;
  if (classifier && config.label.forward.normalize != label::CrossSectionNorm::kNone) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: a classifier learns classes; use normalize: none",
                                                label.Where("normalize")));
  }
  return config;
}

expr::FeatureFrame ComputeTrainFeatures(const TrainConfig& config, ThreadPool& pool) {
  const data::QlibStore store = data::QlibStore::Open(config.store);
  const std::vector<std::string> instruments = data::ResolveInstruments(store, config.market);
  return ComputeFeatures(store, instruments, config.factors, pool, std::nullopt, config.cv.end);
}

label::LabelFrame ComputeTrainLabels(const TrainConfig& config, ThreadPool& pool) {
  const data::QlibStore store = data::QlibStore::Open(config.store);
  const std::vector<std::string> instruments = data::ResolveInstruments(store, config.market);
  // Labels are computed raw; the configured per-day normalisation is applied to the training
  // target over the rows that have features (Qlib: DropnaLabel, then CSZScoreNorm on the label),
  // and the scores compare predictions with the raw label (Qlib's SigAnaRecord does the same).
  LabelConfig raw_config = config.label;
  raw_config.forward.normalize = label::CrossSectionNorm::kNone;
  return ComputeLabels(store, instruments, raw_config, pool, config.cv.end).front();
}

TrainSummary Train(const TrainConfig& config, const std::filesystem::path& out_dir, ThreadPool& pool,
                   const FoldCallback& on_fold) {
  const auto started = std::chrono::steady_clock::now();
  const expr::FeatureFrame features = ComputeTrainFeatures(config, pool);
  label::LabelFrame labels = ComputeTrainLabels(config, pool);
  const double compute_seconds = Seconds(started);
  TrainSummary summary = TrainOn(config, features, std::move(labels), out_dir, pool, on_fold);
  summary.metrics["seconds"]["prepare"] = summary.metrics["seconds"]["prepare"].get<double>() + compute_seconds;
  summary.metrics["seconds"]["total"] = Seconds(started);
  WriteFileAtomic(out_dir / "metrics.json", summary.metrics.dump(2) + "\n");
  return summary;
}

TrainSummary TrainOn(const TrainConfig& config, const expr::FeatureFrame& features, label::LabelFrame labels,
                     const std::filesystem::path& out_dir, ThreadPool& pool, const FoldCallback& on_fold) {
  const auto started = std::chrono::steady_clock::now();
  RestrictDates(labels, config.cv.start, config.cv.end);
  dataset::LearningSet set = dataset::JoinLabels(features, labels);
  const label::CrossSectionNorm norm = config.label.forward.normalize;
  const std::string label_name = labels.name + (norm == label::CrossSectionNorm::kZScore ? "_cszscore"
                                                : norm == label::CrossSectionNorm::kRank ? "_csrank"
                                                                                         : "");
  std::vector<double> targets = set.label;
  label::NormalizeByDay(targets, set.row_date, norm);
  if (std::any_of(targets.begin(), targets.end(), [](double t) { return std::isnan(t); })) {
    std::vector<uint32_t> keep;
    for (size_t row = 0; row < targets.size(); ++row) {
      if (!std::isnan(targets[row])) keep.push_back(static_cast<uint32_t>(row));
    }
    LogInfo("{} rows on days the label normalisation leaves undefined (one instrument) are left out",
            targets.size() - keep.size());
    set = dataset::Subset(set, keep);
    std::vector<double> kept_targets;
    for (const uint32_t row : keep) kept_targets.push_back(targets[row]);
    targets = std::move(kept_targets);
  }
  LogInfo("{} features x {} labelled rows ({} instruments), label {}", set.features.cols(), set.rows(),
          features.instruments().size(), label_name);
  const double prepare_seconds = Seconds(started);

  // Classifiers learn class indices; the label values they stand for are kept for scoring.
  model::ModelSpec spec = config.model;
  std::vector<double> class_values;
  if (spec.objective == model::Objective::kBinary) {
    for (size_t row = 0; row < targets.size(); ++row) {
      if (targets[row] != 0 && targets[row] != 1) {
        throw Error(ErrorKind::kConfig, fmt::format("model.objective: binary needs labels 0 and 1 (e.g. label.kind: meta); "
                                                    "{} has {}", labels.name, targets[row]));
      }
    }
    class_values = {0, 1};
  } else if (spec.objective == model::Objective::kMulticlass) {
    const std::set<double> distinct(targets.begin(), targets.end());
    class_values.assign(distinct.begin(), distinct.end());
    if (spec.num_class == 0) spec.num_class = static_cast<int>(class_values.size());
    if (static_cast<size_t>(spec.num_class) != class_values.size()) {
      throw Error(ErrorKind::kConfig, fmt::format("model.num_class: {} but the labels have {} classes", spec.num_class,
                                                  class_values.size()));
    }
    for (double& target : targets) {
      target = static_cast<double>(std::lower_bound(class_values.begin(), class_values.end(), target) - class_values.begin());
    }
  }
  const bool classifier = !class_values.empty();

  const cv::SampleIndex index(set.calendar, set.row_date, set.row_t1);
  const cv::FoldPlan plan = cv::MakePlan(index, config.cv.spec, &pool);
  if (spec.early_stopping_rounds > 0) {
    for (const cv::Fold& fold : plan.folds) {
      if (fold.valid.empty()) {
        throw Error(ErrorKind::kConfig, fmt::format("model.early_stopping: {} has no validation rows; give the folds a "
                                                    "validation set (cv.valid_days, or a valid segment) or set "
                                                    "early_stopping to 0", fold.name));
      }
    }
  }

  UnlabelledRows unlabelled = FindUnlabelledRows(features, set);
  std::vector<Date> extra_dates;
  std::vector<std::string> extra_names;
  std::vector<double> extra_fold, extra_score;

  std::filesystem::create_directories(out_dir);
  StagingDirectory model_stage(out_dir / "model");
  const std::string factor_hash = FactorSetHash(config.factors);
  std::vector<model::FeatureImportance> importances;
  nlohmann::json fold_scores = nlohmann::json::array();
  nlohmann::json ensemble_folds = nlohmann::json::array();
  std::vector<Date> oof_dates;
  std::vector<uint32_t> oof_instruments;
  std::vector<double> oof_fold, oof_score, oof_label, oof_target, oof_probability;
  std::vector<Date> oof_t1;  // when each test row's label is known (its span's end)
  size_t probability_width = 1;
  double fit_seconds = 0, predict_seconds = 0;
  // The estimate of the time left counts rounds as if every fold ran all of them; early stopping
  // makes it pessimistic.
  Progress progress("training");
  for (size_t k = 0; k < plan.folds.size(); ++k) {
    const cv::Fold& fold = plan.folds[k];
    FoldData train = Gather(set, targets, fold.train);
    dataset::ProcessorChain processors(config.processors);
    processors.FitTransform(Ref(train));
    FoldData test = Gather(set, targets, fold.test);
    const std::vector<uint32_t> extra_rows = TakeTestDateRows(unlabelled, fold);
    FoldData extra{dataset::GatherRows(features, extra_rows), {}, {}, {}};
    if (extra_rows.empty()) {
      processors.Transform(Ref(test));
    } else {
      TransformTestRows(processors, set, fold.test, features, extra_rows, test, extra);
    }
    std::optional<FoldData> valid;
    if (!fold.valid.empty()) {
      valid = Gather(set, targets, fold.valid);
      processors.Transform(Ref(*valid));
    }
    const model::LabeledMatrix train_matrix{model::ViewOf(train.x), train.label, train.weight};
    std::optional<model::LabeledMatrix> valid_matrix;
    if (valid) valid_matrix = model::LabeledMatrix{model::ViewOf(valid->x), valid->label, valid->weight};
    std::unique_ptr<model::Model> learner = model::MakeModel(spec);
    const size_t fold_number = k + 1, fold_count = plan.folds.size();
    learner->SetRoundCallback([&, k, fold_number, fold_count](int round, int rounds, double loss) {
      const double done = (static_cast<double>(k) + static_cast<double>(round) / std::max(rounds, 1)) /
                          static_cast<double>(fold_count);
      progress.Update(done, fmt::format("fold {}/{} {}: round {}/{}{}", fold_number, fold_count, fold.name, round, rounds,
                                        std::isnan(loss) ? std::string() : fmt::format(", validation loss {:.6f}", loss)));
    });
    const auto fit_started = std::chrono::steady_clock::now();
    learner->Fit(train_matrix, valid_matrix && spec.early_stopping_rounds > 0 ? &*valid_matrix : nullptr);
    const auto predict_started = std::chrono::steady_clock::now();
    const model::Prediction prediction = learner->Predict(model::ViewOf(test.x));
    fit_seconds += std::chrono::duration<double>(predict_started - fit_started).count();
    predict_seconds += Seconds(predict_started);
    const std::vector<double> scores = RowScores(prediction, class_values);
    if (!extra_rows.empty()) {
      const std::vector<double> extra_scores = RowScores(learner->Predict(model::ViewOf(extra.x)), class_values);
      extra_score.insert(extra_score.end(), extra_scores.begin(), extra_scores.end());
      extra_fold.insert(extra_fold.end(), extra_rows.size(), static_cast<double>(k));
      for (size_t row = 0; row < extra.x.rows(); ++row) {
        extra_dates.push_back(extra.x.date(row));
        extra_names.push_back(extra.x.instrument(row));
      }
    }

    std::vector<uint32_t> test_instruments(test.x.rows());
    for (size_t row = 0; row < test.x.rows(); ++row) test_instruments[row] = test.x.instrument_index(row);
    const std::vector<double> raw_label = Pick(set.label, fold.test);
    nlohmann::json scores_json = RegressionScores(scores, test.label, raw_label, test.dates, test_instruments);
    if (classifier) scores_json["classification"] = ClassificationScores(prediction.values, prediction.width, test.label);
    scores_json["name"] = fold.name;
    scores_json["train_rows"] = fold.train.size();
    scores_json["valid_rows"] = fold.valid.size();
    scores_json["purged"] = fold.purged;
    scores_json["embargoed"] = fold.embargoed;
    scores_json["best_iteration"] = learner->log().best_iteration;
    scores_json["rounds_trained"] = learner->log().rounds_trained;
    fold_scores.push_back(scores_json);
    if (on_fold) on_fold(k, plan.folds.size(), fold.name, scores_json);

    oof_dates.insert(oof_dates.end(), test.dates.begin(), test.dates.end());
    oof_instruments.insert(oof_instruments.end(), test_instruments.begin(), test_instruments.end());
    oof_fold.insert(oof_fold.end(), test.dates.size(), static_cast<double>(k));
    oof_score.insert(oof_score.end(), scores.begin(), scores.end());
    oof_label.insert(oof_label.end(), raw_label.begin(), raw_label.end());
    oof_target.insert(oof_target.end(), test.label.begin(), test.label.end());
    for (const uint32_t row : fold.test) oof_t1.push_back(set.calendar[static_cast<size_t>(set.row_t1[row])]);
    probability_width = prediction.width;
    oof_probability.insert(oof_probability.end(), prediction.values.begin(), prediction.values.end());
    importances.push_back(learner->Importance());

    model::ArtifactInfo info;
    info.factor_set_hash = factor_hash;
    info.label_name = label_name;
    info.horizon = config.label.horizons.front();
    info.train_start = train.dates.front();
    info.train_end = train.dates.back();
    info.data_hash = model::DataHash(train_matrix);
    info.extra = {{"workflow", config.name}, {"universe", config.market}, {"fold", fold.name}};
    const std::string fold_dir = fmt::format("fold{}", k);
    model::SaveModel(*learner, info, model_stage.path() / fold_dir);
    ensemble_folds.push_back({{"name", fold.name}, {"dir", fold_dir}, {"processors", processors.ToJson()},
                              {"train_start", train.dates.front().ToString()},
                              {"train_end", train.dates.back().ToString()}});
  }

  nlohmann::json overall = RegressionScores(oof_score, oof_target, oof_label, oof_dates, oof_instruments);
  if (classifier) {
    overall["classification"] = ClassificationScores(oof_probability, probability_width, oof_target);
  }
  const double oof_rmse = classifier ? 0.0 : model::OutOfFoldRmse(oof_score, oof_target);

  nlohmann::json ensemble = {{"format", 1},
                             {"workflow", config.name},
                             {"universe", config.market},
                             {"label", {{"name", label_name}, {"horizon", config.label.horizons.front()}}},
                             {"objective", model::ObjectiveName(spec.objective)},
                             {"backend", spec.backend},
                             {"class_values", class_values},
                             {"oof_rmse", oof_rmse},
                             {"factors", {{"names", config.factors.names}, {"expressions", config.factors.expressions},
                                          {"hash", factor_hash}}},
                             {"folds", ensemble_folds}};
  WriteFileAtomic(model_stage.path() / "ensemble.json", ensemble.dump(2) + "\n");
  model_stage.Commit();

  const model::FeatureImportance importance = model::AggregateImportance(importances);
  data::Table importance_table;
  importance_table.columns.push_back(data::TableColumn::Strings("feature", importance.features));
  importance_table.columns.push_back(data::TableColumn::Numbers("gain", importance.gain));
  importance_table.columns.push_back(data::TableColumn::Numbers("split", importance.split));
  data::WriteTable(importance_table, out_dir / "importance.csv");

  data::Table oof;
  std::vector<std::string> oof_names(oof_instruments.size());
  for (size_t row = 0; row < oof_instruments.size(); ++row) oof_names[row] = set.features.instruments()[oof_instruments[row]];
  oof.columns.push_back(data::TableColumn::Dates("datetime", oof_dates));
  oof.columns.push_back(data::TableColumn::Strings("instrument", std::move(oof_names)));
  oof.columns.push_back(data::TableColumn::Numbers("fold", oof_fold));
  oof.columns.push_back(data::TableColumn::Numbers("yhat", oof_score));
  oof.columns.push_back(data::TableColumn::Numbers("label", oof_label));
  oof.columns.push_back(data::TableColumn::Numbers("target", oof_target));
  oof.columns.push_back(data::TableColumn::Dates("t1", oof_t1));
  data::WriteTable(oof, out_dir / "oof_predictions.parquet");
  data::Table unscored;
  unscored.columns.push_back(data::TableColumn::Dates("datetime", std::move(extra_dates)));
  unscored.columns.push_back(data::TableColumn::Strings("instrument", std::move(extra_names)));
  unscored.columns.push_back(data::TableColumn::Numbers("fold", std::move(extra_fold)));
  unscored.columns.push_back(data::TableColumn::Numbers("yhat", std::move(extra_score)));
  data::WriteTable(unscored, out_dir / "unlabelled_predictions.parquet");

  TrainSummary summary;
  summary.model_dir = out_dir / "model";
  summary.metrics = {{"workflow", config.name},
                     {"label", label_name},
                     {"rows", set.rows()},
                     {"features", set.features.cols()},
                     {"model", {{"backend", spec.backend}, {"objective", model::ObjectiveName(spec.objective)},
                                {"params", spec.params}, {"seed", spec.seed}, {"threads", spec.threads}}},
                     {"plan", cv::PlanJson(plan, index)},
                     {"folds", fold_scores},
                     {"overall", overall},
                     {"seconds", {{"total", Seconds(started)}, {"prepare", prepare_seconds}, {"fit", fit_seconds},
                                  {"predict", predict_seconds}}}};
  WriteFileAtomic(out_dir / "metrics.json", summary.metrics.dump(2) + "\n");
  return summary;
}

}  // namespace alphaloom::pipeline
