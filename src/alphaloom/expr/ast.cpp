#include "alphaloom/expr/ast.h"

#include <fmt/format.h>

namespace alphaloom::expr {

std::string Canonical(const Node& node) {
  switch (node.kind) {
    case NodeKind::kField: return "$" + node.name;
    case NodeKind::kConstant: return fmt::format("{}", node.value);
    case NodeKind::kCall: {
      std::string text = node.name + "(";
      for (size_t index = 0; index < node.args.size(); ++index) {
        if (index > 0) text += ",";
        text += Canonical(*node.args[index]);
      }
      return text + ")";
    }
  }
  return "";
}

}  // namespace alphaloom::expr
