#include "alphaloom/data/validate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

Date D(int day) { return Date::FromYmd(2020, 1, day); }

// Bars on 2020-01-<day> with sane prices; tests then break one thing each.
RawBars Bars(std::vector<int> days) {
  RawBars bars;
  bars.instrument = "XYZ";
  bars.source = "xyz.csv";
  for (size_t index = 0; index < days.size(); ++index) {
    bars.dates.push_back(D(days[index]));
    bars.lines.push_back(index + 2);
    bars.open.push_back(10);
    bars.high.push_back(11);
    bars.low.push_back(9);
    bars.close.push_back(10.5);
    bars.volume.push_back(100);
  }
  return bars;
}

std::vector<Rule> Rules(const ValidatedBars& validated) {
  std::vector<Rule> rules;
  for (const auto& finding : validated.findings) rules.push_back(finding.rule);
  return rules;
}

TEST(Validate, CleanBarsPassUntouched) {
  const ValidatedBars validated = Validate(Bars({2, 3, 6}), ValidationPolicy());
  EXPECT_TRUE(validated.findings.empty());
  EXPECT_FALSE(validated.rejected);
  EXPECT_EQ(validated.bars.size(), 3u);
}

TEST(Validate, UnsortedDatesAreSortedAndReported) {
  const ValidatedBars validated = Validate(Bars({6, 2, 3}), ValidationPolicy());
  EXPECT_EQ(Rules(validated), (std::vector<Rule>{Rule::kUnsortedDates}));
  EXPECT_FALSE(validated.rejected);
  EXPECT_EQ(validated.bars.dates, (std::vector<Date>{D(2), D(3), D(6)}));
  EXPECT_EQ(validated.bars.lines, (std::vector<size_t>{3, 4, 2}));
  EXPECT_EQ(validated.findings[0].line, 3u);
}

TEST(Validate, DuplicateDatesRejectByDefaultAndKeepTheFirstOtherwise) {
  RawBars bars = Bars({2, 3, 3});
  bars.close[2] = 99;
  ValidatedBars validated = Validate(bars, ValidationPolicy());
  EXPECT_TRUE(validated.rejected);
  ASSERT_EQ(Rules(validated), (std::vector<Rule>{Rule::kDuplicateDate}));
  EXPECT_EQ(validated.findings[0].line, 4u);
  EXPECT_EQ(validated.findings[0].date, D(3));

  ValidationPolicy lenient;
  lenient.Apply("duplicate_date=warn");
  validated = Validate(bars, lenient);
  EXPECT_FALSE(validated.rejected);
  EXPECT_EQ(validated.bars.close, (std::vector<double>{10.5, 10.5}));
}

TEST(Validate, EachPriceRuleFiresWithItsDefaultAction) {
  struct Case {
    void (*corrupt)(RawBars&);
    Rule rule;
    size_t bars_left;
  };
  const Case cases[] = {
      {[](RawBars& b) { b.close[1] = std::numeric_limits<double>::infinity(); }, Rule::kNonFinite, 2},
      {[](RawBars& b) { b.volume[1] = std::nan(""); }, Rule::kNonFinite, 2},
      {[](RawBars& b) { b.low[1] = -1; }, Rule::kNonPositivePrice, 2},
      {[](RawBars& b) { b.volume[1] = -5; }, Rule::kNonPositivePrice, 2},
      {[](RawBars& b) { b.high[1] = 8; }, Rule::kHighBelowLow, 2},
      {[](RawBars& b) { b.open[1] = 12; }, Rule::kOpenCloseOutside, 3},
      {[](RawBars& b) { b.close[1] = 8.5; }, Rule::kOpenCloseOutside, 3},
      {[](RawBars& b) { b.volume[1] = 0; }, Rule::kZeroVolume, 3},
  };
  for (const Case& test_case : cases) {
    RawBars bars = Bars({2, 3, 6});
    test_case.corrupt(bars);
    const ValidatedBars validated = Validate(bars, ValidationPolicy());
    ASSERT_EQ(Rules(validated), std::vector<Rule>{test_case.rule}) << RuleName(test_case.rule);
    EXPECT_EQ(validated.findings[0].line, 3u);
    EXPECT_EQ(validated.findings[0].date, D(3));
    EXPECT_EQ(validated.findings[0].instrument, "XYZ");
    EXPECT_EQ(validated.bars.size(), test_case.bars_left) << RuleName(test_case.rule);
    EXPECT_FALSE(validated.rejected);
  }
}

TEST(Validate, PolicyOverridesTurnRulesIntoErrorsOrDrops) {
  RawBars bars = Bars({2, 3, 6});
  bars.volume[1] = 0;
  ValidationPolicy policy;
  policy.Apply("zero_volume=drop");
  EXPECT_EQ(Validate(bars, policy).bars.size(), 2u);
  policy.Apply("zero_volume=error");
  EXPECT_TRUE(Validate(bars, policy).rejected);
  EXPECT_THROW(policy.Apply("no_such_rule=warn"), Error);
  EXPECT_THROW(policy.Apply("zero_volume=ignore"), Error);
  EXPECT_THROW(policy.Apply("zero_volume"), Error);
}

TEST(Validate, CalendarGapsAndOffCalendarBars) {
  const Calendar calendar(std::vector<Date>{D(2), D(3), D(6), D(7), D(8)});
  ValidatedBars validated = Validate(Bars({2, 4, 6, 8}), ValidationPolicy());  // 4th is not a market date
  CheckAgainstCalendar(validated, calendar, ValidationPolicy());
  ASSERT_EQ(Rules(validated), (std::vector<Rule>{Rule::kOffCalendar, Rule::kCalendarGap, Rule::kCalendarGap}));
  EXPECT_EQ(validated.findings[0].date, D(4));
  EXPECT_EQ(validated.findings[1].date, D(3));
  EXPECT_EQ(validated.findings[2].date, D(7));
  EXPECT_EQ(validated.bars.dates, (std::vector<Date>{D(2), D(6), D(8)}));
  EXPECT_FALSE(validated.rejected);

  ValidationPolicy strict;
  strict.Apply("calendar_gap=error");
  ValidatedBars again = Validate(Bars({2, 8}), strict);
  CheckAgainstCalendar(again, calendar, strict);
  EXPECT_TRUE(again.rejected);
}

}  // namespace
}  // namespace alphaloom::data
