#include "alphaloom/common/atomic_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom {
namespace {

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

size_t EntriesIn(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

TEST(AtomicFile, WritesAndLeavesNoTemporaries) {
  test::TempDir dir;
  WriteFileAtomic(dir / "a.txt", "one");
  WriteFileAtomic(dir / "a.txt", "two");
  EXPECT_EQ(Slurp(dir / "a.txt"), "two");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
  EXPECT_THROW(WriteFileAtomic(dir / "missing" / "a.txt", "x"), Error);
}

TEST(StagingDirectory, UncommittedWorkVanishesAndTheOldTreeStays) {
  test::TempDir dir;
  const auto target = dir / "store";
  {
    StagingDirectory staging(target);
    test::WriteText(staging.path() / "v.txt", "1");
    staging.Commit();
  }
  EXPECT_EQ(Slurp(target / "v.txt"), "1");
  try {
    StagingDirectory staging(target);
    test::WriteText(staging.path() / "v.txt", "half-written");
    throw std::runtime_error("failure mid-write");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(Slurp(target / "v.txt"), "1");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

TEST(StagingDirectory, CommitReplacesAnExistingTreeWhole) {
  test::TempDir dir;
  const auto target = dir / "store";
  test::WriteText(target / "old-only.txt", "old");
  {
    StagingDirectory staging(target);
    test::WriteText(staging.path() / "new.txt", "new");
    staging.Commit();
  }
  EXPECT_FALSE(std::filesystem::exists(target / "old-only.txt"));
  EXPECT_EQ(Slurp(target / "new.txt"), "new");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

}  // namespace
}  // namespace alphaloom
