#include "alphaloom/pipeline/update.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/pipeline/predict.h"
#include "alphaloom/pipeline/run.h"
#include "alphaloom/pipeline/workflow_plan.h"
#include "alphaloom/store/sql_store.h"
#include "alphaloom/track/model_uri.h"

namespace alphaloom::pipeline {
namespace fs = std::filesystem;
namespace {

const data::TableColumn& Column(const data::Table& table, std::string_view name) {
  const data::TableColumn* column = table.Find(name);
  if (column == nullptr) throw Error(ErrorKind::kInternal, fmt::format("predictions lack column {}", name));
  return *column;
}

// The model directory to predict with, and the name it was resolved from.
std::pair<fs::path, std::string> ResolveModel(const UpdateRequest& request, const WorkflowPlan& plan) {
  std::string uri = request.model;
  if (uri.empty()) {
    if (plan.tracking.register_as.empty()) {
      throw Error(ErrorKind::kConfig, "update needs a model: give --model DIR|models:/NAME@ALIAS, or tracking.register_as "
                                      "(then alphaloom models promote NAME --version V --alias production)");
    }
    uri = fmt::format("models:/{}@production", plan.tracking.register_as);
  }
  if (uri.rfind("models:/", 0) != 0) return {uri, uri};
  if (!plan.tracking.enabled) throw Error(ErrorKind::kConfig, fmt::format("{}: the workflow has no tracking: section", uri));
  const std::unique_ptr<track::Tracker> tracker = track::OpenTracker(TrackerOptionsOf(plan.tracking));
  return {track::ResolveModelDirectory(*tracker, uri, plan.cache_dir / "models"), uri};
}

// The instruments held after the latest date before `date` with target weights of `strategy`.
// The names `strategy` held (weight > 0) on its latest date before `date`. Reads a short window
// first (the previous trading day is usually days away, not years), widening it only when the
// window holds no row of the strategy, so a daily update does not read the whole history.
std::vector<std::string> PreviousHoldings(store::SqlStore& sql, const std::string& strategy, Date date) {
  for (const int window_days : {10, 100, 1000, 0}) {
    store::StoreQuery query;
    query.end = Date(date.days() - 1);
    if (window_days > 0) query.start = Date(date.days() - window_days);
    const data::Table rows = sql.Get(store::StoreTable::kTargetWeights, query);
    if (rows.rows() == 0) {
      if (window_days == 0) return {};
      continue;
    }
    const auto& dates = Column(rows, "datetime").dates;
    const auto& names = Column(rows, "instrument").strings;
    const auto& strategies = Column(rows, "strategy").strings;
    const auto& weights = Column(rows, "weight").numbers;
    std::optional<Date> latest;
    for (size_t row = 0; row < rows.rows(); ++row) {
      if (strategies[row] == strategy && (!latest || dates[row] > *latest)) latest = dates[row];
    }
    if (!latest) continue;
    std::vector<std::string> held;
    for (size_t row = 0; row < rows.rows(); ++row) {
      if (dates[row] == *latest && strategies[row] == strategy && weights[row] > 0) held.push_back(names[row]);
    }
    return held;
  }
  return {};
}

}  // namespace

data::Table TopkTargetWeights(const data::Table& predictions, const std::vector<std::string>& held, int topk,
                              int n_drop, double risk_degree) {
  const auto& names = Column(predictions, "instrument").strings;
  const auto& scores = Column(predictions, "yhat").numbers;
  const Date date = Column(predictions, "datetime").dates.front();
  std::map<std::string, double> score;
  for (size_t row = 0; row < names.size(); ++row) {
    if (!std::isnan(scores[row])) score[names[row]] = scores[row];
  }
  const auto score_of = [&](const std::string& name) {
    const auto it = score.find(name);
    return it == score.end() ? -HUGE_VAL : it->second;
  };
  // Descending by score, names without a score last, ties by name so the result is stable.
  const auto by_score = [&](const std::string& a, const std::string& b) {
    return score_of(a) != score_of(b) ? score_of(a) > score_of(b) : a < b;
  };
  std::vector<std::string> last = held;
  std::sort(last.begin(), last.end(), by_score);
  const std::set<std::string> held_set(held.begin(), held.end());
  std::vector<std::string> candidates;
  for (const auto& [name, value] : score) {
    if (!held_set.count(name)) candidates.push_back(name);
  }
  std::sort(candidates.begin(), candidates.end(), by_score);
  const long wanted = std::max<long>(0, static_cast<long>(topk) + n_drop - static_cast<long>(last.size()));
  candidates.resize(std::min<size_t>(candidates.size(), static_cast<size_t>(wanted)));
  std::vector<std::string> combined = last;
  combined.insert(combined.end(), candidates.begin(), candidates.end());
  std::sort(combined.begin(), combined.end(), by_score);
  const size_t drop_from = combined.size() > static_cast<size_t>(n_drop) ? combined.size() - n_drop : 0;
  const std::set<std::string> bottom(combined.begin() + static_cast<long>(drop_from), combined.end());
  std::vector<std::string> book;
  size_t sold = 0;
  for (const auto& name : last) {
    if (bottom.count(name)) {
      ++sold;
    } else {
      book.push_back(name);
    }
  }
  const long buys = std::max<long>(0, static_cast<long>(sold) + topk - static_cast<long>(last.size()));
  for (size_t index = 0; index < candidates.size() && index < static_cast<size_t>(buys); ++index) {
    book.push_back(candidates[index]);
  }
  std::sort(book.begin(), book.end());
  const double weight = book.empty() ? 0.0 : risk_degree / static_cast<double>(book.size());
  std::vector<double> weights(book.size(), weight), alpha(book.size());
  for (size_t index = 0; index < book.size(); ++index) alpha[index] = score_of(book[index]);
  // Names sold today get an explicit 0, so the store's row for the date says so.
  for (const auto& name : last) {
    if (bottom.count(name)) {
      book.push_back(name);
      weights.push_back(0.0);
      alpha.push_back(score_of(name));
    }
  }
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::vector<Date>(book.size(), date)));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(book)));
  table.columns.push_back(data::TableColumn::Numbers("weight", std::move(weights)));
  table.columns.push_back(data::TableColumn::Numbers("alpha_score", std::move(alpha)));
  return table;
}

