#include "alphaloom/label/triple_barrier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"
#include "alphaloom/label/volatility.h"

namespace alphaloom::label {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void CheckSpec(const TripleBarrierSpec& spec) {
  if (spec.vertical_bars < 1) {
    throw Error(ErrorKind::kConfig, fmt::format("label.vertical_bars: must be at least 1, got {}", spec.vertical_bars));
  }
  if (!(spec.profit_take >= 0) || !std::isfinite(spec.profit_take)) {
    throw Error(ErrorKind::kConfig, fmt::format("label.profit_take: must be >= 0, got {}", spec.profit_take));
  }
  if (!(spec.stop_loss >= 0) || !std::isfinite(spec.stop_loss)) {
    throw Error(ErrorKind::kConfig, fmt::format("label.stop_loss: must be >= 0, got {}", spec.stop_loss));
  }
  if (!(spec.span >= 1)) throw Error(ErrorKind::kConfig, fmt::format("label.span: must be >= 1, got {}", spec.span));
  if (spec.atr_period < 1) {
    throw Error(ErrorKind::kConfig, fmt::format("label.atr_period: must be >= 1, got {}", spec.atr_period));
  }
  if (!std::isfinite(spec.min_ret)) throw Error(ErrorKind::kConfig, "label.min_ret: must be finite");
}

std::vector<double> Target(const data::Panel& panel, const TripleBarrierSpec& spec, size_t instrument_idx) {
  const auto close = panel.Series(panel.FieldIndex("close"), instrument_idx);
  switch (spec.volatility) {
    case VolatilityTarget::kEwmStd: return EwmStd(BarReturns(close), spec.span);
    case VolatilityTarget::kBookDaily: return EwmStd(BookDailyReturns(close, panel.calendar()), spec.span);
    case VolatilityTarget::kAtr: {
      std::vector<double> target = WilderAtr(panel.Series(panel.FieldIndex("high"), instrument_idx),
                                             panel.Series(panel.FieldIndex("low"), instrument_idx), close, spec.atr_period);
      for (size_t t = 0; t < target.size(); ++t) target[t] /= close[t];
      return target;
    }
  }
  return {};
}

double Sign(double x) { return static_cast<double>((x > 0) - (x < 0)); }

BarrierOutcome Walk(std::span<const double> close, const BarrierEvent& event, const TripleBarrierSpec& spec, bool meta) {
  BarrierOutcome outcome;
  const size_t t0 = event.t0;
  const size_t last = event.vertical ? std::min(*event.vertical, close.size() - 1) : close.size() - 1;
  const double upper = spec.profit_take * event.target;
  const double lower = -spec.stop_loss * event.target;
  for (size_t t = t0 + 1; t <= last && !outcome.has_end; ++t) {
    if (std::isnan(close[t])) continue;
    const double path_return = (close[t] / close[t0] - 1.0) * event.side;
    if ((spec.profit_take > 0 && path_return > upper) || (spec.stop_loss > 0 && path_return < lower)) {
      outcome = {true, t, path_return, false, 0};
    }
  }
  // No touch: the vertical barrier's bar, back-filled to the next bar the instrument has.
  for (size_t t = event.vertical.value_or(close.size()); !outcome.has_end && t < close.size(); ++t) {
    if (!std::isnan(close[t])) outcome = {true, t, (close[t] / close[t0] - 1.0) * event.side, true, 0};
  }
  if (outcome.has_end) {
    if (meta) {
      outcome.label = outcome.ret > 0 ? 1.0 : 0.0;
    } else {
      outcome.label = outcome.timeout && spec.timeout == TimeoutLabel::kZero ? 0.0 : Sign(outcome.ret);
    }
  }
  return outcome;
}

LabelFrame Label(const data::Panel& panel, const TripleBarrierSpec& spec, std::span<const double> side, bool meta) {
  CheckSpec(spec);
  const size_t date_count = panel.date_count();
  if (!side.empty() && side.size() != panel.instrument_count() * date_count) {
    throw Error(ErrorKind::kInternal, "internal error: the side series does not match the panel's shape");
  }
  const size_t close_idx = panel.FieldIndex("close");
  const auto horizon = static_cast<size_t>(spec.vertical_bars);
  std::vector<double> value(panel.instrument_count() * date_count, kNaN);
  std::vector<int32_t> t1(value.size(), 0);
  for (size_t instrument_idx = 0; instrument_idx < panel.instrument_count(); ++instrument_idx) {
    const auto close = panel.Series(close_idx, instrument_idx);
    const std::vector<double> target = Target(panel, spec, instrument_idx);
    const size_t base = instrument_idx * date_count;
    for (size_t t0 = 0; t0 < date_count; ++t0) {
      if (std::isnan(close[t0]) || !(target[t0] > spec.min_ret)) continue;
      BarrierEvent event{t0, target[t0], 1, std::nullopt};
      if (!side.empty()) {
        event.side = side[base + t0];
        if (!(event.side == 1 || event.side == -1)) continue;
      }
      if (t0 + horizon < date_count) event.vertical = t0 + horizon;
      const BarrierOutcome outcome = Walk(close, event, spec, meta);
      if (!outcome.has_end) continue;
      value[base + t0] = outcome.label;
      t1[base + t0] = static_cast<int32_t>(outcome.t1);
    }
  }
  std::string name = fmt::format("{}_h{}", meta ? "meta" : "triple_barrier", spec.vertical_bars);
  return FrameFromGrid(std::move(name), panel.calendar(), panel.instruments(), value, t1);
}

}  // namespace

std::vector<BarrierOutcome> ApplyBarriers(std::span<const double> close, std::span<const BarrierEvent> events,
                                          const TripleBarrierSpec& spec, bool meta) {
  CheckSpec(spec);
  std::vector<BarrierOutcome> outcomes;
  outcomes.reserve(events.size());
  for (const BarrierEvent& event : events) {
    Check(event.t0 < close.size() && !std::isnan(close[event.t0]), "a barrier event starts on a bar");
    outcomes.push_back(Walk(close, event, spec, meta));
  }
  return outcomes;
}

LabelFrame TripleBarrier(const data::Panel& panel, const TripleBarrierSpec& spec, std::span<const double> side) {
  return Label(panel, spec, side, false);
}

LabelFrame MetaLabels(const data::Panel& panel, const TripleBarrierSpec& spec, std::span<const double> side) {
  if (side.empty()) throw Error(ErrorKind::kConfig, "meta-labels need a side (label.side: the primary model's side)");
  return Label(panel, spec, side, true);
}

}  // namespace alphaloom::label
