#include "alphaloom/pipeline/config_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/common/text.h"

namespace alphaloom::pipeline {
namespace {

std::string FlagName(std::string_view key) {
  std::string flag = "--" + std::string(key);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

// A mapping key as text; YAML allows lists and maps as keys, which no section uses.
std::string KeyText(const YAML::Node& key) { return key.IsScalar() ? key.Scalar() : std::string("<not a plain name>"); }

std::string Joined(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string_view TypeWord(KeyType type) {
  switch (type) {
    case KeyType::kSection: return "section";
    case KeyType::kString: return "string";
    case KeyType::kInt: return "integer";
    case KeyType::kNumber: return "number";
    case KeyType::kBool: return "bool";
    case KeyType::kDate: return "date";
    case KeyType::kNumbers: return "number list";
    case KeyType::kNames: return "name list";
    case KeyType::kMapping: return "mapping";
    case KeyType::kSteps: return "step list";
  }
  return "?";
}

// The value of the section's kind key as the file gives it, else its declared default.
std::string KindOf(std::string_view pattern, const YAML::Node& node) {
  const WorkflowKey* kind = KindKey(pattern);
  if (kind == nullptr) return {};
  if (node && node.IsMap()) {
    const YAML::Node value = node["kind"];
    if (value && value.IsScalar()) return value.Scalar();
  }
  return std::string(kind->fallback);
}

}  // namespace

ConfigSection::ConfigSection(YAML::Node node, std::string path, std::string source)
    : ConfigSection(std::move(node), path, path, std::move(source)) {}

ConfigSection::ConfigSection(YAML::Node node, std::string path, std::string pattern, std::string source)
    : node_(std::move(node)), path_(std::move(path)), pattern_(std::move(pattern)), source_(std::move(source)) {
  if (node_ && !node_.IsNull() && !node_.IsMap()) {
    const std::string line = node_.Mark().is_null() ? "" : fmt::format(":{}", node_.Mark().line + 1);
    throw Error(ErrorKind::kConfig, fmt::format("{}{}: {}: expected a mapping of keys", source_, line, path_));
  }
  kind_ = KindOf(pattern_, node_);
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
  return fmt::format("{}{}: {}", source_, line, Joined(path_, key));
}

void ConfigSection::Fail(std::string_view key, const std::string& what) const {
  throw Error(ErrorKind::kConfig, fmt::format("{}: {}", Where(key), what));
}

const WorkflowKey& ConfigSection::Declared(std::string_view key, KeyType type) {
  const WorkflowKey* row = FindWorkflowKey(pattern_, key, kind_);
  if (row == nullptr) {
    throw Error(ErrorKind::kInternal,
                fmt::format("internal error: {} is read but not declared in the workflow key table{}",
                            Joined(pattern_, key), kind_.empty() ? "" : fmt::format(" (kind {})", kind_)));
  }
  if (row->type != type) {
    throw Error(ErrorKind::kInternal, fmt::format("internal error: {} is declared as a {} but read as a {}", row->path,
                                                  TypeWord(row->type), TypeWord(type)));
  }
  known_.emplace_back(key);
  return *row;
}

bool ConfigSection::Has(std::string_view key) const {
  if (FindWorkflowKey(pattern_, key, kind_) == nullptr) {
    throw Error(ErrorKind::kInternal, fmt::format("internal error: {} is asked for but not declared in the workflow "
                                                  "key table", Joined(pattern_, key)));
  }
  return node_ && node_.IsMap() && node_[std::string(key)] && !node_[std::string(key)].IsNull();
}

std::vector<std::string> ConfigSection::Keys() const {
  std::vector<std::string> keys;
  if (node_ && node_.IsMap()) {
    for (const auto& item : node_) keys.push_back(KeyText(item.first));
  }
  return keys;
}

void ConfigSection::Allow(std::string_view key) {
  if (FindWorkflowKey(pattern_, key, kind_) == nullptr) {
    throw Error(ErrorKind::kInternal,
                fmt::format("internal error: {} is allowed but not declared in the workflow key table",
                            Joined(pattern_, key)));
  }
  known_.emplace_back(key);
}

YAML::Node ConfigSection::ValueOrDefault(std::string_view key, const WorkflowKey& row) const {
  if (Has(key)) return node_[std::string(key)];
  if (row.fallback.empty()) return YAML::Node();
  if (row.type == KeyType::kNumbers || row.type == KeyType::kNames) return YAML::Load(std::string(row.fallback));
  return YAML::Node(std::string(row.fallback));
}

std::string ConfigSection::String(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kString);
  const YAML::Node value = ValueOrDefault(key, row);
  if (value.IsNull()) {
    if (row.required) Fail(key, fmt::format("missing ({})", row.doc));
    return {};
  }
  if (!value.IsScalar()) Fail(key, "expected a single value");
  const std::string text = value.Scalar();
  if (row.required && text.empty()) Fail(key, fmt::format("missing ({})", row.doc));
  if (!row.choices.empty()) {
    const std::vector<std::string_view> choices = Choices(row);
    if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
      Fail(key, fmt::format("'{}' is not one of {}", text, fmt::join(choices, ", ")));
    }
  }
  return text;
}

std::optional<int> ConfigSection::OptionalInt(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kInt);
  const YAML::Node value = ValueOrDefault(key, row);
  if (value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) Fail(key, "expected a single value");
  const std::string& text = value.Scalar();
  int number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) {
    Fail(key, fmt::format("expected an integer, got '{}'", text));
  }
  if (const std::string problem = RangeProblem(row, number); !problem.empty()) Fail(key, problem);
  return number;
}

