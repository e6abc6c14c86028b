#pragma once
// The parts of `gpuqual run` that concern the process world (DESIGN.md §8): agreeing on setup
// before a multi-rank run starts, and the note about single-rank collectives.
#include <exception>
#include <ostream>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/measure/runner.h"
#include "harness/options.h"
#include "harness/results.h"
#include "harness/system/communicator.h"

namespace gq::cli {

// Called by every rank after a setup step that may fail on some ranks only (`error`: this rank's
// failure, if any). Returns 0 when the run can go on everywhere. Otherwise the ranks stop
// together: rank 0 rethrows its own error (main reports it); a rank whose error rank 0 does not
// share prints it (prefixed with its rank) and returns 2 (bad input) or 1; the other ranks return
// 2 quietly. Also stops the run (UsageError on rank 0) when ranks resolved their devices to
// different kinds (some on the cpu, some on GPUs). In a single process: rethrows `error`, if any.
int AgreeOnSetup(Communicator& world, const std::exception_ptr& error,
                 const std::vector<DeviceRef>& devices);

// Called by every rank once setup agreed: the ranks must have planned the same run (the same
// cases in order, devices filters, rounds and measure options), or they would wait for each other
// in different collectives forever (command lines or suite files that differ between nodes).
// Compares a 64-bit FNV-1a fingerprint of the plan across ranks; on a difference rank 0 throws
// UsageError and the others return 2. Returns 0 when all agree (always in a single process).
int AgreeOnPlan(Communicator& world, const std::vector<PlannedCase>& plan, const MeasureOptions& measure);

// Called by every rank once the plan agreed, with the SKU of this rank's device (DeviceSku):
// on rank 0 of a multi-rank run, the distinct SKUs over the ranks, sorted (results.system.world
// .skus, which CaseSku reads for "<N>xcuda" cases); empty on the other ranks and in a single process.
std::vector<std::string> GatherRankSkus(Communicator& world, const std::string& own_sku);

// After the table: a line saying how many collective cases ran on a single rank, whose bus
// bandwidth is undefined (reported as 0) and which qualification leaves out. Nothing when none.
void PrintSingleRankNote(const ResultsDoc& doc, std::ostream& out);

}  // namespace gq::cli
