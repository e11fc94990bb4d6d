#include "alphaloom/label/triple_barrier.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/label/volatility.h"
#include "label/label_test_support.h"

namespace alphaloom::label {
namespace {

// reference/finml.md section 1.6.
const std::vector<double> kCloses = {100, 101, 103, 99, 98, 102, 104, 97, 100, 101};

struct VectorCase {
  size_t t0;
  double target;
  size_t vertical;
  size_t touch;
  double ret;
  double book_label;
  double zero_label;
};

TEST(TripleBarrier, ReferenceTestVector) {
  const std::vector<VectorCase> cases = {
      {0, 0.02, 5, 2, 0.030000, 1, 1}, {3, 0.02, 8, 5, 0.030303, 1, 1},  {5, 0.03, 8, 7, -0.049020, -1, -1},
      {8, 0.05, 9, 9, 0.010000, 1, 0}, {1, 0.05, 9, 9, 0.000000, 0, 0},
  };
  std::vector<BarrierEvent> events;
  for (const auto& c : cases) events.push_back({c.t0, c.target, 1, c.vertical});
  TripleBarrierSpec book;
  TripleBarrierSpec zero;
  zero.timeout = TimeoutLabel::kZero;
  const auto by_sign = ApplyBarriers(kCloses, events, book);
  const auto by_zero = ApplyBarriers(kCloses, events, zero);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("event at bar " + std::to_string(cases[i].t0));
    ASSERT_TRUE(by_sign[i].has_end);
    EXPECT_EQ(by_sign[i].t1, cases[i].touch);
    EXPECT_NEAR(by_sign[i].ret, cases[i].ret, 5e-7);
    EXPECT_EQ(by_sign[i].label, cases[i].book_label);
    EXPECT_EQ(by_zero[i].label, cases[i].zero_label);
  }
}

TEST(TripleBarrier, EqualityWithTheBarrierIsNotATouch) {
  // 100 -> 125 is exactly +0.25: with trgt 0.25 and pt 1 that is not a touch (strict >).
  const std::vector<double> closes = {100, 125, 125, 150};
  const std::vector<BarrierEvent> events = {{0, 0.25, 1, 2}};
  const auto outcome = ApplyBarriers(closes, events, TripleBarrierSpec{});
  ASSERT_TRUE(outcome[0].has_end);
  EXPECT_TRUE(outcome[0].timeout);
  EXPECT_EQ(outcome[0].t1, 2u);
  EXPECT_EQ(outcome[0].label, 1);
}

TEST(TripleBarrier, TouchOnTheVerticalBarCountsAsATouch) {
  const std::vector<double> closes = {100, 100, 130};
  const std::vector<BarrierEvent> events = {{0, 0.1, 1, 2}};
  TripleBarrierSpec spec;
  spec.timeout = TimeoutLabel::kZero;
  const auto outcome = ApplyBarriers(closes, events, spec);
  EXPECT_FALSE(outcome[0].timeout);
  EXPECT_EQ(outcome[0].label, 1);  // a timeout would be 0 under kZero
}

TEST(TripleBarrier, ZeroMultiplierDisablesABarrier) {
  const std::vector<double> closes = {100, 80, 120, 100};
  const std::vector<BarrierEvent> events = {{0, 0.1, 1, 3}};
  TripleBarrierSpec no_stop;
  no_stop.stop_loss = 0;
  const auto outcome = ApplyBarriers(closes, events, no_stop);
  EXPECT_EQ(outcome[0].t1, 2u);  // the -20% bar is ignored, the +20% bar touches
  EXPECT_EQ(outcome[0].label, 1);
}

TEST(TripleBarrier, NoVerticalAndNoTouchHasNoEnd) {
  const std::vector<double> closes = {100, 101, 100, 101};
  const std::vector<BarrierEvent> events = {{0, 0.5, 1, std::nullopt}, {0, 0.005, 1, std::nullopt}};
  const auto outcome = ApplyBarriers(closes, events, TripleBarrierSpec{});
  EXPECT_FALSE(outcome[0].has_end);
  EXPECT_TRUE(outcome[1].has_end);
  EXPECT_EQ(outcome[1].t1, 1u);
}

TEST(TripleBarrier, MissingVerticalBarIsBackFilled) {
  const double nan = std::nan("");
  const std::vector<double> closes = {100, 101, nan, 99, 100};
  const std::vector<BarrierEvent> events = {{0, 0.5, 1, 2}};
  const auto outcome = ApplyBarriers(closes, events, TripleBarrierSpec{});
  ASSERT_TRUE(outcome[0].has_end);
  EXPECT_EQ(outcome[0].t1, 3u);
  EXPECT_EQ(outcome[0].label, -1);
}

TEST(MetaLabels, SideDecidesWhichBarrierIsTheProfit) {
  // reference/finml.md section 2: event at bar 5, trgt 0.03, vertical at 8.
  const std::vector<BarrierEvent> long_event = {{5, 0.03, 1, 8}};
  const std::vector<BarrierEvent> short_event = {{5, 0.03, -1, 8}};
  const auto as_long = ApplyBarriers(kCloses, long_event, TripleBarrierSpec{}, true);
  const auto as_short = ApplyBarriers(kCloses, short_event, TripleBarrierSpec{}, true);
  EXPECT_EQ(as_long[0].t1, 7u);
  EXPECT_EQ(as_long[0].label, 0);
  EXPECT_NEAR(as_long[0].ret, -0.049020, 5e-7);
  EXPECT_EQ(as_short[0].t1, 7u);
  EXPECT_EQ(as_short[0].label, 1);
  EXPECT_NEAR(as_short[0].ret, 0.049020, 5e-7);
}

TEST(TripleBarrier, PanelLabelsMatchThePrimitive) {
  const auto closes = test::RandomCloses(3, 300, 5);
  const data::Panel panel = test::ClosePanel(closes);
  TripleBarrierSpec spec;
  spec.span = 20;
  spec.vertical_bars = 10;
  const LabelFrame frame = TripleBarrier(panel, spec);
  ASSERT_GT(frame.rows(), 700u);
  // Instrument 1 by hand: every bar with a target is an event with its vertical barrier.
  const std::vector<double> target = EwmStd(BarReturns(closes[1]), spec.span);
  std::vector<BarrierEvent> events;
  for (size_t t0 = 0; t0 < closes[1].size(); ++t0) {
    if (std::isnan(closes[1][t0]) || !(target[t0] > 0)) continue;
    std::optional<size_t> vertical;
    if (t0 + 10 < closes[1].size()) vertical = t0 + 10;
    events.push_back({t0, target[t0], 1, vertical});
  }
  const auto outcomes = ApplyBarriers(closes[1], events, spec);
  size_t matched = 0;
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (frame.row_instrument[row] != 1) continue;
    while (matched < events.size() && events[matched].t0 < static_cast<size_t>(frame.row_date[row])) {
      EXPECT_FALSE(outcomes[matched].has_end) << "event at " << events[matched].t0 << " missing from the frame";
      ++matched;
    }
    ASSERT_LT(matched, events.size());
    ASSERT_EQ(events[matched].t0, static_cast<size_t>(frame.row_date[row]));
    EXPECT_EQ(outcomes[matched].t1, static_cast<size_t>(frame.row_t1[row]));
    EXPECT_EQ(outcomes[matched].label, frame.value[row]);
    ++matched;
  }
  EXPECT_GT(matched, 250u);
}

TEST(TripleBarrier, MetaLabelsSkipBarsWithoutASide) {
  const data::Panel panel = test::ClosePanel({kCloses});
  std::vector<double> side(kCloses.size(), 0.0);
  side[5] = 1;
  side[6] = std::nan("");
  TripleBarrierSpec spec;
  spec.volatility = VolatilityTarget::kEwmStd;
  spec.span = 3;
  spec.vertical_bars = 3;
  const LabelFrame frame = MetaLabels(panel, spec, side);
  ASSERT_EQ(frame.rows(), 1u);
  EXPECT_EQ(frame.row_date[0], 5);
  EXPECT_THROW(MetaLabels(panel, spec, {}), Error);
}

TEST(TripleBarrier, BadSpecIsAConfigError) {
  const data::Panel panel = test::ClosePanel({kCloses});
  TripleBarrierSpec spec;
  spec.vertical_bars = 0;
  try {
    TripleBarrier(panel, spec);
    FAIL() << "vertical_bars 0 accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(error.what()).find("vertical_bars"), std::string::npos);
  }
  spec = TripleBarrierSpec{};
  spec.profit_take = -1;
  EXPECT_THROW(TripleBarrier(panel, spec), Error);
}

}  // namespace
}  // namespace alphaloom::label
