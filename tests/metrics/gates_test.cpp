#include "alphaloom/metrics/gates.h"

#include <gtest/gtest.h>

#include <string>

#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom::metrics {
namespace {

nlohmann::json Summary(double sortino, double profit_factor, double max_drawdown) {
  return {{"sortino", sortino}, {"profit_factor", profit_factor}, {"max_drawdown", max_drawdown}};
}

bool AllPassed(const std::vector<GateResult>& results) {
  for (const GateResult& result : results) {
    if (!result.passed) return false;
  }
  return true;
}

TEST(Gates, DefaultsAtTheirBoundaries) {
  const std::vector<Gate> gates = DefaultGates();
  ASSERT_EQ(gates.size(), 3u);
  EXPECT_TRUE(AllPassed(EvaluateGates(gates, Summary(1.2, 1.15, -0.06))));
  EXPECT_FALSE(AllPassed(EvaluateGates(gates, Summary(1.19, 1.15, -0.05))));
  EXPECT_FALSE(AllPassed(EvaluateGates(gates, Summary(2.0, 1.1, -0.05))));
  const std::vector<GateResult> deep = EvaluateGates(gates, Summary(2.0, 2.0, -0.0601));
  EXPECT_TRUE(deep[0].passed);
  EXPECT_FALSE(deep[2].passed);
  EXPECT_DOUBLE_EQ(deep[2].compared, 0.0601);  // drawdowns are gated on their magnitude
}

TEST(Gates, MissingNullAndInfiniteValues) {
  nlohmann::json summary = Summary(1.5, 1.5, -0.01);
  summary["sortino"] = "Infinity";
  EXPECT_TRUE(AllPassed(EvaluateGates(DefaultGates(), summary)));
  summary["sortino"] = nullptr;
  const std::vector<GateResult> nan = EvaluateGates(DefaultGates(), summary);
  EXPECT_FALSE(nan[0].passed);
  EXPECT_EQ(nan[0].note, "NaN");
  summary.erase("profit_factor");
  const std::vector<GateResult> missing = EvaluateGates(DefaultGates(), summary);
  EXPECT_FALSE(missing[1].passed);
  EXPECT_EQ(missing[1].note, "missing from summary");
}

TEST(Gates, ConfigOverridesRemovesAndAdds) {
  const std::vector<Gate> gates =
      ParseGatesConfig("gates:\n  profit_factor_min: 1.3\n  max_drawdown_max: null\n  sharpe_min: 0.8\n", "g.yaml");
  ASSERT_EQ(gates.size(), 3u);
  EXPECT_EQ(gates[0].key, "sortino_min");
  EXPECT_EQ(gates[1].key, "profit_factor_min");
  EXPECT_DOUBLE_EQ(gates[1].threshold, 1.3);
  EXPECT_EQ(gates[2].metric, "sharpe");
  EXPECT_EQ(gates[2].comparison, Comparison::kAtLeast);
  // JSON, and the metrics.gates map of a workflow file.
  EXPECT_DOUBLE_EQ(ParseGatesConfig(R"({"gates": {"sortino_min": 2}})", "g.json")[0].threshold, 2.0);
  const std::vector<Gate> workflow =
      ParseGatesConfig("name: x\nmetrics:\n  periods_per_year: 252\n  gates: {calmar_min: 0.5}\n", "w.yaml");
  EXPECT_EQ(workflow.back().key, "calmar_min");
  EXPECT_EQ(ParseGatesConfig("name: x\n", "w.yaml").size(), 3u);
}

TEST(Gates, UnknownKeysAndBadValuesNameTheKey) {
  for (const char* text : {"gates: {sortino_minimum: 1}", "gates: {sortin_min: 1}", "gates: {sortino: 1}",
                           "gates: {max_drawdown_max: lots}", "gates: [1, 2]", "gates: {sortino_min: [1]}"}) {
    try {
      ParseGatesConfig(text, "g.yaml");
      FAIL() << "accepted: " << text;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
      EXPECT_NE(std::string(error.what()).find("g.yaml"), std::string::npos) << error.what();
    }
  }
  try {
    ParseGatesConfig("gates: {sortino_minimum: 1}", "g.yaml");
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("unknown gate key 'sortino_minimum'"), std::string::npos);
  }
}

