#pragma once
// Host facts for results.system.host, read from a filesystem root so tests can point it at a
// fake tree: <root>/proc/cpuinfo, <root>/proc/meminfo, <root>/etc/os-release,
// <root>/proc/sys/kernel/{hostname,osrelease}. Missing files leave fields empty/zero, never throw.
#include <cstdint>
#include <string>

#include "harness/results.h"

namespace gq {

HostInfo DiscoverHost(const std::string& root = "/");

// MemAvailable of /proc/meminfo (memory the kernel can give without swapping), else the free
// physical pages, in bytes; 0 when unknown.
uint64_t AvailableHostMemoryBytes();

// Throws CaseSkipped ("needs X GiB of host memory, Y GiB available") when `bytes` exceeds
// `fraction` of the available host memory: first touch of an over-committed allocation would
// otherwise end in the OOM killer rather than a skipped case. Does nothing when unknown.
void CheckHostMemory(double bytes, double fraction = 0.8);

}  // namespace gq
