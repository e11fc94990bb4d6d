#pragma once
// Feature processors, fitted on the training rows only and then applied to any rows: the math
// of Qlib's processors (reference/qlib.md section 3.3).
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::dataset {

/// Rows x cols float32 values, row-major, with each row's date (rows sorted by date, so a day's
/// rows are contiguous: the cross-sectional steps need that).
struct MatrixRef {
  float* values = nullptr;
  size_t rows = 0;
  size_t cols = 0;
  std::span<const Date> row_dates;
};

enum class ProcessorKind {
  /// Qlib ZScoreNorm: per column over the fit rows, mean and std (ddof 0) skipping NaN;
  /// (x - mean) / std. A column with std 0 (or no finite value) is left untouched.
  kZScore,
  /// Qlib RobustZScoreNorm: median and scale = (median |x - median| + 1e-12) * 1.4826 over the
  /// fit rows; (x - median) / scale, clipped to [-3, 3] when `clip`.
  kRobustZScore,
  /// Qlib CSZScoreNorm: per day, (x - mean) / std with ddof 1 (one-row days become NaN). No fit.
  kCsZScore,
  /// Qlib CSRankNorm: per day, (pct_rank - 0.5) * 3.46, average ties, NaN kept. No fit.
  kCsRank,
  /// Qlib Fillna: NaN -> fill_value (0 by default). No fit.
  kFillNa,
  /// Qlib ProcessInf: per day, +-inf -> the mean of that column's finite values that day. No fit.
  kProcessInf,
};

struct ProcessorStep {
  ProcessorKind kind = ProcessorKind::kZScore;
  double fill_value = 0;  ///< kFillNa
  bool clip = true;       ///< kRobustZScore
};

/// The step for a name: zscore, robust_zscore, cs_zscore, cs_rank, fillna, process_inf. Throws
/// Error(kConfig) listing the names for anything else.
ProcessorKind ParseProcessorKind(const std::string& name);
std::string ProcessorName(ProcessorKind kind);

/// Steps in order, each fitted on the output of the steps before it (as a Qlib processor list).
/// Infinite values are skipped when fitting (Qlib would propagate them into the statistics;
/// put process_inf first to replace them by day means instead).
class ProcessorChain {
 public:
  ProcessorChain() = default;
  explicit ProcessorChain(std::vector<ProcessorStep> steps);

  /// Fits every step on `train` and transforms it in place.
  void FitTransform(MatrixRef train);
  /// Applies the fitted steps to `rows` in place (the fit rows' statistics; cross-sectional
  /// steps use `rows`' own days). Throws Error(kUsage) before a fit when a step needs one, and
  /// Error(kData) when the column count differs from the fit's.
  void Transform(MatrixRef rows) const;

  bool empty() const { return steps_.empty(); }
  const std::vector<ProcessorStep>& steps() const { return steps_; }

  /// Steps and fitted statistics, for a model artifact; FromJson restores them exactly.
  nlohmann::json ToJson() const;
  static ProcessorChain FromJson(const nlohmann::json& json);

 private:
  struct Fitted {
    std::vector<double> center;
    std::vector<double> scale;
  };
  void FitStep(size_t step, const MatrixRef& train);
  void ApplyStep(size_t step, MatrixRef rows) const;

  std::vector<ProcessorStep> steps_;
  std::vector<Fitted> fitted_;
  size_t cols_ = 0;
  bool is_fitted_ = false;
};

}  // namespace alphaloom::dataset
