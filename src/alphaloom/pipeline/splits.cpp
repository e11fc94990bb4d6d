#include "alphaloom/pipeline/splits.h"

namespace alphaloom::pipeline {
namespace {

void ReadSegment(ConfigSection& parent, std::string_view name, Date& start, Date& end) {
  ConfigSection segment = parent.Child(name);
  start = segment.RequiredDate("start");
  end = segment.RequiredDate("end");
  segment.RejectUnknownKeys();
}

}  // namespace

SplitConfig ReadSplitConfig(ConfigSection& section) {
  SplitConfig config;
  const std::string kind = section.String("kind");
  if (kind == "walk_forward") {
    cv::WalkForwardSpec spec;
    spec.expanding = section.String("train") == "expanding";
    spec.train_days = section.Int("train_days");
    spec.test_days = section.Int("test_days");
    spec.step_days = section.Int("step_days");
    spec.gap_days = section.Int("embargo_days");
    spec.valid_days = section.Int("valid_days");
    spec.first_test = section.OptionalDate("first_test");
    config.spec = spec;
  } else if (kind == "purged_kfold") {
    config.spec = cv::PurgedKFoldSpec{section.Int("folds"), section.Double("embargo_pct")};
  } else if (kind == "cpcv") {
    const int groups = section.Int("groups");
    const int test_groups = section.Int("test_groups");
    config.spec = cv::CpcvSpec{groups, test_groups, section.Double("embargo_pct")};
  } else {
    cv::SegmentsSpec spec;
    ReadSegment(section, "train", spec.train_start, spec.train_end);
    ReadSegment(section, "test", spec.test_start, spec.test_end);
    if (section.Has("valid")) {
      Date start, end;
      ReadSegment(section, "valid", start, end);
      spec.valid_start = start;
      spec.valid_end = end;
    }
    section.Allow("valid");
    spec.embargo_days = section.Int("embargo_days");
    spec.purge = section.Bool("purge");
    config.spec = spec;
  }
  config.start = section.OptionalDate("start");
  config.end = section.OptionalDate("end");
  section.RejectUnknownKeys();
  return config;
}

}  // namespace alphaloom::pipeline
