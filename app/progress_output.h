#pragma once
// The progress of `gpuqual run` on stderr (harness/record/progress_printer.h), in the form that
// fits where stderr goes: one updating line on a terminal (cut to its width), a plain line per
// case otherwise (a log, a pipe, a CI job). stdout keeps the table either way.
#include <memory>

#include "harness/record/progress_printer.h"

namespace gq::cli {

std::unique_ptr<ProgressPrinter> MakeStderrProgress();

}  // namespace gq::cli
