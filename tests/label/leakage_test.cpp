// Labels look into the future on purpose; each row's label at t must depend on bars up to its
// t1 and on nothing after it.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "alphaloom/label/forward.h"
#include "alphaloom/label/triple_barrier.h"
#include "label/label_test_support.h"

namespace alphaloom::label {
namespace {

using Labeler = std::function<LabelFrame(const data::Panel&)>;

// For a sample of rows: scrambling every bar after the row's t1 leaves its value and t1 alone.
void ExpectNoDependenceBeyondT1(const Labeler& labeler, const std::string& what) {
  const auto closes = test::RandomCloses(3, 160, 17);
  const data::Panel panel = test::ClosePanel(closes);
  const LabelFrame frame = labeler(panel);
  ASSERT_GT(frame.rows(), 100u) << what;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> factor(0.5, 1.5);
  for (size_t row = 0; row < frame.rows(); row += 13) {
    const auto t1 = static_cast<size_t>(frame.row_t1[row]);
    auto scrambled = closes;
    for (auto& series : scrambled) {
      for (size_t t = t1 + 1; t < series.size(); ++t) series[t] *= factor(rng);
    }
    const LabelFrame again = labeler(test::ClosePanel(scrambled));
    bool found = false;
    for (size_t other = 0; other < again.rows(); ++other) {
      if (again.row_date[other] != frame.row_date[row] || again.row_instrument[other] != frame.row_instrument[row]) continue;
      found = true;
      EXPECT_EQ(again.value[other], frame.value[row]) << what << " row " << row;
      EXPECT_EQ(again.row_t1[other], frame.row_t1[row]) << what << " row " << row;
    }
    EXPECT_TRUE(found) << what << ": row " << row << " vanished when bars after its t1 changed";
  }
}

// Changing the close at t1 moves the row's return, so t1 is not later than needed.
void ExpectDependenceOnT1(const std::function<std::vector<double>(const data::Panel&)>& returns, const Labeler& labeler) {
  const auto closes = test::RandomCloses(2, 80, 23);
  const LabelFrame frame = labeler(test::ClosePanel(closes));
  const std::vector<double> base = returns(test::ClosePanel(closes));
  for (size_t row = 0; row < frame.rows(); row += 7) {
    auto bumped = closes;
    bumped[frame.row_instrument[row]][static_cast<size_t>(frame.row_t1[row])] *= 1.37;
    EXPECT_NE(returns(test::ClosePanel(bumped))[row], base[row]) << "row " << row;
  }
}

TEST(LabelLeakage, ForwardReturnsUseNothingBeyondT1) {
  for (const ForwardForm form : {ForwardForm::kNextClose, ForwardForm::kCloseToClose}) {
    for (const int horizon : {1, 3, 5}) {
      const ForwardSpec spec{horizon, form};
      const Labeler labeler = [spec](const data::Panel& p) { return ForwardReturns(p, spec); };
      ExpectNoDependenceBeyondT1(labeler, ForwardLabelName(spec));
      ExpectDependenceOnT1([spec](const data::Panel& p) { return ForwardReturns(p, spec).value; }, labeler);
    }
  }
}

TEST(LabelLeakage, TripleBarrierUsesNothingBeyondT1) {
  for (const VolatilityTarget volatility : {VolatilityTarget::kEwmStd, VolatilityTarget::kBookDaily, VolatilityTarget::kAtr}) {
    TripleBarrierSpec spec;
    spec.volatility = volatility;
    spec.span = 10;
    spec.vertical_bars = 8;
    ExpectNoDependenceBeyondT1([spec](const data::Panel& p) { return TripleBarrier(p, spec); }, "triple barrier");
    TripleBarrierSpec zero = spec;
    zero.timeout = TimeoutLabel::kZero;
    ExpectNoDependenceBeyondT1([zero](const data::Panel& p) { return TripleBarrier(p, zero); }, "triple barrier, zero");
  }
}

TEST(LabelLeakage, QlibFormUsesOnlyBarsAfterTheRowsDate) {
  // Qlib's form buys at t+1's close: bars up to and including t leave row t unchanged.
  const auto closes = test::RandomCloses(2, 50, 29);
  const ForwardSpec spec{2};
  const LabelFrame frame = ForwardReturns(test::ClosePanel(closes), spec);
  for (size_t row = 0; row < frame.rows(); row += 5) {
    auto changed = closes;
    for (size_t t = 0; t <= static_cast<size_t>(frame.row_date[row]); ++t) changed[frame.row_instrument[row]][t] *= 1.5;
    EXPECT_EQ(ForwardReturns(test::ClosePanel(changed), spec).value[row], frame.value[row]) << "row " << row;
  }
}

}  // namespace
}  // namespace alphaloom::label