int ConfigSection::Int(std::string_view key) {
  const std::optional<int> value = OptionalInt(key);
  if (!value) {
    throw Error(ErrorKind::kInternal, fmt::format("internal error: {} has no default; read it with OptionalInt",
                                                  Joined(pattern_, key)));
  }
  return *value;
}

std::optional<double> ConfigSection::OptionalDouble(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kNumber);
  const YAML::Node value = ValueOrDefault(key, row);
  if (value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) Fail(key, "expected a single value");
  const std::string& text = value.Scalar();
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
    Fail(key, fmt::format("expected a finite number, got '{}'", text));
  }
  if (const std::string problem = RangeProblem(row, number); !problem.empty()) Fail(key, problem);
  return number;
}

double ConfigSection::Double(std::string_view key) {
  const std::optional<double> value = OptionalDouble(key);
  if (!value) {
    throw Error(ErrorKind::kInternal, fmt::format("internal error: {} has no default; read it with OptionalDouble",
                                                  Joined(pattern_, key)));
  }
  return *value;
}

bool ConfigSection::Bool(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kBool);
  const YAML::Node value = ValueOrDefault(key, row);
  if (!value.IsScalar()) Fail(key, "expected a single value");
  const std::string& text = value.Scalar();
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  Fail(key, fmt::format("expected true or false, got '{}'", text));
}

std::optional<Date> ConfigSection::OptionalDate(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kDate);
  const YAML::Node value = ValueOrDefault(key, row);
  if (value.IsNull()) {
    if (row.required) Fail(key, "missing (a date, YYYY-MM-DD)");
    return std::nullopt;
  }
  if (!value.IsScalar()) Fail(key, "expected a single value");
  const std::optional<Date> date = ParseDate(value.Scalar());
  if (!date) Fail(key, fmt::format("expected a date (YYYY-MM-DD), got '{}'", value.Scalar()));
  return date;
}

Date ConfigSection::RequiredDate(std::string_view key) {
  const std::optional<Date> date = OptionalDate(key);
  if (!date) Fail(key, "missing (a date, YYYY-MM-DD)");
  return *date;
}

std::vector<double> ConfigSection::Doubles(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kNumbers);
  const YAML::Node value = ValueOrDefault(key, row);
  std::vector<std::string> items;
  if (value.IsSequence()) {
    for (const auto& item : value) {
      if (!item.IsScalar()) Fail(key, "expected a list of numbers");
      items.push_back(item.Scalar());
    }
  } else if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    for (size_t begin = 0; begin <= text.size();) {
      const size_t comma = std::min(text.find(',', begin), text.size());
      items.push_back(text.substr(begin, comma - begin));
      begin = comma + 1;
    }
  } else if (!value.IsNull()) {
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
    if (row.bars && number != std::floor(number)) {
      Fail(key, fmt::format("expected a whole number of bars, got {}", number));
    }
    if (const std::string problem = RangeProblem(row, number); !problem.empty()) Fail(key, problem);
    if (row.distinct && std::find(numbers.begin(), numbers.end(), number) != numbers.end()) {
      Fail(key, fmt::format("{} is listed twice", number));
    }
    numbers.push_back(number);
  }
  if (row.non_empty && numbers.empty()) Fail(key, "give at least one");
  return numbers;
}

