// End-to-end CI gate on the cpu backend: a run compared with itself passes, the same run with an
// injected 30% slowdown fails naming the regressed cases, bad inputs exit 2.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "harness/record/results_json.h"

#include "harness/record/file_io.h"
#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using testing::Gpuqual;
using testing::GpuqualIn;
using testing::Outcome;

class CompareCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("gq_compare_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // 3 rounds per case (the replicates compare decides on), short and with a loose noise target
    // so no case is noisy: the test is about the gate, not the measurement.
    Outcome run = Gpuqual("run --suite ci --device cpu --repetitions 3 --min-time 0.1 --max-time 0.5 --warmup 0.05 "
                          "--max-noise 50 -o " + (dir_ / "base.json").string());
    ASSERT_EQ(run.code, 0) << run.output;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Path(const char* name) { return (dir_ / name).string(); }
  static fs::path dir_;
};

fs::path CompareCliTest::dir_;

// Every sample and round 30% slower; the summaries scaled to match.
void InjectSlowdown(const std::string& in, const std::string& out, double factor) {
  auto j = ReadJsonFile(in);
  for (auto& c : j["cases"]) {
    for (auto& s : c["samples_s"]) s = s.get<double>() * factor;
    for (auto& m : c["rounds"]["medians_s"]) m = m.get<double>() * factor;
    for (auto& [name, m] : c["metrics"].items()) {
      const bool rate = m["higher_is_better"].get<bool>();
      for (const char* k : {"median", "mean", "p10", "p90", "min", "max", "ci95_low", "ci95_high"}) {
        m[k] = rate ? m[k].get<double>() / factor : m[k].get<double>() * factor;
      }
    }
  }
  std::ofstream(out) << j.dump();
}

// The same run with each case's 3 round medians set to its median x (0.99, 1, 1.01), and a case
// the busy machine measured as noisy called ok: a steady machine's run, so the gate's decision
// does not depend on how loaded this machine was.
void SteadyRounds(const std::string& in, const std::string& out) {
  auto j = ReadJsonFile(in);
  for (auto& c : j["cases"]) {
    if (c["status"] == "noisy") c["status"] = "ok", c["reason"] = "";
    auto& rounds = c["rounds"]["medians_s"];
    if (rounds.size() < 3) continue;
    std::vector<double> t;
    for (auto& m : rounds) t.push_back(m.get<double>());
    std::nth_element(t.begin(), t.begin() + t.size() / 2, t.end());
    const double mid = t[t.size() / 2];
    rounds = nlohmann::ordered_json::array({mid * 0.99, mid, mid * 1.01});
  }
  std::ofstream(out) << j.dump();
}

