// Cloud detection from SMBIOS/DMI (contract in cloud_detect.h). Markers, as the providers set them
// (each file is trimmed of surrounding whitespace/newlines before comparing):
//  - AWS Nitro: sys_vendor "Amazon EC2" (board_vendor too) and product_name = the instance type
//    ("p5.48xlarge"); AWS documents this in "Identify EC2 Linux instances". Older Xen instances
//    carry "amazon" in bios_version/product_version (e.g. "4.11.amazon") or bios_vendor; their
//    DMI does not name the instance type.
//  - Azure: chassis_asset_tag "7783-7084-3265-9085-8269-3286-77" (sys_vendor "Microsoft
//    Corporation", product_name "Virtual Machine"). Hyper-V outside Azure has the same vendor and
//    product but not the tag, so the tag alone decides. Instance type is not in DMI.
//  - GCP: sys_vendor "Google" or product_name "Google Compute Engine" (bios_vendor "Google").
//  - OCI: chassis_asset_tag "OracleCloud.com".
// Anything else is provider "unknown" (bare metal, on-prem, other clouds). No field here names
// the region.
//
// Environment overrides (non-empty values win, field by field): GQ_CLOUD_PROVIDER (lowercased),
// GQ_INSTANCE_TYPE, GQ_REGION. `source` says where the reported facts came from:
//   dmi_dir     every reported fact came from DMI (or DMI was readable but unrecognised)
//   "none"      DMI unreadable and no override
//   "env"       every reported fact came from the environment (DMI gave nothing that was kept)
//   "dmi+env"   some facts from each (e.g. provider and instance type from DMI, region from env)
// A "fact" is a non-empty field, counting provider only when it is not "unknown".
#include "harness/system/cloud_detect.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gq {
namespace {

namespace fs = std::filesystem;

constexpr char kAzureAssetTag[] = "7783-7084-3265-9085-8269-3286-77";
constexpr char kOciAssetTag[] = "OracleCloud.com";

struct Dmi {
  std::string sys_vendor, product_name, product_version, chassis_asset_tag, board_vendor,
      bios_vendor, bios_version;
  bool readable = false;  // at least one file could be read
};

std::string Trim(const std::string& s) {
  const char* kSpace = " \t\r\n\v\f";
  const auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Reads and trims dir/name; leaves `out` empty when unreadable (some files, such as
// product_serial, are root-only; none of the ones read here are).
void ReadDmiFile(const fs::path& dir, const char* name, std::string* out, bool* readable) {
  std::ifstream in(dir / name, std::ios::binary);
  if (!in) return;
  std::ostringstream text;
  text << in.rdbuf();
  *out = Trim(text.str());
  *readable = true;
}

Dmi ReadDmi(const fs::path& dir) {
  Dmi d;
  ReadDmiFile(dir, "sys_vendor", &d.sys_vendor, &d.readable);
  ReadDmiFile(dir, "product_name", &d.product_name, &d.readable);
  ReadDmiFile(dir, "product_version", &d.product_version, &d.readable);
  ReadDmiFile(dir, "chassis_asset_tag", &d.chassis_asset_tag, &d.readable);
  ReadDmiFile(dir, "board_vendor", &d.board_vendor, &d.readable);
  ReadDmiFile(dir, "bios_vendor", &d.bios_vendor, &d.readable);
  ReadDmiFile(dir, "bios_version", &d.bios_version, &d.readable);
  return d;
}

// An EC2 instance type looks like "<family>.<size>": "p5.48xlarge", "g5.xlarge", "i3.metal".
bool LooksLikeEc2InstanceType(const std::string& s) {
  const auto dot = s.find('.');
  if (dot == 0 || dot == std::string::npos || dot + 1 == s.size()) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; });
}

// Fills provider and (AWS only) instance type from DMI.
void Classify(const Dmi& d, CloudInfo* cloud) {
  const std::string vendor = Lower(d.sys_vendor);
  cloud->provider = "unknown";
  if (vendor == "amazon ec2" || Lower(d.board_vendor) == "amazon ec2") {
    cloud->provider = "aws";
    if (LooksLikeEc2InstanceType(d.product_name)) cloud->instance_type = d.product_name;
  } else if (Contains(Lower(d.bios_vendor), "amazon") ||
             Contains(Lower(d.bios_version), "amazon") ||
             Contains(Lower(d.product_version), "amazon")) {
    cloud->provider = "aws";  // Xen-based EC2: the instance type is not in DMI
  } else if (d.chassis_asset_tag == kAzureAssetTag) {
    cloud->provider = "azure";
  } else if (vendor == "google" || d.product_name == "Google Compute Engine") {
    cloud->provider = "gcp";
  } else if (d.chassis_asset_tag == kOciAssetTag) {
    cloud->provider = "oci";
  }
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? Trim(value) : "";
}

}  // namespace

CloudInfo DetectCloud(const std::string& dmi_dir) {
  CloudInfo cloud;
  const Dmi dmi = ReadDmi(fs::path(dmi_dir));
  Classify(dmi, &cloud);

  const std::string env_provider = Lower(Env("GQ_CLOUD_PROVIDER"));
  const std::string env_instance = Env("GQ_INSTANCE_TYPE");
  const std::string env_region = Env("GQ_REGION");
  if (!env_provider.empty()) cloud.provider = env_provider;
  if (!env_instance.empty()) cloud.instance_type = env_instance;
  if (!env_region.empty()) cloud.region = env_region;
  const bool from_env = !env_provider.empty() || !env_instance.empty() || !env_region.empty();
  // DMI contributes a fact when a field it filled was not overridden.
  const bool from_dmi = (env_provider.empty() && cloud.provider != "unknown") ||
                        (env_instance.empty() && !cloud.instance_type.empty());

  if (from_env) {
    cloud.source = from_dmi ? "dmi+env" : "env";
  } else {
    cloud.source = dmi.readable ? dmi_dir : "none";
  }
  return cloud;
}

}  // namespace gq
