#pragma once
// Helpers the backends share (internal to the model module).
#include <string>
#include <string_view>
#include <utility>

#include "alphaloom/model/model.h"

namespace alphaloom::model {

/// Throws Error(kConfig) unless the parameter's name and value are non-empty text without
/// whitespace or '=' (both libraries split "name=value" text on them) and without control
/// characters.
void CheckParamText(std::string_view library, const std::string& name, const std::string& value);

/// Throws Error(kConfig) for a spec no backend can honour (counts out of range, num_class
/// inconsistent with the objective).
void CheckSpecCommon(const ModelSpec& spec);

/// Throws Error(kConfig) saying that `name` is set through the spec field `field`.
[[noreturn]] void ThrowReservedParam(std::string_view library, std::string_view name, std::string_view field);

/// Owns a C-API handle (both libraries' handles are void*) and releases it with `Free` when
/// destroyed or replaced. Move-assignable, not copyable.
template <auto Free>
class OwnedHandle {
 public:
  OwnedHandle() = default;
  explicit OwnedHandle(void* handle) : handle_(handle) {}
  ~OwnedHandle() { Reset(); }
  OwnedHandle(const OwnedHandle&) = delete;
  OwnedHandle& operator=(const OwnedHandle&) = delete;
  OwnedHandle& operator=(OwnedHandle&& other) noexcept {
    Reset();
    std::swap(handle_, other.handle_);
    return *this;
  }
  void* get() const { return handle_; }

 private:
  void Reset() {
    if (handle_ != nullptr) Free(handle_);  // a failure to free cannot be reported from here
    handle_ = nullptr;
  }
  void* handle_ = nullptr;
};

}  // namespace alphaloom::model
