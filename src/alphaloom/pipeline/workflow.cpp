#include "alphaloom/pipeline/workflow.h"

#include "alphaloom/pipeline/workflow_keys.h"

namespace alphaloom::pipeline {

const std::vector<std::string>& WorkflowSections() {
  static const std::vector<std::string> sections = [] {
    std::vector<std::string> names;
    for (const WorkflowKey* key : SectionKeys("", "")) names.emplace_back(key->path);
    return names;
  }();
  return sections;
}

}  // namespace alphaloom::pipeline
