#include "alphaloom/expr/program.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "alphaloom/common/error.h"
#include "alphaloom/expr/parser.h"

namespace alphaloom::expr {
namespace {

class Compiler {
 public:
  Compiler(const Registry& registry, CompileOptions options, std::vector<DagNode>& nodes)
      : registry_(registry), options_(options), nodes_(nodes) {}

  size_t Compile(std::string_view name, std::string_view text, size_t& tree_size) {
    name_ = name;
    text_ = text;
    NodePtr root;
    try {
      root = Parse(text);
    } catch (const Error& error) {
      throw Error(error.kind(), fmt::format("factor {}: {}", name, error.what()));
    }
    return Intern(*root, tree_size);
  }

 private:
  [[noreturn]] void Fail(const Node& node, std::string_view message) const {
    throw Error(ErrorKind::kConfig, fmt::format("factor {}: {}", name_, ExpressionError(text_, node.position, message)));
  }

  size_t Add(DagNode node) {
    const auto found = index_.find(node.canonical);
    if (found != index_.end()) return found->second;
    nodes_.push_back(std::move(node));
    index_.emplace(nodes_.back().canonical, nodes_.size() - 1);
    return nodes_.size() - 1;
  }

  double CheckParam(const Node& arg, ParamKind kind, const OperatorSpec& spec) const {
    if (arg.kind != NodeKind::kConstant) Fail(arg, fmt::format("{}: this argument must be a number", spec.signature));
    const double value = arg.value;
    const bool integer = std::isfinite(value) && value == std::floor(value);
    switch (kind) {
      case ParamKind::kWindow:
        if (!integer || value < 0) {
          Fail(arg, fmt::format("{}: the window must be a non-negative integer, got {}", spec.signature, value));
        }
        break;
      case ParamKind::kShift:
        if (!integer) Fail(arg, fmt::format("{}: the shift must be an integer, got {}", spec.signature, value));
        if (value < 0 && !options_.allow_future) {
          Fail(arg, fmt::format("{} with a negative shift reads the future; allowed in labels only", spec.name));
        }
        break;
      case ParamKind::kNumber:
        if (!std::isfinite(value)) Fail(arg, fmt::format("{}: expected a finite number", spec.signature));
        break;
      case ParamKind::kSpan:
        if (!(value > 0) || (value >= 1 && !integer)) {
          Fail(arg, fmt::format("{}: N must be an integer span >= 1 or a smoothing factor in (0, 1), got {}",
                                spec.signature, value));
        }
        break;
      case ParamKind::kPeriod:
        if (!integer || value < 1 || value > kMaxPeriod) {
          Fail(arg, fmt::format("{}: the period must be an integer from 1 to {}, got {}", spec.signature, kMaxPeriod,
                                value));
        }
        break;
    }
    return value;
  }

  size_t Intern(const Node& node, size_t& tree_size) {
    ++tree_size;
    DagNode dag;
    switch (node.kind) {
      case NodeKind::kField:
        dag.kind = DagNode::Kind::kField;
        dag.field = node.name;
        dag.float32 = true;
        dag.canonical = "$" + node.name;
        return Add(std::move(dag));
      case NodeKind::kConstant:
        dag.kind = DagNode::Kind::kConstant;
        dag.constant = node.value;
        dag.canonical = fmt::format("{}", node.value);
        return Add(std::move(dag));
      case NodeKind::kCall: break;
    }
    const OperatorSpec* spec = registry_.Find(node.name);
    if (spec == nullptr) Fail(node, fmt::format("unknown operator '{}' (alphaloom ops lists them)", node.name));
    const size_t expected = spec->series_arity + spec->params.size();
    if (node.args.size() != expected) {
      Fail(node, fmt::format("{} takes {} argument{}, got {}", spec->signature, expected, expected == 1 ? "" : "s",
                             node.args.size()));
    }
    dag.kind = DagNode::Kind::kOperator;
    dag.op = spec;
    std::vector<std::string> parts;
    bool all_constant = true;
    bool float32_inputs = true;
    for (size_t index = 0; index < spec->series_arity; ++index) {
      const Node& arg = *node.args[index];
      if (arg.kind == NodeKind::kConstant && !spec->constants_as_series) {
        Fail(arg, fmt::format("{}: this argument must be a series (a field or an expression), not a number",
                              spec->signature));
      }
      all_constant = all_constant && arg.kind == NodeKind::kConstant;
      const size_t input = Intern(arg, tree_size);
      if (arg.kind != NodeKind::kConstant) float32_inputs = float32_inputs && nodes_[input].float32;
      dag.inputs.push_back(input);
      dag.stage = std::max(dag.stage, nodes_[input].stage);
      parts.push_back(nodes_[input].canonical);
    }
    if (all_constant && spec->series_arity > 0) {
      Fail(node, fmt::format("{}: at least one argument must be a series", spec->signature));
    }
    for (size_t index = 0; index < spec->params.size(); ++index) {
      const Node& arg = *node.args[spec->series_arity + index];
      dag.params.push_back(CheckParam(arg, spec->params[index], *spec));
      parts.push_back(fmt::format("{}", dag.params.back()));
    }
    if (spec->kind == OperatorKind::kCrossSectional) ++dag.stage;
    dag.float32 = spec->keeps_float32 && float32_inputs;
    dag.canonical = fmt::format("{}({})", spec->name, fmt::join(parts, ","));
    return Add(std::move(dag));
  }

