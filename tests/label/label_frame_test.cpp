#include "alphaloom/label/label_frame.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"
#include "alphaloom/label/forward.h"
#include "label/label_test_support.h"
#include "test_support.h"

namespace alphaloom::label {
namespace {

void ExpectDataError(const std::filesystem::path& path, const std::string& needle) {
  try {
    LabelFrame::Read(path);
    FAIL() << "accepted " << path;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData) << error.what();
    EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(path.filename().string()), std::string::npos) << error.what();
  }
}

TEST(LabelFrame, RoundTripsThroughCsvAndParquet) {
  const data::Panel panel = test::ClosePanel(test::RandomCloses(4, 60, 3));
  LabelFrame frame = ForwardReturns(panel, ForwardSpec{3});
  frame.weight.assign(frame.rows(), 0.5);
  test::TempDir dir;
  for (const std::string name : {"labels.csv", "labels.parquet"}) {
    frame.Write(dir / name);
    const LabelFrame back = LabelFrame::Read(dir / name);
    ASSERT_EQ(back.rows(), frame.rows()) << name;
    EXPECT_EQ(back.instruments, frame.instruments);
    for (size_t row = 0; row < frame.rows(); ++row) {
      EXPECT_EQ(back.calendar[static_cast<size_t>(back.row_date[row])], frame.calendar[static_cast<size_t>(frame.row_date[row])]);
      EXPECT_EQ(back.calendar[static_cast<size_t>(back.row_t1[row])], frame.calendar[static_cast<size_t>(frame.row_t1[row])]);
      EXPECT_EQ(back.row_instrument[row], frame.row_instrument[row]);
      EXPECT_EQ(back.value[row], frame.value[row]);
      EXPECT_EQ(back.weight[row], 0.5);
    }
  }
}

TEST(LabelFrame, ReadSortsRowsByDateThenInstrument) {
  test::TempDir dir;
  test::WriteText(dir / "l.csv", "datetime,instrument,label,t1\n2024-01-03,B,1,2024-01-04\n2024-01-02,B,2,2024-01-03\n"
                                 "2024-01-02,A,3,2024-01-04\n");
  const LabelFrame frame = LabelFrame::Read(dir / "l.csv");
  EXPECT_EQ(frame.value, (std::vector<double>{3, 2, 1}));
  EXPECT_EQ(frame.calendar.size(), 3u);
  EXPECT_EQ(frame.row_t1, (std::vector<int32_t>{2, 1, 2}));
}

TEST(LabelFrame, BadFilesGiveOneClearError) {
  test::TempDir dir;
  test::WriteText(dir / "no_t1.csv", "datetime,instrument,label\n2024-01-02,A,1\n");
  ExpectDataError(dir / "no_t1.csv", "missing column 't1'");
  test::WriteText(dir / "empty_t1.csv", "datetime,instrument,label,t1\n2024-01-02,A,1,\n");
  ExpectDataError(dir / "empty_t1.csv", ":2: column 't1': missing date");
  test::WriteText(dir / "back.csv", "datetime,instrument,label,t1\n2024-01-05,A,1,2024-01-02\n");
  ExpectDataError(dir / "back.csv", "before the row's date");
  test::WriteText(dir / "nan.csv", "datetime,instrument,label,t1\n2024-01-02,A,,2024-01-03\n");
  ExpectDataError(dir / "nan.csv", "label is not a finite number");
  test::WriteText(dir / "dup.csv", "datetime,instrument,label,t1\n2024-01-02,A,1,2024-01-03\n2024-01-02,A,2,2024-01-03\n");
  ExpectDataError(dir / "dup.csv", "duplicate");
  test::WriteText(dir / "text.csv", "datetime,instrument,label,t1\n2024-01-02,A,up,2024-01-03\n");
  ExpectDataError(dir / "text.csv", "not a number: 'up'");
  test::WriteText(dir / "short.csv", "datetime,instrument,label,t1\n2024-01-02,A,1\n");
  ExpectDataError(dir / "short.csv", ":2: 3 cells");
  EXPECT_THROW(LabelFrame::Read(dir / "absent.csv"), Error);
}

}  // namespace
}  // namespace alphaloom::label
