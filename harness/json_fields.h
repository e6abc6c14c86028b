#pragma once
// Checked access to fields of a parsed JSON input. Every accessor throws UsageError with a
// one-line message naming the input, the JSON path and the problem, e.g.
//   "results.json: cases[2].metrics.tflops.median: missing"
// so readers of results, baselines and suites report bad files the same way.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/numbers.h"

namespace gq {

class JsonFields {
 public:
  // `j` must outlive this object; `path` is the JSON path of `j` ("" for the root).
  JsonFields(const nlohmann::ordered_json& j, std::string origin, std::string path);

  const nlohmann::ordered_json& value() const { return j_; }
  bool Has(const char* key) const;  // present and not null

  std::string Str(const char* key) const;
  std::string StrOr(const char* key, const std::string& fallback) const;
  double Num(const char* key) const;  // null reads as NaN (JSON cannot hold NaN)
  double NumOr(const char* key, double fallback) const;
  int64_t Int(const char* key) const;  // an integer that fits int64_t
  // Finite and inside the range, or UsageError naming the file, the key and the range
  // (harness/numbers.h).
  double NumIn(const char* key, NumberRange range) const;
  double FiniteNum(const char* key) const;  // a number, not null (NaN) and not out of range
  int64_t IntIn(const char* key, int64_t lo, int64_t hi) const;
  bool Bool(const char* key) const;
  bool BoolOr(const char* key, bool fallback) const;
  JsonFields Obj(const char* key) const;
  JsonFields Arr(const char* key) const;
  JsonFields Obj(const std::string& key) const { return Obj(key.c_str()); }
  std::string Str(const std::string& key) const { return Str(key.c_str()); }
  double Num(const std::string& key) const { return Num(key.c_str()); }
  JsonFields At(std::size_t index) const;  // element of an array; must be an object

  [[noreturn]] void Fail(const std::string& key, const std::string& problem) const;

 private:
  const nlohmann::ordered_json& Field(const char* key) const;
  std::string PathOf(const std::string& key) const;

  const nlohmann::ordered_json& j_;
  std::string origin_;
  std::string path_;
};

}  // namespace gq
