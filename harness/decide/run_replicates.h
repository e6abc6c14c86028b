#pragma once
// A run's replicates of one case over the devices it ran on (DESIGN.md §7: compare and rank decide
// on the spread between runs, and the GPUs of one run are not runs).
//
// `per_device[d]` holds device d's replicate values in round order (CaseResult::ReplicateMediansS:
// one per round of --repetitions, else one). The run's replicate of round i combines the devices
// that have a round i: combine({per_device[d][i]}). So an 8-GPU run of 3 rounds gives 3
// replicates, as a 1-GPU run of 3 rounds does; the devices' spread is not a between-run spread.
// Baselines combine with the median (a typical GPU of the SKU: one slow GPU does not move it), rank
// with the mean (the instance's throughput over its GPUs: one slow GPU lowers it).
#include <functional>
#include <vector>

namespace gq {

std::vector<double> CombineDevices(const std::vector<std::vector<double>>& per_device,
                                   const std::function<double(const std::vector<double>&)>& combine);

}  // namespace gq
