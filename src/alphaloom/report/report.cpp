#include "alphaloom/report/report.h"

#include <fmt/format.h>
#include <spawn.h>
#include <fcntl.h>
#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

extern char** environ;

namespace alphaloom::report {

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot open", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t at = 0; at < bytes.size(); at += 3) {
    const size_t left = bytes.size() - at;
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 16;
    if (left > 1) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 8;
    if (left > 2) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2]));
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string FormatValue(const nlohmann::ordered_json& value) {
  if (value.is_number_float()) return fmt::format("{:.6g}", value.get<double>());
  if (value.is_string()) return Escape(value.get<std::string>());
  if (value.is_null()) return "n/a";
  return Escape(value.dump());
}

std::string Table(const nlohmann::ordered_json& object, const std::string& title) {
  std::string html = fmt::format("<h2>{}</h2>\n<table>\n", Escape(title));
  for (const auto& [key, value] : object.items()) {
    if (value.is_object()) continue;
    html += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", Escape(key), FormatValue(value));
  }
  return html + "</table>\n";
}

}  // namespace

void RunChartScript(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  std::vector<char*> pointers;
  for (const std::string& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
  pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, pointers[0], &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw Error(ErrorKind::kExternal, fmt::format("cannot start {} for the report charts: {} (set --report-python or "
                                                  "ALPHALOOM_REPORT_PYTHON; scripts/setup.sh creates .venv-bt)",
                                                  argv[0], std::strerror(spawned)));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string output = ReadFile(log);
    if (output.size() > 1500) output = output.substr(output.size() - 1500);
    throw Error(ErrorKind::kExternal, fmt::format("report chart script failed ({}): {}", argv[1], output));
  }
}

std::filesystem::path ReportPython(const ReportOptions& options) {
  if (!options.python.empty()) return options.python;
  if (const char* env = std::getenv("ALPHALOOM_REPORT_PYTHON"); env != nullptr && *env != '\0') return env;
  return ALPHALOOM_REPORT_DEFAULT_PYTHON;
}

void WriteReport(const std::filesystem::path& run, const std::filesystem::path& out, const ReportOptions& options) {
  for (const char* required : {"daily.csv", "summary.json"}) {
    if (!std::filesystem::exists(run / required)) {
      throw Error(ErrorKind::kIo, fmt::format("{}: not a backtest run folder (no {})", run.string(), required));
    }
  }
  if (!options.importance.empty() && !std::filesystem::exists(options.importance)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: importance file not found", options.importance));
  }
  const char* script_env = std::getenv("ALPHALOOM_REPORT_SCRIPT");
  const std::string script = script_env != nullptr && *script_env != '\0' ? script_env : ALPHALOOM_REPORT_SCRIPT;
  StagingDirectory staging(out);
  // The log sits beside the staging directory so that it never becomes part of the report.
  const std::filesystem::path log = staging.path().string() + ".log";
  std::vector<std::string> argv = {ReportPython(options).string(), script, run.string(), staging.path().string()};
  if (!options.importance.empty()) {
    argv.push_back("--importance");
    argv.push_back(options.importance);
  }
  try {
    RunChartScript(argv, log);
  } catch (...) {
    std::filesystem::remove(log);
    throw;
  }
  std::filesystem::remove(log);

  const nlohmann::ordered_json summary = nlohmann::ordered_json::parse(ReadFile(run / "summary.json"));
  nlohmann::ordered_json config;
  if (std::filesystem::exists(run / "config.json")) config = nlohmann::ordered_json::parse(ReadFile(run / "config.json"));
  const nlohmann::json charts = nlohmann::json::parse(ReadFile(staging.path() / "charts.json"));

  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>AlphaLoom backtest report</title>\n"
      "<style>body{font-family:sans-serif;max-width:1150px;margin:24px auto;color:#222}"
      "table{border-collapse:collapse;margin-bottom:18px}th,td{border:1px solid #ccc;padding:3px 10px;"
      "text-align:left;font-size:13px}th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee}"
      ".grid{display:flex;gap:28px;flex-wrap:wrap}</style></head><body>\n";
  html += fmt::format("<h1>Backtest report</h1>\n<p>Run folder: <code>{}</code></p>\n", Escape(run.string()));
  html += "<div class=\"grid\"><div>" + Table(summary, "Summary") + "</div><div>";
  if (summary.contains("risk_analysis")) {
    for (const auto& [series, numbers] : summary["risk_analysis"].items()) {
      html += Table(numbers, "risk_analysis: " + series);
    }
  }
  if (summary.contains("signal")) html += Table(summary["signal"], "Signal");
  if (summary.contains("conventions")) html += Table(summary["conventions"], "Conventions");
  if (!config.is_null()) html += Table(config, "Configuration");
  html += "</div></div>\n";
  for (const auto& chart : charts) {
    const std::string file = chart["file"].get<std::string>();
    html += fmt::format("<h2>{}</h2>\n<img alt=\"{}\" src=\"data:image/png;base64,{}\">\n",
                        Escape(chart["title"].get<std::string>()), Escape(chart["name"].get<std::string>()),
                        Base64(ReadFile(staging.path() / file)));
  }
  html += "</body></html>\n";
  WriteFileAtomic(staging.path() / "index.html", html);
  staging.Commit();
}

}  // namespace alphaloom::report
