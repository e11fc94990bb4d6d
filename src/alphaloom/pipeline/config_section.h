#pragma once
// Reading one YAML mapping of a workflow file against the keys its reader asks for: every value
// is type-checked where it is read, and a key nobody read is an error that names it.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::pipeline {

/// A mapping at `path` (e.g. "label", "cv.segments") of a document read from `source` (a file
/// name, or "--" for command-line flags, which are then spelled --key-name in messages). Every
/// error is Error(kConfig) with one line: "source:line: path.key: what is wrong".
class ConfigSection {
 public:
  /// `node` may be null (an absent section: every key takes its default); otherwise it must be
  /// a mapping.
  ConfigSection(YAML::Node node, std::string path, std::string source);

  bool Has(std::string_view key) const;
  std::string String(std::string_view key, const std::string& fallback);
  /// One of `choices`; the error lists them.
  std::string Choice(std::string_view key, const std::string& fallback, const std::vector<std::string>& choices);
  int Int(std::string_view key, int fallback);
  double Double(std::string_view key, double fallback);
  bool Bool(std::string_view key, bool fallback);
  std::optional<Date> OptionalDate(std::string_view key);
  Date RequiredDate(std::string_view key);
  /// A list of numbers, or a comma-separated string of them.
  std::vector<double> Doubles(std::string_view key, const std::vector<double>& fallback);
  ConfigSection Child(std::string_view key);
  /// The raw value of `key` (null when absent), for shapes the typed readers do not cover.
  YAML::Node Raw(std::string_view key);
  /// Marks `key` as known without reading it (a key read by someone else).
  void Allow(std::string_view key);

  /// Throws for the first key of the mapping that no call above asked for.
  void RejectUnknownKeys() const;

  /// "source:line: path.key" for messages about `key`.
  std::string Where(std::string_view key) const;
  const std::string& source() const { return source_; }

 private:
  YAML::Node Get(std::string_view key);
  [[noreturn]] void Fail(std::string_view key, const std::string& what) const;

  YAML::Node node_;
  std::string path_;
  std::string source_;
  std::vector<std::string> known_;
};

/// Loads a YAML file; Error(kIo) when unreadable, Error(kConfig) with file and line when it does
/// not parse or is not a mapping.
YAML::Node LoadYamlFile(const std::string& path);

/// LoadYamlFile on text in memory; `source` names it in messages.
YAML::Node LoadYamlText(const std::string& text, const std::string& source);

}  // namespace alphaloom::pipeline
