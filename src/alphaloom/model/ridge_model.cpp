#include "alphaloom/model/ridge_model.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <cmath>
#include <nlohmann/json.hpp>

#include "alphaloom/common/error.h"
#include "alphaloom/model/backend_support.h"

namespace alphaloom::model {
namespace {

constexpr std::string_view kLibrary = "ridge";
constexpr std::string_view kFormat = "alphaloom-ridge";
// Rows standardised at once before they are folded into Z'WZ: bounds memory for any row
// count while keeping the products in Eigen's blocked kernels. The block size is fixed, so the
// summation order (and the result) does not depend on the data size or the machine.
constexpr size_t kBlockRows = 2048;

double ParseAlpha(const ModelSpec& spec) {
  double alpha = 1.0;
  for (const auto& [name, value] : spec.params) {
    CheckParamText(kLibrary, name, value);
    if (name != "alpha")
      throw Error(ErrorKind::kConfig, fmt::format("ridge: unknown parameter '{}' (known: alpha)", name));
    char* end = nullptr;
    alpha = std::strtod(value.c_str(), &end);
    if (end != value.c_str() + value.size() || !std::isfinite(alpha) || alpha < 0) {
      throw Error(ErrorKind::kConfig, fmt::format("ridge: alpha = '{}'; must be a number >= 0", value));
    }
  }
  return alpha;
}

double WeightOf(const LabeledMatrix& data, size_t row) {
  return data.weight.empty() ? 1.0 : data.weight[row];
}

class RidgeModel final : public Model {
 public:
  explicit RidgeModel(const ModelSpec& spec) : Model(spec), alpha_(ParseAlpha(spec)) {
    if (spec.objective != Objective::kRegression) {
      throw Error(ErrorKind::kConfig,
                  fmt::format("ridge supports the regression objective only, not {}", ObjectiveName(spec.objective)));
    }
  }

  std::string_view library() const override { return kLibrary; }
  std::string library_version() const override {
    return fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION);
  }
  std::string_view file_name() const override { return "ridge.json"; }

 protected:
  TrainingLog DoFit(const LabeledMatrix& train, const LabeledMatrix* valid) override {
    const size_t cols = train.x.cols();
    FitStandardisation(train);
    double weight_sum = 0, label_sum = 0;
    for (size_t row = 0; row < train.x.rows(); ++row) {
      weight_sum += WeightOf(train, row);
      label_sum += WeightOf(train, row) * train.label[row];
    }
    if (!(weight_sum > 0)) throw Error(ErrorKind::kData, "training set: every weight is zero");
    intercept_ = label_sum / weight_sum;

    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(cols), static_cast<Eigen::Index>(cols));
    Eigen::VectorXd moment = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(cols));
    for (size_t first = 0; first < train.x.rows(); first += kBlockRows) {
      const size_t count = std::min(kBlockRows, train.x.rows() - first);
      const Eigen::MatrixXd z = Standardise(train.x.RowRange(first, count));
      Eigen::VectorXd weight(static_cast<Eigen::Index>(count));
      Eigen::VectorXd centred(static_cast<Eigen::Index>(count));
      for (size_t row = 0; row < count; ++row) {
        weight[static_cast<Eigen::Index>(row)] = WeightOf(train, first + row);
        centred[static_cast<Eigen::Index>(row)] = train.label[first + row] - intercept_;
      }
      gram.noalias() += z.transpose() * weight.asDiagonal() * z;
      moment.noalias() += z.transpose() * weight.cwiseProduct(centred);
    }
    gram.diagonal().array() += alpha_;
    // Unused columns (no spread) are all-zero in Z; pin their coefficient to 0 even when alpha = 0.
    for (size_t col = 0; col < cols; ++col) {
      if (scale_[col] == 0) gram(static_cast<Eigen::Index>(col), static_cast<Eigen::Index>(col)) = 1.0;
    }
    const Eigen::LDLT<Eigen::MatrixXd> solver(gram);
    const Eigen::VectorXd beta = solver.solve(moment);
    // A pivot this small against the largest means the penalty is too weak to pin down collinear
    // columns: LDLT would silently drop the direction and the coefficients would be arbitrary.
    // (Eigen's rcond() skips zero pivots, so the pivots are checked directly.)
    const Eigen::VectorXd pivots = solver.vectorD().cwiseAbs();
    const bool singular = cols > 0 && pivots.minCoeff() <= 1e-12 * pivots.maxCoeff();
    if (solver.info() != Eigen::Success || !beta.allFinite() || !solver.isPositive() || singular) {
      throw Error(ErrorKind::kData, "ridge: the normal equations are singular (collinear features); use alpha > 0");
    }
    coef_.assign(beta.data(), beta.data() + beta.size());

