#include "alphaloom/pipeline/strategy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_map>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/portfolio/bet_size.h"

namespace alphaloom::pipeline {
namespace {

// Lower modules name a bad parameter as "<section>.<key>: what"; this puts the file and line of
// `key` in `section` in front instead.
template <class Validate>
void ValidateAt(ConfigSection& section, Validate&& validate) {
  try {
    validate();
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kConfig) throw;
    const std::string message = error.what();
    const size_t colon = message.find(": ");
    if (colon == std::string::npos) throw;
    const std::string qualified = message.substr(0, colon);
    const std::string key = qualified.substr(qualified.rfind('.') + 1);
    throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where(key), message.substr(colon + 2)));
  }
}

std::vector<int> ReadWindows(ConfigSection& section, std::string_view key) {
  std::vector<int> windows;
  for (const double window : section.Doubles(key)) windows.push_back(static_cast<int>(window));
  return windows;
}

signal::RuleAlphaParams ReadSignals(ConfigSection section) {
  signal::RuleAlphaParams params;
  params.trend_windows = ReadWindows(section, "trend_windows");
  params.trend_scale = section.Double("trend_scale");
  params.reversion_window = section.Int("reversion_window");
  params.reversion_k = section.Double("reversion_k");
  params.strong_trend_window = section.Int("strong_trend_window");
  params.strong_trend = section.Double("strong_trend");
  params.vol_window = section.Int("vol_window");
  params.vol_history = section.Int("vol_history");
  params.vol_scale = section.Double("vol_scale");
  params.rs_windows = ReadWindows(section, "rs_windows");
  params.rs_scale = section.Double("rs_scale");
  params.realized_vol_window = section.Int("realized_vol_window");
  section.RejectUnknownKeys();
  ValidateAt(section, [&] { signal::ValidateRuleAlphaParams(params); });
  return params;
}

regime::RuleRegimeParams ReadRules(ConfigSection section) {
  regime::RuleRegimeParams params;
  params.trend_window = section.Int("trend_window");
  params.trend_band = section.Double("trend_band");
  params.vol_window = section.Int("vol_window");
  params.high_vol = section.Double("high_vol");
  params.crash_vol = section.Double("crash_vol");
  params.crash_window = section.Int("crash_window");
  params.crash_return = section.Double("crash_return");
  params.confirm_days = section.Int("confirm_days");
  section.RejectUnknownKeys();
  ValidateAt(section, [&] { regime::ValidateRuleRegimeParams(params); });
  return params;
}

regime::HmmRegimeParams ReadHmm(ConfigSection section) {
  regime::HmmRegimeParams params;
  params.states = section.Int("states");
  params.min_train = section.Int("min_train");
  params.refit_every = section.Int("refit_every");
  params.fit_window = section.Int("fit_window");
  params.return_scale = section.Double("return_scale");
  params.fit.n_iter = section.Int("n_iter");
  params.fit.tol = section.Double("tol");
  params.fit.covars_prior = section.Double("covars_prior");
  params.crash_vol = section.Double("crash_vol");
  params.warm_start = section.Bool("warm_start");
  section.RejectUnknownKeys();
  ValidateAt(section, [&] { regime::ValidateHmmRegimeParams(params); });
  return params;
}

// A mapping keyed by the four regime roles (bull, bear, choppy, crash).
template <class Read>
void ForEachRole(ConfigSection& parent, std::string_view key, Read&& read) {
  ConfigSection roles = parent.Child(key);
  for (size_t index = 0; index < regime::kRegimeCount; ++index) read(roles, std::string(regime::kRegimeNames[index]), index);
  roles.RejectUnknownKeys();
}

portfolio::ComponentWeights ReadWeightSet(ConfigSection set, const std::string& where) {
  portfolio::ComponentWeights weights{};
  for (size_t component = 0; component < portfolio::kComponentCount; ++component) {
    weights[component] = set.Double(portfolio::kComponentNames[component]);
  }
  set.RejectUnknownKeys();
  portfolio::ValidateComponentWeights(weights, where);
  return weights;
}

