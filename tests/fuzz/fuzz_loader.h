#pragma once
// One libFuzzer input through one loader (DESIGN.md §9: no input crashes gpuqual). The bytes go
// through ParseJsonText (the nesting limit, one parse) and then the loader. UsageError is the
// expected answer to bad input; any other exception escaping, like a crash or a sanitizer report,
// is a bug: abort() so that libFuzzer keeps the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/errors.h"
#include "harness/record/file_io.h"

namespace gq::fuzz {

template <typename Loader>
int LoadOne(const uint8_t* data, size_t size, Loader&& loader) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    loader(ParseJsonText(text, "fuzz.json"));
  } catch (const UsageError&) {
    // bad input, told in one line: what gpuqual must do
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: the loader threw %s, not a UsageError\n", e.what());
    std::abort();
  }
  return 0;
}

}  // namespace gq::fuzz
