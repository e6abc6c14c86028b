#include "harness/clock.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <random>

namespace gq {
namespace {

std::string FormatUtc(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

// The hostname with every character outside [A-Za-z0-9.-] replaced, for file names and ids.
std::string SafeHost(const std::string& hostname) {
  std::string out;
  for (char c : hostname) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return out.empty() ? "host" : out;
}

}  // namespace

std::string UtcTimestamp() { return FormatUtc("%Y-%m-%dT%H:%M:%SZ"); }

std::string NewRunId(const std::string& hostname) {
  std::random_device rd;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x", static_cast<unsigned>(rd() & 0xffffff));
  return FormatUtc("%Y%m%dT%H%M%SZ") + "-" + SafeHost(hostname) + "-" + hex;
}

std::string RunIdProblem(const std::string& id) {
  if (id.empty() || id.size() > 128) return "a run id is 1 to 128 characters";
  if (id[0] == '.' || id[0] == '-') return "a run id does not start with . or -";
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return "a run id is made of A-Z a-z 0-9 . _ - only";
    }
  }
  return "";
}

std::string ResultsPathOf(const std::string& run_id) { return "results/" + run_id + ".json"; }

std::string NewResultsPath(const std::string& hostname, std::string* run_id) {
  for (;;) {
    *run_id = NewRunId(hostname);
    std::string path = ResultsPathOf(*run_id);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return path;
  }
}

}  // namespace gq
