#include "harness/record/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/errors.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

std::string Reason(int err) { return std::strerror(err); }

[[noreturn]] void CannotWrite(const std::string& path, const std::string& reason) {
  throw OutputError("cannot write " + path + ": " + reason);
}

// Writes all of `text` to `fd`; false (errno set) on failure.
bool WriteAll(int fd, const std::string& text) {
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

// The directory a target lives in ("." for a bare name).
std::string DirectoryOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// What an existing target is: 0 absent, 'r' regular file, 'c' character device; refuses others.
char TargetKind(const std::string& path, struct stat* st) {
  if (::stat(path.c_str(), st) != 0) {
    if (errno == ENOENT) return 0;
    CannotWrite(path, Reason(errno));
  }
  if (S_ISREG(st->st_mode)) return 'r';
  if (S_ISCHR(st->st_mode)) return 'c';
  CannotWrite(path, S_ISDIR(st->st_mode) ? "is a directory" : "is not a regular file");
}

// Creates the directory of `path` when missing (results/ under the working directory).
void MakeParent(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) CannotWrite(path, "cannot create " + parent.string() + ": " + ec.message());
}

// An exclusively created temporary beside `path`; returns its fd and fills `tmp`.
int OpenTemporary(const std::string& path, std::string* tmp) {
  std::string pattern = DirectoryOf(path) + "/." + fs::path(path).filename().string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(pattern.data());  // O_CREAT | O_EXCL, mode 0600
  if (fd < 0) CannotWrite(path, Reason(errno));
  *tmp = pattern;
  return fd;
}

void WriteToDevice(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) CannotWrite(path, Reason(errno));
  const bool ok = WriteAll(fd, text);
  const int err = errno;
  ::close(fd);
  if (!ok) CannotWrite(path, Reason(err));
}

}  // namespace

std::string ReadTextFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw UsageError(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot open file (" + Reason(errno) + ")");
  std::stringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw UsageError(path + ": cannot read file");
  return buf.str();
}

int JsonNestingDepth(const std::string& text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

nlohmann::ordered_json ParseJsonText(const std::string& text, const std::string& origin) {
  if (JsonNestingDepth(text) > kMaxJsonDepth) {
    throw UsageError(origin + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::exception& e) {
    std::string what = e.what();
    for (const char* key : {"parse error", "number overflow"}) {
      if (auto pos = what.find(key); pos != std::string::npos) {
        what = what.substr(pos);
        break;
      }
    }
    throw UsageError(origin + ": malformed JSON (" + what + ")");
  }
}

nlohmann::ordered_json ReadJsonFile(const std::string& path) { return ParseJsonText(ReadTextFile(path), path); }

void CheckWritable(const std::string& path) {
  if (path == "-") return;
  struct stat st {};
  if (TargetKind(path, &st) == 'c') return;
  MakeParent(path);
  std::string tmp;
  ::close(OpenTemporary(path, &tmp));
  ::unlink(tmp.c_str());
}

void RefuseOutputOverInput(const std::string& output, const std::vector<std::string>& inputs,
                           const std::string& option) {
  if (output.empty() || output == "-") return;
  for (const std::string& input : inputs) {
    if (input.empty() || input == "-") continue;
    std::error_code ec, ec_out, ec_in;
    const bool same_file = std::filesystem::equivalent(output, input, ec) && !ec;
    // Not yet made (a database --db will create): the same path, however spelt.
    const bool same_path = std::filesystem::weakly_canonical(output, ec_out) ==
                               std::filesystem::weakly_canonical(input, ec_in) && !ec_out && !ec_in;
    if (same_file || same_path) {
      throw UsageError(option + " " + output + " is the input file " + input +
                       ": writing it would replace what was read; name another output");
    }
  }
}

void WriteFileSafely(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (std::fflush(stdout) != 0) CannotWrite("standard output", Reason(errno));
    return;
  }
  struct stat st {};
  const char kind = TargetKind(path, &st);
  if (kind == 'c') return WriteToDevice(path, text);
  MakeParent(path);
  std::string tmp;
  const int fd = OpenTemporary(path, &tmp);
  const mode_t mode = kind == 'r' ? (st.st_mode & 07777) : 0644;
  bool ok = ::fchmod(fd, mode) == 0 && WriteAll(fd, text) && ::fsync(fd) == 0;
  int err = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    CannotWrite(path, Reason(err));
  }
  // The rename is durable once the directory is on disk too.
  const int dir = ::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace gq
