// Device tensors of an attention case (contract in attention_device_data.cuh). No kernels of its
// own: the fill is gemm_fill.cu's, the rest are copies and memsets.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "harness/byte_text.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/seeds.h"
#include "workloads/attention/attention_device_data.cuh"
#include "workloads/attention/attention_reference.h"
#include "workloads/gemm/gemm_fill.cuh"

namespace gq {
namespace {

constexpr double kL2Multiple = 3.0;
constexpr int kMaxCopies = 16;
constexpr double kUsableFreeFraction = 0.9;
constexpr int kPoisonByte = 0xFF;  // 0xFFFF is a NaN in bf16 and in fp16

// bf16 / fp16 bits to float (exact).
float ToFloat(uint16_t bits, Dtype dtype) {
  if (dtype == Dtype::kBf16) {
    const uint32_t wide = uint32_t{bits} << 16;
    float f;
    std::memcpy(&f, &wide, sizeof(f));
    return f;
  }
  __half h;
  std::memcpy(&h, &bits, sizeof(bits));
  return __half2float(h);
}

// Reads the sub-problem of one copy from the device, synchronously on the case's stream.
class DeviceSource final : public AttentionTensorSource {
 public:
  DeviceSource(const AttentionProblem& p, const AttentionDeviceData::Set& set, cudaStream_t stream)
      : p_(p), set_(set), stream_(stream) {}

  void KvHead(int64_t b, int64_t g, std::vector<float>* k, std::vector<float>* v) override {
    Column(set_.k, b, g, k);
    Column(set_.v, b, g, v);
  }
  void QRow(int64_t b, int64_t i, int64_t h, float* q) override {
    Row(set_.q, AttentionQIndex(p_, b, i, h), q);
  }
  void ORow(int64_t b, int64_t i, int64_t h, float* o) override {
    Row(set_.o, AttentionQIndex(p_, b, i, h), o);
  }

 private:
  // The seq_kv rows of (b, g): head_dim elements every kv_heads * head_dim.
  void Column(const DeviceBuffer& tensor, int64_t b, int64_t g, std::vector<float>* out) {
    const size_t dim = static_cast<size_t>(p_.head_dim);
    bits_.resize(static_cast<size_t>(p_.seq_kv) * dim);
    const uint16_t* src = tensor.as<uint16_t>() + AttentionKvIndex(p_, b, 0, g);
    GQ_CUDA_CHECK(cudaMemcpy2DAsync(bits_.data(), dim * 2, src, size_t(p_.kv_heads) * dim * 2,
                                    dim * 2, static_cast<size_t>(p_.seq_kv), cudaMemcpyDeviceToHost,
                                    stream_));
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    out->resize(bits_.size());
    for (size_t n = 0; n < bits_.size(); ++n) (*out)[n] = ToFloat(bits_[n], p_.dtype);
  }
  void Row(const DeviceBuffer& tensor, int64_t offset, float* out) {
    const size_t dim = static_cast<size_t>(p_.head_dim);
    bits_.resize(dim);
    GQ_CUDA_CHECK(cudaMemcpyAsync(bits_.data(), tensor.as<uint16_t>() + offset, dim * 2,
                                  cudaMemcpyDeviceToHost, stream_));
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    for (size_t n = 0; n < dim; ++n) out[n] = ToFloat(bits_[n], p_.dtype);
  }

  const AttentionProblem& p_;
  const AttentionDeviceData::Set& set_;
  cudaStream_t stream_;
  std::vector<uint16_t> bits_;
};

}  // namespace

AttentionDeviceData::AttentionDeviceData(const AttentionProblem& problem, cudaStream_t stream,
                                         double extra_bytes)
    : p_(problem), stream_(stream) {
  int device = 0, l2_bytes = 0;
  GQ_CUDA_CHECK(cudaGetDevice(&device));
  GQ_CUDA_CHECK(cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device));
  const double elem = static_cast<double>(DtypeBytes(p_.dtype));
  const double q_bytes = p_.QElements() * elem, kv_bytes = p_.KvElements() * elem;
  const double set_bytes = 2 * q_bytes + 2 * kv_bytes;
  int copies = 1;
  if (set_bytes < kL2Multiple * l2_bytes) {
    copies = std::min(kMaxCopies, static_cast<int>(kL2Multiple * l2_bytes / set_bytes) + 1);
  }
  const double needed = copies * set_bytes + extra_bytes + 4096.0;
  size_t free_bytes = 0, total_bytes = 0;
  GQ_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  if (needed > kUsableFreeFraction * double(free_bytes)) {
    throw CaseSkipped("needs " + GiBText(needed) + ", " + GiBText(double(free_bytes)) + " free");
  }
  for (int c = 0; c < copies; ++c) {
    Set set;
    set.q = DeviceBuffer::Allocate(static_cast<size_t>(q_bytes));
    set.k = DeviceBuffer::Allocate(static_cast<size_t>(kv_bytes));
    set.v = DeviceBuffer::Allocate(static_cast<size_t>(kv_bytes));
    set.o = DeviceBuffer::Allocate(static_cast<size_t>(q_bytes));
    const uint64_t seed = p_.seed + 16 * static_cast<uint64_t>(c);
    const auto q_count = static_cast<int64_t>(p_.QElements());
    const auto kv_count = static_cast<int64_t>(p_.KvElements());
    if (p_.dtype == Dtype::kBf16) {
      FillUniform(set.q.as<__nv_bfloat16>(), q_count, Mix64(seed + 1), stream_);
      FillUniform(set.k.as<__nv_bfloat16>(), kv_count, Mix64(seed + 2), stream_);
      FillUniform(set.v.as<__nv_bfloat16>(), kv_count, Mix64(seed + 3), stream_);
    } else {
      FillUniform(set.q.as<__half>(), q_count, Mix64(seed + 1), stream_);
      FillUniform(set.k.as<__half>(), kv_count, Mix64(seed + 2), stream_);
      FillUniform(set.v.as<__half>(), kv_count, Mix64(seed + 3), stream_);
    }
    sets_.push_back(std::move(set));
    PoisonOutput(sets_.size() - 1);
  }
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void AttentionDeviceData::PoisonOutput(size_t index) const {
  const DeviceBuffer& o = sets_.at(index).o;
  GQ_CUDA_CHECK(cudaMemsetAsync(o.get(), kPoisonByte, o.bytes(), stream_));
}

VerifyResult AttentionDeviceData::Verify(size_t index) const {
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
  DeviceSource source(p_, sets_.at(index), stream_);
  return VerifyAttention(p_, source, Mix64(p_.seed + 4));
}

}  // namespace gq
