#include "harness/record/results_recorder.h"

#include <utility>

#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {

ResultsRecorder::ResultsRecorder(std::string path, ResultsDoc doc, std::ostream* warnings)
    : path_(std::move(path)), doc_(std::move(doc)), warnings_(warnings) {
  doc_.run.complete = false;
  CheckWritable(path_);
}

void ResultsRecorder::TryWrite() {
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
