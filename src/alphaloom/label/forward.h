#pragma once
// Forward-return labels: the return a position opened on the row's date earns over h bars.
#include <span>
#include <string>
#include <vector>

#include "alphaloom/data/panel.h"
#include "alphaloom/label/label_frame.h"

namespace alphaloom::label {

enum class ForwardForm {
  /// Qlib's `Ref($close,-h-1)/Ref($close,-1) - 1`: bought at the next close (a signal computed
  /// after t's close trades at t+1), held h bars. Uses bars t+1 and t+h+1; t1 = t+h+1.
  kNextClose,
  /// `Ref($close,-h)/$close - 1`: close to close from t. Uses bars t and t+h; t1 = t+h.
  kCloseToClose,
};

/// Optional per-day normalisation across instruments, applied after rows without a return are
/// dropped (Qlib's DropnaLabel, then the norm).
enum class CrossSectionNorm {
  kNone,
  /// (x - mean) / std with ddof 1 per day (Qlib's CSZScoreNorm); days with one instrument or
  /// zero dispersion give NaN and their rows are dropped.
  kZScore,
  /// (pct_rank - 0.5) * 3.46 per day, average rank for ties (Qlib's CSRankNorm).
  kRank,
};

struct ForwardSpec {
  int horizon = 1;  ///< bars held, >= 1
  ForwardForm form = ForwardForm::kNextClose;
  CrossSectionNorm normalize = CrossSectionNorm::kNone;
  std::string price_field = "close";
  /// A row needs the instrument's own bar on its date. False labels suspended days too when the
  /// bars the return uses exist, as Qlib does (its rows span every calendar day of the
  /// instrument's history); those rows' features are mostly NaN.
  bool require_bar = true;
};

/// Offsets count calendar positions, as Qlib's Ref does: a suspended bar at either end makes
/// the row's label undefined (row absent). Throws Error(kConfig) for horizon < 1 and
/// Error(kNotFound) when the panel lacks the price field.
LabelFrame ForwardReturns(const data::Panel& panel, const ForwardSpec& spec);

/// Normalises `value` day by day in place (rows sorted by date, `row_date` their dates): the
/// CrossSectionNorm math over the rows of each day whose value is not NaN; rows that get no value
/// (one-row days, zero dispersion) become NaN. kNone leaves the values alone.
void NormalizeByDay(std::vector<double>& value, std::span<const int32_t> row_date, CrossSectionNorm norm);

/// "forward_qlib_h1", "forward_c2c_h5", with "_cszscore"/"_csrank" appended when normalised.
std::string ForwardLabelName(const ForwardSpec& spec);

}  // namespace alphaloom::label
