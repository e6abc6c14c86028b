#pragma once
// Host facts for results.system.host, read from a filesystem root so tests can point it at a
// fake tree: <root>/proc/cpuinfo, <root>/proc/meminfo, <root>/etc/os-release,
// <root>/proc/sys/kernel/{hostname,osrelease}. Missing files leave fields empty/zero, never throw.
#include <string>

#include "harness/results.h"

namespace gq {

HostInfo DiscoverHost(const std::string& root = "/");

}  // namespace gq
