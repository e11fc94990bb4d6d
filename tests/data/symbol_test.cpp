#include "alphaloom/data/symbol.h"

#include <gtest/gtest.h>

#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

TEST(Symbol, FromFileNames) {
  EXPECT_EQ(SymbolFromFileName("x/DA-AAPL-T-2021-04-21.csv"), "AAPL");
  EXPECT_EQ(SymbolFromFileName("DA-BRK.B-T-2021-04-21.csv"), "BRK.B");
  EXPECT_EQ(SymbolFromFileName("DA-BF.B-T-2021-04-21.csv"), "BF.B");
  EXPECT_EQ(SymbolFromFileName("nvda-1999-2014.txt"), "NVDA");
  EXPECT_EQ(SymbolFromFileName("SPY_D.csv"), "SPY");
  EXPECT_EQ(SymbolFromFileName("msft.csv.gz"), "MSFT");
  EXPECT_EQ(SymbolFromFileName("S0001.parquet"), "S0001");
  EXPECT_EQ(SymbolFromFileName("2006-day-001.txt"), "2006-DAY-001");
  EXPECT_THROW(SymbolFromFileName("bad name!.csv"), Error);
}

TEST(Symbol, Validity) {
  EXPECT_TRUE(IsValidSymbol("BRK.B"));
  EXPECT_TRUE(IsValidSymbol("^GSPC"));
  EXPECT_FALSE(IsValidSymbol(""));
  EXPECT_FALSE(IsValidSymbol("A B"));
  EXPECT_FALSE(IsValidSymbol(std::string(33, 'A')));
}

}  // namespace
}  // namespace alphaloom::data
