#include "harness/number_text.h"

#include <cstdio>

namespace gq {

std::string NumberText(const char* printf_format, double value) {
  const int size = std::snprintf(nullptr, 0, printf_format, value);
  if (size <= 0) return "";
  std::string text(static_cast<std::size_t>(size), '\0');
  std::snprintf(text.data(), text.size() + 1, printf_format, value);
  return text;
}

}  // namespace gq