UpdateOutcome RunDailyUpdate(const UpdateRequest& request, ThreadPool& pool) {
  YAML::Node root = LoadYamlFile(request.workflow.string());
  ApplyOverrides(root, request.overrides);
  const WorkflowPlan plan = ReadWorkflowPlan(root, request.workflow.string());
  if (!plan.store.enabled()) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: update writes to the SQL store: add store: {{uri: ...}}",
                                                request.workflow.string()));
  }
  if (!plan.hybrid && plan.backtest.strategy != BacktestStrategy::kTopk) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: update runs topk_dropout and hybrid strategies", request.workflow.string()));
  }
  const StageCache cache(plan.cache_dir);
  if (plan.ingest) {
    const IngestStage stage = PlanIngestStage(*plan.ingest, cache);
    if (!stage.store_matches) {
      cache.Build("ingest", stage.key, [&](const fs::path& staging) { RunIngest(*plan.ingest, staging, pool); });
    }
  }
  const data::QlibStore store = data::QlibStore::Open(plan.train.store);
  UpdateOutcome outcome;
  outcome.date = request.date.value_or(store.calendar().back());
  if (!store.calendar().IndexOf(outcome.date)) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: not a trading date of {}", outcome.date.ToString(), plan.train.store));
  }
  const auto [model_dir, model] = ResolveModel(request, plan);
  outcome.model = model;

  PredictRequest predict;
  predict.model_dir = model_dir;
  predict.store = plan.train.store;
  predict.start = predict.end = outcome.date;
  data::Table predictions = Predict(predict, pool);
  outcome.model_version = Column(predictions, "model_version").strings.front();

  const std::unique_ptr<store::SqlStore> sql = store::OpenStore(plan.store.uri);
  sql->Migrate();
  const std::string strategy_name = plan.train.name;
  data::Table weights;
  if (plan.hybrid) {
    weights = RunHybridStrategy(*plan.hybrid, store, predictions, outcome.date, outcome.date, pool);
  } else {
    weights = TopkTargetWeights(predictions, PreviousHoldings(*sql, strategy_name, outcome.date), plan.backtest.topk.topk,
                                plan.backtest.topk.n_drop, plan.backtest.topk.risk_degree);
  }
  const size_t weight_rows = weights.rows();
  weights.columns.push_back(data::TableColumn::Strings("strategy", std::vector<std::string>(weight_rows, strategy_name)));

  const std::string model_name = PredictionModelName(plan);
  predictions.columns.push_back(
      data::TableColumn::Strings("model_name", std::vector<std::string>(predictions.rows(), model_name)));
  if (plan.store.Writes(store::StoreTable::kPreds)) {
    sql->Put(store::StoreTable::kPreds, predictions);
    outcome.predictions = predictions.rows();
  }
  if (plan.store.Writes(store::StoreTable::kTargetWeights)) {
    sql->Put(store::StoreTable::kTargetWeights, weights);
    outcome.weights = weight_rows;
  }
  LogInfo("{}: {} predictions by {} (version {}), {} target weights -> {}", outcome.date.ToString(), outcome.predictions,
          outcome.model, outcome.model_version, outcome.weights, sql->uri());
  return outcome;
}

}  // namespace alphaloom::pipeline
