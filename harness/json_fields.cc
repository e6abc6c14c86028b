#include "harness/json_fields.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "harness/errors.h"

namespace gq {

using json = nlohmann::ordered_json;

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

std::string JsonFields::Str(const char* key) const {
  const json& v = Field(key);
  if (!v.is_string()) Fail(key, "must be a string");
  return v.get<std::string>();
}

std::string JsonFields::StrOr(const char* key, const std::string& fallback) const {
  return Has(key) ? Str(key) : fallback;
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
  if (!v.is_number_integer()) Fail(key, "must be an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) {
    Fail(key, "integer " + std::to_string(v.get<uint64_t>()) + " is out of range");
  }
  return v.get<int64_t>();
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
  return JsonFields(v, origin_, PathOf(key));
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
