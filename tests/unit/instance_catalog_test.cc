#include "harness/decide/instance_catalog.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "harness/errors.h"
#include "harness/system/device_specs.h"

namespace gq {
namespace {

const std::string kShipped = std::string(GQ_TEST_DATA_DIR) + "/../../baselines/instances.json";

TEST(InstanceCatalogTest, ShippedCatalogCoversTheMainCloudsWithKnownSkus) {
  InstanceCatalog c = ReadInstanceCatalog(kShipped);
  std::set<std::string> providers;
  for (const InstanceEntry& e : c.instances) {
    providers.insert(e.provider);
    // a10g (AWS g5) has no public datasheet, so no SKU entry: qualify warns "unknown SKU".
    if (e.gpu_sku != "a10g") EXPECT_NE(FindSku(e.gpu_sku), nullptr) << e.instance_type << ": " << e.gpu_sku;
    EXPECT_FALSE(e.source.empty()) << e.instance_type;
  }
  EXPECT_EQ(providers, (std::set<std::string>{"aws", "azure", "gcp", "oci"}));
  const InstanceEntry* p5 = c.Find("p5.48xlarge");
  ASSERT_NE(p5, nullptr);
  EXPECT_EQ(p5->gpu_sku, "h100-sxm-80gb");
  EXPECT_EQ(p5->gpu_count, 8);
  EXPECT_NE(c.Find("standard_nd96isr_h100_v5"), nullptr);  // case-insensitive
}

TEST(InstanceCatalogTest, BadCatalogsAreUsageErrors) {
  const std::string path = ::testing::TempDir() + "/gq_catalog.json";
  auto error_of = [&](const std::string& text) {
    std::ofstream(path) << text;
    try {
      ReadInstanceCatalog(path);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string entry = R"({"provider": "aws", "instance_type": "x", "gpu_sku": "l4", "gpu_count": 1, "gpu_interconnect": "", "network": "", "source": ""})";
  EXPECT_EQ(error_of(R"({"schema": "gpuqual.instances/2", "instances": []})"), path + ": schema: 'gpuqual.instances/2' is not gpuqual.instances/1");
  EXPECT_EQ(error_of(R"({"schema": "gpuqual.instances/1", "instances": [)" + entry + "," + entry + "]}"),
            path + ": instances[1].instance_type: 'x' is listed twice");
  EXPECT_NE(error_of("{").find("malformed JSON"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace gq
