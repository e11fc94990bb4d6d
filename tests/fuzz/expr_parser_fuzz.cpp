// libFuzzer target for the expression parser and compiler: arbitrary text must parse and
// compile, or fail with alphaloom::Error; never crash, hang or hit undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/expr/program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> names = {"F"};
  const std::vector<std::string> expressions = {std::string(reinterpret_cast<const char*>(data), size)};
  try {
    alphaloom::expr::Program::Compile(names, expressions);
  } catch (const alphaloom::Error&) {
  }
  return 0;
}
