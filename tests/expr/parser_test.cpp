#include "alphaloom/expr/parser.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"

namespace alphaloom::expr {
namespace {

std::string Canon(std::string_view text) { return Canonical(*Parse(text)); }

std::string ErrorOf(std::string_view text) {
  try {
    Parse(text);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    return error.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

TEST(Parser, FieldsNumbersCallsAndInfixOperators) {
  EXPECT_EQ(Canon("$close"), "$close");
  EXPECT_EQ(Canon("$Close"), "$close");
  EXPECT_EQ(Canon("1e-12"), "1e-12");
  EXPECT_EQ(Canon("Mean($close, 5)/$close"), "Div(Mean($close,5),$close)");
  EXPECT_EQ(Canon("($high-$low+1e-12)"), "Add(Sub($high,$low),1e-12)");
  EXPECT_EQ(Canon("Ref($close, -2)"), "Ref($close,-2)");
  EXPECT_EQ(Canon("-$close"), "Sub(0,$close)");
  EXPECT_EQ(Canon("2*$close-$high-$low"), "Sub(Sub(Mul(2,$close),$high),$low)");
}

TEST(Parser, PythonPrecedence) {
  EXPECT_EQ(Canon("$a+$b*$c"), "Add($a,Mul($b,$c))");
  EXPECT_EQ(Canon("$a-$b-$c"), "Sub(Sub($a,$b),$c)");
  EXPECT_EQ(Canon("$a/$b/$c"), "Div(Div($a,$b),$c)");
  // Comparisons bind loosest, & tighter than |, both looser than arithmetic.
  EXPECT_EQ(Canon("$close>Ref($close, 1)"), "Gt($close,Ref($close,1))");
  EXPECT_EQ(Canon("$a|$b&$c"), "Or($a,And($b,$c))");
  EXPECT_EQ(Canon("$a>$b|$c"), "Gt($a,Or($b,$c))");
  EXPECT_EQ(Canon("($a>$b)&($c<=1)"), "And(Gt($a,$b),Le($c,1))");
  EXPECT_EQ(Canon("$a == $b"), "Eq($a,$b)");
  EXPECT_EQ(Canon("$a != -1"), "Ne($a,-1)");
}

TEST(Parser, ErrorsPointAtTheColumnWithACaret) {
  EXPECT_EQ(ErrorOf("Mean($close, )"),
            "expression error at column 14: expected an expression, found ')'\n  Mean($close, )\n               ^");
  EXPECT_NE(ErrorOf("Mean($close, 5").find("expected ',' or ')'"), std::string::npos);
  EXPECT_NE(ErrorOf("$close +").find("column 9"), std::string::npos);
  EXPECT_NE(ErrorOf("close / 2").find("is not a field (write $close)"), std::string::npos);
  EXPECT_NE(ErrorOf("$close = 1").find("use =="), std::string::npos);
  EXPECT_NE(ErrorOf("$a < $b < $c").find("chained comparison"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("empty"), std::string::npos);
  EXPECT_NE(ErrorOf("$").find("field name"), std::string::npos);
  EXPECT_NE(ErrorOf("$close $open").find("after a complete expression"), std::string::npos);
  EXPECT_NE(ErrorOf("#").find("unexpected character"), std::string::npos);
}

}  // namespace
}  // namespace alphaloom::expr