    TrainingLog log;
    log.metric = "l2";
    log.rounds_trained = 1;
    log.best_iteration = 1;
    if (valid != nullptr) {
      const std::vector<double> predicted = DoPredict(valid->x);
      double squared = 0, weights = 0;
      for (size_t row = 0; row < valid->x.rows(); ++row) {
        const double error = predicted[row] - valid->label[row];
        squared += WeightOf(*valid, row) * error * error;
        weights += WeightOf(*valid, row);
      }
      log.valid_loss.push_back(weights > 0 ? squared / weights : std::nan(""));
    }
    return log;
  }

  std::vector<double> DoPredict(const MatrixView& x) const override {
    std::vector<double> out(x.rows());
    const Eigen::Map<const Eigen::VectorXd> beta(coef_.data(), static_cast<Eigen::Index>(coef_.size()));
    for (size_t first = 0; first < x.rows(); first += kBlockRows) {
      const size_t count = std::min(kBlockRows, x.rows() - first);
      const Eigen::VectorXd block = Standardise(x.RowRange(first, count)) * beta;
      for (size_t row = 0; row < count; ++row) out[first + row] = intercept_ + block[static_cast<Eigen::Index>(row)];
    }
    return out;
  }

  void DoImportance(std::vector<double>& gain, std::vector<double>& split) const override {
    for (size_t col = 0; col < coef_.size(); ++col) {
      gain[col] = std::abs(coef_[col]);
      split[col] = coef_[col] != 0 ? 1.0 : 0.0;
    }
  }

  std::string DoSerialize() const override {
    const nlohmann::json document = {
        {"format", kFormat}, {"version", 1},    {"alpha", alpha_}, {"intercept", intercept_},
        {"mean", mean_},     {"scale", scale_}, {"coef", coef_}};
    return document.dump(1) + "\n";
  }

  size_t DoDeserialize(std::string_view bytes) override {
    try {
      const nlohmann::json document = nlohmann::json::parse(bytes);
      if (document.at("format").get<std::string>() != kFormat || document.at("version").get<int>() != 1) {
        throw Error(ErrorKind::kData, "not an AlphaLoom ridge model (format or version differs)");
      }
      alpha_ = document.at("alpha").get<double>();
      intercept_ = document.at("intercept").get<double>();
      mean_ = document.at("mean").get<std::vector<double>>();
      scale_ = document.at("scale").get<std::vector<double>>();
      coef_ = document.at("coef").get<std::vector<double>>();
    } catch (const nlohmann::json::exception& error) {
      throw Error(ErrorKind::kData, fmt::format("not an AlphaLoom ridge model: {}", error.what()));
    }
    if (mean_.size() != coef_.size() || scale_.size() != coef_.size()) {
      throw Error(ErrorKind::kData, "ridge model: mean, scale and coef lengths differ");
    }
    return coef_.size();
  }

 private:
  void FitStandardisation(const LabeledMatrix& train) {
    const size_t cols = train.x.cols();
    std::vector<double> weight_sum(cols, 0.0), sum(cols, 0.0);
    for (size_t row = 0; row < train.x.rows(); ++row) {
      for (size_t col = 0; col < cols; ++col) {
        const double value = train.x.At(row, col);
        if (std::isnan(value)) continue;
        weight_sum[col] += WeightOf(train, row);
        sum[col] += WeightOf(train, row) * value;
      }
    }
    mean_.assign(cols, 0.0);
    for (size_t col = 0; col < cols; ++col) mean_[col] = weight_sum[col] > 0 ? sum[col] / weight_sum[col] : 0.0;
    std::vector<double> squares(cols, 0.0);
    for (size_t row = 0; row < train.x.rows(); ++row) {
      for (size_t col = 0; col < cols; ++col) {
        const double value = train.x.At(row, col);
        if (!std::isnan(value)) squares[col] += WeightOf(train, row) * (value - mean_[col]) * (value - mean_[col]);
      }
    }
    scale_.assign(cols, 0.0);
    for (size_t col = 0; col < cols; ++col) {
      scale_[col] = weight_sum[col] > 0 ? std::sqrt(squares[col] / weight_sum[col]) : 0.0;
    }
  }

  // Rows of `x` as z-scores under the training statistics; NaN (and unused columns) -> 0.
  Eigen::MatrixXd Standardise(const MatrixView& x) const {
    Eigen::MatrixXd z(static_cast<Eigen::Index>(x.rows()), static_cast<Eigen::Index>(x.cols()));
    for (size_t row = 0; row < x.rows(); ++row) {
      for (size_t col = 0; col < x.cols(); ++col) {
        const double value = x.At(row, col);
        z(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col)) =
            std::isnan(value) || scale_[col] == 0 ? 0.0 : (value - mean_[col]) / scale_[col];
      }
    }
    return z;
  }

  double alpha_;
  double intercept_ = 0;
  std::vector<double> mean_, scale_, coef_;
};

}  // namespace

std::unique_ptr<Model> MakeRidgeModel(const ModelSpec& spec) {
  return std::make_unique<RidgeModel>(spec);
}

}  // namespace alphaloom::model
