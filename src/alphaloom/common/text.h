#pragma once
// Small text helpers shared by the CLI and config readers.
#include <string>
#include <string_view>
#include <vector>

namespace alphaloom {

/// The non-empty parts of `text` between commas, in order ("a,,b," gives {"a", "b"}); no
/// trimming.
std::vector<std::string> SplitCommas(std::string_view text);

}  // namespace alphaloom
