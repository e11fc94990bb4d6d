#pragma once
// CSV bar files: the layouts of columns.h, comma/semicolon/tab delimited, optional quotes,
// gzip-compressed or plain.
#include <filesystem>
#include <string_view>

#include "alphaloom/data/bar_reader.h"

namespace alphaloom::data {

/// Parses CSV `text` read from `source`. `default_symbol` names the instrument when the file
/// has no symbol column. Empty cells and NA/NaN/null read as NaN (validation decides what that
/// means); a cell that is not a number, an unparsable date or a wrong column count gives a
/// malformed_row finding and the row is skipped. Text that is not CSV bars at all (empty,
/// binary, a JSON or HTML body, a header without the required columns) gives one not_data
/// finding. Never throws for bad content.
ParsedFile ParseBarsCsv(std::string_view text, std::string_view source, std::string_view default_symbol,
                        const ReadOptions& options);

/// Reads `path` (gzip or plain) and parses it with ParseBarsCsv; the default symbol comes from
/// the file name. Throws Error(kIo) when the file cannot be read.
ParsedFile ReadBarsCsv(const std::filesystem::path& path, const ReadOptions& options);

/// Reads a whole file into memory, decompressing gzip transparently. Throws Error(kIo).
std::string ReadFileMaybeGzip(const std::filesystem::path& path);

}  // namespace alphaloom::data
