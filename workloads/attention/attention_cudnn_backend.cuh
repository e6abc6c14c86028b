#pragma once
// Small RAII and checking helpers over the cuDNN 9 backend (graph) API of cudnn_graph.h, for the
// attention workload's cudnn backend. Include only from .cu files built with GQ_WITH_CUDNN.
//
// GQ_CUDNN_CHECK(call) throws std::runtime_error
//   "<file>:<line>: <call> failed: <status name>: <cudnnGetLastErrorString>"
// (DESIGN.md §9). Owners destroy their object without throwing; move-only.
#include <cudnn.h>
#include <cudnn_graph.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace gq::cudnn_backend {

// The status name and cuDNN's last error message, e.g. "CUDNN_STATUS_NOT_SUPPORTED: ...".
inline std::string StatusText(cudnnStatus_t status) {
  char last[512] = {0};
  cudnnGetLastErrorString(last, sizeof(last));
  std::string text = cudnnGetErrorString(status);
  if (last[0] != '\0') text += std::string(": ") + last;
  return text;
}

[[noreturn]] inline void ThrowCudnnError(const char* file, int line, const char* call,
                                         cudnnStatus_t status) {
  throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + call +
                           " failed: " + StatusText(status));
}

}  // namespace gq::cudnn_backend

#define GQ_CUDNN_CHECK(call)                                                             \
  do {                                                                                   \
    const cudnnStatus_t gq_cudnn_status_ = (call);                                       \
    if (gq_cudnn_status_ != CUDNN_STATUS_SUCCESS) {                                      \
      ::gq::cudnn_backend::ThrowCudnnError(__FILE__, __LINE__, #call, gq_cudnn_status_); \
    }                                                                                    \
  } while (0)

namespace gq::cudnn_backend {

// Owner of one cudnnBackendDescriptor_t.
class Descriptor {
 public:
  Descriptor() = default;
  explicit Descriptor(cudnnBackendDescriptorType_t type) {
    GQ_CUDNN_CHECK(cudnnBackendCreateDescriptor(type, &desc_));
  }
  Descriptor(Descriptor&& other) noexcept : desc_(std::exchange(other.desc_, nullptr)) {}
  Descriptor& operator=(Descriptor&& other) noexcept {
    if (this != &other) {
      Release();
      desc_ = std::exchange(other.desc_, nullptr);
    }
    return *this;
  }
  ~Descriptor() { Release(); }

  cudnnBackendDescriptor_t get() const { return desc_; }

  // Typed attribute setters (count elements of the given backend type).
  void Set(cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type, int64_t count,
           const void* value) {
    GQ_CUDNN_CHECK(cudnnBackendSetAttribute(desc_, name, type, count, value));
  }
  void SetInt64(cudnnBackendAttributeName_t name, int64_t value) {
    Set(name, CUDNN_TYPE_INT64, 1, &value);
  }
  void SetDataType(cudnnBackendAttributeName_t name, cudnnDataType_t value) {
    Set(name, CUDNN_TYPE_DATA_TYPE, 1, &value);
  }
  void SetDesc(cudnnBackendAttributeName_t name, const Descriptor& value) {
    const cudnnBackendDescriptor_t raw = value.get();
    Set(name, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &raw);
  }
  void Finalize() { GQ_CUDNN_CHECK(cudnnBackendFinalize(desc_)); }

 private:
  void Release() noexcept {
    if (desc_ != nullptr) cudnnBackendDestroyDescriptor(desc_);
    desc_ = nullptr;
  }
  cudnnBackendDescriptor_t desc_ = nullptr;
};

// Owner of a cudnnHandle_t (created on the current device).
class Handle {
 public:
  Handle() { GQ_CUDNN_CHECK(cudnnCreate(&handle_)); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (handle_ != nullptr) cudnnDestroy(handle_);
  }
  cudnnHandle_t get() const { return handle_; }

 private:
  cudnnHandle_t handle_ = nullptr;
};

}  // namespace gq::cudnn_backend