TEST_F(CompareCliTest, SameRunPassesWithReports) {
  Outcome o = Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --markdown " +
                      Path("c.md") + " --junit " + Path("c.xml") + " --json " + Path("c.json"));
  EXPECT_EQ(o.code, 0) << o.output;
  // The same runs on both sides: ratio 1; unchanged, or inconclusive where 3 rounds on this busy
  // machine spread too widely to rule out a 5% change. Never a regression.
  EXPECT_EQ(o.output.find("regressed"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("+ is better, - is worse"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(" / 3"), std::string::npos) << o.output;  // runs b / c
  EXPECT_TRUE(fs::exists(Path("c.md")));
  EXPECT_EQ(ReadJsonFile(Path("c.json"))["passed"], true);
  std::ifstream xml(Path("c.xml"));
  std::string text((std::istreambuf_iterator<char>(xml)), {});
  EXPECT_NE(text.find("failures=\"0\""), std::string::npos) << text;
}

TEST_F(CompareCliTest, InjectedSlowdownRegressesAndExitsOne) {
  SteadyRounds(Path("base.json"), Path("steady.json"));
  InjectSlowdown(Path("steady.json"), Path("slow.json"), 1.3);
  Outcome b = Gpuqual("baseline create " + Path("steady.json") + " --name cpu-ci -o " + Path("baseline.json"));
  ASSERT_EQ(b.code, 0) << b.output;
  Outcome o = Gpuqual("compare " + Path("slow.json") + " --baseline " + Path("baseline.json") + " --junit " + Path("s.xml"));
  EXPECT_EQ(o.code, 1) << o.output;
  // Every case is 23.1% worse (1 - 1/1.3), with a 1% spread between rounds on each side: each
  // case regresses.
  for (const char* id : {"gemm/dtype=fp32", "gemm/dtype=fp64", "membw/op=copy", "allreduce/size=4096"}) {
    const auto at = o.output.find(std::string("cpu     ") + id);
    ASSERT_NE(at, std::string::npos) << id << "\n" << o.output;
    const std::string row = o.output.substr(o.output.rfind('\n', at) + 1, 260);
    EXPECT_EQ(row.rfind("regressed", 0), 0u) << row;
    EXPECT_NE(row.find("-23.1%"), std::string::npos) << row;
  }
  EXPECT_NE(o.output.find("23.1% worse"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("compare: FAIL"), std::string::npos);
  // A tolerance above the slowdown lets it through; per workload, so the others still regress.
  EXPECT_EQ(Gpuqual("compare " + Path("slow.json") + " --baseline " + Path("baseline.json") + " --tolerance-for gemm=40").code, 1);
  EXPECT_EQ(Gpuqual("compare " + Path("slow.json") + " --baseline " + Path("baseline.json") +
                    " --tolerance-for gemm=40 --tolerance-for allreduce=40 --tolerance-for membw=40"
                    " --tolerance-for e2e=40").code, 0);
}

TEST_F(CompareCliTest, BadInputsExitTwo) {
  std::ofstream(Path("bad.json")) << "{\"schema\": \"gpuqual.baseline/7\"}";
  Outcome o = Gpuqual("compare " + Path("base.json") + " --baseline " + Path("bad.json"));
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("bad.json: schema: 'gpuqual.baseline/7' is not gpuqual.baseline/1"), std::string::npos) << o.output;
  EXPECT_EQ(Gpuqual("compare /nonexistent.json --baseline " + Path("base.json")).code, 2);
  EXPECT_EQ(Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --tolerance 150").code, 2);
  EXPECT_EQ(Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --tolerance-for gemm").code, 2);
  Outcome neither = Gpuqual("compare " + Path("base.json"));
  EXPECT_EQ(neither.code, 2) << neither.output;
  EXPECT_NE(neither.output.find("compare needs --baseline FILE or --history"), std::string::npos) << neither.output;
  Outcome both = Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --history --last 2");
  EXPECT_NE(both.output.find("--baseline and --history exclude each other"), std::string::npos) << both.output;
  EXPECT_EQ(Gpuqual("baseline create " + Path("base.json") + " --name a/b").code, 2);
  // A history filter without the history mode would be ignored: refused, naming the flag.
  Outcome filter = Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --label branch=main");
  EXPECT_EQ(filter.code, 2) << filter.output;
  EXPECT_NE(filter.output.find("--label applies to compare --history only"), std::string::npos) << filter.output;
  Outcome sku = Gpuqual("baseline create " + Path("base.json") + " --name x -o " + Path("x.json") + " --sku h100-sxm-80gb");
  EXPECT_EQ(sku.code, 2) << sku.output;
  EXPECT_NE(sku.output.find("--sku applies to baseline create --from-history only"), std::string::npos) << sku.output;
  EXPECT_FALSE(fs::exists(Path("x.json")));
  Outcome unnamed = Gpuqual("baseline create " + Path("base.json"));
  EXPECT_EQ(unnamed.code, 2) << unnamed.output;
  EXPECT_NE(unnamed.output.find("baseline create needs --name NAME"), std::string::npos) << unnamed.output;
  Outcome nothing = Gpuqual("baseline create");
  EXPECT_NE(nothing.output.find("baseline create needs RESULTS files or --from-history"), std::string::npos)
      << nothing.output;
  EXPECT_EQ(Gpuqual("baseline create " + Path("base.json") + " --name x --threshold gemm=0.8").code, 2);
  // A setting for a workload that does not exist would apply to nothing: refused, naming it.
  Outcome tol = Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --tolerance-for gem=5");
  EXPECT_EQ(tol.code, 2) << tol.output;
  EXPECT_NE(tol.output.find("--tolerance-for gem=5: unknown workload 'gem' (known: gemm"), std::string::npos) << tol.output;
  Outcome thr = Gpuqual("baseline create " + Path("base.json") + " --name x --threshold nosuch=0.95:0.9");
  EXPECT_EQ(thr.code, 2) << thr.output;
  EXPECT_NE(thr.output.find("--threshold nosuch=0.95:0.9: unknown workload 'nosuch'"), std::string::npos) << thr.output;
  // Text from a file that holds line breaks is shown escaped: the error stays one line.
  std::ofstream(Path("newline.json")) << "{\"schema\": \"a\\nb\\tc\"}";
  Outcome nl = Gpuqual("compare " + Path("newline.json") + " --baseline " + Path("base.json"));
  EXPECT_EQ(nl.code, 2) << nl.output;
  EXPECT_EQ(std::count(nl.output.begin(), nl.output.end(), '\n'), 1) << nl.output;
  EXPECT_NE(nl.output.find("'a\\nb\\tc'"), std::string::npos) << nl.output;
  // A directory where a file is expected says so.
  Outcome dir = Gpuqual("compare " + dir_.string() + " --baseline " + Path("base.json"));
  EXPECT_EQ(dir.code, 2) << dir.output;
  EXPECT_NE(dir.output.find(": is a directory, not a file"), std::string::npos) << dir.output;
}

}  // namespace
}  // namespace gq

namespace gq {
namespace {

// No command replaces a file it reads, or a file the user did not name: an output that is an
// input is refused (exit 2, the input unchanged); baseline create's default output is not
// written over; runs started in the same second keep a results file each.
TEST_F(CompareCliTest, NoWriteReplacesAnInputOrAnUnnamedFile) {
  const std::string base = Path("base.json"), db = Path("inputs.db"), spec = Path("b-as-input.json");
  ASSERT_EQ(Gpuqual("history add " + base + " --db " + db).code, 0);
  ASSERT_EQ(Gpuqual("baseline create " + base + " --name b -o " + spec).code, 0);
  const std::string before = ReadTextFile(base), db_before = ReadTextFile(db), spec_before = ReadTextFile(spec);
  const std::pair<std::string, std::string> cases[] = {
      {"baseline create " + base + " --name x -o " + base, base},
      {"compare " + base + " --baseline " + base + " --junit " + base, base},
      {"qualify " + base + " -o " + base, base},
      {"qualify " + base + " --baseline " + spec + " -o " + spec, spec},
      {"rank " + base + " --json " + base, base},
      {"history list --db " + db + " --json " + db, db},
      {"history trend --db " + db + " --json " + db, db},
      {"baseline create --from-history --sku cpu --last 1 --db " + db + " -o " + db, db},
      {"run gemm --device cpu -a m=32 -a n=32 -a k=32 --db " + Path("new.db") + " -o " + Path("new.db"), Path("new.db")}};
  for (const auto& [args, input] : cases) {
    Outcome o = Gpuqual(args);
    EXPECT_EQ(o.code, 2) << args << "\n" << o.output;
    EXPECT_NE(o.output.find(" is the input file " + input), std::string::npos) << args << "\n" << o.output;
  }
  EXPECT_EQ(ReadTextFile(base), before);
  EXPECT_EQ(ReadTextFile(db), db_before);
  EXPECT_EQ(ReadTextFile(spec), spec_before);
  EXPECT_FALSE(fs::exists(Path("new.db")));

  const fs::path work = dir_ / "cwd";
  fs::create_directories(work / "baselines");
  std::ofstream(work / "baselines" / "x.json") << "kept";
  Outcome kept = GpuqualIn(work, "baseline create " + base + " --name x");
  EXPECT_EQ(kept.code, 2) << kept.output;
  EXPECT_NE(kept.output.find("baselines/x.json exists (the default output for the baseline name 'x'): give -o"),
            std::string::npos)
      << kept.output;
  EXPECT_EQ(ReadTextFile((work / "baselines" / "x.json").string()), "kept");
  EXPECT_EQ(GpuqualIn(work, "baseline create " + base + " --name y").code, 0);

  for (int i = 0; i < 3; ++i) {
    Outcome run = GpuqualIn(work, "run gemm --device cpu -a dtype=fp32 -a m=32 -a n=32 -a k=32 --min-samples 3 "
                                  "--min-time 0.01 --max-time 0.02 --warmup 0 -q");
    ASSERT_EQ(run.code, 0) << run.output;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(work / "results")) files.push_back(e.path());
  ASSERT_EQ(files.size(), 3u);
  for (const fs::path& f : files) {
    const ResultsDoc doc = ReadResultsFile(f.string());
    EXPECT_EQ(f.filename().string(), doc.run.id + ".json");
  }
}

// qualify judges one machine: runs labelled as different machines are refused, naming both.
TEST_F(CompareCliTest, QualifyRefusesRunsOfDifferentMachines) {
  auto j = ReadJsonFile(Path("base.json"));
  j["run"]["labels"]["machine"] = "other";
  std::ofstream(Path("other.json")) << j.dump();
  Outcome o = Gpuqual("qualify " + Path("base.json") + " " + Path("other.json"));
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find(Path("other.json") + ": is labelled machine 'other', but " + Path("base.json") +
                          " (none): qualify judges one machine"),
            std::string::npos)
      << o.output;
}

TEST_F(CompareCliTest, QualifyJudgesGivenResultsAndWritesTheVerdict) {
  Outcome o = Gpuqual("qualify " + Path("base.json") + " --price-per-hour 1.5 -o " + Path("q.json"));
  EXPECT_EQ(o.code, 0) << o.output;  // cpu: no baseline -> WARN, not FAIL
  EXPECT_NE(o.output.find("qualify: WARN"), std::string::npos) << o.output;
  ResultsDoc doc = ReadResultsFile(Path("q.json"));
  ASSERT_TRUE(doc.verdict.has_value());
  EXPECT_EQ(doc.verdict->overall, QualifyStatus::kWarn);
  ASSERT_TRUE(doc.verdict->cost.has_value());
  EXPECT_GT(doc.verdict->cost->tflops_per_usd_hour, 0);
  EXPECT_FALSE(ReadResultsFile(Path("base.json")).verdict.has_value());  // inputs untouched
  // Against a baseline of itself every case passes; an 8-GPU instance type fails the inventory.
  ASSERT_EQ(Gpuqual("baseline create " + Path("base.json") + " --name cpu -o " + Path("cpu.json")).code, 0);
  Outcome inv = Gpuqual("qualify " + Path("base.json") + " --baseline " + Path("cpu.json") + " --instance p5.48xlarge");
  EXPECT_EQ(inv.code, 1) << inv.output;
  EXPECT_NE(inv.output.find("0 GPU(s) visible, p5.48xlarge has 8"), std::string::npos) << inv.output;
  // Every case is at 100% of its own baseline: PASS, or WARN where this (shared, busy) machine
  // made the case noisy; never FAIL.
  EXPECT_NE(inv.output.find("performance  gemm/dtype=fp32"), std::string::npos) << inv.output;
  EXPECT_NE(inv.output.find("performance  membw/op=copy"), std::string::npos) << inv.output;
  EXPECT_EQ(inv.output.find("FAIL  performance"), std::string::npos) << inv.output;
  // A baseline of another SKU is refused: the machine is judged against its own SKU's figures.
  auto other = ReadJsonFile(Path("cpu.json"));
  other["sku"] = "h100-sxm-80gb";
  std::ofstream(Path("h100.json")) << other.dump();
  Outcome wrong = Gpuqual("qualify " + Path("base.json") + " --baseline " + Path("h100.json"));
  EXPECT_EQ(wrong.code, 2) << wrong.output;
  EXPECT_NE(wrong.output.find("the baseline is for SKU h100-sxm-80gb, but case "), std::string::npos) << wrong.output;
  EXPECT_EQ(Gpuqual("qualify " + Path("base.json") + " --price-per-hour -3").code, 2);
  EXPECT_EQ(Gpuqual("qualify " + Path("base.json") + " --spec /nonexistent.json").code, 2);
}

}  // namespace
}  // namespace gq

namespace gq {
namespace {

// Without -o the run's file is results/<its run id>.json, and the verdict is written into it.
TEST_F(CompareCliTest, QualifyWithoutResultsRunsTheQuickSuiteFirst) {
  const fs::path dir = dir_ / "fresh";
  fs::create_directories(dir);
  Outcome o = testing::GpuqualIn(dir, "qualify --device cpu");
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("running the quick suite"), std::string::npos) << o.output;
  std::vector<fs::path> written;
  for (const auto& entry : fs::directory_iterator(dir / "results")) written.push_back(entry.path());
  ASSERT_EQ(written.size(), 1u) << o.output;
  ResultsDoc doc = ReadResultsFile(written[0].string());
  EXPECT_EQ(written[0].filename().string(), doc.run.id + ".json");
  EXPECT_NE(o.output.find("results with verdict: results/" + doc.run.id + ".json"), std::string::npos) << o.output;
  EXPECT_EQ(doc.run.suite, "quick");
  EXPECT_FALSE(doc.cases.empty());
  ASSERT_TRUE(doc.verdict.has_value());
  EXPECT_EQ(doc.verdict->overall, QualifyStatus::kWarn);  // no cpu baseline
}

}  // namespace
}  // namespace gq
