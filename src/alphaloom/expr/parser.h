#pragma once
// Parser of Qlib's expression syntax: $field, numbers, + - * / > < >= <= == != & |, unary minus,
// parentheses and function calls. Precedence follows Python (Qlib evaluates expressions as
// Python): comparisons bind loosest, then |, then &, then + -, then * /, then unary minus.
// Chained comparisons (a < b < c) are rejected rather than given Python's meaning.
#include <string>
#include <string_view>

#include "alphaloom/expr/ast.h"

namespace alphaloom::expr {

/// Parses `text`. Throws Error(kConfig) with one line naming the problem and its column, then
/// the expression and a caret under the column, e.g.
///   expression error at column 14: expected an expression, found ')'
///     Mean($close, )
///                  ^
/// The parser checks syntax only; operator names and arities are checked when compiling.
NodePtr Parse(std::string_view text);

/// The message format above, shared with the compiler's semantic errors.
std::string ExpressionError(std::string_view text, size_t position, std::string_view message);

}  // namespace alphaloom::expr
