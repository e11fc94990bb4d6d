#include "alphaloom/store/sql_store.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "alphaloom/common/error.h"
#include "alphaloom/store/backends.h"
#include "alphaloom/store/batch.h"

namespace alphaloom::store {
namespace {

// Length of the UTF-8 sequence starting at `text[at]`, or 0 when it is not a valid one
// (overlong forms, surrogates and code points above U+10FFFF included).
size_t Utf8SequenceLength(std::string_view text, size_t at) {
  const auto byte = [&](size_t offset) { return static_cast<unsigned char>(text[at + offset]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t code = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code = lead & 0x1fu;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code = lead & 0x0fu;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t offset = 1; offset < length; ++offset) {
    if ((byte(offset) & 0xc0u) != 0x80u) return 0;
    code = (code << 6) | (byte(offset) & 0x3fu);
  }
  if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10ffff ||
      (code >= 0xd800 && code <= 0xdfff)) {
    return 0;
  }
  return length;
}

// Empty when `text` is acceptable as a SQL text value; else what is wrong with it.
std::string_view TextProblem(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    if (text[at] == '\0') return "contains a NUL byte";
    const size_t length = Utf8SequenceLength(text, at);
    if (length == 0) return "is not valid UTF-8";
    at += length;
  }
  return {};
}

const data::TableColumn* FindColumn(const data::Table& table, const SqlColumn& column) {
  if (const data::TableColumn* found = table.Find(TableColumnName(column))) return found;
  return column.name == "date" ? table.Find("date") : nullptr;
}

std::string_view TypeName(data::ColumnType type) {
  switch (type) {
    case data::ColumnType::kDate: return "date";
    case data::ColumnType::kString: return "string";
    case data::ColumnType::kNumber: return "number";
  }
  return "?";
}

// Appends the bytes that identify a key value; NUL is rejected in text, so it separates fields.
void AppendKey(std::string& key, const data::TableColumn& column, SqlType type, size_t row) {
  switch (type) {
    case SqlType::kText:
      key += column.strings[row];
      key += '\0';
      break;
    case SqlType::kDate: {
      const int32_t days = column.dates[row].days();
      key.append(reinterpret_cast<const char*>(&days), sizeof days);
      break;
    }
    case SqlType::kInteger:
    case SqlType::kReal: {
      const double value = column.numbers[row];
      key.append(reinterpret_cast<const char*>(&value), sizeof value);
      break;
    }
  }
}

}  // namespace

void FormatIsoDate(Date date, char* out) {
  const int year = date.year(), month = date.month(), day = date.day();
  out[0] = static_cast<char>('0' + year / 1000 % 10);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + month / 10);
  out[6] = static_cast<char>('0' + month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
  out[10] = '\0';
}

std::string ColumnList(const TableSpec& spec) {
  std::string list;
  for (const SqlColumn& column : spec.columns) list += fmt::format("{}{}", list.empty() ? "" : ", ", column.name);
  return list;
}

std::string KeyList(const TableSpec& spec) {
  std::string list;
  for (const SqlColumn& column : spec.columns) {
    if (column.key) list += fmt::format("{}{}", list.empty() ? "" : ", ", column.name);
  }
  return list;
}

std::string UpdateList(const TableSpec& spec) {
  std::string list;
  for (const SqlColumn& column : spec.columns) {
    if (!column.key) list += fmt::format("{}{} = excluded.{}", list.empty() ? "" : ", ", column.name, column.name);
  }
  return list;
}

