#pragma once
// Which instruments of a store a command works on.
#include <string>
#include <vector>

#include "alphaloom/data/qlib_store.h"

namespace alphaloom::data {

/// `spec` is "all" (the store's default market), a market name (instruments/<name>.txt), a file
/// with one symbol per line, or a comma-separated list A,B,C. Returns the symbols sorted and
/// unique (rows are ordered by (datetime, instrument) as in Qlib). Throws Error(kNotFound)
/// naming an instrument the store does not have.
std::vector<std::string> ResolveInstruments(const QlibStore& store, const std::string& spec);

}  // namespace alphaloom::data
