# Decides GQ_WITH_MPI from GQ_MPI (AUTO|ON|OFF) and, with the CUDA backend on, GQ_WITH_NCCL from
# whether NCCL (nccl.h and libnccl) is found. MPI: the C API of any MPI (scripts/install-deps.sh
# installs Open MPI); the deprecated C++ bindings are skipped. NCCL is looked for next to the CUDA
# toolkit first, then in the system paths (Debian/Ubuntu's libnccl-dev).
set(GQ_WITH_MPI OFF)
if(NOT GQ_MPI MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "GQ_MPI must be AUTO, ON or OFF (got '${GQ_MPI}')")
endif()
if(NOT GQ_MPI STREQUAL "OFF")
  set(MPI_CXX_SKIP_MPICXX ON)
  find_package(MPI COMPONENTS CXX QUIET)
  if(MPI_CXX_FOUND)
    set(GQ_WITH_MPI ON)
  elseif(GQ_MPI STREQUAL "ON")
    message(FATAL_ERROR "GQ_MPI=ON but no MPI was found (install libopenmpi-dev)")
  endif()
endif()
# mpirun for the `mpi` tests (Open MPI's, or any mpiexec).
if(GQ_WITH_MPI AND NOT MPIEXEC_EXECUTABLE)
  find_program(MPIEXEC_EXECUTABLE NAMES mpirun mpiexec)
endif()

set(GQ_WITH_NCCL OFF)
if(GQ_WITH_CUDA)
  find_path(GQ_NCCL_INCLUDE_DIR nccl.h HINTS ${CUDAToolkit_INCLUDE_DIRS})
  find_library(GQ_NCCL_LIBRARY nccl HINTS ${CUDAToolkit_LIBRARY_DIR})
  if(GQ_NCCL_INCLUDE_DIR AND GQ_NCCL_LIBRARY)
    set(GQ_WITH_NCCL ON)
  endif()
endif()
