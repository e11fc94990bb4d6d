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
  for (const double horizon : section.Doubles("horizon")) horizons.push_back(static_cast<int>(horizon));
  spec.horizon = horizons.front();
  spec.form = section.String("form") == "qlib" ? label::ForwardForm::kNextClose : label::ForwardForm::kCloseToClose;
  const std::string normalize = section.String("normalize");
  spec.normalize = normalize == "cs_zscore" ? label::CrossSectionNorm::kZScore
                   : normalize == "cs_rank" ? label::CrossSectionNorm::kRank
                                            : label::CrossSectionNorm::kNone;
  spec.price_field = section.String("price");
  spec.require_bar = section.Bool("require_bar");
}

void ReadBarrier(ConfigSection& section, label::TripleBarrierSpec& spec) {
  const std::string volatility = section.String("volatility");
  spec.volatility = volatility == "ewm"          ? label::VolatilityTarget::kEwmStd
                    : volatility == "book_daily" ? label::VolatilityTarget::kBookDaily
                                                 : label::VolatilityTarget::kAtr;
  spec.span = section.Double("span");
  spec.atr_period = section.Int("atr_period");
  spec.profit_take = section.Double("profit_take");
  spec.stop_loss = section.Double("stop_loss");
  spec.vertical_bars = section.Int("vertical_bars");
  spec.min_ret = section.Double("min_ret");
  spec.timeout = section.String("timeout") == "sign" ? label::TimeoutLabel::kSign : label::TimeoutLabel::kZero;
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
  const std::string kind = section.String("kind");
  if (kind == "forward" || kind == "states") {
    config.kind = kind == "forward" ? LabelKind::kForward : LabelKind::kStates;
    ReadForward(section, config.forward, config.horizons);
    if (config.kind == LabelKind::kStates) {
      if (config.forward.normalize != label::CrossSectionNorm::kNone) {
        throw Error(ErrorKind::kConfig, fmt::format("{}: states bucket raw returns (the thresholds are in return units); "
                                                    "drop normalize", section.Where("normalize")));
      }
      config.states.thresholds = section.Doubles("thresholds");
      config.states.lowest = section.OptionalInt("lowest");
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
    config.side = section.String("side");
    if (config.kind == LabelKind::kMeta && config.side.empty()) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: meta-labels need the primary model's side, an expression such "
                                                  "as Sign(Mean($close,5)-Mean($close,20))", section.Where("side")));
    }
  }
  const std::string weights = section.String("weights");
  const double decay = section.Double("decay");
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
