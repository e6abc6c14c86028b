#pragma once
// Byte counts in words for messages (skip reasons, details).
#include <string>

namespace gq {

// "12.34 GiB" (bytes / 2^30, two decimals).
std::string GiBText(double bytes);

}  // namespace gq
