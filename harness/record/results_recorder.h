#pragma once
// CaseSink that owns the run's ResultsDoc and rewrites the results file atomically after every
// case (DESIGN.md §6), so an interrupted run keeps every finished case.
#include <string>

#include "harness/case_sink.h"
#include "harness/clock.h"
#include "harness/results.h"

namespace gq {

class ResultsRecorder : public CaseSink {
 public:
  // Writes the document (with no cases yet) at once, so a bad path fails before any work.
  ResultsRecorder(std::string path, ResultsDoc doc);
  void OnCaseDone(const CaseResult& result) override;
  // Replaces the run's device health (before/after snapshots) and rewrites the file.
  void SetHealth(HealthReport health);
  // Stamps finished_at (and interrupted) and writes the final document.
  void Finish(bool interrupted);

  const ResultsDoc& doc() const { return doc_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  ResultsDoc doc_;
};

}  // namespace gq