void ReadMeta(ConfigSection section, const RegimeConfig& regime_config, HybridConfig& config) {
  const std::string ml = section.String("ml_signal");
  config.ml_signal = ml == "prob_up" ? MlSignal::kProbUp : ml == "bet_size" ? MlSignal::kBetSize : MlSignal::kYhatRank;
  config.bet_step = section.Double("bet_step");
  config.horizon = section.Int("horizon");
  ConfigSection weights = section.Child("weights");
  for (const std::string& label : weights.Keys()) {
    if (label == "default") {
      config.meta.default_weights = ReadWeightSet(weights.Child(label), weights.Where(label));
      continue;
    }
    const auto found = std::find(regime_config.labels.begin(), regime_config.labels.end(), label);
    if (found == regime_config.labels.end()) {
      throw Error(ErrorKind::kConfig,
                  fmt::format("{}: unknown regime label '{}' (labels: {}, or default)", weights.Where(label), label,
                              fmt::join(regime_config.labels, ", ")));
    }
    const size_t index = static_cast<size_t>(found - regime_config.labels.begin());
    config.meta.regime_weights[index] = ReadWeightSet(weights.Child(label), weights.Where(label));
  }
  section.RejectUnknownKeys();
}

portfolio::SizingConfig ReadSizing(ConfigSection section) {
  portfolio::SizingConfig sizing;
  const std::string method = section.String("method");
  sizing.method = method == "kelly" ? portfolio::SizingMethod::kKelly : portfolio::SizingMethod::kVolTarget;
  sizing.target_vol = section.Double("target_vol");
  sizing.min_vol = section.Double("min_vol");
  sizing.max_weight = section.Double("max_weight");
  sizing.max_gross = section.Double("max_gross");
  sizing.max_net = section.Double("max_net");
  sizing.long_only = section.Bool("long_only");
  sizing.min_abs_score = section.Double("min_abs_score");
  sizing.kelly_fraction = section.Double("kelly_fraction");
  sizing.kelly_edge = section.Double("kelly_edge");
  section.RejectUnknownKeys();
  ValidateAt(section, [&] { portfolio::ValidateSizingConfig(sizing); });
  return sizing;
}

std::vector<size_t> RowDateIndices(const expr::FeatureFrame& frame, const Calendar& calendar) {
  std::vector<size_t> out(frame.rows());
  size_t date_idx = 0;
  for (size_t row = 0; row < frame.rows(); ++row) {
    while (calendar[date_idx] < frame.date(row)) ++date_idx;
    out[row] = date_idx;
  }
  return out;
}

