#pragma once
// Checked access to fields of a parsed JSON input. Every accessor throws UsageError with a
// one-line message naming the input, the JSON path and the problem, e.g.
//   "results.json: cases[2].metrics.tflops.median: missing"
// so readers of results, baselines and suites report bad files the same way.
//
// The bounds below hold for every input; schemas/common.schema.json states the same numbers, and
// tests/unit/schema_corpus_test.cc with reports/tests/test_schemas.py check that the readers and
// the schemas accept the same files. Lengths count characters (Unicode code points), as JSON
// Schema's maxLength does.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/numbers.h"

namespace gq {

inline constexpr std::size_t kMaxJsonName = 4096;         // a name, id, label, unit or key
inline constexpr std::size_t kMaxJsonText = 65536;        // a text: a command, a reason, a detail
inline constexpr std::size_t kMaxJsonItems = 10'000'000;  // elements of one array
inline constexpr int64_t kMaxJsonInteger = int64_t{1} << 53;  // |n| of an integer (exact in a double)

class JsonFields {
 public:
  // `j` must outlive this object; `path` is the JSON path of `j` ("" for the root).
  JsonFields(const nlohmann::ordered_json& j, std::string origin, std::string path);

  const nlohmann::ordered_json& value() const { return j_; }
  bool Has(const char* key) const;  // present and not null

  std::string Str(const char* key) const;  // at most kMaxJsonName characters
  std::string StrOr(const char* key, const std::string& fallback) const;
  std::string Text(const char* key) const;  // at most kMaxJsonText characters
  std::string TextOr(const char* key, const std::string& fallback) const;
  double Num(const char* key) const;  // null reads as NaN (JSON cannot hold NaN)
  double NumOr(const char* key, double fallback) const;
  // An integer of at most kMaxJsonInteger in magnitude; 3.0 is the integer 3, as in JSON Schema.
  int64_t Int(const char* key) const;
  int Int32(const char* key) const;  // an integer in the range of int
  // Finite and inside the range, or UsageError naming the file, the key and the range
  // (harness/numbers.h).
  double NumIn(const char* key, NumberRange range) const;
  double FiniteNum(const char* key) const;  // a number, not null (NaN) and not out of range
  int64_t IntIn(const char* key, int64_t lo, int64_t hi) const;
  bool Bool(const char* key) const;
  bool BoolOr(const char* key, bool fallback) const;
  JsonFields Obj(const char* key) const;
  JsonFields Arr(const char* key) const;  // at most kMaxJsonItems elements
  std::vector<std::string> Strings(const char* key) const;  // an array of Str-sized strings
  // The keys of this object, in order, each at most kMaxJsonName characters.
  std::vector<std::string> Keys() const;
  JsonFields Obj(const std::string& key) const { return Obj(key.c_str()); }
  std::string Str(const std::string& key) const { return Str(key.c_str()); }
  double Num(const std::string& key) const { return Num(key.c_str()); }
  JsonFields At(std::size_t index) const;  // element of an array; must be an object

  [[noreturn]] void Fail(const std::string& key, const std::string& problem) const;

 private:
  const nlohmann::ordered_json& Field(const char* key) const;
  std::string String(const char* key, std::size_t max_length) const;
  std::string PathOf(const std::string& key) const;

  const nlohmann::ordered_json& j_;
  std::string origin_;
  std::string path_;
};

}  // namespace gq
