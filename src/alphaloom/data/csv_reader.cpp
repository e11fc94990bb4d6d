#include "alphaloom/data/csv_reader.h"

#include <fmt/format.h>
#include <zlib.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "alphaloom/common/error.h"
#include "alphaloom/data/symbol.h"

namespace alphaloom::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Splits one line into fields. Handles double-quoted fields with "" escapes; the returned views
// of quoted fields exclude the quotes (an escaped quote stays doubled, which only matters for
// text columns we never read as numbers).
void SplitFields(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t pos = 0;
  while (true) {
    if (pos < line.size() && line[pos] == '"') {
      size_t end = pos + 1;
      while (end < line.size()) {
        if (line[end] == '"') {
          if (end + 1 < line.size() && line[end + 1] == '"') {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      fields.push_back(line.substr(pos + 1, std::min(end, line.size()) - pos - 1));
      pos = line.find(delimiter, end);
    } else {
      const size_t end = line.find(delimiter, pos);
      fields.push_back(line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
      pos = end;
    }
    if (pos == std::string_view::npos) break;
    ++pos;
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// Parses a numeric cell: NaN for empty and the usual missing markers; nullopt for garbage.
std::optional<double> ParseNumber(std::string_view cell) {
  cell = Trim(cell);
  if (cell.empty() || EqualsNoCase(cell, "nan") || EqualsNoCase(cell, "na") || EqualsNoCase(cell, "null") ||
      EqualsNoCase(cell, "none") || cell == "-" || EqualsNoCase(cell, "n/a")) {
    return kNaN;
  }
  if (cell.front() == '+') cell.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (error == std::errc::result_out_of_range) {
    return std::numeric_limits<double>::infinity();
  }
  if (error != std::errc() || end != cell.data() + cell.size()) return std::nullopt;
  return value;
}

char DetectDelimiter(std::string_view header) {
  size_t commas = 0, semicolons = 0, tabs = 0;
  for (char c : header) {
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

// Why `text` is not CSV bars at all, or "" when it may be.
std::string NotDataReason(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "the file is empty";
  const std::string_view probe = text.substr(0, std::min<size_t>(text.size(), 4096));
  if (probe.find('\0') != std::string_view::npos) return "the file is binary, not CSV";
  const char lead = text[first];
  if (lead == '{' || lead == '[' || lead == '<') {
    std::string excerpt(text.substr(first, std::min<size_t>(60, text.size() - first)));
    for (char& c : excerpt) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return fmt::format("the file is a {} body, not CSV bars: {}", lead == '<' ? "HTML/XML" : "JSON", excerpt);
  }
  return "";
}

Finding MalformedRow(std::string_view source, size_t line, std::string_view instrument, std::optional<Date> date,
                     std::string detail, const ValidationPolicy& policy) {
  Finding finding;
  finding.rule = Rule::kMalformedRow;
  finding.action = policy.action(Rule::kMalformedRow);
  finding.file = std::string(source);
  finding.line = line;
  finding.instrument = std::string(instrument);
  finding.date = date;
  finding.detail = std::move(detail);
  return finding;
}

}  // namespace

std::string ReadFileMaybeGzip(const std::filesystem::path& path) {
  {
    // Plain files (the common case) are read in one go; zlib is used only for gzip content.
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(ErrorKind::kIo, fmt::format("{}: read failed", path.string()));
    const bool gzip = content.size() >= 2 && static_cast<unsigned char>(content[0]) == 0x1f &&
                      static_cast<unsigned char>(content[1]) == 0x8b;
    if (!gzip) return content;
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  gzbuffer(file, 1 << 18);
  std::string content;
  std::error_code size_error;
  const auto size_hint = std::filesystem::file_size(path, size_error);
  if (!size_error) content.reserve(static_cast<size_t>(size_hint) + 1);
  char chunk[1 << 16];
  while (true) {
    const int read = gzread(file, chunk, sizeof(chunk));
    if (read < 0) {
      int code = 0;
      std::string message = gzerror(file, &code);
      gzclose(file);
      throw Error(ErrorKind::kIo, fmt::format("{}: read failed: {}", path.string(), message));
    }
    if (read == 0) break;
    content.append(chunk, static_cast<size_t>(read));
  }
  gzclose(file);
  return content;
}

ParsedFile ParseBarsCsv(std::string_view text, std::string_view source, std::string_view default_symbol,
                        const ReadOptions& options) {
  ParsedFile parsed;
  parsed.source = std::string(source);
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) text.remove_prefix(3);
  if (std::string reason = NotDataReason(text); !reason.empty()) {
    parsed.findings.push_back(NotDataFinding(source, std::move(reason), options.policy));
    return parsed;
  }

  // Header: the first non-blank line.
  size_t pos = 0;
  size_t line_number = 0;
  std::string_view header_line;
  while (pos < text.size()) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    ++line_number;
    header_line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (!header_line.empty()) break;
  }
  const char delimiter = DetectDelimiter(header_line);
  std::vector<std::string_view> fields;
  SplitFields(header_line, delimiter, fields);
  std::vector<std::string> header;
  header.reserve(fields.size());
  for (auto field : fields) header.emplace_back(Trim(field));

  ResolvedColumns columns;
  try {
    columns = ResolveColumns(header, options.mapping, source);
  } catch (const Error& error) {
    parsed.findings.push_back(NotDataFinding(source, error.what(), options.policy));
    return parsed;
  }
  parsed.layout = columns.layout;
  const int date_column = columns[BarField::kDate];
  const int symbol_column = columns[BarField::kSymbol];

  BarCollector collector(columns, std::string(source), std::string(default_symbol));
  std::array<double, kBarFieldCount> values;
  size_t rows = 0;
  while (pos < text.size()) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    ++line_number;
    const std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    ++rows;
    SplitFields(line, delimiter, fields);
    const std::string_view symbol = symbol_column >= 0 && static_cast<size_t>(symbol_column) < fields.size()
                                        ? Trim(fields[static_cast<size_t>(symbol_column)])
                                        : std::string_view();
    const std::string_view instrument = symbol.empty() ? default_symbol : symbol;
    if (fields.size() != header.size()) {
      parsed.findings.push_back(MalformedRow(source, line_number, instrument, std::nullopt,
                                             fmt::format("{} fields, header has {}", fields.size(), header.size()),
                                             options.policy));
      continue;
    }
    const auto date = ParseDate(fields[static_cast<size_t>(date_column)]);
    if (!date) {
      parsed.findings.push_back(MalformedRow(source, line_number, instrument, std::nullopt,
                                             fmt::format("'{}' is not a date", fields[static_cast<size_t>(date_column)]),
                                             options.policy));
      continue;
    }
    if (symbol_column >= 0 && !IsValidSymbol(symbol)) {
      parsed.findings.push_back(MalformedRow(source, line_number, symbol, date,
                                             fmt::format("'{}' is not a valid symbol", symbol), options.policy));
      continue;
    }
    bool row_ok = true;
    for (size_t field = 0; field < kBarFieldCount && row_ok; ++field) {
      const int column = columns.index[field];
      if (column < 0 || column == date_column || column == symbol_column) {
        values[field] = kNaN;
        continue;
      }
      const auto number = ParseNumber(fields[static_cast<size_t>(column)]);
      if (!number) {
        parsed.findings.push_back(MalformedRow(
            source, line_number, instrument, date,
            fmt::format("{} '{}' is not a number", BarFieldName(static_cast<BarField>(field)),
                        fields[static_cast<size_t>(column)]),
            options.policy));
        row_ok = false;
      } else {
        values[field] = *number;
      }
    }
    if (row_ok) collector.Add(symbol, *date, values, line_number);
  }
  parsed.instruments = collector.Finish();
  if (rows == 0) {
    Finding finding;
    finding.rule = Rule::kEmpty;
    finding.action = options.policy.action(Rule::kEmpty);
    finding.file = std::string(source);
    finding.instrument = std::string(default_symbol);
    finding.detail = "header but no bars";
    parsed.findings.push_back(std::move(finding));
  }
  return parsed;
}

ParsedFile ReadBarsCsv(const std::filesystem::path& path, const ReadOptions& options) {
  const std::string text = ReadFileMaybeGzip(path);
  std::string symbol;
  try {
    symbol = SymbolFromFileName(path);
  } catch (const Error&) {
    // A long file with a symbol column needs no symbol from its name; reject later if it does.
    symbol = "";
  }
  ParsedFile parsed = ParseBarsCsv(text, path.string(), symbol, options);
  for (const RawBars& bars : parsed.instruments) {
    if (bars.instrument.empty()) {
      parsed.instruments.clear();
      parsed.findings.push_back(NotDataFinding(
          path.string(), "no symbol column and no instrument symbol can be derived from the file name",
          options.policy));
      break;
    }
  }
  return parsed;
}

}  // namespace alphaloom::data