// The ML component's score per frame row (NaN where no prediction).
std::vector<double> MlScores(const HybridConfig& config, const data::Table& predictions,
                             const expr::FeatureFrame& frame) {
  std::vector<double> scores(frame.rows(), std::nan(""));
  if (predictions.rows() == 0) return scores;
  const data::TableColumn* dates = predictions.Find("datetime");
  const data::TableColumn* instruments = predictions.Find("instrument");
  if (dates == nullptr || instruments == nullptr) {
    throw Error(ErrorKind::kData, "predictions: needs datetime and instrument columns");
  }
  const std::string value_name = config.ml_signal == MlSignal::kYhatRank ? "yhat" : "prob_up";
  const data::TableColumn* values = predictions.Find(value_name);
  if (values == nullptr) {
    throw Error(ErrorKind::kData, fmt::format("predictions: meta.ml_signal needs a '{}' column", value_name));
  }
  const data::TableColumn* horizons = predictions.Find("horizon");
  std::unordered_map<std::string, uint32_t> instrument_index;
  for (size_t index = 0; index < frame.instruments().size(); ++index) {
    instrument_index.emplace(frame.instruments()[index], static_cast<uint32_t>(index));
  }
  const auto key = [](Date date, uint32_t instrument) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(date.days())) << 32) | instrument;
  };
  std::unordered_map<uint64_t, double> by_key;
  by_key.reserve(predictions.rows());
  for (size_t row = 0; row < predictions.rows(); ++row) {
    if (horizons != nullptr && horizons->numbers[row] != config.horizon) continue;
    const auto found = instrument_index.find(instruments->strings[row]);
    if (found == instrument_index.end()) continue;
    const double value = values->numbers[row];
    if (!std::isnan(value) && value_name == "prob_up" && (value < 0 || value > 1)) {
      throw Error(ErrorKind::kData, fmt::format("predictions: prob_up {} of {} on {} is outside [0, 1]", value,
                                                instruments->strings[row], dates->dates[row].ToString()));
    }
    if (!by_key.emplace(key(dates->dates[row], found->second), value).second) {
      throw Error(ErrorKind::kData,
                  fmt::format("predictions: two rows for {} on {} (horizon {}); one prediction per date, "
                              "instrument and horizon is expected",
                              instruments->strings[row], dates->dates[row].ToString(), config.horizon));
    }
  }
  for (size_t row = 0; row < frame.rows(); ++row) {
    const auto found = by_key.find(key(frame.date(row), frame.instrument_index(row)));
    if (found == by_key.end() || std::isnan(found->second)) continue;
    const double value = found->second;
    switch (config.ml_signal) {
      case MlSignal::kProbUp: scores[row] = 2 * value - 1; break;
      case MlSignal::kBetSize:
        scores[row] = portfolio::DiscretizeBetSize(portfolio::BetSize(value), config.bet_step);
        break;
      case MlSignal::kYhatRank: scores[row] = value; break;
    }
  }
  if (config.ml_signal == MlSignal::kYhatRank) {
    // Rows are sorted by date: rank each day's block, ties averaged.
    for (size_t begin = 0; begin < frame.rows();) {
      size_t end = begin;
      while (end < frame.rows() && frame.date(end) == frame.date(begin)) ++end;
      std::vector<size_t> present;
      for (size_t row = begin; row < end; ++row) {
        if (!std::isnan(scores[row])) present.push_back(row);
      }
      std::sort(present.begin(), present.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
      std::vector<double> ranked(present.size());
      for (size_t first = 0; first < present.size();) {
        size_t last = first;
        while (last + 1 < present.size() && scores[present[last + 1]] == scores[present[first]]) ++last;
        const double rank = 0.5 * static_cast<double>(first + last);
        for (size_t index = first; index <= last; ++index) ranked[index] = rank;
        first = last + 1;
      }
      const double span = static_cast<double>(present.size()) - 1;
      for (size_t index = 0; index < present.size(); ++index) {
        scores[present[index]] = span > 0 ? 2 * ranked[index] / span - 1 : 0;
      }
      begin = end;
    }
  }
  return scores;
}

}  // namespace

RegimeConfig ReadRegimeConfig(ConfigSection& section) {
  RegimeConfig config;
  const std::string method = section.String("method");
  config.method = method == "hmm" ? RegimeMethod::kHmm : RegimeMethod::kRules;
  config.rules = ReadRules(section.Child("rules"));
  config.hmm = ReadHmm(section.Child("hmm"));
  ForEachRole(section, "ids", [&](ConfigSection& roles, const std::string& role, size_t index) {
    config.ids[index] = roles.Int(role);
  });
  ForEachRole(section, "labels", [&](ConfigSection& roles, const std::string& role, size_t index) {
    config.labels[index] = roles.String(role);
    if (config.labels[index].empty() || config.labels[index] == "default") {
      throw Error(ErrorKind::kConfig,
                  fmt::format("{}: a label must be a non-empty name other than 'default'", roles.Where(role)));
    }
  });
  for (size_t a = 0; a < regime::kRegimeCount; ++a) {
    for (size_t b = a + 1; b < regime::kRegimeCount; ++b) {
      if (config.ids[a] == config.ids[b]) {
        throw Error(ErrorKind::kConfig, fmt::format("{}: {} and {} share id {}", section.Where("ids"),
                                                    regime::kRegimeNames[a], regime::kRegimeNames[b], config.ids[a]));
      }
      if (config.labels[a] == config.labels[b]) {
        throw Error(ErrorKind::kConfig,
                    fmt::format("{}: {} and {} share label '{}'", section.Where("labels"), regime::kRegimeNames[a],
                                regime::kRegimeNames[b], config.labels[a]));
      }
    }
  }
  section.RejectUnknownKeys();
  return config;
}

