#pragma once
// Cloud provider and instance type from SMBIOS/DMI (no network): reads sys_vendor,
// product_name, product_version, chassis_asset_tag, board_vendor, bios_vendor, bios_version under
// `dmi_dir` (default /sys/class/dmi/id; tests pass a fake tree). Recognises AWS, Azure, GCP, OCI
// (and reports "unknown" with empty instance type otherwise). Environment overrides
// GQ_CLOUD_PROVIDER / GQ_INSTANCE_TYPE / GQ_REGION win when set (source "env"), for hosts whose
// DMI does not name the instance type; source is "dmi+env" when DMI supplied the other facts,
// dmi_dir when only DMI did, "none" when DMI is unreadable (rules in cloud_detect.cc).
#include <string>

#include "harness/results.h"

namespace gq {

CloudInfo DetectCloud(const std::string& dmi_dir = "/sys/class/dmi/id");

}  // namespace gq
