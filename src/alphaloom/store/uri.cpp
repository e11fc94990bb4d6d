#include "alphaloom/store/uri.h"

#include <fmt/format.h>

#include <charconv>

#include "alphaloom/common/error.h"

namespace alphaloom::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite://";
constexpr std::string_view kPostgresPrefixes[] = {"postgresql://", "postgres://"};

// Control bytes shown as \xNN, so a message about a bad URI stays one line.
std::string Printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

[[noreturn]] void Reject(std::string_view text, const std::string& why) {
  throw Error(ErrorKind::kConfig, fmt::format("store URI '{}': {}", Printable(RedactUri(text)), why));
}

std::string_view PostgresRest(std::string_view text) {
  for (std::string_view prefix : kPostgresPrefixes) {
    if (text.starts_with(prefix)) return text.substr(prefix.size());
  }
  return {};
}

bool IsPostgres(std::string_view text) {
  for (std::string_view prefix : kPostgresPrefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

// Drops "password=..." from a query string, keeping the other parameters in order.
std::string RedactQuery(std::string_view query) {
  std::string kept;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.starts_with("password=")) continue;
    if (!kept.empty()) kept += '&';
    kept += item;
  }
  return kept;
}

void CheckPort(std::string_view text, std::string_view port) {
  int value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
    Reject(text, fmt::format("port '{}' is not a number in 1..65535", port));
  }
}

void ParsePostgres(std::string_view text, std::string_view rest) {
  const size_t query_at = rest.find('?');
  const std::string_view query = query_at == std::string_view::npos ? std::string_view{} : rest.substr(query_at + 1);
  std::string_view host_path = rest.substr(0, query_at);
  // The last '@' ends the user info, so a password with an unencoded '/' is still taken as one.
  const size_t at = host_path.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = host_path.substr(0, at);
    if (user_info.empty() || user_info.front() == ':') Reject(text, "empty user name before '@'");
    host_path = host_path.substr(at + 1);
  }
  const size_t slash = host_path.find('/');
  std::string_view authority = host_path.substr(0, slash);
  if (slash != std::string_view::npos && host_path.substr(slash + 1).find('/') != std::string_view::npos) {
    Reject(text, "the database name may not contain '/'");
  }
  if (authority.empty()) Reject(text, "no host (postgresql://user@HOST:PORT/dbname)");
  // Several hosts (h1:p1,h2:p2) are a libpq feature; each part must still be host[:port].
  while (!authority.empty()) {
    const size_t comma = authority.find(',');
    std::string_view host_port = authority.substr(0, comma);
    authority = comma == std::string_view::npos ? std::string_view{} : authority.substr(comma + 1);
    std::string_view host = host_port;
    if (host_port.starts_with('[')) {
      const size_t close = host_port.find(']');
      if (close == std::string_view::npos) Reject(text, "unclosed '[' in an IPv6 host");
      host = host_port.substr(0, close + 1);
      const std::string_view after = host_port.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') Reject(text, fmt::format("unexpected '{}' after the IPv6 host", after));
        CheckPort(text, after.substr(1));
      }
    } else {
      const size_t colon = host_port.find(':');
      if (colon != std::string_view::npos) {
        host = host_port.substr(0, colon);
        CheckPort(text, host_port.substr(colon + 1));
      }
    }
    if (host.empty()) Reject(text, "empty host name");
  }
  std::string_view remaining = query;
  while (!remaining.empty()) {
    const size_t amp = remaining.find('&');
    const std::string_view item = remaining.substr(0, amp);
    remaining = amp == std::string_view::npos ? std::string_view{} : remaining.substr(amp + 1);
    const size_t equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      Reject(text, fmt::format("query parameter '{}' is not key=value", item.starts_with("password") ? "password" : item));
    }
  }
}

}  // namespace

std::string RedactUri(std::string_view text) {
  if (!IsPostgres(text)) return std::string(text);
  const std::string_view rest = PostgresRest(text);
  std::string result(text.substr(0, text.size() - rest.size()));
  const size_t query_at = rest.find('?');
  const std::string_view host_path = rest.substr(0, query_at);
  const size_t at = host_path.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = host_path.substr(0, at);
    result += user_info.substr(0, user_info.find(':'));
  }
  result += host_path.substr(at == std::string_view::npos ? 0 : at);
  if (query_at != std::string_view::npos) {
    const std::string query = RedactQuery(rest.substr(query_at + 1));
    if (!query.empty()) result += "?" + query;
  }
  return result;
}

StoreUri ParseStoreUri(std::string_view text) {
  if (text.empty()) Reject(text, "empty; use sqlite:///PATH, a file path, or postgresql://...");
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) Reject(text, "contains a control character");
    if (c == ' ') Reject(text, "contains a space (percent-encode it as %20)");
  }
  StoreUri uri;
  uri.display = RedactUri(text);
  if (IsPostgres(text)) {
    ParsePostgres(text, PostgresRest(text));
    uri.backend = Backend::kPostgres;
    uri.connection = std::string(text);
    return uri;
  }
  if (text.starts_with(kSqlitePrefix)) {
    const std::string_view rest = text.substr(kSqlitePrefix.size());
    if (!rest.starts_with('/')) {
      Reject(text, "a sqlite URI has no host: use sqlite:///relative/path.db or sqlite:////absolute/path.db");
    }
    const std::string_view path = rest.substr(1);
    if (path.empty() || path.ends_with('/')) Reject(text, "no database file name after sqlite:///");
    if (path.find('?') != std::string_view::npos) Reject(text, "sqlite URIs take no query parameters");
    uri.sqlite_path = std::string(path);
    return uri;
  }
  const size_t scheme_end = text.find("://");
  if (scheme_end != std::string_view::npos) {
    Reject(text, fmt::format("unsupported scheme '{}': use sqlite:///PATH, a file path, or postgresql://...",
                             text.substr(0, scheme_end)));
  }
  if (text.ends_with('/')) Reject(text, "names a directory, not a database file");
  uri.sqlite_path = std::string(text);
  return uri;
}

}  // namespace alphaloom::store
