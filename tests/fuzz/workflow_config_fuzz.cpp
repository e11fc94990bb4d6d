// libFuzzer target for workflow YAML: the whole file checked against the workflow key table
// (every section, unknown keys, types, bounds), then the label and cv sections read as `cv plan`
// reads them. Arbitrary bytes must give a result or one alphaloom::Error, never a yaml-cpp
// exception, a crash, a hang, or Error(kInternal) (a reader and the table disagreeing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/pipeline/labels.h"
#include "alphaloom/pipeline/splits.h"
#include "alphaloom/pipeline/workflow_keys.h"

namespace {

void Read(const std::string& text, bool validate_first) {
  using namespace alphaloom;
  const YAML::Node root = pipeline::LoadYamlText(text, "fuzz.yaml");
  if (validate_first) pipeline::ValidateWorkflow(root, "fuzz.yaml");
  pipeline::ConfigSection top(root, "", "fuzz.yaml");
  for (const pipeline::WorkflowKey* key : pipeline::SectionKeys("", "")) top.Allow(key->path);
  top.RejectUnknownKeys();
  pipeline::ConfigSection label_section = top.Child("label");
  (void)pipeline::ReadLabelConfig(label_section);
  pipeline::ConfigSection cv_section = top.Child("cv");
  (void)pipeline::ReadSplitConfig(cv_section);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using alphaloom::Error;
  using alphaloom::ErrorKind;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The readers alone, and after the table check of the whole file: both must end in a result or
  // a clean error.
  for (const bool validate_first : {false, true}) {
    try {
      Read(text, validate_first);
    } catch (const Error& error) {
      if (error.kind() == ErrorKind::kInternal) {
        std::fprintf(stderr, "internal error: %s\n", error.what());
        std::abort();
      }
    }
  }
  return 0;
}
