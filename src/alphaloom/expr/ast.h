#pragma once
// Syntax trees of Qlib-style expressions.
#include <memory>
#include <string>
#include <vector>

namespace alphaloom::expr {

enum class NodeKind {
  kField,     ///< $name: a stored field
  kConstant,  ///< a number literal
  kCall,      ///< an operator applied to arguments (infix operators become calls: a+b -> Add(a, b))
};

/// One node of a parsed expression. `position` is the 0-based column where it starts in the
/// source text, for error messages.
struct Node {
  NodeKind kind = NodeKind::kConstant;
  std::string name;   ///< field name (lower-case, without '$') or operator name
  double value = 0;   ///< for constants
  std::vector<std::shared_ptr<const Node>> args;
  size_t position = 0;
};
using NodePtr = std::shared_ptr<const Node>;

/// A canonical text of the tree ("Div(Mean($close,5),$close)"): equal texts mean equal
/// computations, so it keys common sub-expression sharing. Constants print in shortest
/// round-trip form.
std::string Canonical(const Node& node);

}  // namespace alphaloom::expr
