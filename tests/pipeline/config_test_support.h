#pragma once
// Reading one section of a workflow written inline, and catching the one-line error it gives:
// what the config-reader tests of every section share.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/pipeline/config_section.h"

namespace alphaloom::test {

/// `read` applied to section `name` of `yaml` (as file wf.yaml).
template <typename Reader>
auto ReadSection(const std::string& yaml, const std::string& name, Reader read) {
  pipeline::ConfigSection top(pipeline::LoadYamlText(yaml, "wf.yaml"), "", "wf.yaml");
  pipeline::ConfigSection section = top.Child(name);
  return read(section);
}

/// The message of the Error(kConfig) that `read` throws; a test failure when it throws another
/// kind or accepts.
inline std::string ConfigError(const std::function<void()>& read) {
  try {
    read();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "accepted";
  return "";
}

}  // namespace alphaloom::test
