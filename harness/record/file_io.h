#pragma once
// Reading and writing the files gpuqual is given or told to write (DESIGN.md §9); every loader and
// writer goes through here.
//
//   ReadTextFile(path)         the whole file; UsageError "PATH: cannot open file (reason)".
//   ParseJsonText(text, origin)
//                              JSON whose nesting (arrays and objects inside each other) is at most
//                              kMaxJsonDepth, checked by a linear scan before the parser runs, so a
//                              hostile file cannot exhaust the stack; any parse problem (syntax, a
//                              number out of range such as 1e400) is UsageError "ORIGIN: ...".
//   ReadJsonFile(path)         both, once per file.
//   WriteFileSafely(path, text)
//                              the one way an output is written:
//                              - "-" writes to standard output;
//                              - an existing character device (/dev/null, /dev/stdout, a terminal)
//                                is written straight to, never replaced;
//                              - an existing target of any other kind that is not a regular file
//                                (a directory, a FIFO, a socket) is refused;
//                              - otherwise the text goes to a temporary created exclusively
//                                (O_CREAT | O_EXCL, so a planted file or symlink of that name is
//                                never followed) beside the target, is fsynced, renamed over the
//                                target, and the directory is fsynced. On any failure the temporary
//                                is removed and the target keeps its previous content.
//                              Errors are OutputError "cannot write PATH: reason" (exit 2).
//   RefuseOutputOverInput(output, inputs, option)
//                              UsageError "OPTION OUTPUT is the input file INPUT: ..." when the
//                              output names a file that is one of the inputs (same file, by
//                              inode: a link or another spelling of the path counts; or, for a file
//                              not made yet such as a new --db, the same path), so a command never
//                              replaces what it reads. "-" and empty names pass.
//   CheckWritable(path)        the same checks and a probe temporary created and removed beside
//                              the target, without touching the target itself: a bad output path
//                              fails before any work, and an existing file is not emptied.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gq {

inline constexpr int kMaxJsonDepth = 64;

std::string ReadTextFile(const std::string& path);
nlohmann::ordered_json ParseJsonText(const std::string& text, const std::string& origin);
nlohmann::ordered_json ReadJsonFile(const std::string& path);

void WriteFileSafely(const std::string& path, const std::string& text);
void CheckWritable(const std::string& path);
void RefuseOutputOverInput(const std::string& output, const std::vector<std::string>& inputs,
                           const std::string& option);

// Depth of the deepest array/object nesting in `text` (strings skipped; not a validator).
int JsonNestingDepth(const std::string& text);

}  // namespace gq