Batch MakeBatch(const TableSpec& spec, const data::Table& table, const std::string& uri) {
  Batch batch;
  batch.spec = &spec;
  batch.rows = table.rows();
  for (const data::TableColumn& column : table.columns) {
    Check(column.size() == batch.rows, "store: columns of unequal length");
  }
  for (const SqlColumn& column : spec.columns) {
    const data::TableColumn* found = FindColumn(table, column);
    if (found == nullptr && column.required) {
      throw Error(ErrorKind::kData, fmt::format("{}: {}: missing column '{}'", uri, spec.name, TableColumnName(column)));
    }
    if (found != nullptr && found->type != TableColumnType(column.type)) {
      throw Error(ErrorKind::kData, fmt::format("{}: {}: column '{}' holds {}s, expected {}s", uri, spec.name,
                                                found->name, TypeName(found->type),
                                                TypeName(TableColumnType(column.type))));
    }
    batch.columns.push_back(found);
  }
  const data::TableColumn* instruments = batch.columns[0];
  const data::TableColumn* dates = batch.columns[1];
  const auto fail = [&](size_t row, const SqlColumn& column, std::string_view what) {
    throw Error(ErrorKind::kData, fmt::format("{}: {} row {} (instrument '{}', {}): {} {}", uri, spec.name, row + 1,
                                              instruments->strings[row], dates->dates[row].ToString(),
                                              TableColumnName(column), what));
  };
  std::unordered_set<std::string> keys;
  keys.reserve(batch.rows);
  std::string key;
  for (size_t row = 0; row < batch.rows; ++row) {
    key.clear();
    for (size_t index = 0; index < spec.columns.size(); ++index) {
      const SqlColumn& column = spec.columns[index];
      const data::TableColumn* values = batch.columns[index];
      if (values == nullptr) continue;
      switch (column.type) {
        case SqlType::kText: {
          const std::string& text = values->strings[row];
          // The instrument is checked before it is quoted in a message about another column.
          if (const std::string_view problem = TextProblem(text); !problem.empty()) {
            throw Error(ErrorKind::kData, fmt::format("{}: {} row {}: {} {}", uri, spec.name, row + 1,
                                                      TableColumnName(column), problem));
          }
          if (column.key && text.empty()) fail(row, column, "is empty");
          break;
        }
        case SqlType::kDate: {
          const int year = values->dates[row].year();
          if (year < 1000 || year > 9999) fail(row, column, "is outside years 1000..9999");
          break;
        }
        case SqlType::kInteger: {
          const double value = values->numbers[row];
          if (std::isnan(value)) {
            if (column.key) fail(row, column, "is missing");
          } else if (value != std::floor(value) || std::abs(value) > std::numeric_limits<int32_t>::max()) {
            fail(row, column, fmt::format("is {}, not a whole number", value));
          }
          break;
        }
        case SqlType::kReal:
          if (std::isinf(values->numbers[row])) {
            fail(row, column, "is infinite: the store keeps NaN as NULL and rejects infinities");
          }
          break;
      }
      if (column.key) AppendKey(key, *values, column.type, row);
    }
    if (!keys.insert(key).second) {
      throw Error(ErrorKind::kData, fmt::format("{}: {} row {} (instrument '{}', {}): the key ({}) appears twice in "
                                                "one batch",
                                                uri, spec.name, row + 1, instruments->strings[row],
                                                dates->dates[row].ToString(), KeyList(spec)));
    }
  }
  return batch;
}

void SqlStore::RequireCurrentSchema() {
  if (schema_checked_) return;
  const int version = SchemaVersion();
  const int latest = LatestSchemaVersion();
  if (version == 0) {
    throw Error(ErrorKind::kData,
                fmt::format("{}: no AlphaLoom schema; run `alphaloom store migrate --uri {}` first", uri_, uri_));
  }
  if (version < latest) {
    throw Error(ErrorKind::kData, fmt::format("{}: schema version {} is older than {}; run `alphaloom store migrate "
                                              "--uri {}`",
                                              uri_, version, latest, uri_));
  }
  if (version > latest) {
    throw Error(ErrorKind::kData, fmt::format("{}: schema version {} is newer than this AlphaLoom build knows ({})",
                                              uri_, version, latest));
  }
  schema_checked_ = true;
}

void SqlStore::Put(StoreTable table, const data::Table& rows) {
  if (rows.rows() == 0) return;
  const Batch batch = MakeBatch(Spec(table), rows, uri_);
  RequireCurrentSchema();
  Upsert(batch);
}

data::Table SqlStore::Get(StoreTable table, const StoreQuery& query) {
  RequireCurrentSchema();
  return Select(Spec(table), query);
}

StoreInfo SqlStore::Info() {
  StoreInfo info;
  info.uri = uri_;
  info.backend = backend();
  info.schema_version = SchemaVersion();
  info.latest_version = LatestSchemaVersion();
  if (info.schema_version > 0) {
    for (StoreTable table : AllTables()) {
      info.rows.emplace_back(std::string(Spec(table).name), CountRows(Spec(table)));
    }
  }
  return info;
}

std::unique_ptr<SqlStore> OpenStore(std::string_view uri, const OpenOptions& options) {
  const StoreUri parsed = ParseStoreUri(uri);
  if (parsed.backend == Backend::kPostgres) return OpenPostgresStore(parsed, options);
  return OpenSqliteStore(parsed, options);
}

}  // namespace alphaloom::store
