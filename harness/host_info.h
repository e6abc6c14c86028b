#pragma once
// Host facts for results.system.host, read from a filesystem root so tests can point it at a
// fake tree: <root>/proc/cpuinfo, <root>/proc/meminfo, <root>/etc/os-release,
// <root>/proc/sys/kernel/{hostname,osrelease}. Missing files leave fields empty/zero, never throw.
#include <cstdint>
#include <string>

#include "harness/results.h"

namespace gq {

HostInfo DiscoverHost(const std::string& root = "/");

// MemAvailable of /proc/meminfo (memory the kernel can give without swapping), in bytes; 0 when
// unknown.
uint64_t AvailableHostMemoryBytes();

}  // namespace gq
