#include "alphaloom/pipeline/workflow.h"

namespace alphaloom::pipeline {

const std::vector<std::string>& WorkflowSections() {
  static const std::vector<std::string> sections = {"name",     "data",     "universe", "factors", "label",
                                                    "processors", "cv",     "model",    "strategy", "backtest",
                                                    "metrics",  "tracking", "store",    "report", "output"};
  return sections;
}

}  // namespace alphaloom::pipeline
