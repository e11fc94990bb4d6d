#include "alphaloom/data/instrument_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "alphaloom/common/error.h"
#include "alphaloom/common/text.h"

namespace alphaloom::data {
std::vector<std::string> ResolveInstruments(const QlibStore& store, const std::string& spec) {
  std::vector<std::string> names;
  // error_code overloads: a long A,B,C list is not a valid file name and must not throw here.
  std::error_code ignored;
  const std::filesystem::path market_file = store.dir() / "instruments" / (spec + ".txt");
  if (spec == "all" || std::filesystem::exists(market_file, ignored)) {
    for (const auto& span : store.Instruments(spec == "all" ? store.metadata().market : spec)) {
      names.push_back(span.instrument);
    }
  } else if (std::filesystem::is_regular_file(spec, ignored)) {
    std::ifstream in(spec);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) names.push_back(line);
    }
  } else {
    names = SplitCommas(spec);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const auto& name : names) {
    if (!store.HasInstrument(name)) {
      throw Error(ErrorKind::kNotFound, fmt::format("--instruments: unknown instrument '{}' in {}", name, store.dir().string()));
    }
  }
  return names;
}

}  // namespace alphaloom::data
