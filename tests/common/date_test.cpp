#include "alphaloom/common/date.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"

namespace alphaloom {
namespace {

TEST(Date, EpochAndKnownDays) {
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days(), 0);
  EXPECT_EQ(Date::FromYmd(2000, 3, 1).days(), 11017);
  EXPECT_EQ(Date::FromYmd(1999, 11, 1).ToString(), "1999-11-01");
  EXPECT_EQ(Date::FromYmd(2021, 4, 21).weekday(), 2);  // a Wednesday
  EXPECT_EQ(Date::FromYmd(1969, 12, 31).weekday(), 2);
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  for (int32_t days = Date::FromYmd(1900, 1, 1).days(); days < Date::FromYmd(2300, 1, 1).days(); ++days) {
    const Date date(days);
    ASSERT_EQ(Date::FromYmd(date.year(), date.month(), date.day()), date);
    ASSERT_EQ(ParseDate(date.ToString()), date);
  }
}

TEST(Date, ParsesTheFormsFoundInBarFiles) {
  const Date expected = Date::FromYmd(2020, 1, 2);
  EXPECT_EQ(ParseDate("2020-01-02"), expected);
  EXPECT_EQ(ParseDate("2020/01/02"), expected);
  EXPECT_EQ(ParseDate("20200102"), expected);
  EXPECT_EQ(ParseDate("1/2/2020"), expected);
  EXPECT_EQ(ParseDate("01/02/2020"), expected);
  EXPECT_EQ(ParseDate("2020-01-02 00:00:00"), expected);
  EXPECT_EQ(ParseDate("2020-01-02T16:00:00Z"), expected);
  EXPECT_EQ(ParseDate(" \"2020-1-2\" "), expected);
}

TEST(Date, RejectsImpossibleAndMalformedDates) {
  for (const char* text : {"", "2021-02-30", "2020-13-01", "2019-02-29", "abc", "2020-01", "2020-01-02x", "13/1/2020",
                           "1/32/2020", "2020.01.02", "1/2/20", "99999999", "2020-01-02-03"}) {
    EXPECT_FALSE(ParseDate(text).has_value()) << text;
  }
  EXPECT_EQ(ParseDate("2020-02-29"), Date::FromYmd(2020, 2, 29));
}

TEST(Date, ParseOrThrowNamesTheArgument) {
  try {
    ParseDateOrThrow("2020-02-31", "--start");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_NE(std::string(error.what()).find("--start"), std::string::npos);
  }
}

}  // namespace
}  // namespace alphaloom
