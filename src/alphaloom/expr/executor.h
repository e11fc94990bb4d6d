#pragma once
// Runs a compiled Program over a Panel: time-series and element-wise nodes per instrument in
// parallel, a barrier before each cross-sectional node, output cast to float32 (Qlib's final
// cast). Results are identical for any thread count.
#include <cstddef>
#include <span>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/panel.h"
#include "alphaloom/expr/feature_frame.h"
#include "alphaloom/expr/program.h"

namespace alphaloom::expr {

/// The rows an instrument exists on, first..last inclusive (Qlib evaluates each instrument on
/// the rows physically stored for it; rows before listing do not exist rather than being NaN).
struct RowSpan {
  size_t first = 0;
  size_t last = 0;
  bool empty = true;
};

/// Spans from the data: first to last row where any of the panel's own fields is non-NaN
/// (benchmark fields, bench_*, are the same for every instrument and do not count).
std::vector<RowSpan> SpansFromPanel(const data::Panel& panel);

/// Output dates: calendar indices [begin, end) of the panel; rows are (date, instrument) for
/// instruments whose span covers the date, sorted by date then instrument (panel order).
struct OutputRange {
  size_t begin = 0;
  size_t end = static_cast<size_t>(-1);
};

/// Evaluates every output of `program`. Throws Error(kNotFound) naming a field the program
/// reads that the panel lacks.
FeatureFrame Evaluate(const Program& program, const data::Panel& panel, std::span<const RowSpan> spans,
                      ThreadPool& pool, OutputRange range = {});

}  // namespace alphaloom::expr
