// The file store writer against the layout MLflow's readers require (reference/mlflow.md §2):
// golden meta.yaml text, value files without newline, metric lines, registry folders, and the
// validation that keeps unreadable stores from being written.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/pipeline/tracking.h"
#include "alphaloom/track/file_store.h"
#include "alphaloom/track/model_uri.h"
#include "alphaloom/track/validation.h"
#include "test_support.h"

namespace alphaloom::track {
namespace {
namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TrackerOptions FixedClock(int64_t* now) {
  TrackerOptions options;
  options.user = "quant";
  options.clock = [now] { return (*now)++; };
  return options;
}

TEST(TrackFileStore, NewStoreHasDefaultExperimentAndTrash) {
  test::TempDir dir;
  int64_t now = 1767225500000;
  FileStoreTracker store(dir / "mlruns", FixedClock(&now));
  EXPECT_TRUE(fs::is_directory(dir / "mlruns" / ".trash"));
  std::string expected = "artifact_location: '" + LocalFileUri(fs::absolute(dir / "mlruns" / "0")) +
                         "'\ncreation_time: 1767225500000\nexperiment_id: '0'\nlast_update_time: 1767225500000\n"
                         "lifecycle_stage: active\nname: 'Default'\n";
  EXPECT_EQ(Slurp(dir / "mlruns" / "0" / "meta.yaml"), expected);
}

TEST(TrackFileStore, RunLayoutMatchesMlflow) {
  test::TempDir dir;
  int64_t now = 1767225600000;
  FileStoreTracker store(dir / "mlruns", FixedClock(&now));
  RunInfo run = store.StartRun("momentum", "lgbm-baseline", 1767225600000, {{"mlflow.source.git.commit", "abc"}});
  ASSERT_EQ(run.run_id.size(), 32u);
  EXPECT_EQ(run.run_id.find_first_not_of("0123456789abcdef"), std::string::npos);
  ASSERT_EQ(run.experiment_id.size(), 18u);
  fs::path run_dir = dir / "mlruns" / run.experiment_id / run.run_id;
  for (const char* sub : {"metrics", "params", "artifacts", "tags"}) EXPECT_TRUE(fs::is_directory(run_dir / sub)) << sub;

  store.LogParams(run.run_id, {{"lookback", "20"}, {"model/kind", "lightgbm"}});
  store.LogParams(run.run_id, {{"lookback", "20"}});  // same value: a no-op
  EXPECT_THROW(store.LogParams(run.run_id, {{"lookback", "21"}}), Error);
  EXPECT_EQ(Slurp(run_dir / "params" / "lookback"), "20");
  EXPECT_EQ(Slurp(run_dir / "params" / "model" / "kind"), "lightgbm");
  EXPECT_EQ(Slurp(run_dir / "tags" / "mlflow.runName"), "lgbm-baseline");
  EXPECT_EQ(Slurp(run_dir / "tags" / "mlflow.user"), "quant");

  store.LogMetrics(run.run_id, {{"sharpe", 0.84, 1767225610000, 0},
                                {"sharpe", 0.1, 1767225620000, 1},
                                {"train/loss", std::nan(""), 1767225630000, 2},
                                {"x", -HUGE_VAL, 1767225630000, 3},
                                {"x", 1e-05, 1767225630001, 4}});
  EXPECT_EQ(Slurp(run_dir / "metrics" / "sharpe"), "1767225610000 0.84 0\n1767225620000 0.1 1\n");
  EXPECT_EQ(Slurp(run_dir / "metrics" / "train" / "loss"), "1767225630000 nan 2\n");
  // -inf is kept as -DBL_MAX: the MLflow UI cannot show a run holding an infinite value.
  EXPECT_EQ(Slurp(run_dir / "metrics" / "x"), "1767225630000 -1.7976931348623157e+308 3\n1767225630001 1e-05 4\n");
  EXPECT_EQ(store.LatestMetrics(run.run_id).at("sharpe"), 0.1);

  store.EndRun(run.run_id, RunStatus::kFinished, 1767225660000);
  std::string meta = Slurp(run_dir / "meta.yaml");
  std::string expected = "artifact_uri: '" + LocalFileUri(fs::absolute(run_dir / "artifacts")) +
                         "'\ndeleted_time: null\nend_time: 1767225660000\nentry_point_name: ''\nexperiment_id: '" +
                         run.experiment_id + "'\nlifecycle_stage: active\nrun_id: '" + run.run_id +
                         "'\nrun_name: 'lgbm-baseline'\nrun_uuid: '" + run.run_id +
                         "'\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: 1767225600000\n"
                         "status: 3\ntags: []\nuser_id: 'quant'\n";
  EXPECT_EQ(meta, expected);

  // A second run in the same experiment reuses it.
  RunInfo second = store.StartRun("momentum", "again", now, {});
  EXPECT_EQ(second.experiment_id, run.experiment_id);
  EXPECT_EQ(store.ListRuns(run.experiment_id).size(), 2u);
}

TEST(TrackFileStore, ArtifactsAndRegistry) {
  test::TempDir dir;
  int64_t now = 1767225700000;
  FileStoreTracker store(dir / "mlruns", FixedClock(&now));
  test::WriteText(dir / "model" / "ensemble.json", "{}");
  test::WriteText(dir / "model" / "fold0" / "model.txt", "tree");
  test::WriteText(dir / "summary.json", "{\"sharpe\": 1}");
  RunInfo run = store.StartRun("exp", "r", now, {});
  store.LogArtifact(run.run_id, dir / "model", "model");
  store.LogArtifact(run.run_id, dir / "summary.json", "reports");
  fs::path artifacts = store.ArtifactDirectory(run.run_id);
  EXPECT_EQ(Slurp(artifacts / "model" / "fold0" / "model.txt"), "tree");
  EXPECT_EQ(Slurp(artifacts / "reports" / "summary.json"), "{\"sharpe\": 1}");
  EXPECT_THROW(store.LogArtifact(run.run_id, dir / "summary.json", "../escape"), Error);

  ModelVersion v1 = store.RegisterModelVersion("qre-lgbm", run.run_id, "model", {{"stage", "research"}});
  ModelVersion v2 = store.RegisterModelVersion("qre-lgbm", run.run_id, "model", {});
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v1.tags.at("stage"), "research");
  store.SetAlias("qre-lgbm", "production", 1);
  store.SetAlias("qre-lgbm", "production", 2);  // moves
  EXPECT_EQ(Slurp(dir / "mlruns" / "models" / "qre-lgbm" / "aliases" / "production"), "2");
  EXPECT_EQ(ResolveModelVersion(store, "models:/qre-lgbm@production").version, 2);
  EXPECT_EQ(ResolveModelVersion(store, "models:/qre-lgbm/1").version, 1);
  EXPECT_EQ(ResolveModelDirectory(store, "models:/qre-lgbm@production", dir / "cache"), artifacts / "model");
  EXPECT_THROW(ResolveModelVersion(store, "models:/qre-lgbm@champion"), Error);
  EXPECT_THROW(ResolveModelVersion(store, "models:/qre-lgbm/9"), Error);
  EXPECT_THROW(ParseModelUri("runs:/x/model"), Error);
  EXPECT_THROW(store.SetAlias("qre-lgbm", "latest", 1), Error);
  EXPECT_THROW(store.SetAlias("qre-lgbm", "v3", 1), Error);
  EXPECT_THROW(store.RegisterModelVersion("bad/name", run.run_id, "model", {}), Error);
  std::string version_meta = Slurp(dir / "mlruns" / "models" / "qre-lgbm" / "version-1" / "meta.yaml");
  EXPECT_NE(version_meta.find("\nversion: 1\n"), std::string::npos);
  EXPECT_NE(version_meta.find("status: 'READY'\n"), std::string::npos);
  auto models = store.ListModels();
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].versions.size(), 2u);
  EXPECT_EQ(models[0].versions[1].aliases, std::vector<std::string>{"production"});
}

