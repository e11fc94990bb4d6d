#pragma once
// Dictionary coding of a string column: each distinct string kept once, one small code per row.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace alphaloom::data {

/// Appends codes to `codes` and new strings to `dictionary` (both owned by the caller, which
/// must not change them while the coder lives): a string gets the next free code the first time
/// it is seen, so codes follow first appearance.
class StringCoder {
 public:
  StringCoder(std::vector<std::string>& dictionary, std::vector<uint32_t>& codes) : dictionary_(dictionary), codes_(codes) {
    for (uint32_t code = 0; code < dictionary_.size(); ++code) index_.emplace(dictionary_[code], code);
  }

  /// The code of `text`, adding it to the dictionary when new.
  uint32_t Code(std::string_view text) {
    const auto found = index_.find(text);
    if (found != index_.end()) return found->second;
    const auto code = static_cast<uint32_t>(dictionary_.size());
    dictionary_.emplace_back(text);
    index_.emplace(dictionary_.back(), code);
    return code;
  }
  /// Appends one row holding `code`.
  void Append(uint32_t code) { codes_.push_back(code); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::vector<std::string>& dictionary_;
  std::vector<uint32_t>& codes_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
};

}  // namespace alphaloom::data
