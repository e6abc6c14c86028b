#pragma once
// Instance prices (`--prices FILE`, schema gpuqual.prices/1), read once in C++ for every figure a
// buyer decides on (harness/decide/procurement.h). Prices are per instance hour, in USD:
//   {"schema": "gpuqual.prices/1",
//    "prices": [{"provider": "aws", "instance_type": "p5.48xlarge", "usd_per_hour": 98.32,
//                "gpus": 8, "region": "us-east-1", "note": "on-demand, 2025-01"}]}
// "provider", "gpus", "region" and "note" are optional. A run is matched by its instance type (the
// "instance_type" label when set, else system.cloud.instance_type); among entries with that type
// the first whose provider and region both equal the run's wins, else the first whose provider
// does, else the first. "gpus" (> 0) overrides the run's GPU count as the number of GPUs the price
// buys. One (instance_type, provider, region) priced twice is refused: which price was meant
// cannot be told.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/results.h"

namespace gq {

inline constexpr const char* kPricesSchema = "gpuqual.prices/1";

struct InstancePrice {
  std::string provider, instance_type, region, note;
  double usd_per_hour = 0;  // > 0, finite
  int gpus = 0;             // 0 = the run's GPU count
};

struct PriceList {
  std::string origin;
  std::vector<InstancePrice> prices;
  // The price for a run (rules above), or nullptr.
  const InstancePrice* Match(const ResultsDoc& run) const;
};

// Throws UsageError naming the file and key on any problem.
PriceList ReadPriceList(const std::string& path);
PriceList PriceListFromJson(const nlohmann::ordered_json& j, const std::string& origin);

}  // namespace gq
