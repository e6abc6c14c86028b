// Host facts from procfs and os-release (contract in host_info.h). Formats read:
//  - /proc/cpuinfo (proc(5)): "key<TAB>: value" lines; one "processor : N" line per logical
//    CPU. x86 names the CPU in "model name"; arm64 has no model name, so the first
//    "CPU implementer" / "CPU part" pair is reported instead (e.g. "ARM implementer 0x41
//    part 0xd4f" on Grace), since mapping part numbers to names would need a table we do not keep.
//  - /proc/meminfo (proc(5)): "MemTotal:  16318480 kB", where kB means KiB -> bytes * 1024.
//  - os-release (os-release(5), freedesktop): shell-style KEY=value, value optionally quoted;
//    /etc/os-release, falling back to /usr/lib/os-release as the spec says.
//  - /proc/sys/kernel/hostname and /proc/sys/kernel/osrelease: one line each.
#include "harness/system/host_info.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "harness/byte_text.h"
#include "harness/errors.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Trim(const std::string& s) {
  const char* kSpace = " \t\r\n\v\f";
  const auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

// Splits "key : value" at the first ':'; false when there is none.
bool SplitKeyValue(const std::string& line, std::string* key, std::string* value) {
  const auto colon = line.find(':');
  if (colon == std::string::npos) return false;
  *key = Trim(line.substr(0, colon));
  *value = Trim(line.substr(colon + 1));
  return true;
}

void ParseCpuinfo(const std::string& text, HostInfo* host) {
  std::istringstream in(text);
  std::string line, key, value, implementer, part;
  int processors = 0;
  while (std::getline(in, line)) {
    if (!SplitKeyValue(line, &key, &value)) continue;
    if (key == "processor") {
      ++processors;
    } else if (key == "model name" && host->cpu.empty()) {
      host->cpu = value;
    } else if (key == "CPU implementer" && implementer.empty()) {
      implementer = value;
    } else if (key == "CPU part" && part.empty()) {
      part = value;
    }
  }
  if (host->cpu.empty() && !implementer.empty()) {
    host->cpu = "ARM implementer " + implementer + (part.empty() ? "" : " part " + part);
  }
  host->cores = processors;
}

// The value of a /proc/meminfo field in bytes; 0 when absent.
uint64_t ParseMeminfoBytes(const std::string& text, const std::string& field) {
  std::istringstream in(text);
  std::string line, key, value;
  while (std::getline(in, line)) {
    if (!SplitKeyValue(line, &key, &value) || key != field) continue;
    std::istringstream fields(value);
    uint64_t amount = 0;
    std::string unit;
    if (!(fields >> amount)) return 0;
    fields >> unit;
    return unit == "kB" ? amount * 1024 : amount;  // the kernel always writes kB
  }
  return 0;
}

// The value of KEY=value in os-release text, unquoted; empty when absent.
std::string OsReleaseValue(const std::string& text, const std::string& wanted) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos || Trim(line.substr(0, eq)) != wanted) continue;
    std::string value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    std::string unescaped;  // os-release(5): \" \\ \$ \` escapes inside double quotes
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      unescaped += value[i];
    }
    return unescaped;
  }
  return "";
}

bool IsFilesystemRoot(const fs::path& root) { return root.lexically_normal() == fs::path("/"); }

}  // namespace

HostInfo DiscoverHost(const std::string& root) {
  const fs::path base(root.empty() ? "/" : root);  // an empty root means the real one
  HostInfo host;
  if (auto cpuinfo = ReadFile(base / "proc/cpuinfo")) ParseCpuinfo(*cpuinfo, &host);
  if (host.cores == 0 && IsFilesystemRoot(base)) {
    host.cores = static_cast<int>(std::thread::hardware_concurrency());  // 0 if unknown
  }
  if (auto meminfo = ReadFile(base / "proc/meminfo")) {
    host.memory_bytes = ParseMeminfoBytes(*meminfo, "MemTotal");
  }
  auto os_release = ReadFile(base / "etc/os-release");
  if (!os_release) os_release = ReadFile(base / "usr/lib/os-release");
  if (os_release) host.os = OsReleaseValue(*os_release, "PRETTY_NAME");
  if (auto hostname = ReadFile(base / "proc/sys/kernel/hostname")) host.hostname = Trim(*hostname);
  if (auto kernel = ReadFile(base / "proc/sys/kernel/osrelease")) host.kernel = Trim(*kernel);
  return host;
}

uint64_t AvailableHostMemoryBytes() {
  if (auto meminfo = ReadFile("/proc/meminfo")) {
    if (const uint64_t bytes = ParseMeminfoBytes(*meminfo, "MemAvailable"); bytes > 0) return bytes;
  }
  const long pages = sysconf(_SC_AVPHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

void CheckHostMemory(double bytes, double fraction) {
  const uint64_t available = AvailableHostMemoryBytes();
  if (available > 0 && bytes > fraction * static_cast<double>(available)) {
    throw CaseSkipped("needs " + GiBText(bytes) + " of host memory, " + GiBText(double(available)) +
                      " available");
  }
}

}  // namespace gq
