#include "alphaloom/pipeline/labels.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "alphaloom/common/error.h"
#include "alphaloom/expr/executor.h"

namespace alphaloom::pipeline {
namespace {

void ReadForward(ConfigSection& section, label::ForwardSpec& spec, std::vector<int>& horizons) {
  horizons.clear();
  for (const double h : section.Doubles("horizon", {1.0})) {
    if (h != std::floor(h) || h > 10000) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: expected a whole number of bars, got {}", section.Where("horizon"), h));
    }
    if (h < 1) throw Error(ErrorKind::kConfig, fmt::format("{}: must be at least 1, got {}", section.Where("horizon"), h));
    if (std::find(horizons.begin(), horizons.end(), static_cast<int>(h)) != horizons.end()) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: {} is listed twice", section.Where("horizon"), h));
    }
    horizons.push_back(static_cast<int>(h));
  }
  if (horizons.empty()) throw Error(ErrorKind::kConfig, fmt::format("{}: give at least one", section.Where("horizon")));
  spec.horizon = horizons.front();
  spec.form = section.Choice("form", "qlib", {"qlib", "close"}) == "qlib" ? label::ForwardForm::kNextClose
                                                                          : label::ForwardForm::kCloseToClose;
  const std::string normalize = section.Choice("normalize", "none", {"none", "cs_zscore", "cs_rank"});
  spec.normalize = normalize == "cs_zscore" ? label::CrossSectionNorm::kZScore
                   : normalize == "cs_rank" ? label::CrossSectionNorm::kRank
                                            : label::CrossSectionNorm::kNone;
  spec.price_field = section.String("price", spec.price_field);
  spec.require_bar = section.Bool("require_bar", spec.require_bar);
}

void ReadBarrier(ConfigSection& section, label::TripleBarrierSpec& spec) {
  const std::string volatility = section.Choice("volatility", "ewm", {"ewm", "book_daily", "atr"});
  spec.volatility = volatility == "ewm"          ? label::VolatilityTarget::kEwmStd
                    : volatility == "book_daily" ? label::VolatilityTarget::kBookDaily
                                                 : label::VolatilityTarget::kAtr;
  spec.span = section.Double("span", spec.span);
  spec.atr_period = section.Int("atr_period", spec.atr_period);
  spec.profit_take = section.Double("profit_take", spec.profit_take);
  spec.stop_loss = section.Double("stop_loss", spec.stop_loss);
  spec.vertical_bars = section.Int("vertical_bars", spec.vertical_bars);
  spec.min_ret = section.Double("min_ret", spec.min_ret);
  spec.timeout = section.Choice("timeout", "sign", {"sign", "zero"}) == "sign" ? label::TimeoutLabel::kSign
                                                                                 : label::TimeoutLabel::kZero;
  // Range checks with the key's location, before the library's own (which name no file).
  auto check = [&](bool ok, std::string_view key, const std::string& what) {
    if (!ok) throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where(key), what));
  };
  check(spec.span >= 1, "span", "must be at least 1");
  check(spec.atr_period >= 1, "atr_period", "must be at least 1");
  check(spec.profit_take >= 0, "profit_take", "must be >= 0 (0 disables the upper barrier)");
  check(spec.stop_loss >= 0, "stop_loss", "must be >= 0 (0 disables the lower barrier)");
  check(spec.vertical_bars >= 1, "vertical_bars", "must be at least 1");
}

// The side expression evaluated over the panel, instrument-major; NaN where it is undefined.
std::vector<double> SideGrid(const data::Panel& panel, const expr::Program& program, ThreadPool& pool) {
  const expr::FeatureFrame frame = expr::Evaluate(program, panel, expr::SpansFromPanel(panel), pool);
  std::vector<double> side(panel.instrument_count() * panel.date_count(), std::numeric_limits<double>::quiet_NaN());
  const Calendar& calendar = panel.calendar();
  for (size_t row = 0; row < frame.rows(); ++row) {
    const size_t date_idx = *calendar.IndexOf(frame.date(row));
    side[frame.instrument_index(row) * panel.date_count() + date_idx] = frame.At(row, 0);
  }
  return side;
}

}  // namespace

