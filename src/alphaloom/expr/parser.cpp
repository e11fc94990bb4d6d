#include "alphaloom/expr/parser.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <optional>

#include "alphaloom/common/error.h"

namespace alphaloom::expr {
namespace {

enum class TokenKind { kNumber, kField, kName, kOperator, kLeftParen, kRightParen, kComma, kEnd };

struct Token {
  TokenKind kind;
  std::string text;
  double number = 0;
  size_t position = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Token Next() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    const size_t start = pos_;
    if (pos_ >= text_.size()) return {TokenKind::kEnd, "end of expression", 0, start};
    const char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && pos_ + 1 < text_.size() &&
                                                        std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      return Number(start);
    }
    if (c == '$') {
      ++pos_;
      const size_t name_start = pos_;
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
      if (pos_ == name_start) Fail(start, "expected a field name after '$'");
      std::string name(text_.substr(name_start, pos_ - name_start));
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return {TokenKind::kField, name, 0, start};
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
      return {TokenKind::kName, std::string(text_.substr(start, pos_ - start)), 0, start};
    }
    ++pos_;
    switch (c) {
      case '(': return {TokenKind::kLeftParen, "(", 0, start};
      case ')': return {TokenKind::kRightParen, ")", 0, start};
      case ',': return {TokenKind::kComma, ",", 0, start};
      case '+': case '-': case '*': case '/': case '&': case '|':
        return {TokenKind::kOperator, std::string(1, c), 0, start};
      case '<': case '>':
        if (pos_ < text_.size() && text_[pos_] == '=') {
          ++pos_;
          return {TokenKind::kOperator, std::string(1, c) + "=", 0, start};
        }
        return {TokenKind::kOperator, std::string(1, c), 0, start};
      case '=': case '!':
        if (pos_ < text_.size() && text_[pos_] == '=') {
          ++pos_;
          return {TokenKind::kOperator, std::string(1, c) + "=", 0, start};
        }
        Fail(start, fmt::format("unexpected '{}'{}", c, c == '=' ? " (use == to compare)" : ""));
      default:
        Fail(start, fmt::format("unexpected character '{}'", c));
    }
  }

  [[noreturn]] void Fail(size_t position, std::string_view message) const {
    throw Error(ErrorKind::kConfig, ExpressionError(text_, position, message));
  }

