#include "harness/results_recorder.h"

#include <ctime>
#include <random>
#include <utility>

#include "harness/results_json.h"

namespace gq {
namespace {

std::string FormatUtc(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string SafeHost(const std::string& hostname) {
  std::string out;
  for (char c : hostname) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return out.empty() ? "host" : out;
}

}  // namespace

std::string UtcTimestamp() { return FormatUtc("%Y-%m-%dT%H:%M:%SZ"); }

std::string NewRunId(const std::string& hostname) {
  std::random_device rd;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x", static_cast<unsigned>(rd() & 0xffffff));
  return FormatUtc("%Y%m%dT%H%M%SZ") + "-" + SafeHost(hostname) + "-" + hex;
}

std::string DefaultResultsPath(const std::string& hostname) {
  return "results/" + FormatUtc("%Y%m%dT%H%M%SZ") + "-" + SafeHost(hostname) + ".json";
}

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
