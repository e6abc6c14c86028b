#pragma once
// One number through a printf format, for the tables and sentences the decide and record stages
// write ("%.3f" -> "0.992", "%+.1f%%" -> "+2.5%"). The whole text, however long (%f of 1e300).
#include <string>

namespace gq {

// `printf_format` must take exactly one double.
std::string NumberText(const char* printf_format, double value);

}  // namespace gq
