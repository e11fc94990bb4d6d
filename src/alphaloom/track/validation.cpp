#include "alphaloom/track/validation.h"

#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "alphaloom/common/error.h"

namespace alphaloom::track {
namespace {

bool AllowedKeyChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '-' || c == '.' || c == ' ' || c == ':' || c == '/';
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

[[noreturn]] void Reject(std::string_view what, std::string_view kind, std::string_view name, std::string_view why) {
  throw Error(ErrorKind::kData, fmt::format("invalid {} {} '{}': {}", what, kind, name, why));
}

}  // namespace

void ValidateKey(std::string_view what, std::string_view key) {
  if (key.empty()) Reject(what, "key", key, "empty");
  if (key.size() > kMaxKeyLength) {
    Reject(what, "key", key.substr(0, 40), fmt::format("{} characters, MLflow allows at most {}", key.size(), kMaxKeyLength));
  }
  for (char c : key) {
    if (!AllowedKeyChar(c)) {
      Reject(what, "key", key,
             fmt::format("character '{}' is not allowed (letters, digits, '_', '-', '.', ' ', ':', '/' only)", c));
    }
  }
  for (std::string_view segment : Segments(key)) {
    if (segment.empty() || segment == "." || segment == "..") {
      Reject(what, "key", key, "not a normalized path (empty, '.' or '..' segment, or a leading/trailing '/')");
    }
  }
}

std::string SanitizeKey(std::string_view key) {
  std::string cleaned;
  for (char c : key) cleaned.push_back(AllowedKeyChar(c) ? c : '_');
  std::string out;
  for (std::string_view segment : Segments(cleaned)) {
    if (segment.empty() || segment == "." || segment == "..") continue;
    if (!out.empty()) out.push_back('/');
    out.append(segment);
  }
  if (out.size() > kMaxKeyLength) out.resize(kMaxKeyLength);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (out.empty()) out = "_";
  return out;
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string TruncateValue(std::string_view value, size_t max_chars) {
  size_t count = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    if ((static_cast<unsigned char>(value[i]) & 0xC0) != 0x80) {
      if (count == max_chars) return std::string(value.substr(0, i));
      ++count;
    }
  }
  return std::string(value);
}

void ValidateExperimentName(std::string_view name) {
  if (name.empty()) Reject("experiment", "name", name, "empty");
  if (CodePointCount(name) > kMaxExperimentNameLength) {
    Reject("experiment", "name", name.substr(0, 40), fmt::format("longer than {} characters", kMaxExperimentNameLength));
  }
}

void ValidateModelName(std::string_view name) {
  if (name.empty()) Reject("registered model", "name", name, "empty");
  if (name == "." || name == "..") Reject("registered model", "name", name, "not a valid folder name");
  if (name.find_first_of("/:%\\") != std::string_view::npos) {
    Reject("registered model", "name", name, "must not contain '/', ':', '%' or '\\'");
  }
  if (name.front() == ' ' || name.back() == ' ') Reject("registered model", "name", name, "leading or trailing space");
  if (CodePointCount(name) > kMaxKeyLength) Reject("registered model", "name", name.substr(0, 40), "too long");
}

void ValidateAlias(std::string_view alias) {
  if (alias.empty()) Reject("model", "alias", alias, "empty");
  if (alias.size() > kMaxAliasLength) Reject("model", "alias", alias.substr(0, 40), "too long");
  for (char c : alias) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '-')) Reject("model", "alias", alias, "letters, digits, '_' and '-' only");
  }
  std::string lower;
  for (char c : alias) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "latest") Reject("model", "alias", alias, "'latest' is reserved");
  if (lower.size() > 1 && lower[0] == 'v' &&
      lower.find_first_not_of("0123456789", 1) == std::string::npos) {
    Reject("model", "alias", alias, "'v<number>' is reserved for versions");
  }
}

void ValidateArtifactPath(std::string_view path) {
  if (path.empty()) return;
  if (path.find('\\') != std::string_view::npos) Reject("artifact", "path", path, "backslash");
  for (std::string_view segment : Segments(path)) {
    if (segment.empty() || segment == "." || segment == "..") {
      Reject("artifact", "path", path, "must be relative with no empty, '.' or '..' segment");
    }
  }
}

}  // namespace alphaloom::track