TEST(TrackValidation, KeysAndValues) {
  EXPECT_NO_THROW(ValidateKey("param", "model.params.learning_rate"));
  EXPECT_NO_THROW(ValidateKey("metric", "valid_loss/wf0"));
  EXPECT_THROW(ValidateKey("param", "a@b"), Error);
  EXPECT_THROW(ValidateKey("param", "/lead"), Error);
  EXPECT_THROW(ValidateKey("param", "a//b"), Error);
  EXPECT_THROW(ValidateKey("param", "a/../b"), Error);
  EXPECT_THROW(ValidateKey("param", std::string(251, 'k')), Error);
  EXPECT_THROW(ValidateKey("param", ""), Error);
  EXPECT_EQ(SanitizeKey("a@b//c/../d/"), "a_b/c/d");
  EXPECT_EQ(SanitizeKey("../"), "_");
  EXPECT_EQ(SanitizeKey(std::string(300, 'k')).size(), kMaxKeyLength);
  for (const char* key : {"x$y", "//", "é", "a/./b"}) EXPECT_NO_THROW(ValidateKey("param", SanitizeKey(key))) << key;
  std::string long_value(5999, 'a');
  long_value += "éé";  // 6001 characters, 6003 bytes
  EXPECT_EQ(CodePointCount(long_value), 6001u);
  std::string cut = TruncateValue(long_value, kMaxParamValueLength);
  EXPECT_EQ(CodePointCount(cut), 6000u);
  EXPECT_EQ(cut.size(), 6001u);  // never inside a two-byte character
}

