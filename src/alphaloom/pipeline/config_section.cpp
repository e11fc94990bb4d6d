#include "alphaloom/pipeline/config_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "alphaloom/common/error.h"

namespace alphaloom::pipeline {
namespace {

std::string FlagName(std::string_view key) {
  std::string flag = "--" + std::string(key);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

// A mapping key as text; YAML allows lists and maps as keys, which no section uses.
std::string KeyText(const YAML::Node& key) { return key.IsScalar() ? key.Scalar() : std::string("<not a plain name>"); }

}  // namespace

ConfigSection::ConfigSection(YAML::Node node, std::string path, std::string source)
    : node_(std::move(node)), path_(std::move(path)), source_(std::move(source)) {
  if (node_ && !node_.IsNull() && !node_.IsMap()) {
    const std::string line = node_.Mark().is_null() ? "" : fmt::format(":{}", node_.Mark().line + 1);
    throw Error(ErrorKind::kConfig, fmt::format("{}{}: {}: expected a mapping of keys", source_, line, path_));
  }
}

std::string ConfigSection::Where(std::string_view key) const {
  if (source_ == "--") return FlagName(key);
  std::string line;
  if (node_ && node_.IsMap()) {
    for (const auto& item : node_) {
      if (KeyText(item.first) == key && !item.first.Mark().is_null()) {
        line = fmt::format(":{}", item.first.Mark().line + 1);
      }
    }
  }
  return path_.empty() ? fmt::format("{}{}: {}", source_, line, key) : fmt::format("{}{}: {}.{}", source_, line, path_, key);
}

void ConfigSection::Fail(std::string_view key, const std::string& what) const {
  throw Error(ErrorKind::kConfig, fmt::format("{}: {}", Where(key), what));
}

bool ConfigSection::Has(std::string_view key) const {
  return node_ && node_.IsMap() && node_[std::string(key)] && !node_[std::string(key)].IsNull();
}

void ConfigSection::Allow(std::string_view key) { known_.emplace_back(key); }

YAML::Node ConfigSection::Get(std::string_view key) {
  known_.emplace_back(key);
  if (!Has(key)) return YAML::Node();
  return node_[std::string(key)];
}

std::string ConfigSection::String(std::string_view key, const std::string& fallback) {
  const YAML::Node value = Get(key);
  if (!value || value.IsNull()) return fallback;
  if (!value.IsScalar()) Fail(key, "expected a single value");
  return value.Scalar();
}

std::string ConfigSection::Choice(std::string_view key, const std::string& fallback,
                                  const std::vector<std::string>& choices) {
  const std::string value = String(key, fallback);
  if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
    Fail(key, fmt::format("'{}' is not one of {}", value, fmt::join(choices, ", ")));
  }
  return value;
}

int ConfigSection::Int(std::string_view key, int fallback) {
  if (!Has(key)) {
    Get(key);
    return fallback;
  }
  const std::string text = String(key, "");
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) Fail(key, fmt::format("expected an integer, got '{}'", text));
  return value;
}

double ConfigSection::Double(std::string_view key, double fallback) {
  if (!Has(key)) {
    Get(key);
    return fallback;
  }
  const std::string text = String(key, "");
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    Fail(key, fmt::format("expected a finite number, got '{}'", text));
  }
  return value;
}

bool ConfigSection::Bool(std::string_view key, bool fallback) {
  if (!Has(key)) {
    Get(key);
    return fallback;
  }
  const std::string text = String(key, "");
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  Fail(key, fmt::format("expected true or false, got '{}'", text));
}

std::optional<Date> ConfigSection::OptionalDate(std::string_view key) {
  if (!Has(key)) {
    Get(key);
    return std::nullopt;
  }
  const std::string text = String(key, "");
  const std::optional<Date> date = ParseDate(text);
  if (!date) Fail(key, fmt::format("expected a date (YYYY-MM-DD), got '{}'", text));
  return date;
}

Date ConfigSection::RequiredDate(std::string_view key) {
  const std::optional<Date> date = OptionalDate(key);
  if (!date) Fail(key, "missing (a date, YYYY-MM-DD)");
  return *date;
}

std::vector<double> ConfigSection::Doubles(std::string_view key, const std::vector<double>& fallback) {
  const YAML::Node value = Get(key);
  if (!value || value.IsNull()) return fallback;
  std::vector<std::string> items;
  if (value.IsSequence()) {
    for (const auto& item : value) {
      if (!item.IsScalar()) Fail(key, "expected a list of numbers");
      items.push_back(item.Scalar());
    }
  } else if (value.IsScalar()) {
    std::string text = value.Scalar();
    for (size_t begin = 0; begin <= text.size();) {
      const size_t comma = std::min(text.find(',', begin), text.size());
      items.push_back(text.substr(begin, comma - begin));
      begin = comma + 1;
    }
  } else {
    Fail(key, "expected a list of numbers");
  }
  std::vector<double> numbers;
  for (std::string item : items) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    double number = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), number);
    if (error != std::errc() || end != item.data() + item.size() || !std::isfinite(number)) {
      Fail(key, fmt::format("expected a list of numbers, got '{}'", item));
    }
    numbers.push_back(number);
  }
  return numbers;
}

YAML::Node ConfigSection::Raw(std::string_view key) { return Get(key); }

ConfigSection ConfigSection::Child(std::string_view key) {
  const YAML::Node value = Get(key);
  if (value && !value.IsNull() && !value.IsMap()) Fail(key, "expected a mapping of keys");
  return ConfigSection(value, path_.empty() ? std::string(key) : path_ + "." + std::string(key), source_);
}

void ConfigSection::RejectUnknownKeys() const {
  if (!node_ || !node_.IsMap()) return;
  for (const auto& item : node_) {
    const std::string key = KeyText(item.first);
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      std::vector<std::string> known = known_;
      std::sort(known.begin(), known.end());
      known.erase(std::unique(known.begin(), known.end()), known.end());
      Fail(key, fmt::format("unknown key (known here: {})", fmt::join(known, ", ")));
    }
  }
}

YAML::Node LoadYamlText(const std::string& text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw Error(ErrorKind::kConfig, fmt::format("{}:{}: {}", source, error.mark.line + 1, error.msg));
  }
  if (!root.IsMap()) throw Error(ErrorKind::kConfig, fmt::format("{}: expected a mapping of sections at the top", source));
  return root;
}

YAML::Node LoadYamlFile(const std::string& path) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: no such file", path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path));
  return LoadYamlText(text.str(), path);
}

}  // namespace alphaloom::pipeline
