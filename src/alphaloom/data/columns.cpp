#include "alphaloom/data/columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "alphaloom/common/error.h"

namespace alphaloom::data {
namespace {

constexpr std::array<std::string_view, kBarFieldCount> kFieldNames = {
    "date", "symbol", "open", "high", "low", "close", "volume", "vwap", "adj_close", "dividend", "split"};

// Normalised header aliases per field (lower case, no spaces, underscores or dashes).
const std::array<std::vector<std::string_view>, kBarFieldCount>& Aliases() {
  static const std::array<std::vector<std::string_view>, kBarFieldCount> aliases = {{
      {"date", "timestamp", "datetime", "time", "day", "tradedate"},
      {"symbol", "ticker", "instrument", "code"},
      {"open"},
      {"high"},
      {"low"},
      {"close"},
      {"volume", "vol"},
      {"vwap"},
      {"adjclose", "adjustedclose"},
      {"dividend", "dividends", "dividendamount"},
      {"split", "splits", "splitcoefficient", "stocksplits", "splitfactor"},
  }};
  return aliases;
}

std::string Normalise(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '_' || c == '-' || c == '"' || c == '\r') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::string_view BarFieldName(BarField field) { return kFieldNames[static_cast<size_t>(field)]; }

ColumnMapping ColumnMapping::Parse(std::string_view text) {
  ColumnMapping mapping;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view pair = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 == pair.size()) {
      throw Error(ErrorKind::kUsage, fmt::format("column mapping: '{}' is not field=column", pair));
    }
    const std::string_view field_name = pair.substr(0, equals);
    const auto found = std::find(kFieldNames.begin(), kFieldNames.end(), field_name);
    if (found == kFieldNames.end()) {
      throw Error(ErrorKind::kUsage,
                  fmt::format("column mapping: unknown field '{}' (known: {})", field_name, fmt::join(kFieldNames, " ")));
    }
    mapping.Set(static_cast<BarField>(found - kFieldNames.begin()), std::string(pair.substr(equals + 1)));
  }
  return mapping;
}

ResolvedColumns ResolveColumns(std::span<const std::string> header, const ColumnMapping& mapping,
                               std::string_view source) {
  ResolvedColumns resolved;
  resolved.index.fill(-1);
  std::vector<std::string> normalised;
  normalised.reserve(header.size());
  for (const auto& name : header) normalised.push_back(Normalise(name));

  bool any_mapped = false;
  for (size_t field = 0; field < kBarFieldCount; ++field) {
    if (const auto& column = mapping.Get(static_cast<BarField>(field))) {
      const auto found = std::find(header.begin(), header.end(), *column);
      if (found == header.end()) {
        throw Error(ErrorKind::kData, fmt::format("{}: mapped column '{}' for {} is not in the header", source,
                                                  *column, kFieldNames[field]));
      }
      resolved.index[field] = static_cast<int>(found - header.begin());
      any_mapped = true;
      continue;
    }
    for (std::string_view alias : Aliases()[field]) {
      const auto found = std::find(normalised.begin(), normalised.end(), alias);
      if (found != normalised.end()) {
        resolved.index[field] = static_cast<int>(found - normalised.begin());
        break;
      }
    }
  }
  for (BarField required : {BarField::kDate, BarField::kOpen, BarField::kHigh, BarField::kLow, BarField::kClose,
                            BarField::kVolume}) {
    if (!resolved.has(required)) {
      throw Error(ErrorKind::kData, fmt::format("{}: no '{}' column in header [{}]", source, BarFieldName(required),
                                                fmt::join(header, ",")));
    }
  }
  const bool has_openint =
      std::find(normalised.begin(), normalised.end(), "openint") != normalised.end() ||
      std::find(normalised.begin(), normalised.end(), "openinterest") != normalised.end();
  if (any_mapped) {
    resolved.layout = "mapped";
  } else if (resolved.has(BarField::kAdjClose) && resolved.has(BarField::kSplit)) {
    resolved.layout = "alphavantage";
  } else if (resolved.has(BarField::kAdjClose)) {
    resolved.layout = "yahoo";
  } else if (has_openint) {
    resolved.layout = "ohlcv_openint";
  } else {
    resolved.layout = "ohlcv";
  }
  return resolved;
}

}  // namespace alphaloom::data
