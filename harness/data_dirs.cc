#include "harness/data_dirs.h"

#include <cstdlib>
#include <filesystem>

namespace gq {

std::vector<std::string> DataDirCandidates(const char* env_var, const std::string& name) {
  namespace fs = std::filesystem;
  std::vector<std::string> dirs;
  if (const char* env = std::getenv(env_var); env != nullptr && *env != '\0') dirs.push_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const std::string rel : {"../share/gpuqual/", "../../", "../../../"}) {
      dirs.push_back((exe.parent_path() / (rel + name)).lexically_normal().string());
    }
  }
#ifdef GQ_SOURCE_DIR
  dirs.push_back(std::string(GQ_SOURCE_DIR) + "/" + name);
#endif
  return dirs;
}

}  // namespace gq
