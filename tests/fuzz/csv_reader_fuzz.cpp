// libFuzzer target for the CSV bar parser and the validation that follows it: arbitrary bytes
// must give bars or findings, never a crash, a hang or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "alphaloom/data/csv_reader.h"
#include "alphaloom/data/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alphaloom::data;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ReadOptions options;
  options.policy.Apply("malformed_row=warn");  // keep parsing past bad rows to reach more code
  ParsedFile parsed = ParseBarsCsv(text, "fuzz.csv", "FUZZ", options);
  for (RawBars& bars : parsed.instruments) {
    ValidatedBars validated = Validate(std::move(bars), options.policy);
    for (const Finding& finding : validated.findings) (void)finding.ToString();
  }
  return 0;
}
