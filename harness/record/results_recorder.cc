#include "harness/record/results_recorder.h"

#include <filesystem>
#include <utility>

#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {

namespace {

// "-" (standard output) or an existing file that is not a regular one (a character device, a
// pipe): a stream, where every rewrite would append another whole document.
bool IsStream(const std::string& path) {
  std::error_code ec;
  return path == "-" || (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec));
}

}  // namespace

ResultsRecorder::ResultsRecorder(std::string path, ResultsDoc doc, std::ostream* warnings)
    : path_(std::move(path)), doc_(std::move(doc)), warnings_(warnings), stream_(IsStream(path_)) {
  doc_.run.complete = false;
  CheckWritable(path_);
}

void ResultsRecorder::TryWrite() {
  if (stream_) return;  // written once, by Finish
  try {
    WriteResultsFile(path_, doc_);
  } catch (const OutputError& e) {
    if (warnings_ != nullptr && !warned_) {
      *warnings_ << "gpuqual: warning: " << e.what() << " (the run goes on; the file keeps its last good content)\n";
    }
    warned_ = true;
  }
}

void ResultsRecorder::OnCaseDone(const CaseResult& result) {
  for (CaseResult& c : doc_.cases) {  // a later round of a case already in the file replaces it
    if (c.id == result.id && c.device == result.device) {
      c = result;
      return TryWrite();
    }
  }
  doc_.cases.push_back(result);
  TryWrite();
}

void ResultsRecorder::SetHealth(HealthReport health) {
  doc_.health = std::move(health);
  TryWrite();
}

void ResultsRecorder::Finish(bool interrupted) {
  doc_.run.finished_at = UtcTimestamp();
  doc_.run.interrupted = interrupted;
  doc_.run.complete = true;
  WriteResultsFile(path_, doc_);
}

}  // namespace gq
