#pragma once
// The workflow key table: every key a workflow file may set, declared once with its type, default,
// check and a one-line doc. ConfigSection reads values through it (defaults and checks come from
// here, never from the call site), ValidateWorkflow checks whole files against it, and
// `alphaloom config --describe` and the keys table of docs/workflow.md are generated from it.
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alphaloom::pipeline {

/// What a key's value is.
enum class KeyType {
  kSection,  ///< a mapping of declared keys (the rows whose path continues this one)
  kString,
  kInt,
  kNumber,   ///< a finite number
  kBool,     ///< true | false (also yes | no, on | off)
  kDate,     ///< YYYY-MM-DD
  kNumbers,  ///< a list of numbers, or one comma-separated string of them
  kNames,    ///< a list of names, or one comma-separated string of them
  kMapping,  ///< NAME: value pairs that the section's reader interprets (model.params, factors.extra)
  kSteps,    ///< a list of names or {name: {parameters}}; a step's parameters are the rows <path>.<name>.<key>
};

/// One key of a workflow file. Numeric bounds apply to each number of a kNumbers list too.
struct WorkflowKey {
  /// Dotted path from the top of the file ("label.horizon"); a `*` segment stands for a name the
  /// user chooses (a regime label).
  std::string_view path;
  /// Values of the section's `kind` key this key belongs to, space-separated; empty: every kind.
  std::string_view kinds = {};
  KeyType type = KeyType::kString;
  /// The default, written as in a workflow file ("0.0005", "[20, 50, 200]"): absent keys read as
  /// this value would. Empty: a string defaults to "", any other type to none.
  std::string_view fallback = {};
  /// The default as documented when the reader derives it (e.g. "the workflow's name").
  std::string_view shown_default = {};
  bool required = false;            ///< absent, null or "" is an error
  std::string_view choices = {};    ///< accepted strings, space-separated
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;            ///< the bound itself is out of range
  bool max_open = false;
  bool bars = false;                ///< numbers: whole numbers (of bars)
  bool distinct = false;            ///< numbers: none listed twice
  bool non_empty = false;           ///< numbers, names: at least one
  std::string_view doc;             ///< one line
};

/// Every key, grouped by section in file order.
std::span<const WorkflowKey> WorkflowKeys();

/// The row of `key` in the section whose table path is `section` ("" for the top level, "label",
/// "strategy.meta.weights.*"), for that section's `kind` (empty when it has none): an exact path,
/// else the section's `*` row. nullptr when the key is not declared there for that kind.
const WorkflowKey* FindWorkflowKey(std::string_view section, std::string_view key, std::string_view kind);

/// The rows directly under `section` that apply to `kind`, in table order.
std::vector<const WorkflowKey*> SectionKeys(std::string_view section, std::string_view kind);

/// The `kind` row of `section`, or nullptr when its keys do not depend on a kind.
const WorkflowKey* KindKey(std::string_view section);

/// The accepted strings of `key.choices`, in order.
std::vector<std::string_view> Choices(const WorkflowKey& key);

/// True when `kind` is one of `key.kinds` (or the key is for every kind).
bool AppliesToKind(const WorkflowKey& key, std::string_view kind);

/// Empty when `value` is within the key's bounds, else what is wrong ("must be at least 1, got
/// 0", "must be in (-1, 1], got 1.5"). NaN is out of every range.
std::string RangeProblem(const WorkflowKey& key, double value);

/// The path as documented: `*` shown as <label>.
std::string DisplayPath(const WorkflowKey& key);

enum class DescribeFormat { kText, kMarkdown, kJson };

/// The table as text (aligned columns), Markdown (one table per top-level section, what
/// docs/workflow.md embeds) or JSON (an array of key objects). `section` ("label",
/// "strategy.regime") keeps that section's rows only; Error(kUsage) naming the sections when
/// nothing matches.
std::string DescribeWorkflowKeys(DescribeFormat format, std::string_view section = {});

/// The lines that fence the generated keys table in docs/workflow.md.
inline constexpr std::string_view kDocBegin =
    "<!-- BEGIN generated: alphaloom config --describe --format markdown "
    "(edit src/alphaloom/pipeline/workflow_keys.cpp) -->";
inline constexpr std::string_view kDocEnd = "<!-- END generated -->";

/// `doc` with the text between the kDocBegin and kDocEnd lines replaced by `generated`;
/// Error(kData) when the markers are missing or out of order.
std::string ReplaceGeneratedBlock(std::string_view doc, std::string_view generated);

/// The text between the markers (what ReplaceGeneratedBlock replaces); Error(kData) as above.
std::string GeneratedBlock(std::string_view doc);

}  // namespace alphaloom::pipeline
