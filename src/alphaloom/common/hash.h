#pragma once
// Content hashing for caches and provenance: SHA-256 (FIPS 180-4), hex-encoded.
#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace alphaloom {

/// Incremental SHA-256. Feed bytes with Update, read the digest once with HexDigest.
class ContentHasher {
 public:
  ContentHasher();
  ContentHasher& Update(std::span<const uint8_t> bytes);
  ContentHasher& Update(std::string_view text);
  /// Hashes a length prefix and the text, so ("ab","c") and ("a","bc") differ.
  ContentHasher& UpdateField(std::string_view text);
  /// Streams a file's bytes. Throws Error(kIo) when it cannot be read.
  ContentHasher& UpdateFile(const std::filesystem::path& path);
  /// Finishes and returns 64 lower-case hex digits. The hasher must not be used afterwards.
  std::string HexDigest();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

/// SHA-256 hex digest of `text`.
std::string Sha256Hex(std::string_view text);

}  // namespace alphaloom
