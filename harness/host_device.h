#pragma once
// GQ_HOST_DEVICE marks functions compiled for both the host and the device (__host__ __device__
// under nvcc, nothing in host-only builds), for headers shared by kernels and their host checks.
#if defined(__CUDACC__)
#define GQ_HOST_DEVICE __host__ __device__
#else
#define GQ_HOST_DEVICE
#endif
