// The process token that lets a later process tell whether a run's owner is still alive, the
// time-left estimate of progress lines, and the interrupt watcher's last words.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "alphaloom/common/interrupt.h"
#include "alphaloom/common/process.h"
#include "alphaloom/common/progress.h"

namespace alphaloom {
namespace {

std::string Host() {
  char name[256] = {};
  gethostname(name, sizeof(name) - 1);
  return name;
}

TEST(ProcessToken, NamesThisProcessAndItIsAlive) {
  const std::string token = ProcessToken();
  EXPECT_EQ(token.rfind(Host() + ":" + std::to_string(getpid()) + ":", 0), 0u) << token;
  EXPECT_TRUE(ProcessMayBeAlive(token));
}

TEST(ProcessToken, AFinishedChildIsGone) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_FALSE(ProcessMayBeAlive(Host() + ":" + std::to_string(child) + ":12345"));
}

TEST(ProcessToken, AReusedPidIsNotTheSameProcess) {
  // This process's pid with another start time: the pid now belongs to someone else.
  EXPECT_FALSE(ProcessMayBeAlive(Host() + ":" + std::to_string(getpid()) + ":1"));
}

TEST(ProcessToken, OtherHostsAndMalformedTokensCannotBeJudged) {
  EXPECT_TRUE(ProcessMayBeAlive("some-other-host.example:1:1"));
  EXPECT_TRUE(ProcessMayBeAlive("garbage"));
  EXPECT_TRUE(ProcessMayBeAlive(Host() + ":notapid:1"));
  EXPECT_TRUE(ProcessMayBeAlive(""));
}

TEST(FormatEta, ScalesTheElapsedTimeByWhatIsLeft) {
  EXPECT_EQ(FormatEta(10, 0.5), "10s");
  EXPECT_EQ(FormatEta(30, 0.25), "1m30s");
  EXPECT_EQ(FormatEta(3600, 0.5), "1h00m");
  EXPECT_EQ(FormatEta(7, 1.0), "0s");
  EXPECT_EQ(FormatEta(5, 0.0), "?");
}

TEST(InterruptWatcherDeathTest, SigtermRunsTheLastWordsThenExits143) {
  EXPECT_EXIT(
      {
        InterruptWatcher watcher([](int signal) { std::fprintf(stderr, "last words for signal %d\n", signal); });
        std::raise(SIGTERM);
        std::this_thread::sleep_for(std::chrono::seconds(10));
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "last words for signal 15");
}

TEST(InterruptWatcher, LeavesTheHandlersAsTheyWereWhenDestroyed) {
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  { InterruptWatcher watcher([](int) {}); }
  struct sigaction after {};
  sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(before.sa_handler, after.sa_handler);
  // A second watcher may be made once the first is gone.
  InterruptWatcher again([](int) {});
}

}  // namespace
}  // namespace alphaloom
