#pragma once
// Triple-barrier labels and meta-labels (AFML ch. 3, reference/finml.md sections 1-2).
#include <optional>
#include <span>
#include <vector>

#include "alphaloom/data/panel.h"
#include "alphaloom/label/label_frame.h"

namespace alphaloom::label {

enum class VolatilityTarget {
  kEwmStd,     ///< EwmStd(BarReturns(close), span): bar-to-bar returns (later mlfinlab)
  kBookDaily,  ///< EwmStd(BookDailyReturns(close), span): AFML Snippet 3.1 as printed
  kAtr,        ///< WilderAtr(high, low, close, atr_period) / close
};

enum class TimeoutLabel {
  kSign,  ///< vertical barrier first: the sign of the return there (AFML Snippet 3.5)
  kZero,  ///< vertical barrier first: 0 (AFML exercise 3.3, open mlfinlab's get_bins)
};

struct TripleBarrierSpec {
  VolatilityTarget volatility = VolatilityTarget::kEwmStd;
  double span = 100;       ///< EWM span of the volatility target
  int atr_period = 14;
  double profit_take = 1;  ///< upper barrier at +profit_take * trgt; 0 disables it
  double stop_loss = 1;    ///< lower barrier at -stop_loss * trgt; 0 disables it
  int vertical_bars = 5;   ///< vertical barrier at t0 + vertical_bars calendar positions, >= 1
  double min_ret = 0;      ///< events need trgt > min_ret
  TimeoutLabel timeout = TimeoutLabel::kSign;
};

/// One event on one instrument's calendar-aligned close series.
struct BarrierEvent {
  size_t t0 = 0;
  double target = 0;  ///< trgt in return units
  double side = 1;    ///< +1 long, -1 short
  /// Bar of the vertical barrier, or no vertical barrier (the path runs to the last bar).
  std::optional<size_t> vertical;
};

/// How an event ended. `has_end` is false when it never ends (see TripleBarrier); the other
/// fields are then meaningless.
struct BarrierOutcome {
  bool has_end = false;
  size_t t1 = 0;
  double ret = 0;        ///< (close_t1 / close_t0 - 1) * side
  bool timeout = false;  ///< the vertical barrier came first
  double label = 0;      ///< by the rules of TripleBarrier (or MetaLabels when `meta`)
};

/// The barrier rules of TripleBarrier applied to given events (targets, sides and vertical
/// barriers chosen by the caller): the primitive the panel functions are built on, and the one
/// the reference test vectors exercise. Uses spec's profit_take, stop_loss and timeout only.
std::vector<BarrierOutcome> ApplyBarriers(std::span<const double> close, std::span<const BarrierEvent> events,
                                          const TripleBarrierSpec& spec, bool meta = false);

/// One event per bar of every instrument with a finite target above min_ret (and, when a side
/// is given, a side of +1 or -1; 0 or NaN means no trade and no event).
///
/// Path return R_t = (close_t / close_t0 - 1) * side over the instrument's bars t0 < t <= end;
/// touches are strict: the upper barrier at the first R_t > pt * trgt, the lower at the first
/// R_t < -sl * trgt. end is the vertical barrier t0 + h when it is inside the calendar, else the
/// last calendar bar (no vertical barrier). A horizontal touch on the vertical bar counts as a
/// touch. With no touch the event ends at the vertical barrier: if that bar is missing
/// (suspension) the next bar the instrument has is used (back-fill, as the book does); with no
/// such bar, or no vertical barrier, the event has no end and no row.
/// t1 is the end bar; the label is sign(ret) with ret = (close_t1 / close_t0 - 1) * side, or 0 on
/// a timeout when `timeout` is kZero. Unlike the book, which forces [pt, pt] when no side is
/// given, profit_take and stop_loss are always used as given.
///
/// `side` is empty or instrument-major like the panel (instrument_count x date_count).
/// The panel needs close (and high, low for kAtr). Throws Error(kConfig) for a bad spec and
/// Error(kNotFound) for a missing field.
LabelFrame TripleBarrier(const data::Panel& panel, const TripleBarrierSpec& spec, std::span<const double> side = {});

/// Meta-labels (AFML 3.6): barriers built with the primary model's side; label 1 when
/// side * ret > 0, else 0. `side` is required (same layout as above).
LabelFrame MetaLabels(const data::Panel& panel, const TripleBarrierSpec& spec, std::span<const double> side);

}  // namespace alphaloom::label
