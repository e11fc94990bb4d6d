#include <gtest/gtest.h>

#include "alphaloom/common/error.h"
#include "alphaloom/pipeline/labels.h"
#include "alphaloom/pipeline/splits.h"
#include "pipeline/config_test_support.h"

namespace alphaloom::pipeline {
namespace {

using test::ConfigError;

LabelConfig Label(const std::string& yaml) { return test::ReadSection(yaml, "label", ReadLabelConfig); }

SplitConfig Split(const std::string& yaml) { return test::ReadSection(yaml, "cv", ReadSplitConfig); }

TEST(WorkflowConfig, LabelSectionDefaultsAndKinds) {
  LabelConfig config = Label("label: {}\n");
  EXPECT_EQ(config.kind, LabelKind::kForward);
  EXPECT_EQ(config.forward.horizon, 1);
  EXPECT_FALSE(config.weights.has_value());
  config = Label("label: {kind: triple_barrier, volatility: atr, vertical_bars: 7, timeout: zero, weights: attribution, "
                 "decay: 0.25}\n");
  EXPECT_EQ(config.kind, LabelKind::kTripleBarrier);
  EXPECT_EQ(config.barrier.volatility, label::VolatilityTarget::kAtr);
  EXPECT_EQ(config.barrier.vertical_bars, 7);
  EXPECT_EQ(config.barrier.timeout, label::TimeoutLabel::kZero);
  ASSERT_TRUE(config.weights.has_value());
  EXPECT_EQ(config.weights->decay, 0.25);
  config = Label("label: {horizon: [1, 3, 5]}\n");
  EXPECT_EQ(config.horizons, (std::vector<int>{1, 3, 5}));
  EXPECT_NE(ConfigError([] { Label("label: {horizon: [1, 1]}\n"); }).find("listed twice"), std::string::npos);
  config = Label("label:\n  kind: states\n  thresholds: [-0.02, 0.0, 0.02]\n");
  EXPECT_EQ(config.states.thresholds, (std::vector<double>{-0.02, 0.0, 0.02}));
}

TEST(WorkflowConfig, LabelErrorsNameFileLineAndKey) {
  EXPECT_EQ(ConfigError([] { Label("label:\n  kind: forward\n  span: 3\n"); }),
            "wf.yaml:3: label.span: unknown key (known here: decay, form, horizon, kind, normalize, price, require_bar, weights)");
  EXPECT_NE(ConfigError([] { Label("label: {horizon: 1.5}\n"); }).find("label.horizon: expected a whole number of bars, got 1.5"),
            std::string::npos);
  EXPECT_NE(ConfigError([] { Label("label: {kind: states, thresholds: [0.1, 0.1]}\n"); }).find("label.thresholds"),
            std::string::npos);
  EXPECT_NE(ConfigError([] { Label("label: [1, 2]\n"); }).find("label: expected a mapping"), std::string::npos);
  EXPECT_NE(ConfigError([] { Label("label: {kind: meta}\n"); }).find("label.side"), std::string::npos);
  // Found by fuzzing: a YAML key that is a list is an error, not a yaml-cpp exception.
  EXPECT_NE(ConfigError([] { Label("label: {[a, b]: 1}\n"); }).find("<not a plain name>: unknown key"),
            std::string::npos);
  EXPECT_NE(ConfigError([] { Label("label: {kind: forward\n"); }).find("wf.yaml:"), std::string::npos);
}

TEST(WorkflowConfig, SplitSections) {
  const SplitConfig kfold = Split("cv: {kind: purged_kfold, folds: 7, embargo_pct: 0.02, start: 2015-01-01}\n");
  ASSERT_TRUE(std::holds_alternative<cv::PurgedKFoldSpec>(kfold.spec));
  EXPECT_EQ(std::get<cv::PurgedKFoldSpec>(kfold.spec).folds, 7);
  EXPECT_EQ(kfold.start, Date::FromYmd(2015, 1, 1));
  const SplitConfig segments = Split(
      "cv:\n  kind: segments\n  train: {start: 2010-01-01, end: 2014-12-31}\n  valid: {start: 2015-01-01, end: "
      "2015-12-31}\n  test: {start: 2016-01-01, end: 2017-12-31}\n  purge: false\n");
  const auto& spec = std::get<cv::SegmentsSpec>(segments.spec);
  EXPECT_EQ(spec.valid_end, Date::FromYmd(2015, 12, 31));
  EXPECT_FALSE(spec.purge);
  const SplitConfig walk = Split("cv: {train: rolling, train_days: 100, embargo_days: 3}\n");
  const auto& wf = std::get<cv::WalkForwardSpec>(walk.spec);
  EXPECT_FALSE(wf.expanding);
  EXPECT_EQ(wf.gap_days, 3);
  EXPECT_NE(ConfigError([] { Split("cv: {kind: segments, train: {start: 2010-01-01, end: 2011-01-01}}\n"); })
                .find("cv.test.start: missing"),
            std::string::npos);
  EXPECT_NE(ConfigError([] { Split("cv: {kind: cpcv, folds: 3}\n"); }).find("cv.folds: unknown key"), std::string::npos);
  EXPECT_NE(ConfigError([] { Split("cv: {kind: segments, train: {start: 2010-01-01, end: 2011-01-01, stop: 1}, "
                                   "test: {start: 2012-01-01, end: 2013-01-01}}\n"); })
                .find("cv.train.stop: unknown key"),
            std::string::npos);
}

}  // namespace
}  // namespace alphaloom::pipeline