HybridConfig ReadHybridConfig(ConfigSection& section) {
  const std::string kind = section.String("kind");
  if (kind != "hybrid") {
    throw Error(ErrorKind::kConfig,
                fmt::format("{}: '{}' is not read here (expected hybrid)", section.Where("kind"), kind));
  }
  HybridConfig config;
  config.signals = ReadSignals(section.Child("signals"));
  ConfigSection regime_section = section.Child("regime");
  config.regime = ReadRegimeConfig(regime_section);
  ReadMeta(section.Child("meta"), config.regime, config);
  config.sizing = ReadSizing(section.Child("sizing"));
  section.RejectUnknownKeys();
  return config;
}

std::vector<double> BenchmarkCloses(const data::QlibStore& store) {
  const data::FieldSeries series = store.ReadBenchmarkField("bench_close");
  std::vector<double> closes(store.calendar().size(), std::nan(""));
  for (size_t index = 0; index < series.values.size() && series.start + index < closes.size(); ++index) {
    closes[series.start + index] = series.values[index];
  }
  return closes;
}

regime::RegimeSeries ComputeRegimes(const RegimeConfig& config, const data::QlibStore& store, std::optional<Date> end) {
  std::vector<double> closes = BenchmarkCloses(store);
  const std::vector<Date>& all_dates = store.calendar().dates();
  const size_t count = end ? store.calendar().UpperBound(*end) : all_dates.size();
  closes.resize(count);
  const std::span<const Date> dates(all_dates.data(), count);
  return config.method == RegimeMethod::kHmm ? regime::HmmRegimes(dates, closes, config.hmm)
                                             : regime::RuleRegimes(dates, closes, config.rules);
}

data::Table RegimeTable(const regime::RegimeSeries& regimes, const RegimeConfig& config, std::optional<Date> start,
                        std::optional<Date> end) {
  std::vector<Date> dates;
  std::vector<double> ids;
  std::vector<std::string> labels;
  std::array<std::vector<double>, regime::kRegimeCount> probabilities;
  for (size_t date_idx = 0; date_idx < regimes.size(); ++date_idx) {
    const Date date = regimes.dates[date_idx];
    if ((start && date < *start) || (end && date > *end)) continue;
    dates.push_back(date);
    const int current = regimes.regime[date_idx];
    ids.push_back(current < 0 ? std::nan("") : config.ids[static_cast<size_t>(current)]);
    labels.push_back(current < 0 ? "" : config.labels[static_cast<size_t>(current)]);
    for (size_t index = 0; index < regime::kRegimeCount; ++index) {
      probabilities[index].push_back(regimes.probabilities[date_idx][index]);
    }
  }
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::move(dates)));
  table.columns.push_back(data::TableColumn::Numbers("regime_id", std::move(ids)));
  table.columns.push_back(data::TableColumn::Strings("regime", std::move(labels)));
  for (size_t index = 0; index < regime::kRegimeCount; ++index) {
    table.columns.push_back(data::TableColumn::Numbers("p_" + config.labels[index], std::move(probabilities[index])));
  }
  return table;
}

