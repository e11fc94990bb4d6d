#include "alphaloom/model/artifact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "alphaloom/common/error.h"
#include "alphaloom/model/registry.h"
#include "model/model_test_support.h"
#include "test_support.h"

namespace alphaloom::model {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Model> FittedModel(const test::SyntheticData& data, std::string backend = "lightgbm") {
  ModelSpec spec;
  spec.backend = std::move(backend);
  spec.num_rounds = 15;
  spec.seed = 3;
  spec.params = {{"num_leaves", "7"}};
  if (spec.backend != "lightgbm") spec.params.clear();
  auto model = MakeModel(spec);
  model->Fit(data.labeled());
  return model;
}

ArtifactInfo Info() {
  ArtifactInfo info;
  info.factor_set_hash = "abc123";
  info.label_name = "forward_qlib_h5";
  info.horizon = 5;
  info.train_start = ParseDate("2015-01-05");
  info.train_end = ParseDate("2019-12-31");
  info.data_hash = "d00d";
  info.extra = {{"universe", "all"}};
  return info;
}

TEST(Artifact, MetadataRecordsEverything) {
  const test::SyntheticData data = test::MakeData(Objective::kRegression, 300, 1);
  auto model = FittedModel(data);
  alphaloom::test::TempDir dir;
  SaveModel(*model, Info(), dir / "m");
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "m" / "model.txt"));
  const ModelMetadata metadata = ReadMetadata(dir / "m");
  EXPECT_EQ(metadata.spec.backend, "lightgbm");
  EXPECT_EQ(metadata.spec.num_rounds, 15);
  EXPECT_EQ(metadata.spec.seed, 3);
  EXPECT_EQ(metadata.spec.params.at("num_leaves"), "7");
  EXPECT_EQ(metadata.library, "lightgbm");
  EXPECT_EQ(metadata.library_version, "4.6.0");
  EXPECT_EQ(metadata.features, data.names);
  EXPECT_EQ(metadata.info.factor_set_hash, "abc123");
  EXPECT_EQ(metadata.info.label_name, "forward_qlib_h5");
  EXPECT_EQ(metadata.info.horizon, 5);
  EXPECT_EQ(metadata.info.train_start->ToString(), "2015-01-05");
  EXPECT_EQ(metadata.info.train_end->ToString(), "2019-12-31");
  EXPECT_EQ(metadata.info.data_hash, "d00d");
  EXPECT_EQ(metadata.info.extra.at("universe"), "all");
  EXPECT_EQ(metadata.model_file, "model.txt");
  EXPECT_EQ(metadata.log.best_iteration, 15);
  // The text is a fixed point: parse and print give the same bytes.
  EXPECT_EQ(MetadataJson(ParseMetadata(MetadataJson(metadata), "m")), MetadataJson(metadata));
}

TEST(Artifact, DataHashSeesEveryInput) {
  test::SyntheticData data = test::MakeData(Objective::kRegression, 50, 2);
  const std::string base = DataHash(data.weighted());
  EXPECT_EQ(base, DataHash(data.weighted()));
  EXPECT_NE(base, DataHash(data.labeled()));
  data.label[3] += 1e-9;
  EXPECT_NE(base, DataHash(data.weighted()));
}

TEST(Artifact, ChangedOrMissingFilesAreRefused) {
  const test::SyntheticData data = test::MakeData(Objective::kRegression, 200, 3);
  auto model = FittedModel(data, "xgboost");
  alphaloom::test::TempDir dir;
  SaveModel(*model, {}, dir / "m");
  try {
    LoadModel(dir / "nowhere");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_THAT(error.what(), HasSubstr("metadata.json missing"));
  }
  {
    std::ofstream out(dir / "m" / "model.json", std::ios::app);
    out << " ";
  }
  try {
    LoadModel(dir / "m");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_THAT(error.what(), HasSubstr("content differs from the hash"));
  }
  alphaloom::test::WriteText(dir / "bad" / "metadata.json", R"({"format": "alphaloom-model", "format_version": 1})");
  try {
    ReadMetadata(dir / "bad");
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_THAT(error.what(), HasSubstr("bad or missing 'backend'"));
  }
}