TEST(Gates, FormatNamesEveryGate) {
  const std::string text = FormatGateResults(EvaluateGates(DefaultGates(), Summary(1.5, 1.0, -0.02)));
  EXPECT_NE(text.find("sortino_min"), std::string::npos);
  EXPECT_NE(text.find("PASS"), std::string::npos);
  EXPECT_NE(text.find("FAIL"), std::string::npos);
  EXPECT_NE(text.find("|-0.02|"), std::string::npos);
}

// The CLI end to end: `alphaloom metrics` writes a summary, `alphaloom gates` checks it.
class GatesCli : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  void WriteSummary(double sortino, double profit_factor, double max_drawdown) {
    test::WriteText(dir_ / "summary.json", Summary(sortino, profit_factor, max_drawdown).dump());
  }
};

TEST_F(GatesCli, PassExitsZero) {
  WriteSummary(1.5, 1.3, -0.04);
  const test::CommandResult result = test::RunAlphaloom("gates --summary '" + Path("summary.json") + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("3 of 3 gates passed"), std::string::npos) << result.output;
}

TEST_F(GatesCli, FailureExitsTenAndShowsValueAndThreshold) {
  WriteSummary(0.9, 1.3, -0.04);
  test::WriteText(dir_ / "gates.yaml", "gates:\n  sortino_min: 1.0\n");
  const test::CommandResult result =
      test::RunAlphaloom("gates --summary '" + Path("summary.json") + "' --config '" + Path("gates.yaml") + "'");
  EXPECT_EQ(result.exit_code, 10) << result.output;
  EXPECT_NE(result.output.find("0.9"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("FAIL"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("2 of 3 gates passed"), std::string::npos) << result.output;
}

TEST_F(GatesCli, BadKeyIsAConfigError) {
  WriteSummary(1.5, 1.3, -0.04);
  test::WriteText(dir_ / "gates.yaml", "gates:\n  sortino_mn: 1.0\n");
  const test::CommandResult result =
      test::RunAlphaloom("gates --summary '" + Path("summary.json") + "' --config '" + Path("gates.yaml") + "'");
  EXPECT_EQ(result.exit_code, ExitCode(ErrorKind::kConfig)) << result.output;
  EXPECT_NE(result.output.find("unknown gate key 'sortino_mn'"), std::string::npos) << result.output;
}

TEST_F(GatesCli, MetricsThenGates) {
  test::WriteText(dir_ / "returns.csv",
                  "datetime,return,bench,cost\n2024-01-02,0.01,0.002,0.001\n2024-01-03,-0.002,0.001,0\n"
                  "2024-01-04,0.004,-0.003,0\n2024-01-05,0.003,0.0,0.0005\n");
  const test::CommandResult metrics =
      test::RunAlphaloom("-q metrics --returns '" + Path("returns.csv") + "' --out '" + Path("s.json") + "'");
  ASSERT_EQ(metrics.exit_code, 0) << metrics.output;
  const test::CommandResult gates = test::RunAlphaloom("gates --summary '" + Path("s.json") + "'");
  EXPECT_EQ(gates.exit_code, 0) << gates.output;  // one small loss: every default gate passes
  const test::CommandResult missing = test::RunAlphaloom("gates --summary '" + Path("nope.json") + "'");
  EXPECT_EQ(missing.exit_code, ExitCode(ErrorKind::kIo)) << missing.output;
  test::WriteText(dir_ / "bad.csv", "datetime,return\n2024-01-02,abc\n");
  const test::CommandResult bad =
      test::RunAlphaloom("metrics --returns '" + Path("bad.csv") + "' --out '" + Path("t.json") + "'");
  EXPECT_EQ(bad.exit_code, ExitCode(ErrorKind::kData)) << bad.output;
  EXPECT_NE(bad.output.find("bad.csv:2: column 'return': 'abc' is not a number"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace alphaloom::metrics
