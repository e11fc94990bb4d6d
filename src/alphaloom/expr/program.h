#pragma once
// A factor set compiled into one DAG: every expression parsed, checked against the registry,
// and each distinct sub-expression (by canonical text) kept once.
#include <span>
#include <string>
#include <vector>

#include "alphaloom/expr/registry.h"

namespace alphaloom::expr {

struct CompileOptions {
  /// Ref(x, N) with N < 0 reads the future. Features must not; labels set this.
  bool allow_future = false;
};

/// One node of the DAG. Inputs always come earlier in Program::nodes(), so index order is a
/// valid evaluation order.
struct DagNode {
  enum class Kind { kField, kConstant, kOperator };
  Kind kind = Kind::kConstant;
  std::string canonical;               ///< canonical text; the sharing key
  std::string field;                   ///< kField: field name without '$'
  double constant = 0;                 ///< kConstant
  const OperatorSpec* op = nullptr;    ///< kOperator
  std::vector<size_t> inputs;          ///< series inputs (node indices)
  std::vector<double> params;          ///< constant parameters
  /// Cross-sectional barriers on the deepest path from the inputs to this node (a
  /// cross-sectional node counts itself). Stage k's time-series work runs after stage k's
  /// cross-sectional nodes.
  size_t stage = 0;
  /// Values are float32 in Qlib's type flow (fields; element-wise results of float32 inputs);
  /// the executor rounds such results to float32. Constants take their partner's type.
  bool float32 = false;
};

class Program {
 public:
  /// Compiles `expressions` (column `names[i]` = `expressions[i]`). Throws Error(kConfig)
  /// naming the factor, with the expression and a caret, for unknown operators or fields,
  /// wrong arity, non-constant or invalid parameters (a non-integer window, say), and
  /// future-reading Ref unless allowed.
  static Program Compile(std::span<const std::string> names, std::span<const std::string> expressions,
                         const Registry& registry = DefaultRegistry(), CompileOptions options = {});

  const std::vector<DagNode>& nodes() const { return nodes_; }
  const std::vector<std::string>& names() const { return names_; }
  /// Node index of each output column.
  const std::vector<size_t>& outputs() const { return outputs_; }
  /// Distinct fields read, sorted.
  std::vector<std::string> Fields() const;
  /// Nodes the expressions would have without sharing (their trees' total size).
  size_t unshared_node_count() const { return unshared_node_count_; }
  /// Human-readable DAG summary: sizes, stages and the most shared sub-expressions.
  std::string Explain() const;

 private:
  std::vector<DagNode> nodes_;
  std::vector<std::string> names_;
  std::vector<size_t> outputs_;
  std::vector<size_t> uses_;  ///< parents (and outputs) per node
  size_t unshared_node_count_ = 0;
};

}  // namespace alphaloom::expr
