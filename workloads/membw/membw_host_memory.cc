#include "workloads/membw/membw_host_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "harness/byte_text.h"
#include "harness/errors.h"

namespace gq {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

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
  if (map == MAP_FAILED) throw CaseSkipped("cannot map " + GiBText(double(bytes)) + " of host memory");
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