TEST(TrackFileStore, OverLongValuesAreTruncatedAndBadKeysRejectedBeforeWriting) {
  test::TempDir dir;
  int64_t now = 1767225700000;
  FileStoreTracker store(dir / "mlruns", FixedClock(&now));
  RunInfo run = store.StartRun("exp", "r", now, {});
  store.LogParams(run.run_id, {{"long", std::string(7000, 'v')}});
  EXPECT_EQ(Slurp(store.ArtifactDirectory(run.run_id).parent_path() / "params" / "long").size(), 6000u);
  // A re-log of the same over-long value compares as its stored prefix, as MLflow does.
  EXPECT_NO_THROW(store.LogParams(run.run_id, {{"long", std::string(7000, 'v')}}));
  EXPECT_THROW(store.LogParams(run.run_id, {{"ok", "1"}, {"bad key!", "2"}}), Error);
  EXPECT_FALSE(fs::exists(store.ArtifactDirectory(run.run_id).parent_path() / "params" / "ok"));
  EXPECT_THROW(store.StartRun(std::string(300, 'e'), "r", now, {}), Error);
}

TEST(TrackPipeline, FlattenWorkflowSanitizesKeys) {
  YAML::Node root = YAML::Load("name: q\nmodel: {kind: lightgbm, params: {learning_rate: 0.05}}\nfactors: {sets: [alpha158, ta]}\n"
                               "odd key@: 1\n");
  KeyValues params = pipeline::FlattenWorkflow(root);
  KeyValues expected = {{"name", "q"}, {"model.kind", "lightgbm"}, {"model.params.learning_rate", "0.05"},
                        {"factors.sets", "alpha158, ta"}, {"odd key_", "1"}};
  EXPECT_EQ(params, expected);
}

TEST(TrackPipeline, RunThatThrowsEndsFailed) {
  test::TempDir dir;
  test::WriteText(dir / "train" / "metrics.json", "{\"folds\": [], \"overall\": {\"ic\": 0.1}}");
  test::WriteText(dir / "bt" / "summary.json", "not json");
  pipeline::TrackingConfig config;
  config.uri = (dir / "mlruns").string();
  config.experiment = "e";
  config.run_name = "r";
  pipeline::RunRecord record;
  record.workflow_path = (dir / "w.yaml").string();
  record.workflow_text = "name: w\n";
  record.train_dir = dir / "train";
  record.backtest_dir = dir / "bt";
  record.git_commit = "0000000000000000000000000000000000000000";
  EXPECT_THROW(pipeline::LogRun(config, record), Error);
  TrackerOptions options;
  FileStoreTracker store(dir / "mlruns", options);
  auto experiments = store.ListExperiments();
  ASSERT_EQ(experiments.size(), 2u);
  std::string experiment_id = experiments[0].name == "e" ? experiments[0].experiment_id : experiments[1].experiment_id;
  auto runs = store.ListRuns(experiment_id);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, RunStatus::kFailed);
  EXPECT_TRUE(runs[0].end_time_ms.has_value());
}

}  // namespace
}  // namespace alphaloom::track
