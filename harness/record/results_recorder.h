#pragma once
// CaseSink that owns the run's ResultsDoc and rewrites the results file safely after every case
// (DESIGN.md §6; harness/record/file_io.h), so an interrupted run keeps every finished case.
//
// - Construction only checks that the file can be written (CheckWritable): an existing file at
//   the path keeps its content until the first case replaces it.
// - After every case (and SetHealth) the whole document is written with run.complete = false; a
//   case already in the document under the same (id, device), an earlier round of it, is replaced;
//   Finish writes it with complete = true, so a killed run's file says it was cut off.
// - A write that fails during the run (a full disk) leaves the previous file as it was, prints one
//   warning line to `warnings`, and the run goes on: the next case tries again. Finish throws
//   OutputError when its write fails, naming the file and the reason.
// - A stream target ("-" for standard output, or an existing character device or pipe such as
//   /dev/stdout) gets the document once, from Finish: rewrites would append whole documents.
#include <ostream>
#include <string>

#include "harness/case_sink.h"
#include "harness/clock.h"
#include "harness/results.h"

namespace gq {

class ResultsRecorder : public CaseSink {
 public:
  ResultsRecorder(std::string path, ResultsDoc doc, std::ostream* warnings);
  void OnCaseDone(const CaseResult& result) override;
  // Replaces the run's device health (before/after snapshots) and rewrites the file.
  void SetHealth(HealthReport health);
  // Stamps finished_at (and interrupted), marks the document complete and writes it.
  void Finish(bool interrupted);

  const ResultsDoc& doc() const { return doc_; }
  const std::string& path() const { return path_; }

 private:
  void TryWrite();

  std::string path_;
  ResultsDoc doc_;
  std::ostream* warnings_;
  bool warned_ = false;
  const bool stream_;  // written only by Finish (see above)
};

}  // namespace gq
