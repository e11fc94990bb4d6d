#include "alphaloom/dataset/processors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "alphaloom/common/error.h"

namespace alphaloom::dataset {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct NamedKind {
  const char* name;
  ProcessorKind kind;
};
constexpr NamedKind kKinds[] = {
    {"zscore", ProcessorKind::kZScore},       {"robust_zscore", ProcessorKind::kRobustZScore},
    {"cs_zscore", ProcessorKind::kCsZScore},  {"cs_rank", ProcessorKind::kCsRank},
    {"fillna", ProcessorKind::kFillNa},       {"process_inf", ProcessorKind::kProcessInf},
};

bool NeedsFit(ProcessorKind kind) { return kind == ProcessorKind::kZScore || kind == ProcessorKind::kRobustZScore; }

// Finite values of column `col`.
std::vector<double> FiniteColumn(const MatrixRef& m, size_t col) {
  std::vector<double> values;
  values.reserve(m.rows);
  for (size_t row = 0; row < m.rows; ++row) {
    const float x = m.values[row * m.cols + col];
    if (std::isfinite(x)) values.push_back(x);
  }
  return values;
}

// numpy.nanmedian of finite values (the mean of the two middle values for an even count).
double Median(std::vector<double>& values) {
  if (values.empty()) return kNaN;
  const size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<long>(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<long>(middle));
  return (lower + upper) / 2;
}

// Calls `day(begin, end)` for each run of rows sharing a date.
template <typename F>
void ForEachDay(const MatrixRef& m, F&& day) {
  for (size_t begin = 0; begin < m.rows;) {
    size_t end = begin + 1;
    while (end < m.rows && m.row_dates[end] == m.row_dates[begin]) ++end;
    day(begin, end);
    begin = end;
  }
}

void CsZScore(MatrixRef m, size_t begin, size_t end) {
  for (size_t col = 0; col < m.cols; ++col) {
    double sum = 0;
    size_t count = 0;
    for (size_t row = begin; row < end; ++row) {
      const float x = m.values[row * m.cols + col];
      if (!std::isnan(x)) {
        sum += x;
        ++count;
      }
    }
    const double mean = count ? sum / static_cast<double>(count) : kNaN;
    double squares = 0;
    for (size_t row = begin; row < end; ++row) {
      const float x = m.values[row * m.cols + col];
      if (!std::isnan(x)) squares += (x - mean) * (x - mean);
    }
    const double std = count > 1 ? std::sqrt(squares / static_cast<double>(count - 1)) : kNaN;
    for (size_t row = begin; row < end; ++row) {
      float& x = m.values[row * m.cols + col];
      x = static_cast<float>((x - mean) / std);
    }
  }
}

void CsRank(MatrixRef m, size_t begin, size_t end) {
  std::vector<size_t> order;
  for (size_t col = 0; col < m.cols; ++col) {
    order.clear();
    for (size_t row = begin; row < end; ++row) {
      if (!std::isnan(m.values[row * m.cols + col])) order.push_back(row);
    }
    auto value = [&](size_t row) { return m.values[row * m.cols + col]; };
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return value(a) < value(b); });
    const auto count = static_cast<double>(order.size());
    for (size_t first = 0; first < order.size();) {
      size_t last = first;
      while (last + 1 < order.size() && value(order[last + 1]) == value(order[first])) ++last;
      const double rank = (static_cast<double>(first + last) + 2.0) / 2.0;
      const auto normalised = static_cast<float>((rank / count - 0.5) * 3.46);
      for (size_t k = first; k <= last; ++k) m.values[order[k] * m.cols + col] = normalised;
      first = last + 1;
    }
  }
}

void ProcessInf(MatrixRef m, size_t begin, size_t end) {
  for (size_t col = 0; col < m.cols; ++col) {
    double sum = 0;
    size_t count = 0, infinite = 0;
    for (size_t row = begin; row < end; ++row) {
      const float x = m.values[row * m.cols + col];
      if (std::isfinite(x)) {
        sum += x;
        ++count;
      } else if (std::isinf(x)) {
        ++infinite;
      }
    }
    if (infinite == 0) continue;
    const auto mean = static_cast<float>(count ? sum / static_cast<double>(count) : kNaN);
    for (size_t row = begin; row < end; ++row) {
      float& x = m.values[row * m.cols + col];
      if (std::isinf(x)) x = mean;
    }
  }
}

}  // namespace

ProcessorKind ParseProcessorKind(const std::string& name) {
  for (const auto& entry : kKinds) {
    if (name == entry.name) return entry.kind;
  }
  std::vector<std::string> names;
  for (const auto& entry : kKinds) names.emplace_back(entry.name);
  throw Error(ErrorKind::kConfig, fmt::format("unknown processor '{}' (known: {})", name, fmt::join(names, ", ")));
}

std::string ProcessorName(ProcessorKind kind) {
  for (const auto& entry : kKinds) {
    if (kind == entry.kind) return entry.name;
  }
  return "?";
}

ProcessorChain::ProcessorChain(std::vector<ProcessorStep> steps) : steps_(std::move(steps)) {}

