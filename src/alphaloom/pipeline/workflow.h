#pragma once
// The top-level keys a workflow file may have (DESIGN.md, "A workflow file, sketched"), as the
// workflow key table declares them.
#include <string>
#include <vector>

namespace alphaloom::pipeline {

/// name, data, universe, factors, label, processors, cv, model, strategy, backtest, metrics,
/// report, tracking, store, output (workflow_keys.h): any other top-level key is an error.
const std::vector<std::string>& WorkflowSections();

}  // namespace alphaloom::pipeline
