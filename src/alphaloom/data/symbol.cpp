#include "alphaloom/data/symbol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

bool EndsWithNoCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char suffix_char, char text_char) {
                      return std::tolower(static_cast<unsigned char>(text_char)) == suffix_char;
                    });
}

}  // namespace

bool IsValidSymbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 32) return false;
  return std::all_of(symbol.begin(), symbol.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '^' ||
           c == '=' || c == '&';
  });
}

std::string SymbolFromFileName(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  for (std::string_view extension : {".csv.gz", ".txt.gz", ".csv", ".txt", ".parquet", ".pq", ".gz"}) {
    if (EndsWithNoCase(name, extension)) {
      name.resize(name.size() - extension.size());
      break;
    }
  }
  static const std::regex kDatedDump(R"(^[A-Za-z]+-(.+)-[A-Za-z]+-\d{4}-\d{2}-\d{2}$)");
  static const std::regex kYearRange(R"(-\d{4}-\d{4}$)");
  std::smatch match;
  if (std::regex_match(name, match, kDatedDump)) {
    name = match[1].str();
  } else {
    name = std::regex_replace(name, kYearRange, "");
    for (std::string_view tag : {"_daily", "_1d", "_d", ".day"}) {
      if (EndsWithNoCase(name, tag) && name.size() > tag.size()) {
        name.resize(name.size() - tag.size());
        break;
      }
    }
  }
  std::transform(name.begin(), name.end(), name.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  if (!IsValidSymbol(name)) {
    throw Error(ErrorKind::kData, fmt::format("{}: cannot derive an instrument symbol from the file name ('{}')",
                                              path.string(), name));
  }
  return name;
}

}  // namespace alphaloom::data