std::vector<std::string> ConfigSection::Names(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kNames);
  const YAML::Node value = ValueOrDefault(key, row);
  std::vector<std::string> names;
  if (value.IsSequence()) {
    for (const auto& item : value) {
      if (!item.IsScalar()) Fail(key, "expected a list of names");
      names.push_back(item.Scalar());
    }
  } else if (value.IsScalar()) {
    names = SplitCommas(value.Scalar());
  } else if (!value.IsNull()) {
    Fail(key, "expected a list of names");
  }
  if (row.non_empty && names.empty()) Fail(key, "give at least one");
  return names;
}

YAML::Node ConfigSection::Raw(std::string_view key) {
  const WorkflowKey* row = FindWorkflowKey(pattern_, key, kind_);
  if (row == nullptr || (row->type != KeyType::kMapping && row->type != KeyType::kSteps)) {
    (void)Declared(key, KeyType::kMapping);  // throws the internal error that names the key
  }
  known_.emplace_back(key);
  return Has(key) ? node_[std::string(key)] : YAML::Node();
}

ConfigSection ConfigSection::Child(std::string_view key) {
  const WorkflowKey& row = Declared(key, KeyType::kSection);
  const YAML::Node value = Has(key) ? node_[std::string(key)] : YAML::Node();
  if (value && !value.IsNull() && !value.IsMap()) Fail(key, "expected a mapping of keys");
  return ConfigSection(value, Joined(path_, key), std::string(row.path), source_);
}

void ConfigSection::FailUnknown(std::string_view key) const {
  std::vector<std::string_view> known;
  for (const WorkflowKey* row : SectionKeys(pattern_, kind_)) {
    known.push_back(row->path.substr(row->path.rfind('.') + 1));
  }
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  Fail(key, fmt::format("unknown key (known here: {})", fmt::join(known, ", ")));
}

void ConfigSection::RejectUnknownKeys() const {
  if (!node_ || !node_.IsMap()) return;
  for (const auto& item : node_) {
    const std::string key = KeyText(item.first);
    if (FindWorkflowKey(pattern_, key, kind_) == nullptr) FailUnknown(key);
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      throw Error(ErrorKind::kInternal,
                  fmt::format("internal error: {}: declared in the workflow key table but not read", Where(key)));
    }
  }
}

void ConfigSection::ValidateAll() {
  if (KindKey(pattern_) != nullptr) String("kind");
  if (node_ && node_.IsMap()) {
    for (const auto& item : node_) {
      const std::string key = KeyText(item.first);
      const WorkflowKey* row = FindWorkflowKey(pattern_, key, kind_);
      if (row == nullptr) FailUnknown(key);
      switch (row->type) {
        case KeyType::kSection: Child(key).ValidateAll(); break;
        case KeyType::kString: String(key); break;
        case KeyType::kInt: OptionalInt(key); break;
        case KeyType::kNumber: OptionalDouble(key); break;
        case KeyType::kBool: Bool(key); break;
        case KeyType::kDate: OptionalDate(key); break;
        case KeyType::kNumbers: Doubles(key); break;
        case KeyType::kNames: Names(key); break;
        case KeyType::kMapping: {
          const YAML::Node value = Raw(key);
          if (value.IsNull()) break;
          if (!value.IsMap()) Fail(key, "expected NAME: value pairs");
          for (const auto& pair : value) {
            if (!pair.first.IsScalar() || !(pair.second.IsScalar() || pair.second.IsNull())) {
              Fail(key, "expected NAME: value pairs");
            }
          }
          break;
        }
        case KeyType::kSteps: {
          const YAML::Node value = Raw(key);
          if (value.IsNull()) break;
          if (!value.IsSequence()) Fail(key, "expected a list of steps");
          for (const auto& step : value) {
            if (step.IsScalar()) continue;
            if (!step.IsMap() || step.size() != 1 || !step.begin()->first.IsScalar()) {
              Fail(key, "a step is a name or {name: {parameters}}");
            }
            const std::string name = step.begin()->first.Scalar();
            ConfigSection(step.begin()->second, Joined(path_, key) + "." + name, std::string(row->path) + "." + name,
                          source_)
                .ValidateAll();
          }
          break;
        }
      }
    }
  }
  for (const WorkflowKey* row : SectionKeys(pattern_, kind_)) {
    const std::string_view key = row->path.substr(row->path.rfind('.') + 1);
    if (row->required && key != "*" && !Has(key)) Fail(key, fmt::format("missing ({})", row->doc));
  }
  RejectUnknownKeys();
}

void ValidateWorkflow(const YAML::Node& root, const std::string& source) {
  ConfigSection top(root, "", source);
  top.ValidateAll();
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
