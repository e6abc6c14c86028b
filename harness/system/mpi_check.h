#pragma once
// Checking macro for MPI calls (DESIGN.md §9). Include only where MPI is built (GQ_WITH_MPI).
//
// GQ_MPI_CHECK(call) evaluates an MPI call once and, unless it returned MPI_SUCCESS, throws
// std::runtime_error with "<file>:<line>: <call text> failed: <MPI error string>". MPI reports
// errors as return codes only on communicators whose error handler is MPI_ERRORS_RETURN (the
// MPI communicator sets it on its communicators); under the default handler MPI aborts instead.
#include <mpi.h>

#include <stdexcept>
#include <string>

namespace gq::mpi_check_internal {

[[noreturn]] inline void ThrowMpiError(const char* file, int line, const char* call, int code) {
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
  throw std::runtime_error(
      std::string(file) + ":" + std::to_string(line) + ": " + call +
      " failed: " + (length > 0 ? std::string(text, length) : "MPI error " + std::to_string(code)));
}

}  // namespace gq::mpi_check_internal

#define GQ_MPI_CHECK(call)                                                                \
  do {                                                                                    \
    const int gq_mpi_status_ = (call);                                                    \
    if (gq_mpi_status_ != MPI_SUCCESS) {                                                  \
      ::gq::mpi_check_internal::ThrowMpiError(__FILE__, __LINE__, #call, gq_mpi_status_); \
    }                                                                                     \
  } while (0)
