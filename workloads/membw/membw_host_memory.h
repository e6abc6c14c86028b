#pragma once
// Host buffers for membw: anonymous mmap regions, 2 MiB aligned with transparent huge pages
// requested (madvise MADV_HUGEPAGE; fewer TLB and IOMMU entries for large streams). Pages are
// not touched here: the first write places each page on the NUMA node of the writing thread (the
// kernel's default first-touch policy), which is how callers choose where a buffer lives.
#include <cstddef>
#include <cstdint>

namespace gq {

// The available-memory check for host buffers is CheckHostMemory (harness/system/host_info.h).

class HostRegion {
 public:
  HostRegion() = default;
  HostRegion(HostRegion&& other) noexcept;
  HostRegion& operator=(HostRegion&& other) noexcept;
  HostRegion(const HostRegion&) = delete;
  HostRegion& operator=(const HostRegion&) = delete;
  ~HostRegion();

  // Throws CaseSkipped when the mapping fails.
  static HostRegion Allocate(size_t bytes);

  void* get() const { return data_; }
  template <typename T>
  T* as() const {
    return static_cast<T*>(data_);
  }
  size_t bytes() const { return bytes_; }

 private:
  void Release() noexcept;
  void* data_ = nullptr;  // first 2 MiB boundary inside the mapping
  void* map_ = nullptr;   // the mapping itself
  size_t map_bytes_ = 0;
  size_t bytes_ = 0;
};

}  // namespace gq
