#pragma once
// Assembles results.system: host facts, cloud identity, CUDA devices (with their SKU matched
// against device_specs), and the process world (single process or MPI ranks).
#include <map>
#include <string>

#include "harness/device.h"
#include "harness/results.h"
#include "harness/system/communicator.h"
#include "harness/system/device_specs.h"

namespace gq {

SystemInfo DiscoverSystem();

// The SKU of one device of this process: "cpu", or the GPU's matched SKU ("unknown" when its name
// matches none, it is not visible, or CUDA fails to list it). Never throws.
std::string DeviceSku(const DeviceRef& device);

// results.system.world of a run in `world`: ranks, nodes (distinct hostnames) and backend.
WorldInfo WorldInfoOf(const Communicator& world);

// Device name ("cuda:0") -> datasheet spec, for the GPUs whose SKU is known.
std::map<std::string, const DeviceSpec*> SpecsByDevice(const SystemInfo& system);

}  // namespace gq
