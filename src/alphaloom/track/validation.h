#pragma once
// MLflow's naming rules and size limits (mlflow/utils/validation.py), checked before anything is
// written so that a store the MLflow UI cannot open is never produced. Keys are checked with the
// ASCII subset of MLflow's pattern (letters, digits, '_', '-', '.', ' ', ':', '/'), which every
// MLflow store accepts.
#include <cstddef>
#include <string>
#include <string_view>

namespace alphaloom::track {

inline constexpr size_t kMaxKeyLength = 250;             ///< param, metric and tag keys
inline constexpr size_t kMaxParamValueLength = 6000;     ///< characters (code points)
inline constexpr size_t kMaxTagValueLength = 8000;       ///< run tag values
inline constexpr size_t kMaxExperimentNameLength = 256;  ///< SQL column width, below MLflow's 500
inline constexpr size_t kMaxModelTagValueLength = 100000;
inline constexpr size_t kMaxAliasLength = 255;
inline constexpr size_t kMaxBatchMetrics = 1000;  ///< runs/log-batch limits
inline constexpr size_t kMaxBatchParams = 100;
inline constexpr size_t kMaxBatchTags = 100;
inline constexpr size_t kMaxBatchEntities = 1000;
inline constexpr size_t kMaxBatchBytes = 1000000;

/// Throws Error(kData) "invalid <what> key '<key>': <reason>" unless `key` is non-empty, at most
/// kMaxKeyLength long, made of allowed characters, and path-unique (no leading or trailing '/',
/// no "//", no "." or ".." segment). `what` is "param", "metric" or "tag".
void ValidateKey(std::string_view what, std::string_view key);

/// A key MLflow accepts, derived from `key`: disallowed characters become '_', empty, "." and
/// ".." segments are dropped, and the result is cut to kMaxKeyLength. Never empty ("_" at
/// worst). ValidateKey(SanitizeKey(k)) never throws.
std::string SanitizeKey(std::string_view key);

/// Number of Unicode code points of UTF-8 `text` (MLflow's limits count characters).
size_t CodePointCount(std::string_view text);

/// `value` cut to at most `max_chars` code points, never inside a multi-byte character; this is
/// what MLflow itself stores for an over-long param or tag value (MLFLOW_TRUNCATE_LONG_VALUES).
std::string TruncateValue(std::string_view value, size_t max_chars);

/// Throws Error(kData) unless `name` is a valid experiment name (non-empty, at most
/// kMaxExperimentNameLength characters).
void ValidateExperimentName(std::string_view name);

/// Throws Error(kData) unless `name` is a valid registered-model name: non-empty, no '/', ':',
/// '%' or '\\', not "." or "..", no leading or trailing space.
void ValidateModelName(std::string_view name);

/// Throws Error(kData) unless `alias` matches [A-Za-z0-9_-]+, is at most kMaxAliasLength long,
/// and is not reserved ("latest" in any case, or "v" followed by digits).
void ValidateAlias(std::string_view alias);

/// Throws Error(kData) unless `path` is a relative artifact path: '/'-separated, no empty, "."
/// or ".." segment, no backslash. The empty path (the artifact root) is valid.
void ValidateArtifactPath(std::string_view path);

}  // namespace alphaloom::track
