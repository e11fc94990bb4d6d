#pragma once
// Factor sets: named lists of expressions, from text files of `NAME = expression` lines.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alphaloom::factors {

struct FactorSet {
  std::vector<std::string> names;
  std::vector<std::string> expressions;

  void Append(const FactorSet& other);
};

/// Parses `NAME = expression` lines; blank lines and lines starting with '#' are skipped.
/// Throws Error(kConfig) naming `source` and the line for a line without '=' or a bad name.
FactorSet ParseFactorFile(std::string_view text, std::string_view source);

/// The built-in sets embedded at build time (file name without extension -> text).
const std::vector<std::pair<std::string_view, std::string_view>>& BuiltinFactorFiles();

/// A built-in set by name ("alpha158", "alpha360", "cross"); throws Error(kConfig) listing the
/// known sets for an unknown name.
FactorSet BuiltinFactorSet(std::string_view name);

/// A built-in set, or, when `name_or_path` names an existing file, the user set in that file
/// (`NAME = expression` lines). Throws Error(kConfig) for neither.
FactorSet LoadFactorSet(std::string_view name_or_path);

/// What the CLI's `--set A,B` and `--expr NAME=EXPRESSION` flags name: the sets of the
/// comma-separated `sets` (LoadFactorSet each), then one factor per pair. Throws Error(kUsage) for
/// a pair without a name before '=', and LoadFactorSet's errors. May return an empty set.
FactorSet FactorSetFromFlags(std::string_view sets, const std::vector<std::string>& expressions);

}  // namespace alphaloom::factors
