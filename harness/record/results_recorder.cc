#include "harness/record/results_recorder.h"

#include <utility>

#include "harness/record/results_json.h"

namespace gq {
ResultsRecorder::ResultsRecorder(std::string path, ResultsDoc doc)
    : path_(std::move(path)), doc_(std::move(doc)) {
  WriteResultsFile(path_, doc_);
}

void ResultsRecorder::OnCaseDone(const CaseResult& result) {
  doc_.cases.push_back(result);
  WriteResultsFile(path_, doc_);
}

void ResultsRecorder::SetHealth(HealthReport health) {
  doc_.health = std::move(health);
  WriteResultsFile(path_, doc_);
}

void ResultsRecorder::Finish(bool interrupted) {
  doc_.run.finished_at = UtcTimestamp();
  doc_.run.interrupted = interrupted;
  WriteResultsFile(path_, doc_);
}

}  // namespace gq
