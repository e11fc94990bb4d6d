#include "alphaloom/common/log.h"

#include <gtest/gtest.h>

#include <set>

#include "alphaloom/common/error.h"

namespace alphaloom {
namespace {

TEST(Log, VerbosityGatesLevels) {
  ConfigureLogging(Verbosity::kQuiet, LogFormat::kText);
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  EXPECT_FALSE(LogEnabled(LogLevel::kWarn));
  ConfigureLogging(Verbosity::kNormal, LogFormat::kText);
  EXPECT_TRUE(LogEnabled(LogLevel::kInfo));
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug));
  ConfigureLogging(Verbosity::kVerbose, LogFormat::kJsonLines);
  EXPECT_TRUE(LogEnabled(LogLevel::kDebug));
  ConfigureLogging(Verbosity::kNormal, LogFormat::kText);
}

TEST(Log, JsonEscapeHandlesQuotesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("a \"b\"\\\n\t\x01"), "a \\\"b\\\"\\\\\\n\\t\\u0001");
}

TEST(Error, KindsMapToDistinctExitCodes) {
  const ErrorKind kinds[] = {ErrorKind::kUsage,    ErrorKind::kConfig,   ErrorKind::kData,    ErrorKind::kIo,
                             ErrorKind::kNotFound, ErrorKind::kExternal, ErrorKind::kInternal};
  std::set<int> codes;
  for (ErrorKind kind : kinds) {
    EXPECT_GT(ExitCode(kind), 1);
    codes.insert(ExitCode(kind));
    EXPECT_FALSE(KindName(kind).empty());
  }
  EXPECT_EQ(codes.size(), std::size(kinds));
  EXPECT_THROW(Check(false, "invariant"), Error);
}

}  // namespace
}  // namespace alphaloom
