// harness/record/file_io: reads name the file and limit nesting; writes never leave a half-written
// or destroyed file, never replace a device or directory, and name the target and the reason.
#include "harness/record/file_io.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "harness/errors.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

class FileIoTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gq_file_io_" + std::to_string(getpid()) + "_" + testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Read(const std::string& path) { return ReadTextFile(path); }
  // Files in the directory other than `keep` (a temporary left behind would show here).
  int Others(const std::string& keep) const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) n += e.path().filename() != keep;
    return n;
  }
  fs::path dir_;
};

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

template <typename E>
std::string MessageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST_F(FileIoTest, NestingIsLimitedBeforeParsing) {
  EXPECT_EQ(JsonNestingDepth(R"({"a": [1, {"b": "]]]][[[["}]})"), 3);  // brackets in strings do not count
  EXPECT_EQ(JsonNestingDepth(R"(["\"[", 1])"), 1);                      // nor escaped quotes
  EXPECT_NO_THROW(ParseJsonText(Nested(kMaxJsonDepth), "ok.json"));
  EXPECT_EQ(MessageOf<UsageError>([] { ParseJsonText(Nested(100000), "deep.json"); }),
            "deep.json: JSON nested deeper than 64 levels");
}

TEST_F(FileIoTest, MalformedAndOutOfRangeJsonNameTheFile) {
  EXPECT_NE(MessageOf<UsageError>([] { ParseJsonText("{oops", "bad.json"); }).find("bad.json: malformed JSON (parse error"),
            std::string::npos);
  EXPECT_NE(MessageOf<UsageError>([] { ParseJsonText(R"({"x": 1e400})", "big.json"); }).find("big.json: malformed JSON (number overflow"),
            std::string::npos);
  EXPECT_NE(MessageOf<UsageError>([&] { ReadJsonFile(Path("absent.json")); }).find("absent.json: cannot open file"),
            std::string::npos);
}

TEST_F(FileIoTest, WritesReplaceAtomicallyAndKeepTheMode) {
  const std::string p = Path("sub/out.json");  // the missing folder is made
  WriteFileSafely(p, "one");
  EXPECT_EQ(Read(p), "one");
  ::chmod(p.c_str(), 0600);
  WriteFileSafely(p, "two");
  EXPECT_EQ(Read(p), "two");
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(fs::directory_iterator(dir_ / "sub")->path().filename(), "out.json");  // no temporary left
}

TEST_F(FileIoTest, DevicesAreWrittenToAndDirectoriesRefused) {
  WriteFileSafely("/dev/null", "discarded");
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));  // still the device, not a file put in its place
  EXPECT_EQ(MessageOf<OutputError>([] { WriteFileSafely("/dev/full", "x"); }), "cannot write /dev/full: No space left on device");
  EXPECT_EQ(MessageOf<OutputError>([&] { WriteFileSafely(dir_.string(), "x"); }), "cannot write " + dir_.string() + ": is a directory");
  EXPECT_EQ(MessageOf<OutputError>([&] { CheckWritable(dir_.string()); }), "cannot write " + dir_.string() + ": is a directory");
}

TEST_F(FileIoTest, AFileNamedLikeTheOldTemporaryIsNeverFollowed) {
  const std::string target = Path("r.json"), victim = Path("victim.txt");
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, target + ".tmp." + std::to_string(getpid()));  // planted
  WriteFileSafely(target, "results");
  EXPECT_EQ(Read(victim), "precious");
  EXPECT_EQ(Read(target), "results");
}

TEST_F(FileIoTest, AFailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  const std::string p = Path("r.json");
  WriteFileSafely(p, "last good");
  // A file size limit makes the write fail as a full disk would (EFBIG instead of ENOSPC).
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto previous = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message = MessageOf<OutputError>([&] { WriteFileSafely(p, std::string(1 << 20, 'x')); });
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  EXPECT_EQ(message, "cannot write " + p + ": File too large");
  EXPECT_EQ(Read(p), "last good");
  EXPECT_EQ(Others("r.json"), 0);
}

TEST_F(FileIoTest, CheckWritableLeavesAnExistingFileAlone) {
  const std::string p = Path("keep.json");
  std::ofstream(p) << "old results";
  CheckWritable(p);
  EXPECT_EQ(Read(p), "old results");
  EXPECT_EQ(Others("keep.json"), 0);
  CheckWritable("-");
  CheckWritable("/dev/null");
}

TEST_F(FileIoTest, DashIsStandardOutput) {
  testing::internal::CaptureStdout();
  WriteFileSafely("-", "to stdout\n");
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "to stdout\n");
}

}  // namespace
}  // namespace gq
