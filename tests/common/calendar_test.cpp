#include "alphaloom/common/calendar.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

TEST(Calendar, UnionSortsAndDeduplicates) {
  const std::vector<std::vector<Date>> lists = {{D(2020, 1, 3), D(2020, 1, 2)}, {D(2020, 1, 2), D(2020, 1, 6)}};
  const Calendar calendar = Calendar::Union(lists);
  ASSERT_EQ(calendar.size(), 3u);
  EXPECT_EQ(calendar[0], D(2020, 1, 2));
  EXPECT_EQ(calendar[2], D(2020, 1, 6));
  EXPECT_EQ(calendar.IndexOf(D(2020, 1, 3)), 1u);
  EXPECT_FALSE(calendar.IndexOf(D(2020, 1, 4)).has_value());
  EXPECT_EQ(calendar.LowerBound(D(2020, 1, 4)), 2u);
  EXPECT_EQ(calendar.UpperBound(D(2020, 1, 6)), 3u);
}

TEST(Calendar, WeekdaysSkipWeekends) {
  const Calendar calendar = Calendar::Weekdays(D(2021, 4, 16), D(2021, 4, 26));
  ASSERT_EQ(calendar.size(), 7u);  // Fri, Mon-Fri, Mon
  for (Date date : calendar.dates()) EXPECT_LT(date.weekday(), 5);
}

TEST(Calendar, FileRoundTripAndErrorsNameTheLine) {
  test::TempDir dir;
  const Calendar calendar = Calendar::Weekdays(D(2020, 1, 1), D(2020, 3, 1));
  calendar.WriteFile(dir / "day.txt");
  EXPECT_EQ(Calendar::ReadFile(dir / "day.txt").dates(), calendar.dates());

  test::WriteText(dir / "bad.txt", "2020-01-02\n2020-01-03\n2020-01-03\n");
  try {
    Calendar::ReadFile(dir / "bad.txt");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(error.what()).find("bad.txt:3"), std::string::npos) << error.what();
  }
  test::WriteText(dir / "garbage.txt", "2020-01-02\nnot a date\n");
  EXPECT_THROW(Calendar::ReadFile(dir / "garbage.txt"), Error);
}

}  // namespace
}  // namespace alphaloom
