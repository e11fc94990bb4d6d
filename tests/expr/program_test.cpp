#include "alphaloom/expr/program.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"
#include "alphaloom/factors/factor_set.h"

namespace alphaloom::expr {
namespace {

std::string CompileError(const std::string& expression) {
  const std::vector<std::string> names = {"F"}, expressions = {expression};
  try {
    Program::Compile(names, expressions);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    return error.what();
  }
  ADD_FAILURE() << "no error for " << expression;
  return "";
}

TEST(Program, SharesCommonSubexpressions) {
  const std::vector<std::string> names = {"A", "B"};
  const std::vector<std::string> expressions = {"Mean($close, 5)/$close", "Std($close, 5)/Mean($close, 5)"};
  const Program program = Program::Compile(names, expressions);
  // Nodes: $close, Mean, Div, Std, Div (windows are parameters, not nodes); the trees have 9.
  EXPECT_EQ(program.nodes().size(), 5u);
  EXPECT_EQ(program.unshared_node_count(), 9u);
  EXPECT_EQ(program.Fields(), std::vector<std::string>{"close"});
  EXPECT_NE(program.Explain().find("Mean($close,5)"), std::string::npos);
}

TEST(Program, Alpha158CompilesIntoOneSharedDag) {
  const factors::FactorSet set = factors::BuiltinFactorSet("alpha158");
  ASSERT_EQ(set.names.size(), 158u);
  const Program program = Program::Compile(set.names, set.expressions);
  EXPECT_EQ(program.outputs().size(), 158u);
  EXPECT_LT(program.nodes().size(), program.unshared_node_count() / 2);
  EXPECT_EQ(program.Fields(), (std::vector<std::string>{"close", "high", "low", "open", "volume", "vwap"}));
}

TEST(Program, SemanticErrorsNameTheFactorAndPointAtTheArgument) {
  EXPECT_NE(CompileError("Foo($close)").find("unknown operator 'Foo'"), std::string::npos);
  EXPECT_NE(CompileError("Mean($close, )").find("factor F: expression error at column 14"), std::string::npos);
  EXPECT_NE(CompileError("Mean($close)").find("takes 2 arguments, got 1"), std::string::npos);
  const std::string window = CompileError("Mean($close, 2.5)");
  EXPECT_NE(window.find("factor F:"), std::string::npos);
  EXPECT_NE(window.find("non-negative integer, got 2.5"), std::string::npos);
  EXPECT_NE(window.find("column 14"), std::string::npos);
  EXPECT_NE(CompileError("Mean($close, $open)").find("must be a number"), std::string::npos);
  EXPECT_NE(CompileError("Ref($close, -1)").find("reads the future"), std::string::npos);
  EXPECT_NE(CompileError("Mean(5, 3)").find("must be a series"), std::string::npos);
  EXPECT_NE(CompileError("1 + 2").find("at least one argument must be a series"), std::string::npos);
  EXPECT_NE(CompileError("EMA($close, 2.5)").find("smoothing factor"), std::string::npos);
  EXPECT_NE(CompileError("Quantile($close, 5, inf)").find("'inf' is not a field"), std::string::npos);
  EXPECT_NE(CompileError("Quantile($close, 5, 1e999)").find("'1e999' is not a number"), std::string::npos);
}

TEST(Program, FutureReadingRefIsAllowedForLabels) {
  const std::vector<std::string> names = {"LABEL0"}, expressions = {"Ref($close, -2)/Ref($close, -1) - 1"};
  CompileOptions options;
  options.allow_future = true;
  EXPECT_NO_THROW(Program::Compile(names, expressions, DefaultRegistry(), options));
}

TEST(Program, DuplicateNamesAndConstantFactorsAreRejected) {
  const std::vector<std::string> names = {"A", "A"}, expressions = {"$close", "$open"};
  EXPECT_THROW(Program::Compile(names, expressions), Error);
  const std::vector<std::string> one = {"C"}, constant = {"5"};
  EXPECT_THROW(Program::Compile(one, constant), Error);
}

}  // namespace
}  // namespace alphaloom::expr

namespace alphaloom::factors {
namespace {

TEST(FactorSet, ParsesFilesAndNamesBadLines) {
  const FactorSet set = ParseFactorFile("# comment\n\nMOM = Ref($close, 20)/$close - 1\n  VOL=Std($close,20)  \n", "f.txt");
  EXPECT_EQ(set.names, (std::vector<std::string>{"MOM", "VOL"}));
  EXPECT_EQ(set.expressions[1], "Std($close,20)");
  try {
    ParseFactorFile("A = $close\nno equals sign\n", "f.txt");
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("f.txt:2"), std::string::npos);
  }
  EXPECT_THROW(ParseFactorFile("1BAD = $close\n", "f.txt"), Error);
  EXPECT_THROW(ParseFactorFile("A =\n", "f.txt"), Error);
  EXPECT_THROW(BuiltinFactorSet("nope"), Error);
  EXPECT_EQ(BuiltinFactorSet("cross").names.size(), 3u);
  EXPECT_EQ(BuiltinFactorSet("alpha360").names.size(), 360u);
}

}  // namespace
}  // namespace alphaloom::factors
