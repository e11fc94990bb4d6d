#include <fmt/format.h>

#include "alphaloom/common/error.h"
#include "alphaloom/cv/splitters.h"

namespace alphaloom::cv {
namespace {

DateRange CalendarRange(const SampleIndex& index, Date start, Date end, std::string_view segment) {
  if (end < start) {
    throw Error(ErrorKind::kConfig, fmt::format("cv.segments.{}: ends ({}) before it starts ({})", segment,
                                                end.ToString(), start.ToString()));
  }
  const Calendar& calendar = index.calendar();
  const DateRange range{static_cast<int32_t>(calendar.LowerBound(start)), static_cast<int32_t>(calendar.UpperBound(end)) - 1};
  if (RowsIn(index, range).empty()) {
    throw Error(ErrorKind::kConfig, fmt::format("cv.segments.{}: no samples between {} and {}", segment,
                                                start.ToString(), end.ToString()));
  }
  return range;
}

}  // namespace

FoldPlan Segments(const SampleIndex& index, const SegmentsSpec& spec) {
  if (spec.embargo_days < 0) throw Error(ErrorKind::kConfig, "cv.embargo_days: must be >= 0");
  if (spec.valid_start.has_value() != spec.valid_end.has_value()) {
    throw Error(ErrorKind::kConfig, "cv.segments.valid: give both a start and an end");
  }
  const DateRange train = CalendarRange(index, spec.train_start, spec.train_end, "train");
  const DateRange test = CalendarRange(index, spec.test_start, spec.test_end, "test");
  DateRange valid;
  if (spec.valid_start) valid = CalendarRange(index, *spec.valid_start, *spec.valid_end, "valid");
  const DateRange before_test = valid.empty() ? train : valid;
  if (!(train.last < (valid.empty() ? test.first : valid.first)) || !(before_test.last < test.first)) {
    throw Error(ErrorKind::kConfig, "cv.segments: train, valid and test must be in date order without overlap");
  }
  FoldPlan plan;
  plan.kind = "segments";
  Fold fold;
  fold.name = "segments";
  fold.test_blocks = {test};
  fold.test = RowsIn(index, test);
  fold.valid_range = valid;
  std::vector<HeldOutBlock> blocks;
  if (spec.purge) {
    if (!valid.empty()) blocks.push_back({valid, spec.embargo_days});
    blocks.push_back({test, spec.embargo_days});
  }
  fold.train = PurgedRows(index, std::span(&train, 1), blocks, fold);
  if (!valid.empty()) {
    fold.valid = PurgedRows(index, std::span(&valid, 1), std::span(blocks).last(spec.purge ? 1 : 0), fold);
  }
  if (fold.train.empty()) throw Error(ErrorKind::kConfig, "cv.segments.train: no rows left after purging");
  plan.folds.push_back(std::move(fold));
  return plan;
}

FoldPlan MakePlan(const SampleIndex& index, const SplitSpec& spec, ThreadPool* pool) {
  if (index.rows() == 0) throw Error(ErrorKind::kData, "cv: no samples to split (every label is undefined?)");
  struct Visitor {
    const SampleIndex& index;
    ThreadPool* pool;
    FoldPlan operator()(const WalkForwardSpec& s) const { return WalkForward(index, s, pool); }
    FoldPlan operator()(const PurgedKFoldSpec& s) const { return PurgedKFold(index, s, pool); }
    FoldPlan operator()(const CpcvSpec& s) const { return CombinatorialPurged(index, s, pool); }
    FoldPlan operator()(const SegmentsSpec& s) const { return Segments(index, s); }
  };
  return std::visit(Visitor{index, pool}, spec);
}

}  // namespace alphaloom::cv
