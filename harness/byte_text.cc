#include "harness/byte_text.h"

#include <cstdio>

namespace gq {

std::string GiBText(double bytes) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / double(1ull << 30));
  return buf;
}

}  // namespace gq
