#include "alphaloom/factors/factor_set.h"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "alphaloom/common/error.h"
#include "alphaloom/common/text.h"

namespace alphaloom::factors {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool IsName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

void FactorSet::Append(const FactorSet& other) {
  names.insert(names.end(), other.names.begin(), other.names.end());
  expressions.insert(expressions.end(), other.expressions.begin(), other.expressions.end());
}

FactorSet ParseFactorFile(std::string_view text, std::string_view source) {
  FactorSet set;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      throw Error(ErrorKind::kConfig, fmt::format("{}:{}: expected NAME = expression", source, line_number));
    }
    const std::string_view name = Trim(line.substr(0, equals));
    const std::string_view expression = Trim(line.substr(equals + 1));
    if (!IsName(name)) {
      throw Error(ErrorKind::kConfig, fmt::format("{}:{}: '{}' is not a factor name (letters, digits, _)", source,
                                                  line_number, name));
    }
    if (expression.empty()) throw Error(ErrorKind::kConfig, fmt::format("{}:{}: empty expression", source, line_number));
    set.names.emplace_back(name);
    set.expressions.emplace_back(expression);
  }
  return set;
}

FactorSet BuiltinFactorSet(std::string_view name) {
  std::vector<std::string_view> known;
  for (const auto& [set_name, text] : BuiltinFactorFiles()) {
    if (set_name == name) return ParseFactorFile(text, fmt::format("factors/{}.txt", set_name));
    known.push_back(set_name);
  }
  throw Error(ErrorKind::kConfig, fmt::format("unknown factor set '{}' (built in: {})", name, fmt::join(known, ", ")));
}

FactorSet LoadFactorSet(std::string_view name_or_path) {
  const std::filesystem::path path(name_or_path);
  if (std::filesystem::is_regular_file(path)) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open factor file", path.string()));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ParseFactorFile(text, path.string());
  }
  return BuiltinFactorSet(name_or_path);
}

FactorSet FactorSetFromFlags(std::string_view sets, const std::vector<std::string>& expressions) {
  FactorSet set;
  for (const std::string& name : SplitCommas(sets)) set.Append(LoadFactorSet(name));
  for (const std::string& pair : expressions) {
    const size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Error(ErrorKind::kUsage, fmt::format("--expr '{}': expected NAME=EXPRESSION", pair));
    }
    set.names.push_back(pair.substr(0, equals));
    set.expressions.push_back(pair.substr(equals + 1));
  }
  return set;
}

}  // namespace alphaloom::factors
