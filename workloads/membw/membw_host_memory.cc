#include "workloads/membw/membw_host_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "harness/errors.h"

namespace gq {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

std::string Gib(double bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f GiB", bytes / double(uint64_t{1} << 30));
  return text;
}

}  // namespace

uint64_t HostAvailableBytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    uint64_t kib = 0;
    if (fields >> kib) return kib * 1024;
  }
  const long pages = sysconf(_SC_AVPHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

void CheckHostMemory(double bytes, double fraction) {
  const uint64_t available = HostAvailableBytes();
  if (available > 0 && bytes > fraction * static_cast<double>(available)) {
    throw CaseSkipped("needs " + Gib(bytes) + " of host memory, " + Gib(double(available)) +
                      " available");
  }
}

HostRegion::HostRegion(HostRegion&& other) noexcept { *this = std::move(other); }

HostRegion& HostRegion::operator=(HostRegion&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    map_ = std::exchange(other.map_, nullptr);
    map_bytes_ = std::exchange(other.map_bytes_, 0);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

HostRegion::~HostRegion() { Release(); }

HostRegion HostRegion::Allocate(size_t bytes) {
  HostRegion region;
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  region.map_bytes_ = rounded + kHugePage;  // room to align the start to 2 MiB
  void* map =
      mmap(nullptr, region.map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) throw CaseSkipped("cannot map " + Gib(double(bytes)) + " of host memory");
  region.map_ = map;
  const uintptr_t start = (reinterpret_cast<uintptr_t>(map) + kHugePage - 1) & ~(kHugePage - 1);
  region.data_ = reinterpret_cast<void*>(start);
  region.bytes_ = bytes;
  madvise(region.data_, rounded, MADV_HUGEPAGE);  // a hint; kernels without THP ignore it
  return region;
}

void HostRegion::Release() noexcept {
  if (map_ != nullptr) munmap(map_, map_bytes_);
  data_ = map_ = nullptr;
  map_bytes_ = bytes_ = 0;
}

}  // namespace gq
