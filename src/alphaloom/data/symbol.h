#pragma once
// Instrument symbols from file names.
#include <filesystem>
#include <string>
#include <string_view>

namespace alphaloom::data {

/// The symbol a per-instrument file stands for, from its name:
///   1. drop the extension (.csv, .csv.gz, .txt, .parquet, .pq, .gz);
///   2. "<SOURCE>-<SYMBOL>-<TAG>-YYYY-MM-DD" (AlphaVantage dumps, e.g. DA-AAPL-T-2021-04-21,
///      DA-BRK.B-T-2021-04-21) gives SYMBOL;
///   3. otherwise a trailing "-YYYY-YYYY" year range (nvda-1999-2014) and a trailing
///      frequency tag "_D", "_1D", "_DAILY" or ".day" (SPY_D) are dropped;
///   4. the result is upper-cased.
/// Throws Error(kData) naming the file when no valid symbol remains (see IsValidSymbol).
std::string SymbolFromFileName(const std::filesystem::path& path);

/// A symbol is 1..32 characters of letters, digits and ". - _ ^ = &".
bool IsValidSymbol(std::string_view symbol);

}  // namespace alphaloom::data
