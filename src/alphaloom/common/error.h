#pragma once
// One error type for every failure that ends an operation. The CLI turns it into one line and
// the exit code of its kind.
#include <stdexcept>
#include <string>
#include <string_view>

namespace alphaloom {

/// What went wrong, in the terms a user acts on. Each kind maps to one process exit code.
enum class ErrorKind {
  kUsage,     ///< bad command-line arguments (exit 2)
  kConfig,    ///< bad configuration key or value (exit 3)
  kData,      ///< malformed or invalid input data (exit 4)
  kIo,        ///< file system failure: missing file, unwritable directory (exit 5)
  kNotFound,  ///< unknown instrument, field or object (exit 6)
  kExternal,  ///< a third-party library or server reported a failure (exit 7)
  kInternal,  ///< a broken invariant: a bug in AlphaLoom (exit 70)
};

/// Process exit code for `kind`; 0 is success and 1 is reserved for uncaught failures.
int ExitCode(ErrorKind kind);

/// Lower-case name of `kind` ("data", "io", ...), used in logs and JSON output.
std::string_view KindName(ErrorKind kind);

/// The exception every AlphaLoom module throws. The message is one line that names the file,
/// line, instrument, date or key at fault.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

/// Throws kInternal with `message` when `condition` is false: for invariants, not input checks.
inline void Check(bool condition, std::string_view message) {
  if (!condition) throw Error(ErrorKind::kInternal, "internal error: " + std::string(message));
}

}  // namespace alphaloom
