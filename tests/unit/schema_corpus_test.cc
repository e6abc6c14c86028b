// The C++ readers against the shared schema corpus (tests/data/schema_corpus, made by its
// make_corpus.py): every file of <kind>/valid/ is read, every file of <kind>/invalid/ (it breaks
// schemas/<kind>.schema.json) and <kind>/semantic/ (the schema cannot state its problem) is
// refused with one UsageError line naming the file. reports/tests/test_schemas.py holds the
// schemas and the report's loaders to the same files.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/decide/baseline.h"
#include "harness/decide/instance_catalog.h"
#include "harness/decide/prices.h"
#include "harness/decide/qualify_spec.h"
#include "harness/errors.h"
#include "harness/json_fields.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

const std::string kCorpus = std::string(GQ_TEST_DATA_DIR) + "/schema_corpus";

// The C++ loader of each kind.
const std::map<std::string, std::function<void(const json&, const std::string&)>>& Loaders() {
  static const auto* loaders = new std::map<std::string, std::function<void(const json&, const std::string&)>>{
      {"results", [](const json& j, const std::string& o) { ResultsFromJson(j, o); }},
      {"baseline", [](const json& j, const std::string& o) { BaselineFromJson(j, o); }},
      {"instances", [](const json& j, const std::string& o) { InstanceCatalogFromJson(j, o); }},
      {"qualify-spec", [](const json& j, const std::string& o) { ParseQualifySpec(j, o, {}); }},
      {"prices", [](const json& j, const std::string& o) { PriceListFromJson(j, o); }},
  };
  return *loaders;
}

std::vector<std::string> Files(const std::string& kind, const std::string& group) {
  std::vector<std::string> out;
  const fs::path dir = fs::path(kCorpus) / kind / group;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "" when the file was read, else the UsageError's message; any other exception fails the test.
std::string Read(const std::string& kind, const std::string& path) {
  try {
    Loaders().at(kind)(ParseJsonText(ReadTextFile(path), path), path);
    return "";
  } catch (const UsageError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << path << ": not a UsageError: " << e.what();
    return e.what();
  }
}

TEST(SchemaCorpusTest, EveryKindHasValidAndInvalidFiles) {
  for (const auto& [kind, _] : Loaders()) {
    EXPECT_GE(Files(kind, "valid").size(), 2u) << kind;
    EXPECT_GE(Files(kind, "invalid").size(), 10u) << kind;
  }
}

TEST(SchemaCorpusTest, ValidFilesAreRead) {
  for (const auto& [kind, _] : Loaders()) {
    for (const std::string& path : Files(kind, "valid")) EXPECT_EQ(Read(kind, path), "") << path;
  }
}

TEST(SchemaCorpusTest, InvalidFilesAreRefusedWithOneLineNamingTheFile) {
  for (const auto& [kind, _] : Loaders()) {
    for (const std::string& group : {"invalid", "semantic"}) {
      for (const std::string& path : Files(kind, group)) {
        const std::string error = Read(kind, path);
        EXPECT_NE(error, "") << path << " was read";
        if (error.empty()) continue;
        EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error.substr(0, 300);
        EXPECT_EQ(error.find('\n'), std::string::npos) << error.substr(0, 300);
        EXPECT_LT(error.size(), 1000u) << "a message quotes too much: " << error.substr(0, 300);
      }
    }
  }
}

TEST(SchemaCorpusTest, LengthsCountCharactersNotBytes) {
  std::string name;
  for (std::size_t i = 0; i < kMaxJsonName; ++i) name += "\xc3\xa9";  // U+00E9, 2 bytes each
  const json j = {{"ok", name}, {"long", name + "x"}};
  JsonFields f(j, "s.json", "");
  EXPECT_EQ(f.Str("ok").size(), 2 * kMaxJsonName);
  try {
    f.Str("long");
    ADD_FAILURE() << "a name of kMaxJsonName + 1 characters was read";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "s.json: long: longer than 4096 characters");
  }
  EXPECT_EQ(f.Text("long").size(), 2 * kMaxJsonName + 1);
}

TEST(SchemaCorpusTest, IntegersAreJsonSchemaIntegers) {
  const json j = json::parse(R"({"a": 3.0, "b": 9007199254740992, "c": 9007199254740993, "d": -9007199254740993,
                                 "e": 2.5, "f": 2147483648, "g": true})");
  JsonFields f(j, "i.json", "");
  EXPECT_EQ(f.Int("a"), 3);
  EXPECT_EQ(f.Int("b"), int64_t{1} << 53);
  EXPECT_THROW(f.Int("c"), UsageError);
  EXPECT_THROW(f.Int("d"), UsageError);
  EXPECT_THROW(f.Int("e"), UsageError);
  EXPECT_THROW(f.Int32("f"), UsageError);
  EXPECT_THROW(f.Int("g"), UsageError);
  EXPECT_EQ(f.Int32("a"), 3);
}

}  // namespace
}  // namespace gq
