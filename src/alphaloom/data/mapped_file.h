#pragma once
// Read-only memory maps of files, so store reads run at memory speed.
#include <cstddef>
#include <filesystem>
#include <span>

namespace alphaloom::data {

class MappedFile {
 public:
  /// Maps `path` read-only. Throws Error(kIo) naming the file when it cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace alphaloom::data
