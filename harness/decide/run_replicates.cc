#include "harness/decide/run_replicates.h"

#include <algorithm>

namespace gq {

std::vector<double> CombineDevices(const std::vector<std::vector<double>>& per_device,
                                   const std::function<double(const std::vector<double>&)>& combine) {
  std::size_t rounds = 0;
  for (const std::vector<double>& d : per_device) rounds = std::max(rounds, d.size());
  std::vector<double> out;
  for (std::size_t i = 0; i < rounds; ++i) {
    std::vector<double> round;
    for (const std::vector<double>& d : per_device) {
      if (i < d.size()) round.push_back(d[i]);
    }
    out.push_back(combine(round));
  }
  return out;
}

}  // namespace gq
