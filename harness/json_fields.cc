#include "harness/json_fields.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "harness/errors.h"

namespace gq {

using json = nlohmann::ordered_json;

namespace {

// Characters of UTF-8 text (the parser has checked it): bytes that do not continue a sequence.
std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

JsonFields::JsonFields(const json& j, std::string origin, std::string path)
    : j_(j), origin_(std::move(origin)), path_(std::move(path)) {}

std::string JsonFields::PathOf(const std::string& key) const {
  if (key.empty()) return path_.empty() ? "document" : path_;
  return path_.empty() ? key : path_ + "." + key;
}

void JsonFields::Fail(const std::string& key, const std::string& problem) const {
  throw UsageError(origin_ + ": " + PathOf(key) + ": " + problem);
}

bool JsonFields::Has(const char* key) const {
  return j_.is_object() && j_.contains(key) && !j_.at(key).is_null();
}

const json& JsonFields::Field(const char* key) const {
  if (!j_.is_object()) Fail("", "is not an object");
  auto it = j_.find(key);
  if (it == j_.end()) Fail(key, "missing");
  return *it;
}

std::string JsonFields::String(const char* key, std::size_t max_length) const {
  const json& v = Field(key);
  if (!v.is_string()) Fail(key, "must be a string");
  if (CodePoints(v.get_ref<const std::string&>()) > max_length) {
    Fail(key, "longer than " + std::to_string(max_length) + " characters");
  }
  return v.get<std::string>();
}

std::string JsonFields::Str(const char* key) const { return String(key, kMaxJsonName); }

std::string JsonFields::StrOr(const char* key, const std::string& fallback) const {
  return Has(key) ? Str(key) : fallback;
}

std::string JsonFields::Text(const char* key) const { return String(key, kMaxJsonText); }

std::string JsonFields::TextOr(const char* key, const std::string& fallback) const {
  return Has(key) ? Text(key) : fallback;
}

double JsonFields::Num(const char* key) const {
  const json& v = Field(key);
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number()) Fail(key, "must be a number");
  return v.get<double>();
}

double JsonFields::NumOr(const char* key, double fallback) const {
  return Has(key) ? Num(key) : fallback;
}

int64_t JsonFields::Int(const char* key) const {
  const json& v = Field(key);
  if (!v.is_number()) Fail(key, "must be an integer");
  const std::string range = "[-" + std::to_string(kMaxJsonInteger) + ", " + std::to_string(kMaxJsonInteger) + "]";
  // Integers are compared exactly (2^53 + 1 is not 2^53), others through CheckInteger.
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > uint64_t(kMaxJsonInteger)) Fail(key, "must be an integer in " + range + " (got " + std::to_string(u) + ")");
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i < -kMaxJsonInteger || i > kMaxJsonInteger) {
      Fail(key, "must be an integer in " + range + " (got " + std::to_string(i) + ")");
    }
    return i;
  }
  return CheckInteger(origin_ + ": " + PathOf(key), v.get<double>(), -kMaxJsonInteger, kMaxJsonInteger);
}

int JsonFields::Int32(const char* key) const {
  return static_cast<int>(IntIn(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

double JsonFields::FiniteNum(const char* key) const {
  const json& v = Field(key);
  if (!v.is_number() || !std::isfinite(v.get<double>())) Fail(key, "must be a finite number");
  return v.get<double>();
}

double JsonFields::NumIn(const char* key, NumberRange range) const {
  const json& v = Field(key);
  if (!v.is_number()) Fail(key, "must be a number in " + RangeText(range));
  return CheckNumber(origin_ + ": " + PathOf(key), v.get<double>(), range);
}

int64_t JsonFields::IntIn(const char* key, int64_t lo, int64_t hi) const {
  const json& v = Field(key);
  if (!v.is_number()) Fail(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return CheckInteger(origin_ + ": " + PathOf(key), v.get<double>(), lo, hi);
}

bool JsonFields::Bool(const char* key) const {
  const json& v = Field(key);
  if (!v.is_boolean()) Fail(key, "must be true or false");
  return v.get<bool>();
}

bool JsonFields::BoolOr(const char* key, bool fallback) const {
  return Has(key) ? Bool(key) : fallback;
}

JsonFields JsonFields::Obj(const char* key) const {
  const json& v = Field(key);
  if (!v.is_object()) Fail(key, "must be an object");
  return JsonFields(v, origin_, PathOf(key));
}

JsonFields JsonFields::Arr(const char* key) const {
  const json& v = Field(key);
  if (!v.is_array()) Fail(key, "must be an array");
  if (v.size() > kMaxJsonItems) Fail(key, "more than " + std::to_string(kMaxJsonItems) + " items");
  return JsonFields(v, origin_, PathOf(key));
}

std::vector<std::string> JsonFields::Strings(const char* key) const {
  JsonFields list = Arr(key);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.value().size(); ++i) {
    const json& v = list.value()[i];
    const std::string at = key + std::string("[") + std::to_string(i) + "]";
    if (!v.is_string()) Fail(at, "must be a string");
    if (CodePoints(v.get_ref<const std::string&>()) > kMaxJsonName) {
      Fail(at, "longer than " + std::to_string(kMaxJsonName) + " characters");
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<std::string> JsonFields::Keys() const {
  if (!j_.is_object()) Fail("", "is not an object");
  std::vector<std::string> out;
  for (const auto& [key, _] : j_.items()) {
    if (CodePoints(key) > kMaxJsonName) {
      Fail("", "a key is longer than " + std::to_string(kMaxJsonName) + " characters");
    }
    out.push_back(key);
  }
  return out;
}

JsonFields JsonFields::At(std::size_t index) const {
  const std::string key = "[" + std::to_string(index) + "]";
  const std::string path = path_ + key;
  if (!j_.is_array() || index >= j_.size()) throw UsageError(origin_ + ": " + path + ": missing");
  const json& v = j_.at(index);
  if (!v.is_object()) throw UsageError(origin_ + ": " + path + ": must be an object");
  return JsonFields(v, origin_, path);
}

}  // namespace gq