data::Table RunHybridStrategy(const HybridConfig& config, const data::QlibStore& store, const data::Table& predictions,
                              std::optional<Date> start, std::optional<Date> end, ThreadPool& pool) {
  std::vector<std::string> instruments;
  for (const auto& span : store.instruments()) instruments.push_back(span.instrument);
  const std::vector<std::string> fields = {"close", "bench_close"};
  const data::Panel panel = store.LoadPanel(fields, instruments, std::nullopt, end);
  expr::OutputRange range;
  if (start) range.begin = panel.calendar().LowerBound(*start);
  const expr::FeatureFrame frame = signal::ComputeRuleAlphas(panel, config.signals, pool, range);
  const regime::RegimeSeries regimes = ComputeRegimes(config.regime, store, end);
  Check(regimes.size() == panel.calendar().size(), "RunHybridStrategy: regimes cover the panel calendar");

  const size_t rows = frame.rows();
  std::array<std::vector<double>, portfolio::kComponentCount> scores;
  for (size_t component = 0; component < std::size(signal::kAlphaNames); ++component) {
    scores[component].resize(rows);
    for (size_t row = 0; row < rows; ++row) scores[component][row] = frame.At(row, component);
  }
  scores[portfolio::kMlComponent] = MlScores(config, predictions, frame);
  if (predictions.rows() == 0) LogInfo("strategy: no predictions, the ML component scores nothing");
  std::array<std::span<const double>, portfolio::kComponentCount> score_spans;
  for (size_t component = 0; component < portfolio::kComponentCount; ++component)
    score_spans[component] = scores[component];
  const std::vector<size_t> row_date = RowDateIndices(frame, panel.calendar());
  // The expression engine keeps rows through suspensions inside an instrument's span, and where
  // that span ends depends on later bars; a day without a bar gets no opinion and no row.
  const size_t close_idx = panel.FieldIndex("close");
  std::vector<char> has_bar(rows);
  for (size_t row = 0; row < rows; ++row) {
    has_bar[row] = std::isfinite(panel.At(close_idx, frame.instrument_index(row), row_date[row])) ? 1 : 0;
    if (has_bar[row] == 0) {
      for (auto& component : scores) component[row] = std::nan("");
    }
  }
  const portfolio::MetaScores meta = portfolio::CombineScores(score_spans, row_date, regimes, config.meta);

  const size_t vol_column = std::size(signal::kAlphaNames);
  std::vector<double> vols(rows), weights(rows);
  for (size_t row = 0; row < rows; ++row) vols[row] = frame.At(row, vol_column);
  for (size_t begin = 0; begin < rows;) {
    size_t end_row = begin;
    while (end_row < rows && row_date[end_row] == row_date[begin]) ++end_row;
    portfolio::SizeCrossSection(std::span(meta.alpha_score).subspan(begin, end_row - begin),
                                std::span<const double>(vols).subspan(begin, end_row - begin), config.sizing,
                                std::span(weights).subspan(begin, end_row - begin));
    begin = end_row;
  }

  std::vector<Date> dates;
  std::vector<std::string> names, labels;
  const auto kept = [&](const std::vector<double>& values) {
    std::vector<double> out;
    out.reserve(values.size());
    for (size_t row = 0; row < rows; ++row) {
      if (has_bar[row] != 0) out.push_back(values[row]);
    }
    return out;
  };
  for (size_t row = 0; row < rows; ++row) {
    if (has_bar[row] == 0) continue;
    dates.push_back(frame.date(row));
    names.push_back(frame.instrument(row));
    const int current = regimes.regime[row_date[row]];
    labels.push_back(current >= 0 ? config.regime.labels[static_cast<size_t>(current)] : std::string());
  }
  data::Table table;
  table.columns.push_back(data::TableColumn::Dates("datetime", std::move(dates)));
  table.columns.push_back(data::TableColumn::Strings("instrument", std::move(names)));
  table.columns.push_back(data::TableColumn::Numbers("weight", kept(weights)));
  table.columns.push_back(data::TableColumn::Numbers("alpha_score", kept(meta.alpha_score)));
  table.columns.push_back(data::TableColumn::Strings("regime", std::move(labels)));
  for (size_t component = 0; component < portfolio::kComponentCount; ++component) {
    table.columns.push_back(data::TableColumn::Numbers(fmt::format("c_{}", portfolio::kComponentNames[component]),
                                                       kept(meta.contributions[component])));
  }
  table.columns.push_back(data::TableColumn::Numbers("realized_vol", kept(vols)));
  return table;
}

}  // namespace alphaloom::pipeline