 private:
  Token Number(size_t start) {
    while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t look = pos_ + 1;
      if (look < text_.size() && (text_[look] == '+' || text_[look] == '-')) ++look;
      if (look < text_.size() && std::isdigit(static_cast<unsigned char>(text_[look]))) {
        pos_ = look;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      }
    }
    const std::string_view literal = text_.substr(start, pos_ - start);
    double value = 0;
    const auto [end, error] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    if (error != std::errc() || end != literal.data() + literal.size()) {
      Fail(start, fmt::format("'{}' is not a number", literal));
    }
    return {TokenKind::kNumber, std::string(literal), value, start};
  }

  std::string_view text_;
  size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text) { Advance(); }

  NodePtr ParseAll() {
    if (current_.kind == TokenKind::kEnd) lexer_.Fail(0, "the expression is empty");
    NodePtr node = Comparison();
    if (current_.kind != TokenKind::kEnd) {
      lexer_.Fail(current_.position, fmt::format("unexpected '{}' after a complete expression", current_.text));
    }
    return node;
  }

 private:
  void Advance() { current_ = lexer_.Next(); }

  bool AtOperator(std::initializer_list<std::string_view> operators) const {
    if (current_.kind != TokenKind::kOperator) return false;
    for (auto op : operators) {
      if (current_.text == op) return true;
    }
    return false;
  }

  static NodePtr Call(std::string name, std::vector<NodePtr> args, size_t position) {
    auto node = std::make_shared<Node>();
    node->kind = NodeKind::kCall;
    node->name = std::move(name);
    node->args = std::move(args);
    node->position = position;
    return node;
  }

  static std::string OperatorName(std::string_view symbol) {
    if (symbol == "+") return "Add";
    if (symbol == "-") return "Sub";
    if (symbol == "*") return "Mul";
    if (symbol == "/") return "Div";
    if (symbol == ">") return "Gt";
    if (symbol == ">=") return "Ge";
    if (symbol == "<") return "Lt";
    if (symbol == "<=") return "Le";
    if (symbol == "==") return "Eq";
    if (symbol == "!=") return "Ne";
    if (symbol == "&") return "And";
    return "Or";
  }

  NodePtr Comparison() {
    NodePtr left = BitOr();
    if (AtOperator({">", ">=", "<", "<=", "==", "!="})) {
      const Token op = current_;
      Advance();
      NodePtr right = BitOr();
      if (AtOperator({">", ">=", "<", "<=", "==", "!="})) {
        lexer_.Fail(current_.position, "chained comparison: add parentheses, e.g. (a < b) & (b < c)");
      }
      left = Call(OperatorName(op.text), {left, right}, op.position);
    }
    return left;
  }

  NodePtr BitOr() {
    NodePtr left = BitAnd();
    while (AtOperator({"|"})) {
      const Token op = current_;
      Advance();
      left = Call("Or", {left, BitAnd()}, op.position);
    }
    return left;
  }

  NodePtr BitAnd() {
    NodePtr left = Additive();
    while (AtOperator({"&"})) {
      const Token op = current_;
      Advance();
      left = Call("And", {left, Additive()}, op.position);
    }
    return left;
  }

  NodePtr Additive() {
    NodePtr left = Multiplicative();
    while (AtOperator({"+", "-"})) {
      const Token op = current_;
      Advance();
      left = Call(OperatorName(op.text), {left, Multiplicative()}, op.position);
    }
    return left;
  }

  NodePtr Multiplicative() {
    NodePtr left = Unary();
    while (AtOperator({"*", "/"})) {
      const Token op = current_;
      Advance();
      left = Call(OperatorName(op.text), {left, Unary()}, op.position);
    }
    return left;
  }

  NodePtr Unary() {
    if (AtOperator({"-"})) {
      const size_t position = current_.position;
      Advance();
      NodePtr operand = Unary();
      if (operand->kind == NodeKind::kConstant) {
        auto negated = std::make_shared<Node>(*operand);
        negated->value = -operand->value;
        negated->position = position;
        return negated;
      }
      auto zero = std::make_shared<Node>();
      zero->kind = NodeKind::kConstant;
      zero->position = position;
      return Call("Sub", {zero, operand}, position);
    }
    if (AtOperator({"+"})) {
      Advance();
      return Unary();
    }
    return Primary();
  }

  NodePtr Primary() {
    const Token token = current_;
    switch (token.kind) {
      case TokenKind::kNumber: {
        Advance();
        auto node = std::make_shared<Node>();
        node->kind = NodeKind::kConstant;
        node->value = token.number;
        node->position = token.position;
        return node;
      }
      case TokenKind::kField: {
        Advance();
        auto node = std::make_shared<Node>();
        node->kind = NodeKind::kField;
        node->name = token.text;
        node->position = token.position;
        return node;
      }
      case TokenKind::kLeftParen: {
        Advance();
        NodePtr inner = Comparison();
        Expect(TokenKind::kRightParen, "')'");
        return inner;
      }
      case TokenKind::kName: {
        Advance();
        if (current_.kind != TokenKind::kLeftParen) {
          lexer_.Fail(token.position, fmt::format("'{}' is not a field (write ${}) or a call (write {}(...))",
                                                  token.text, token.text, token.text));
        }
        Advance();
        std::vector<NodePtr> args;
        if (current_.kind != TokenKind::kRightParen) {
          while (true) {
            args.push_back(Comparison());
            if (current_.kind != TokenKind::kComma) break;
            Advance();
          }
        }
        Expect(TokenKind::kRightParen, "',' or ')'");
        return Call(token.text, std::move(args), token.position);
      }
      default:
        lexer_.Fail(token.position, fmt::format("expected an expression, found '{}'", token.text));
    }
  }

  void Expect(TokenKind kind, std::string_view what) {
    if (current_.kind != kind) {
      lexer_.Fail(current_.position, fmt::format("expected {}, found '{}'", what, current_.text));
    }
    Advance();
  }

  std::string_view text_;
  Lexer lexer_;
  Token current_{TokenKind::kEnd, "", 0, 0};
};

}  // namespace

std::string ExpressionError(std::string_view text, size_t position, std::string_view message) {
  return fmt::format("expression error at column {}: {}\n  {}\n  {}^", position + 1, message, text,
                     std::string(position, ' '));
}

NodePtr Parse(std::string_view text) { return Parser(text).ParseAll(); }

}  // namespace alphaloom::expr