TEST(Artifact, SavingReplacesWholeOrNotAtAll) {
  const test::SyntheticData data = test::MakeData(Objective::kRegression, 200, 4);
  alphaloom::test::TempDir dir;
  auto lightgbm = FittedModel(data);
  SaveModel(*lightgbm, {}, dir / "m");
  auto unfitted = MakeModel(ModelSpec{});
  EXPECT_THROW(SaveModel(*unfitted, {}, dir / "m"), Error);
  EXPECT_EQ(LoadModel(dir / "m").model->Serialize(), lightgbm->Serialize());
  auto ridge = FittedModel(data, "ridge");
  SaveModel(*ridge, {}, dir / "m");
  EXPECT_FALSE(std::filesystem::exists(dir / "m" / "model.txt"));
  EXPECT_EQ(LoadModel(dir / "m").model->library(), "ridge");
}

TEST(Registry, VersionsNextAndLatest) {
  const test::SyntheticData data = test::MakeData(Objective::kRegression, 200, 5);
  alphaloom::test::TempDir dir;
  ModelRegistry registry(dir / "registry");
  const RegistryKey key{"quickstart_lgb", "all", 1};
  EXPECT_EQ(registry.Versions(key), std::vector<int>{});
  EXPECT_FALSE(registry.Latest(key).has_value());
  EXPECT_EQ(registry.NextVersion(key), 1);
  try {
    registry.Load(key);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_THAT(error.what(), HasSubstr("no version of quickstart_lgb/all/h1"));
  }

  auto first = FittedModel(data);
  auto second = FittedModel(data, "xgboost");
  EXPECT_EQ(registry.Register(key, *first, Info()), 1);
  EXPECT_EQ(registry.Register(key, *second, Info()), 2);
  EXPECT_EQ(registry.Path(key, 2), dir / "registry" / "quickstart_lgb" / "all" / "h1" / "v2");
  // Leftovers that are not versions are ignored.
  std::filesystem::create_directories(registry.Path(key, 7));
  std::filesystem::create_directories(registry.Path(key, 1).parent_path() / "notes");
  EXPECT_EQ(registry.Versions(key), (std::vector<int>{1, 2}));
  EXPECT_EQ(registry.Latest(key), 2);
  EXPECT_EQ(registry.NextVersion(key), 3);
  EXPECT_EQ(registry.Load(key).model->library(), "xgboost");
  EXPECT_EQ(registry.Load(key, 1).model->library(), "lightgbm");
  EXPECT_EQ(registry.Load(key, data.names).metadata.info.horizon, 5);
  EXPECT_THROW(registry.Load(key, 3), Error);
  // Another horizon or scope is another line of versions.
  EXPECT_FALSE(registry.Latest(RegistryKey{"quickstart_lgb", "all", 5}).has_value());
  EXPECT_EQ(registry.Register(RegistryKey{"quickstart_lgb", "AAPL", 1}, *first, {}), 1);
  // A clash with a version registered behind our back moves on to the next number.
  std::filesystem::create_directories(registry.Path(key, 3));
  alphaloom::test::WriteText(registry.Path(key, 3) / "other", "x");
  EXPECT_EQ(registry.Register(key, *first, {}), 4);
}

TEST(Registry, KeysMustBeSafePathComponents) {
  ModelRegistry registry("/tmp/unused-registry");
  for (const std::string& name : {std::string(""), std::string(".."), std::string("a/b"), std::string("a b")}) {
    try {
      registry.Path(RegistryKey{name, "all", 1}, 1);
      ADD_FAILURE() << name;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    }
  }
  EXPECT_THROW(registry.Path(RegistryKey{"m", "all", -1}, 1), Error);
  EXPECT_THROW(registry.Path(RegistryKey{"m", "all", 1}, 0), Error);
}

}  // namespace
}  // namespace alphaloom::model
