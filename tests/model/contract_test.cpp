// The contract every backend honours, run on each (backend, objective) pair it supports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <thread>

#include "alphaloom/common/error.h"
#include "alphaloom/model/artifact.h"
#include "alphaloom/model/model.h"
#include "model/model_test_support.h"
#include "test_support.h"

namespace alphaloom::model {
namespace {

using ::testing::HasSubstr;

struct ContractCase {
  std::string backend;
  Objective objective;
  int num_class = 0;
};

std::string CaseName(const ::testing::TestParamInfo<ContractCase>& info) {
  return info.param.backend + "_" + std::string(ObjectiveName(info.param.objective));
}

// Throws `kind` with a message containing `text`.
template <typename Body>
void ExpectError(Body body, ErrorKind kind, const std::string& text) {
  try {
    body();
    ADD_FAILURE() << "no error; expected one containing '" << text << "'";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    EXPECT_THAT(error.what(), HasSubstr(text));
  }
}

class ModelContract : public ::testing::TestWithParam<ContractCase> {
 protected:
  ModelSpec Spec() const {
    ModelSpec spec;
    spec.backend = GetParam().backend;
    spec.objective = GetParam().objective;
    spec.num_class = GetParam().num_class;
    spec.num_rounds = 40;
    spec.seed = 7;
    spec.threads = 1;
    return spec;
  }
  test::SyntheticData Data(size_t rows, uint64_t seed, double noise = 0.3) const {
    return test::MakeData(GetParam().objective, rows, seed, noise,
                          GetParam().num_class == 0 ? 3 : GetParam().num_class);
  }
  bool IsTree() const { return GetParam().backend != "ridge"; }
  // A parameter name the backend's library does not know.
  std::string UnknownParam() const {
    if (GetParam().backend == "lightgbm") return "num_leafs";
    if (GetParam().backend == "xgboost") return "num_leaves";
    return "lambda";
  }
  // Row subsampling, so that the seed matters.
  std::map<std::string, std::string> SamplingParams() const {
    if (GetParam().backend == "lightgbm") return {{"bagging_fraction", "0.6"}, {"bagging_freq", "1"}};
    return {{"subsample", "0.6"}};
  }
};

TEST_P(ModelContract, FitAndPredictShapes) {
  const test::SyntheticData train = Data(600, 1);
  const test::SyntheticData test_set = Data(300, 2);
  auto model = MakeModel(Spec());
  EXPECT_FALSE(model->fitted());
  model->Fit(train.labeled());
  ASSERT_TRUE(model->fitted());
  EXPECT_EQ(model->feature_names(), train.names);
  const Prediction prediction = model->Predict(test_set.view());
  const size_t width = GetParam().objective == Objective::kMulticlass ? GetParam().num_class : 1;
  EXPECT_EQ(prediction.rows, 300u);
  EXPECT_EQ(prediction.width, width);
  ASSERT_EQ(prediction.values.size(), 300u * width);
  for (const double value : prediction.values) ASSERT_TRUE(std::isfinite(value));

  if (GetParam().objective == Objective::kRegression || GetParam().objective == Objective::kHuber) {
    // Out of sample the model explains most of the planted signal (R^2 well above 0).
    double residual = 0, total = 0;
    const double mean = std::accumulate(test_set.label.begin(), test_set.label.end(), 0.0) / 300;
    for (size_t row = 0; row < 300; ++row) {
      if (GetParam().objective == Objective::kHuber && row % 50 == 7) continue;
      residual += std::pow(prediction.At(row) - test_set.label[row], 2);
      total += std::pow(test_set.label[row] - mean, 2);
    }
    EXPECT_GT(1 - residual / total, 0.6);
  } else {
    size_t correct = 0;
    for (size_t row = 0; row < 300; ++row) {
      double row_sum = 0;
      size_t argmax = 0;
      for (size_t col = 0; col < width; ++col) {
        const double p = prediction.At(row, col);
        EXPECT_GE(p, 0.0);
        EXPECT_LE(p, 1.0);
        row_sum += p;
        if (p > prediction.At(row, argmax)) argmax = col;
      }
      const size_t predicted_class = width == 1 ? (prediction.At(row) > 0.5 ? 1 : 0) : argmax;
      if (width > 1) {
        EXPECT_NEAR(row_sum, 1.0, 1e-6);
      }
      correct += predicted_class == static_cast<size_t>(test_set.label[row]);
    }
    EXPECT_GT(static_cast<double>(correct) / 300, 0.7);
  }
  EXPECT_EQ(model->Predict(test_set.view().RowRange(0, 0)).values.size(), 0u);
}

TEST_P(ModelContract, RoundCallbackSeesEveryRound) {
  const test::SyntheticData train = Data(400, 11);
  const test::SyntheticData valid = Data(200, 12);
  auto model = MakeModel(Spec());
  std::vector<int> rounds;
  std::vector<double> losses;
  model->SetRoundCallback([&](int round, int num_rounds, double loss) {
    EXPECT_EQ(num_rounds, 40);
    rounds.push_back(round);
    losses.push_back(loss);
  });
  const LabeledMatrix valid_set = valid.labeled();
  model->Fit(train.labeled(), &valid_set);
  if (!IsTree()) {
    EXPECT_TRUE(rounds.empty());
    return;
  }
  ASSERT_EQ(rounds.size(), static_cast<size_t>(model->log().rounds_trained));
  for (size_t k = 0; k < rounds.size(); ++k) EXPECT_EQ(rounds[k], static_cast<int>(k) + 1);
  EXPECT_EQ(losses, model->log().valid_loss);
}

TEST_P(ModelContract, SaveLoadGivesIdenticalPredictions) {
  const test::SyntheticData train = Data(500, 3);
  const test::SyntheticData valid = Data(200, 4);
  ModelSpec spec = Spec();
  spec.early_stopping_rounds = 5;
  auto model = MakeModel(spec);
  const LabeledMatrix valid_set = valid.labeled();
  model->Fit(train.weighted(), &valid_set);
  alphaloom::test::TempDir dir;
  ArtifactInfo info;
  info.label_name = "forward_qlib_h1";
  info.horizon = 1;
  SaveModel(*model, info, dir / "artifact");
  const LoadedModel loaded = LoadModel(dir / "artifact", train.names);
  EXPECT_EQ(loaded.model->Serialize(), model->Serialize());
  EXPECT_EQ(loaded.model->feature_names(), model->feature_names());
  EXPECT_EQ(loaded.model->log().best_iteration, model->log().best_iteration);
  EXPECT_EQ(loaded.model->log().valid_loss, model->log().valid_loss);
  EXPECT_EQ(loaded.metadata.info.label_name, "forward_qlib_h1");
  const Prediction before = model->Predict(valid.view());
  const Prediction after = loaded.model->Predict(valid.view());
  EXPECT_EQ(before.values, after.values);  // bit for bit
  const FeatureImportance importance_before = model->Importance();
  const FeatureImportance importance_after = loaded.model->Importance();
  EXPECT_EQ(importance_before.gain, importance_after.gain);
  EXPECT_EQ(importance_before.split, importance_after.split);
}

TEST_P(ModelContract, SameInputsGiveTheSameBytes) {
  const test::SyntheticData train = Data(500, 5);
  ModelSpec spec = Spec();
  spec.threads = 2;  // several threads must not cost determinism
  if (IsTree()) spec.params = SamplingParams();
  auto first = MakeModel(spec);
  auto second = MakeModel(spec);
  first->Fit(train.weighted());
  second->Fit(train.weighted());
  EXPECT_EQ(first->Serialize(), second->Serialize());
  EXPECT_EQ(first->Predict(train.view()).values, second->Predict(train.view()).values);
  if (IsTree()) {
    // The seed reaches the library: with row sampling another seed grows other trees.
    spec.seed = 8;
    auto reseeded = MakeModel(spec);
    reseeded->Fit(train.weighted());
    EXPECT_NE(reseeded->Predict(train.view()).values, first->Predict(train.view()).values);
  }
}

TEST_P(ModelContract, PredictFromSeveralThreadsAtOnce) {
  const test::SyntheticData train = Data(400, 15);
  auto model = MakeModel(Spec());
  model->Fit(train.labeled());
  const std::vector<double> expected = model->Predict(train.view()).values;
  std::vector<std::vector<double>> got(4);
  std::vector<std::thread> threads;
  for (size_t thread = 0; thread < got.size(); ++thread) {
    threads.emplace_back([&, thread] {
      for (int repeat = 0; repeat < 5; ++repeat) got[thread] = model->Predict(train.view()).values;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::vector<double>& values : got) EXPECT_EQ(values, expected);
}

TEST_P(ModelContract, WeightsChangeTheFit) {
  const test::SyntheticData train = Data(400, 6);
  auto unweighted = MakeModel(Spec());
  auto weighted = MakeModel(Spec());
  unweighted->Fit(train.labeled());
  weighted->Fit(train.weighted());
  EXPECT_NE(unweighted->Predict(train.view()).values, weighted->Predict(train.view()).values);
}

TEST_P(ModelContract, EarlyStoppingKeepsTheBestRound) {
  if (!IsTree()) GTEST_SKIP() << "ridge has no rounds";
  // A weak signal under heavy noise: the validation loss turns up long before 400 rounds.
  const test::SyntheticData train = Data(400, 7, 4.0);
  const test::SyntheticData valid = Data(400, 8, 4.0);
  ModelSpec spec = Spec();
  spec.num_rounds = 400;
  spec.early_stopping_rounds = 10;
  spec.params = GetParam().backend == "lightgbm" ? std::map<std::string, std::string>{{"learning_rate", "0.3"}}
                                                 : std::map<std::string, std::string>{{"eta", "0.3"}};
  auto model = MakeModel(spec);
  const LabeledMatrix valid_set = valid.labeled();
  model->Fit(train.labeled(), &valid_set);
  const TrainingLog& log = model->log();
  EXPECT_LT(log.rounds_trained, 400);
  EXPECT_EQ(log.best_iteration, log.rounds_trained - 10);
  ASSERT_EQ(log.valid_loss.size(), static_cast<size_t>(log.rounds_trained));
  const auto best = std::min_element(log.valid_loss.begin(), log.valid_loss.end());
  EXPECT_EQ(best - log.valid_loss.begin(), log.best_iteration - 1);
  EXPECT_FALSE(log.metric.empty());

  // The model keeps exactly the best rounds: the same as training that many rounds outright.
  ModelSpec fixed = spec;
  fixed.num_rounds = log.best_iteration;
  fixed.early_stopping_rounds = 0;
  auto reference = MakeModel(fixed);
  reference->Fit(train.labeled());
  EXPECT_EQ(reference->Predict(valid.view()).values, model->Predict(valid.view()).values);
}

TEST_P(ModelContract, ValidationLossIsRecordedEveryRound) {
  const test::SyntheticData train = Data(300, 9);
  const test::SyntheticData valid = Data(200, 10);
  auto model = MakeModel(Spec());
  const LabeledMatrix valid_set = valid.labeled();
  model->Fit(train.labeled(), &valid_set);
  const size_t expected = IsTree() ? 40u : 1u;
  EXPECT_EQ(model->log().valid_loss.size(), expected);
  EXPECT_EQ(model->log().best_iteration, static_cast<int>(expected));
  if (IsTree()) {
    EXPECT_LT(model->log().valid_loss.back(), model->log().valid_loss.front());
  }
}

TEST_P(ModelContract, ImportanceIsNonNegativeAndFindsTheSignal) {
  const test::SyntheticData train = Data(600, 11);
  auto model = MakeModel(Spec());
  model->Fit(train.labeled());
  const FeatureImportance importance = model->Importance();
  EXPECT_EQ(importance.features, train.names);
  ASSERT_EQ(importance.gain.size(), 6u);
  ASSERT_EQ(importance.split.size(), 6u);
  for (size_t feature = 0; feature < 6; ++feature) {
    EXPECT_GE(importance.gain[feature], 0.0);
    EXPECT_GE(importance.split[feature], 0.0);
  }
  EXPECT_GT(std::accumulate(importance.gain.begin(), importance.gain.end(), 0.0), 0.0);
  EXPECT_GT(std::accumulate(importance.split.begin(), importance.split.end(), 0.0), 0.0);
  // x0 carries the most signal in every objective; the constant column can never split.
  EXPECT_EQ(std::max_element(importance.gain.begin(), importance.gain.end()) - importance.gain.begin(), 0);
  EXPECT_EQ(importance.gain[5], 0.0);
  EXPECT_EQ(importance.split[5], 0.0);
}

TEST_P(ModelContract, BadInputsGiveClearErrors) {
  test::SyntheticData train = Data(200, 12);
  auto model = MakeModel(Spec());
  ExpectError([&] { model->Predict(train.view()); }, ErrorKind::kUsage, "before the model is fitted");
  ExpectError([&] { model->Serialize(); }, ErrorKind::kUsage, "before the model is fitted");

  test::SyntheticData nan_label = train;
  nan_label.label[17] = std::nan("");
  ExpectError([&] { model->Fit(nan_label.labeled()); }, ErrorKind::kData, "training set: label at row 17 is nan");

  ExpectError(
      [&] {
        model->Fit({train.view().RowRange(0, 0), {}, {}});
      },
      ErrorKind::kData, "training set has zero rows");
  ExpectError(
      [&] {
        model->Fit({train.view(), std::span(train.label).first(199), {}});
      },
      ErrorKind::kData, "200 rows but 199 labels");
  ExpectError(
      [&] {
        model->Fit({train.view(), train.label, std::span(train.weight).first(3)});
      },
      ErrorKind::kData, "200 rows but 3 weights");
  ExpectError([&] { MatrixView(train.x, 200, 5); }, ErrorKind::kData, "1200 values do not fill 200 rows x 5 columns");

  test::SyntheticData bad_weight = train;
  bad_weight.weight[4] = -1;
  ExpectError([&] { model->Fit(bad_weight.weighted()); }, ErrorKind::kData, "weight at row 4 is -1");
  test::SyntheticData infinite = train;
  infinite.x[9 * 6 + 2] = INFINITY;
  ExpectError([&] { model->Fit(infinite.labeled()); }, ErrorKind::kData,
              "feature 'x2' (column 2) at row 9 is infinite");

  ModelSpec stopping = Spec();
  stopping.early_stopping_rounds = 5;
  ExpectError([&] { MakeModel(stopping)->Fit(train.labeled()); }, ErrorKind::kConfig, "needs a validation set");

  model->Fit(train.labeled());
  const MatrixView narrow(std::span(train.x).first(200 * 5), 200, 5);
  ExpectError([&] { model->Predict(narrow); }, ErrorKind::kData, "has 5 feature columns, the model was trained on 6");
  std::vector<std::string> renamed = train.names;
  renamed[3] = "x3_lagged";
  ExpectError([&] { model->Predict(MatrixView(train.x, 200, 6, renamed)); }, ErrorKind::kData,
              "feature 3: expected 'x3', got 'x3_lagged'");

  test::SyntheticData other_valid = train;
  other_valid.names[1] = "y1";
  const LabeledMatrix valid_set = other_valid.labeled();
  ExpectError([&] { model->Fit(train.labeled(), &valid_set); }, ErrorKind::kData, "feature 1: expected 'x1', got 'y1'");
}

TEST_P(ModelContract, UnknownAndReservedParametersAreNamed) {
  const test::SyntheticData train = Data(200, 13);
  ModelSpec spec = Spec();
  spec.params = {{UnknownParam(), "3"}};
  // LightGBM and ridge know their parameter lists up front; XGBoost judges them when it
  // configures a booster, so its error comes from Fit.
  ExpectError([&] { MakeModel(spec)->Fit(train.labeled()); }, ErrorKind::kConfig,
              "unknown parameter '" + UnknownParam() + "'");
  if (IsTree()) {
    spec.params = {{"seed", "3"}};
    ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig,
                "parameter 'seed' is set through the model spec's 'seed'");
    spec.params = {{"learning_rate", "0.1 0.2"}};
    ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "values must be non-empty, without spaces");
  }
}

TEST_P(ModelContract, LoadRefusesDifferentFeatures) {
  const test::SyntheticData train = Data(200, 14);
  auto model = MakeModel(Spec());
  model->Fit(train.labeled());
  alphaloom::test::TempDir dir;
  SaveModel(*model, {}, dir / "m");
  std::vector<std::string> swapped = train.names;
  std::swap(swapped[1], swapped[2]);
  ExpectError([&] { LoadModel(dir / "m", swapped); }, ErrorKind::kData, "feature 1: expected 'x1', got 'x2'");
  std::vector<std::string> fewer(train.names.begin(), train.names.end() - 1);
  ExpectError([&] { LoadModel(dir / "m", fewer); }, ErrorKind::kData, "feature 5: expected 'const', got none");
  std::vector<std::string> more = train.names;
  more.push_back("x6");
  ExpectError([&] { LoadModel(dir / "m", more); }, ErrorKind::kData, "feature 6: expected none, got 'x6'");
  EXPECT_NO_THROW(LoadModel(dir / "m", train.names));
}

TEST_P(ModelContract, DeserializeRefusesForeignBytes) {
  const test::SyntheticData train = Data(200, 16);
  auto model = MakeModel(Spec());
  model->Fit(train.labeled());
  const std::string bytes = model->Serialize();
  auto other = MakeModel(Spec());
  ExpectError([&] { other->Deserialize("not a model at all", train.names, {}); }, ErrorKind::kData, "model");
  EXPECT_FALSE(other->fitted());
  const std::vector<std::string> fewer(train.names.begin(), train.names.end() - 1);
  ExpectError([&] { other->Deserialize(bytes, fewer, {}); }, ErrorKind::kData, "holds 6 features but 5 feature names");
  other->Deserialize(bytes, train.names, model->log());
  EXPECT_EQ(other->Predict(train.view()).values, model->Predict(train.view()).values);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, ModelContract,
    ::testing::Values(ContractCase{"lightgbm", Objective::kRegression}, ContractCase{"lightgbm", Objective::kHuber},
                      ContractCase{"lightgbm", Objective::kBinary}, ContractCase{"lightgbm", Objective::kMulticlass, 3},
                      ContractCase{"xgboost", Objective::kRegression}, ContractCase{"xgboost", Objective::kHuber},
                      ContractCase{"xgboost", Objective::kBinary}, ContractCase{"xgboost", Objective::kMulticlass, 3},
                      ContractCase{"ridge", Objective::kRegression}),
    CaseName);

}  // namespace
}  // namespace alphaloom::model
