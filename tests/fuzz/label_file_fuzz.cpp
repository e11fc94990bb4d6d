// libFuzzer target for label files: the CSV table parser, the label-file checks and a fold plan
// over whatever rows survive. Arbitrary bytes must give a frame or one alphaloom::Error, never a
// crash, a hang or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "alphaloom/common/error.h"
#include "alphaloom/cv/splitters.h"
#include "alphaloom/label/label_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alphaloom;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto table = data::ParseTableCsv(text, "fuzz.csv", label::LabelFrame::Columns());
    const label::LabelFrame frame = label::LabelFrame::FromTable(table, "fuzz.csv");
    const cv::SampleIndex index = cv::SampleIndex::FromLabels(frame);
    (void)cv::MakePlan(index, cv::PurgedKFoldSpec{2, 0.1});
    (void)cv::MakePlan(index, cv::CpcvSpec{3, 2, 0.0});
  } catch (const Error&) {
  }
  return 0;
}
