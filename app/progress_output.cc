#include "app/progress_output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <iostream>

namespace gq::cli {

std::unique_ptr<ProgressPrinter> MakeStderrProgress() {
  if (!isatty(STDERR_FILENO)) {
    return std::make_unique<ProgressPrinter>(std::cerr, ProgressPrinter::Mode::kPlain, 0);
  }
  struct winsize size {};
  const int columns = ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
  return std::make_unique<ProgressPrinter>(std::cerr, ProgressPrinter::Mode::kLine, columns);
}

}  // namespace gq::cli