LabelConfig ReadLabelConfig(ConfigSection& section) {
  LabelConfig config;
  const std::string kind = section.Choice("kind", "forward", {"forward", "states", "triple_barrier", "meta"});
  if (kind == "forward" || kind == "states") {
    config.kind = kind == "forward" ? LabelKind::kForward : LabelKind::kStates;
    ReadForward(section, config.forward, config.horizons);
    if (config.kind == LabelKind::kStates) {
      if (config.forward.normalize != label::CrossSectionNorm::kNone) {
        throw Error(ErrorKind::kConfig, fmt::format("{}: states bucket raw returns (the thresholds are in return units); "
                                                    "drop normalize", section.Where("normalize")));
      }
      config.states.thresholds = section.Doubles("thresholds", config.states.thresholds);
      if (section.Has("lowest")) config.states.lowest = section.Int("lowest", 0);
      section.Allow("lowest");
      try {
        label::StateOf(0.0, config.states);
      } catch (const Error& error) {
        throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where("thresholds"), error.what()));
      }
    }
  } else {
    config.kind = kind == "triple_barrier" ? LabelKind::kTripleBarrier : LabelKind::kMeta;
    ReadBarrier(section, config.barrier);
    config.horizons = {config.barrier.vertical_bars};
    config.side = section.String("side", "");
    if (config.kind == LabelKind::kMeta && config.side.empty()) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: meta-labels need the primary model's side, an expression such "
                                                  "as Sign(Mean($close,5)-Mean($close,20))", section.Where("side")));
    }
  }
  const std::string weights = section.Choice("weights", "none", {"none", "uniqueness", "attribution"});
  const double decay = section.Double("decay", 1.0);
  if (!(decay > -1 && decay <= 1)) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: must be in (-1, 1], got {}", section.Where("decay"), decay));
  }
  if (weights != "none") {
    config.weights = label::WeightSpec{weights == "uniqueness" ? label::WeightScheme::kUniqueness
                                                               : label::WeightScheme::kAttribution,
                                       decay};
  }
  section.RejectUnknownKeys();
  return config;
}

std::vector<label::LabelFrame> ComputeLabels(const data::QlibStore& store, std::span<const std::string> instruments,
                                             const LabelConfig& config, ThreadPool& pool, std::optional<Date> end) {
  std::set<std::string> fields = {"close"};
  if (config.kind == LabelKind::kForward || config.kind == LabelKind::kStates) fields = {config.forward.price_field};
  if ((config.kind == LabelKind::kTripleBarrier || config.kind == LabelKind::kMeta) &&
      config.barrier.volatility == label::VolatilityTarget::kAtr) {
    fields.insert({"high", "low"});
  }
  std::optional<expr::Program> side_program;
  if (!config.side.empty()) {
    const std::vector<std::string> names = {"side"}, expressions = {config.side};
    side_program = expr::Program::Compile(names, expressions);
    for (const auto& field : side_program->Fields()) fields.insert(field);
  }
  if (config.weights && config.weights->scheme == label::WeightScheme::kAttribution) fields.insert("close");
  const std::vector<std::string> field_list(fields.begin(), fields.end());
  const data::Panel panel = store.LoadPanel(field_list, instruments, std::nullopt, end);

  std::vector<label::LabelFrame> frames;
  if (config.kind == LabelKind::kForward || config.kind == LabelKind::kStates) {
    for (const int horizon : config.horizons) {
      label::ForwardSpec spec = config.forward;
      spec.horizon = horizon;
      frames.push_back(label::ForwardReturns(panel, spec));
      if (config.kind == LabelKind::kStates) label::ToStates(frames.back(), config.states);
    }
  } else {
    const std::vector<double> side = side_program ? SideGrid(panel, *side_program, pool) : std::vector<double>{};
    frames.push_back(config.kind == LabelKind::kMeta ? label::MetaLabels(panel, config.barrier, side)
                                                     : label::TripleBarrier(panel, config.barrier, side));
  }
  if (config.weights) {
    for (auto& frame : frames) label::ApplyWeights(frame, panel, *config.weights);
  }
  return frames;
}

void RestrictDates(label::LabelFrame& frame, std::optional<Date> start, std::optional<Date> end) {
  const auto first = static_cast<int32_t>(start ? frame.calendar.LowerBound(*start) : 0);
  const auto last = static_cast<int32_t>(end ? frame.calendar.UpperBound(*end) : frame.calendar.size()) - 1;
  size_t kept = 0;
  for (size_t row = 0; row < frame.rows(); ++row) {
    if (frame.row_date[row] < first || frame.row_date[row] > last) continue;
    frame.row_date[kept] = frame.row_date[row];
    frame.row_instrument[kept] = frame.row_instrument[row];
    frame.row_t1[kept] = frame.row_t1[row];
    frame.value[kept] = frame.value[row];
    if (!frame.weight.empty()) frame.weight[kept] = frame.weight[row];
    ++kept;
  }
  frame.row_date.resize(kept);
  frame.row_instrument.resize(kept);
  frame.row_t1.resize(kept);
  frame.value.resize(kept);
  if (!frame.weight.empty()) frame.weight.resize(kept);
}

}  // namespace alphaloom::pipeline
