// libFuzzer target for workflow YAML: the label and cv sections as `cv plan` reads them.
// Arbitrary bytes must give a config or one alphaloom::Error (never a yaml-cpp exception, a
// crash or a hang).
#include <cstddef>
#include <cstdint>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/pipeline/labels.h"
#include "alphaloom/pipeline/splits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alphaloom;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const YAML::Node root = pipeline::LoadYamlText(text, "fuzz.yaml");
    pipeline::ConfigSection top(root, "", "fuzz.yaml");
    top.Allow("label");
    top.Allow("cv");
    top.RejectUnknownKeys();
    pipeline::ConfigSection label_section = top.Child("label");
    (void)pipeline::ReadLabelConfig(label_section);
    pipeline::ConfigSection cv_section = top.Child("cv");
    (void)pipeline::ReadSplitConfig(cv_section);
  } catch (const Error&) {
  }
  return 0;
}
