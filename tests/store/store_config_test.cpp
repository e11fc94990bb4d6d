// The workflow's store: section (pipeline/store_config.h).
#include "alphaloom/pipeline/store_config.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"

namespace alphaloom::pipeline {
namespace {

StoreConfig Read(const std::string& yaml) {
  const YAML::Node root = LoadYamlText(yaml, "wf.yaml");
  ConfigSection section(root["store"], "store", "wf.yaml");
  return ReadStoreConfig(section);
}

std::string ConfigError(const std::string& yaml) {
  try {
    Read(yaml);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << yaml;
  return {};
}

TEST(StoreConfig, DefaultsAndAbsentSection) {
  const StoreConfig absent = Read("data: {store: x}\n");
  EXPECT_FALSE(absent.enabled());
  const StoreConfig config = Read("store: {uri: 'sqlite:///data/alphaloom.db'}\n");
  EXPECT_TRUE(config.enabled());
  EXPECT_EQ(config.uri, "sqlite:///data/alphaloom.db");
  EXPECT_TRUE(config.Writes(store::StoreTable::kPreds));
  EXPECT_TRUE(config.Writes(store::StoreTable::kTargetWeights));
  EXPECT_FALSE(config.Writes(store::StoreTable::kFeatures));
  EXPECT_FALSE(config.Writes(store::StoreTable::kLabels));
}

TEST(StoreConfig, TablesAsListOrString) {
  const StoreConfig list = Read("store:\n  uri: x.db\n  tables: [features, preds]\n  model_name: lgb\n");
  EXPECT_TRUE(list.Writes(store::StoreTable::kFeatures));
  EXPECT_TRUE(list.Writes(store::StoreTable::kPreds));
  EXPECT_FALSE(list.Writes(store::StoreTable::kTargetWeights));
  EXPECT_EQ(list.model_name, "lgb");
  const StoreConfig text = Read("store: {uri: x.db, tables: 'labels,target_weights'}\n");
  EXPECT_TRUE(text.Writes(store::StoreTable::kLabels));
  EXPECT_TRUE(text.Writes(store::StoreTable::kTargetWeights));
  EXPECT_FALSE(text.Writes(store::StoreTable::kPreds));
}

TEST(StoreConfig, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(ConfigError("store:\n  uri: x.db\n  tables: [preds, predictions]\n"),
            "wf.yaml:3: store.tables: unknown table 'predictions' (features, labels, preds, target_weights)");
  const std::string uri = ConfigError("store:\n  uri: 'postgresql://ann:pw@h:99999/db'\n");
  EXPECT_EQ(uri.rfind("wf.yaml:2: store.uri: store URI 'postgresql://ann@h:99999/db'", 0), 0u) << uri;
  EXPECT_EQ(uri.find(":pw@"), std::string::npos) << uri;
  EXPECT_NE(ConfigError("store: {uri: x.db, tabels: [preds]}\n").find("store.tabels"), std::string::npos);
}

}  // namespace
}  // namespace alphaloom::pipeline