void ProcessorChain::FitStep(size_t step, const MatrixRef& train) {
  Fitted& fitted = fitted_[step];
  fitted.center.assign(train.cols, 0.0);
  fitted.scale.assign(train.cols, 1.0);
  for (size_t col = 0; col < train.cols; ++col) {
    std::vector<double> values = FiniteColumn(train, col);
    if (values.empty()) continue;
    if (steps_[step].kind == ProcessorKind::kZScore) {
      const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
      double squares = 0;
      for (const double x : values) squares += (x - mean) * (x - mean);
      const double std = std::sqrt(squares / static_cast<double>(values.size()));
      if (std > 0) {
        fitted.center[col] = mean;
        fitted.scale[col] = std;
      }
    } else {
      const double median = Median(values);
      for (double& x : values) x = std::abs(x - median);
      fitted.center[col] = median;
      fitted.scale[col] = (Median(values) + 1e-12) * 1.4826;
    }
  }
}

void ProcessorChain::ApplyStep(size_t step, MatrixRef m) const {
  const ProcessorStep& spec = steps_[step];
  switch (spec.kind) {
    case ProcessorKind::kZScore:
    case ProcessorKind::kRobustZScore: {
      const Fitted& fitted = fitted_[step];
      const bool clip = spec.kind == ProcessorKind::kRobustZScore && spec.clip;
      for (size_t row = 0; row < m.rows; ++row) {
        float* values = m.values + row * m.cols;
        for (size_t col = 0; col < m.cols; ++col) {
          double z = (values[col] - fitted.center[col]) / fitted.scale[col];
          if (clip) z = std::clamp(z, -3.0, 3.0);  // NaN passes through clamp unchanged
          values[col] = static_cast<float>(z);
        }
      }
      break;
    }
    case ProcessorKind::kCsZScore: ForEachDay(m, [&](size_t b, size_t e) { CsZScore(m, b, e); }); break;
    case ProcessorKind::kCsRank: ForEachDay(m, [&](size_t b, size_t e) { CsRank(m, b, e); }); break;
    case ProcessorKind::kProcessInf: ForEachDay(m, [&](size_t b, size_t e) { ProcessInf(m, b, e); }); break;
    case ProcessorKind::kFillNa: {
      const auto fill = static_cast<float>(spec.fill_value);
      for (size_t k = 0; k < m.rows * m.cols; ++k) {
        if (std::isnan(m.values[k])) m.values[k] = fill;
      }
      break;
    }
  }
}

void ProcessorChain::FitTransform(MatrixRef train) {
  Check(train.row_dates.size() == train.rows, "one date per row");
  fitted_.assign(steps_.size(), Fitted{});
  cols_ = train.cols;
  for (size_t step = 0; step < steps_.size(); ++step) {
    if (NeedsFit(steps_[step].kind)) FitStep(step, train);
    ApplyStep(step, train);
  }
  is_fitted_ = true;
}

void ProcessorChain::Transform(MatrixRef rows) const {
  Check(rows.row_dates.size() == rows.rows, "one date per row");
  const bool needs_fit = std::any_of(steps_.begin(), steps_.end(), [](const ProcessorStep& s) { return NeedsFit(s.kind); });
  if (needs_fit && !is_fitted_) throw Error(ErrorKind::kUsage, "processors: Transform before FitTransform");
  if (is_fitted_ && rows.cols != cols_) {
    throw Error(ErrorKind::kData, fmt::format("processors: fitted on {} columns, given {}", cols_, rows.cols));
  }
  for (size_t step = 0; step < steps_.size(); ++step) ApplyStep(step, rows);
}

nlohmann::json ProcessorChain::ToJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (size_t step = 0; step < steps_.size(); ++step) {
    nlohmann::json entry = {{"kind", ProcessorName(steps_[step].kind)}};
    if (steps_[step].kind == ProcessorKind::kFillNa) entry["fill_value"] = steps_[step].fill_value;
    if (steps_[step].kind == ProcessorKind::kRobustZScore) entry["clip"] = steps_[step].clip;
    if (is_fitted_ && NeedsFit(steps_[step].kind)) {
      entry["center"] = fitted_[step].center;
      entry["scale"] = fitted_[step].scale;
    }
    out.push_back(entry);
  }
  return {{"steps", out}, {"cols", cols_}, {"fitted", is_fitted_}};
}

ProcessorChain ProcessorChain::FromJson(const nlohmann::json& json) {
  ProcessorChain chain;
  try {
    chain.cols_ = json.at("cols").get<size_t>();
    chain.is_fitted_ = json.at("fitted").get<bool>();
    for (const auto& entry : json.at("steps")) {
      ProcessorStep step;
      step.kind = ParseProcessorKind(entry.at("kind").get<std::string>());
      step.fill_value = entry.value("fill_value", 0.0);
      step.clip = entry.value("clip", true);
      Fitted fitted;
      if (chain.is_fitted_ && NeedsFit(step.kind)) {
        fitted.center = entry.at("center").get<std::vector<double>>();
        fitted.scale = entry.at("scale").get<std::vector<double>>();
        if (fitted.center.size() != chain.cols_ || fitted.scale.size() != chain.cols_) {
          throw Error(ErrorKind::kData, "processors: fitted statistics do not match the column count");
        }
      }
      chain.steps_.push_back(step);
      chain.fitted_.push_back(std::move(fitted));
    }
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorKind::kData, fmt::format("processors: malformed description: {}", error.what()));
  }
  return chain;
}

}  // namespace alphaloom::dataset
