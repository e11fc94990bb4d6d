#pragma once
// Reading one YAML mapping of a workflow file through the workflow key table
// (workflow_keys.h): every value is type-checked and range-checked as the table declares, absent
// keys take the table's default, and a key the table does not declare is an error naming it.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/pipeline/workflow_keys.h"

namespace alphaloom::pipeline {

/// A mapping at `path` (e.g. "label", "cv.train") of a document read from `source` (a file
/// name, or "--" for command-line flags, which are then spelled --key-name in messages). Every
/// error about the document is Error(kConfig) with one line: "source:line: path.key: what is
/// wrong". A reader asking for a key the table does not declare for this section (and its kind),
/// or with a getter of another type, is a bug: Error(kInternal).
class ConfigSection {
 public:
  /// `node` may be null (an absent section: every key takes its default); otherwise it must be
  /// a mapping. `path` is the section's path in the key table.
  ConfigSection(YAML::Node node, std::string path, std::string source);

  /// True when `key` is present and not null.
  bool Has(std::string_view key) const;
  /// A string; one of the declared choices when there are some.
  std::string String(std::string_view key);
  int Int(std::string_view key);
  /// An integer key without a default: nullopt when absent.
  std::optional<int> OptionalInt(std::string_view key);
  double Double(std::string_view key);
  /// A number key without a default: nullopt when absent.
  std::optional<double> OptionalDouble(std::string_view key);
  bool Bool(std::string_view key);
  /// A date key without a default: nullopt when absent.
  std::optional<Date> OptionalDate(std::string_view key);
  /// A required date key.
  Date RequiredDate(std::string_view key);
  /// A list of numbers, or a comma-separated string of them.
  std::vector<double> Doubles(std::string_view key);
  /// A list of names, or a comma-separated string of them.
  std::vector<std::string> Names(std::string_view key);
  /// The section under `key` (absent: an empty one whose keys take their defaults).
  ConfigSection Child(std::string_view key);
  /// The raw value of a mapping or steps key (null when absent), which its reader interprets.
  YAML::Node Raw(std::string_view key);
  /// The keys present, in file order (for a section of names the user chooses).
  std::vector<std::string> Keys() const;
  /// Marks `key` as read without reading it (a key read by another reader).
  void Allow(std::string_view key);

  /// Throws for the first key of the mapping the table does not declare here (kConfig, listing
  /// the keys declared for this section and kind), and for a declared key present in the file
  /// that no call above read (kInternal: the reader forgot it).
  void RejectUnknownKeys() const;

  /// Checks every key of this section and of the sections under it against the table, as the
  /// readers would read them: unknown keys, types, choices, bounds, required keys.
  void ValidateAll();

  /// "source:line: path.key" for messages about `key`.
  std::string Where(std::string_view key) const;
  const std::string& source() const { return source_; }
  /// The value of the section's `kind` key (or its default); empty when the section has none.
  const std::string& kind() const { return kind_; }

 private:
  ConfigSection(YAML::Node node, std::string path, std::string pattern, std::string source);
  /// The declared row of `key`, marked as read; kInternal unless it is declared with `type`.
  const WorkflowKey& Declared(std::string_view key, KeyType type);
  /// The value of `key`, or its default from the table (null when it has none).
  YAML::Node ValueOrDefault(std::string_view key, const WorkflowKey& row) const;
  [[noreturn]] void Fail(std::string_view key, const std::string& what) const;
  /// The unknown-key error, listing the keys declared here.
  [[noreturn]] void FailUnknown(std::string_view key) const;

  YAML::Node node_;
  std::string path_;     ///< as shown in messages ("strategy.meta.weights.bull")
  std::string pattern_;  ///< as in the table ("strategy.meta.weights.*")
  std::string source_;
  std::string kind_;
  std::vector<std::string> known_;
};

/// Checks a whole workflow file against the key table (ConfigSection::ValidateAll from the top).
/// What the readers check beyond the table (factor sets exist, cross-key rules) is not done here.
void ValidateWorkflow(const YAML::Node& root, const std::string& source);

/// Loads a YAML file; Error(kIo) when unreadable, Error(kConfig) with file and line when it does
/// not parse or is not a mapping.
YAML::Node LoadYamlFile(const std::string& path);

/// LoadYamlFile on text in memory; `source` names it in messages.
YAML::Node LoadYamlText(const std::string& text, const std::string& source);

}  // namespace alphaloom::pipeline
