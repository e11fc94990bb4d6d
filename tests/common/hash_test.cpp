#include "alphaloom/common/hash.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace alphaloom {
namespace {

// FIPS 180-4 / NIST example vectors.
TEST(ContentHasher, MatchesSha256TestVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(ContentHasher, IncrementalEqualsOneShotAtEverySplit) {
  const std::string text = "The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over it.";
  const std::string expected = Sha256Hex(text);
  for (size_t split = 0; split <= text.size(); ++split) {
    ContentHasher hasher;
    hasher.Update(std::string_view(text).substr(0, split)).Update(std::string_view(text).substr(split));
    ASSERT_EQ(hasher.HexDigest(), expected) << split;
  }
}

TEST(ContentHasher, FieldsAreLengthPrefixedAndFilesStream) {
  EXPECT_NE(ContentHasher().UpdateField("ab").UpdateField("c").HexDigest(),
            ContentHasher().UpdateField("a").UpdateField("bc").HexDigest());
  test::TempDir dir;
  const std::string content(200000, 'x');
  test::WriteText(dir / "f.bin", content);
  EXPECT_EQ(ContentHasher().UpdateFile(dir / "f.bin").HexDigest(), Sha256Hex(content));
}

}  // namespace
}  // namespace alphaloom
