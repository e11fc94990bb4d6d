#include "alphaloom/common/error.h"

namespace alphaloom {

int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return 2;
    case ErrorKind::kConfig: return 3;
    case ErrorKind::kData: return 4;
    case ErrorKind::kIo: return 5;
    case ErrorKind::kNotFound: return 6;
    case ErrorKind::kExternal: return 7;
    case ErrorKind::kInternal: return 70;
  }
  return 70;
}

std::string_view KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return "usage";
    case ErrorKind::kConfig: return "config";
    case ErrorKind::kData: return "data";
    case ErrorKind::kIo: return "io";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kExternal: return "external";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace alphaloom
