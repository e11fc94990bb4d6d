#include "alphaloom/label/forward.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/label/states.h"
#include "label/label_test_support.h"

namespace alphaloom::label {
namespace {

const double kNaN = std::nan("");

TEST(ForwardReturns, QlibFormTradesAtTheNextClose) {
  const data::Panel panel = test::ClosePanel({{100, 110, 121, 133.1, 100}});
  const LabelFrame frame = ForwardReturns(panel, ForwardSpec{2, ForwardForm::kNextClose});
  // Rows 0 and 1 only: row t needs bars t+1 and t+3.
  ASSERT_EQ(frame.rows(), 2u);
  EXPECT_EQ(frame.row_date[0], 0);
  EXPECT_EQ(frame.row_t1[0], 3);
  EXPECT_DOUBLE_EQ(frame.value[0], 133.1 / 110 - 1);
  EXPECT_DOUBLE_EQ(frame.value[1], 100.0 / 121 - 1);
  EXPECT_EQ(frame.name, "forward_qlib_h2");
}

TEST(ForwardReturns, CloseToCloseAndSuspensions) {
  const data::Panel panel = test::ClosePanel({{100, kNaN, 120, 130, 140}});
  const LabelFrame frame = ForwardReturns(panel, ForwardSpec{1, ForwardForm::kCloseToClose});
  // Bar 0's next bar is suspended and bar 1 has no bar of its own: rows 2 and 3 only.
  ASSERT_EQ(frame.rows(), 2u);
  EXPECT_EQ(frame.row_date[0], 2);
  EXPECT_EQ(frame.row_t1[0], 3);
  EXPECT_DOUBLE_EQ(frame.value[0], 130.0 / 120 - 1);
  EXPECT_DOUBLE_EQ(frame.value[1], 140.0 / 130 - 1);
}

TEST(ForwardReturns, CrossSectionalNorms) {
  const data::Panel panel = test::ClosePanel({{100, 101, 102}, {100, 110, 99}, {100, 100, 100}, {100, 95, kNaN}});
  ForwardSpec spec{1, ForwardForm::kCloseToClose, CrossSectionNorm::kZScore};
  const LabelFrame z = ForwardReturns(panel, spec);
  // Day 0: returns .01, .10, 0, -.05; ddof 1.
  const std::vector<double> r = {0.01, 0.10, 0.0, -0.05};
  double mean = 0, ss = 0;
  for (double x : r) mean += x / 4;
  for (double x : r) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / 3);
  ASSERT_EQ(z.rows(), 4u + 3u);
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(z.value[i], (r[i] - mean) / sd, 1e-12);
  spec.normalize = CrossSectionNorm::kRank;
  const LabelFrame ranked = ForwardReturns(panel, spec);
  // Ranks of (.01, .10, 0, -.05) are 3, 4, 2, 1 of 4.
  EXPECT_NEAR(ranked.value[0], (3.0 / 4 - 0.5) * 3.46, 1e-12);
  EXPECT_NEAR(ranked.value[1], (4.0 / 4 - 0.5) * 3.46, 1e-12);
  EXPECT_NEAR(ranked.value[3], (1.0 / 4 - 0.5) * 3.46, 1e-12);
}

TEST(ForwardReturns, ZScoreDropsSingleInstrumentDays) {
  const data::Panel panel = test::ClosePanel({{100, 101, 102}, {100, kNaN, kNaN}});
  const LabelFrame z = ForwardReturns(panel, ForwardSpec{1, ForwardForm::kCloseToClose, CrossSectionNorm::kZScore});
  EXPECT_EQ(z.rows(), 0u);  // day 0 has one return (instrument 1 has no next bar), day 1 too
}

TEST(ForwardReturns, BadHorizonIsAConfigError) {
  const data::Panel panel = test::ClosePanel({{100, 101}});
  for (int horizon : {0, -3}) {
    try {
      ForwardReturns(panel, ForwardSpec{horizon});
      FAIL() << "horizon " << horizon << " accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
      EXPECT_NE(std::string(error.what()).find("horizon"), std::string::npos);
    }
  }
}

TEST(States, BucketsAreClosedOnTheLeftAndZeroIsStateZero) {
  const StateSpec spec;  // -0.03 -0.01 0.01 0.03 0.06 -> states -2..3
  EXPECT_EQ(StateOf(-0.5, spec), -2);
  EXPECT_EQ(StateOf(-0.03, spec), -1);
  EXPECT_EQ(StateOf(-0.0100001, spec), -1);
  EXPECT_EQ(StateOf(0.0, spec), 0);
  EXPECT_EQ(StateOf(0.01, spec), 1);
  EXPECT_EQ(StateOf(0.059, spec), 2);
  EXPECT_EQ(StateOf(0.2, spec), 3);
  StateSpec shifted;
  shifted.lowest = 0;
  EXPECT_EQ(StateOf(0.2, shifted), 5);
  StateSpec bad;
  bad.thresholds = {0.01, 0.01};
  EXPECT_THROW(StateOf(0, bad), Error);
  bad.thresholds = {};
  EXPECT_THROW(StateOf(0, bad), Error);
}

TEST(States, FrameKeepsSpansAndRenames) {
  const data::Panel panel = test::ClosePanel({{100, 110, 99, 99.5}});
  LabelFrame frame = ForwardReturns(panel, ForwardSpec{1, ForwardForm::kCloseToClose});
  const auto t1 = frame.row_t1;
  ToStates(frame, StateSpec{});
  EXPECT_EQ(frame.value, (std::vector<double>{3, -2, 0}));
  EXPECT_EQ(frame.row_t1, t1);
  EXPECT_EQ(frame.name, "forward_c2c_h1_states");
}

}  // namespace
}  // namespace alphaloom::label
