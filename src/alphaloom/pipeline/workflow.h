#pragma once
// The sections a workflow file may have (DESIGN.md, "A workflow file, sketched").
#include <string>
#include <vector>

namespace alphaloom::pipeline {

/// name, data, universe, factors, label, processors, cv, model, strategy, backtest, metrics,
/// tracking, store, report: any other top-level key is an error.
const std::vector<std::string>& WorkflowSections();

}  // namespace alphaloom::pipeline