  const Registry& registry_;
  CompileOptions options_;
  std::vector<DagNode>& nodes_;
  std::unordered_map<std::string, size_t> index_;
  std::string_view name_;
  std::string_view text_;
};

}  // namespace

Program Program::Compile(std::span<const std::string> names, std::span<const std::string> expressions,
                         const Registry& registry, CompileOptions options) {
  Check(names.size() == expressions.size(), "one name per expression");
  Program program;
  Compiler compiler(registry, options, program.nodes_);
  std::set<std::string, std::less<>> seen;
  for (size_t index = 0; index < names.size(); ++index) {
    if (!seen.insert(names[index]).second) {
      throw Error(ErrorKind::kConfig, fmt::format("factor {} is defined twice", names[index]));
    }
    const size_t output = compiler.Compile(names[index], expressions[index], program.unshared_node_count_);
    if (program.nodes_[output].kind == DagNode::Kind::kConstant) {
      throw Error(ErrorKind::kConfig, fmt::format("factor {} is a constant ('{}'), not a series", names[index],
                                                  expressions[index]));
    }
    program.outputs_.push_back(output);
    program.names_.push_back(names[index]);
  }
  program.uses_.assign(program.nodes_.size(), 0);
  for (const DagNode& node : program.nodes_) {
    for (size_t input : node.inputs) ++program.uses_[input];
  }
  for (size_t output : program.outputs_) ++program.uses_[output];
  return program;
}

std::vector<std::string> Program::Fields() const {
  std::set<std::string> fields;
  for (const DagNode& node : nodes_) {
    if (node.kind == DagNode::Kind::kField) fields.insert(node.field);
  }
  return {fields.begin(), fields.end()};
}

std::string Program::Explain() const {
  size_t operators = 0, cross_sectional = 0, max_stage = 0;
  for (const DagNode& node : nodes_) {
    if (node.kind != DagNode::Kind::kOperator) continue;
    ++operators;
    cross_sectional += node.op->kind == OperatorKind::kCrossSectional;
    max_stage = std::max(max_stage, node.stage);
  }
  std::string text = fmt::format(
      "{} factors, {} DAG nodes ({} operators, {} cross-sectional, {} barrier stage{}); {} nodes without sharing\n"
      "fields: {}\n",
      names_.size(), nodes_.size(), operators, cross_sectional, max_stage + 1, max_stage == 0 ? "" : "s",
      unshared_node_count_, fmt::join(Fields(), " "));
  // Rows of history each node reads, accumulated along its inputs (-1: unbounded, a recursion).
  std::vector<long> history(nodes_.size(), 0);
  long longest = 0;
  for (size_t index = 0; index < nodes_.size(); ++index) {
    const DagNode& node = nodes_[index];
    if (node.kind != DagNode::Kind::kOperator) continue;
    long own = node.op->lookback(node.params);
    long deepest = 0;
    for (size_t input : node.inputs) deepest = history[input] < 0 ? -1 : (deepest < 0 ? -1 : std::max(deepest, history[input]));
    history[index] = (own < 0 || deepest < 0) ? -1 : own + deepest;
    longest = (history[index] < 0 || longest < 0) ? -1 : std::max(longest, history[index]);
  }
  text += longest < 0 ? "history read: unbounded (a recursive operator: EMA, TaEMA, TaRSI, ...)\n"
                      : fmt::format("history read: up to {} rows before each output row\n", longest);
  std::vector<size_t> shared;
  for (size_t index = 0; index < nodes_.size(); ++index) {
    if (nodes_[index].kind == DagNode::Kind::kOperator && uses_[index] > 1) shared.push_back(index);
  }
  std::sort(shared.begin(), shared.end(), [&](size_t a, size_t b) { return uses_[a] > uses_[b] || (uses_[a] == uses_[b] && a < b); });
  text += fmt::format("{} shared sub-expressions (computed once, used by several nodes):\n", shared.size());
  for (size_t rank = 0; rank < shared.size() && rank < 20; ++rank) {
    text += fmt::format("  {:>4}x  {}\n", uses_[shared[rank]], nodes_[shared[rank]].canonical);
  }
  return text;
}

}  // namespace alphaloom::expr
