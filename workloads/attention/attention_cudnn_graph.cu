// The SDPA forward graph and its execution plan through the cuDNN 9 backend API (contract and
// the graph in attention_cudnn_graph.cuh). Built only with cuDNN (GQ_WITH_CUDNN).
#if GQ_WITH_CUDNN

#include <cmath>
#include <limits>
#include <utility>

#include "harness/errors.h"
#include "harness/gpu/cuda_dtype.cuh"
#include "workloads/attention/attention_cudnn_graph.cuh"

namespace gq {

using cudnn_backend::Descriptor;

namespace {

constexpr int64_t kTensorAlignment = 16;  // bytes; cudaMalloc memory and every row of D >= 8

// The graph is rejected or no engine runs it: the case is skipped, not failed, with cuDNN's words.
[[noreturn]] void ThrowUnavailable(const std::string& what) {
  throw CaseSkipped("cuDNN SDPA engine unavailable: " + what);
}

}  // namespace

Descriptor CudnnSdpaPlan::Tensor(int64_t uid, cudnnDataType_t type, std::vector<int64_t> dims,
                                 std::vector<int64_t> strides, bool is_virtual, bool by_value) {
  Descriptor t(CUDNN_BACKEND_TENSOR_DESCRIPTOR);
  t.SetInt64(CUDNN_ATTR_TENSOR_UNIQUE_ID, uid);
  t.SetDataType(CUDNN_ATTR_TENSOR_DATA_TYPE, type);
  t.Set(CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, int64_t(dims.size()), dims.data());
  t.Set(CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, int64_t(strides.size()), strides.data());
  t.SetInt64(CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, kTensorAlignment);
  const bool virtual_flag = is_virtual, by_value_flag = by_value;
  t.Set(CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &virtual_flag);
  if (by_value) t.Set(CUDNN_ATTR_TENSOR_IS_BY_VALUE, CUDNN_TYPE_BOOLEAN, 1, &by_value_flag);
  t.Finalize();
  return t;
}

void CudnnSdpaPlan::BuildGraph(cudnnHandle_t handle, const AttentionProblem& p) {
  const cudnnDataType_t io = CudnnDataType(p.dtype);
  const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
  const int64_t b = p.batch, h = p.heads, hk = p.kv_heads, sq = p.seq_q, skv = p.seq_kv;
  const int64_t d = p.head_dim;
  const std::vector<int64_t> one = {1, 1, 1, 1};
  const std::vector<int64_t> full = {b, h, sq, skv},
                             full_strides = {h * sq * skv, sq * skv, skv, 1};
  const std::vector<int64_t> rows = {b, h, sq, 1}, rows_strides = {h * sq, sq, 1, 1};

  // Every descriptor lives in keep_ (a deque: references stay valid) for the plan's lifetime.
  auto keep = [&](Descriptor desc) -> const Descriptor& {
    keep_.push_back(std::move(desc));
    return keep_.back();
  };
  int64_t next_uid = 100;
  auto virt = [&](cudnnDataType_t type, bool full_shape) -> const Descriptor& {
    return keep(Tensor(next_uid++, type, full_shape ? full : rows,
                       full_shape ? full_strides : rows_strides, /*is_virtual=*/true));
  };
  std::vector<cudnnBackendDescriptor_t> ops;
  auto matmul = [&](const Descriptor& a, const Descriptor& bm, const Descriptor& c) {
    Descriptor mm(CUDNN_BACKEND_MATMUL_DESCRIPTOR);
    mm.SetDataType(CUDNN_ATTR_MATMUL_COMP_TYPE, f32);
    mm.Finalize();
    Descriptor op(CUDNN_BACKEND_OPERATION_MATMUL_DESCRIPTOR);
    op.SetDesc(CUDNN_ATTR_OPERATION_MATMUL_ADESC, a);
    op.SetDesc(CUDNN_ATTR_OPERATION_MATMUL_BDESC, bm);
    op.SetDesc(CUDNN_ATTR_OPERATION_MATMUL_CDESC, c);
    op.SetDesc(CUDNN_ATTR_OPERATION_MATMUL_DESC, keep(std::move(mm)));
    op.Finalize();
    ops.push_back(keep(std::move(op)).get());
  };
  // y = mode(x[, in_b][, t]); axis >= 0 only for GEN_INDEX.
  auto pointwise = [&](cudnnPointwiseMode_t mode, cudnnDataType_t math, const Descriptor& x,
                       const Descriptor* in_b, const Descriptor& y, const Descriptor* t = nullptr,
                       int64_t axis = -1) {
    Descriptor pw(CUDNN_BACKEND_POINTWISE_DESCRIPTOR);
    pw.Set(CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &mode);
    pw.SetDataType(CUDNN_ATTR_POINTWISE_MATH_PREC, math);
    if (axis >= 0) pw.SetInt64(CUDNN_ATTR_POINTWISE_AXIS, axis);
    pw.Finalize();
    Descriptor op(CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR);
    op.SetDesc(CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR, keep(std::move(pw)));
    op.SetDesc(CUDNN_ATTR_OPERATION_POINTWISE_XDESC, x);
    if (in_b != nullptr) op.SetDesc(CUDNN_ATTR_OPERATION_POINTWISE_BDESC, *in_b);
    op.SetDesc(CUDNN_ATTR_OPERATION_POINTWISE_YDESC, y);
    if (t != nullptr) op.SetDesc(CUDNN_ATTR_OPERATION_POINTWISE_TDESC, *t);
    op.Finalize();
    ops.push_back(keep(std::move(op)).get());
  };
  auto reduce = [&](cudnnReduceTensorOp_t mode, const Descriptor& x, const Descriptor& y) {
    Descriptor red(CUDNN_BACKEND_REDUCTION_DESCRIPTOR);
    red.Set(CUDNN_ATTR_REDUCTION_OPERATOR, CUDNN_TYPE_REDUCTION_OPERATOR_TYPE, 1, &mode);
    red.SetDataType(CUDNN_ATTR_REDUCTION_COMP_TYPE, f32);
    red.Finalize();
    Descriptor op(CUDNN_BACKEND_OPERATION_REDUCTION_DESCRIPTOR);
    op.SetDesc(CUDNN_ATTR_OPERATION_REDUCTION_DESC, keep(std::move(red)));
    op.SetDesc(CUDNN_ATTR_OPERATION_REDUCTION_XDESC, x);
    op.SetDesc(CUDNN_ATTR_OPERATION_REDUCTION_YDESC, y);
    op.Finalize();
    ops.push_back(keep(std::move(op)).get());
  };

  // BSHD storage as [B, H, S, D] views; K^T swaps K's last two dims and strides.
  const Descriptor& q =
      keep(Tensor(kSdpaUidQ, io, {b, h, sq, d}, {sq * h * d, d, h * d, 1}, false));
  const Descriptor& kt =
      keep(Tensor(kSdpaUidK, io, {b, hk, d, skv}, {skv * hk * d, d, 1, hk * d}, false));
  const Descriptor& v =
      keep(Tensor(kSdpaUidV, io, {b, hk, skv, d}, {skv * hk * d, d, hk * d, 1}, false));
  const Descriptor& o =
      keep(Tensor(kSdpaUidO, io, {b, h, sq, d}, {sq * h * d, d, h * d, 1}, false));
  const Descriptor& scale = keep(Tensor(kSdpaUidScale, f32, one, one, false, /*by_value=*/true));

  const Descriptor& s = virt(f32, true);
  matmul(q, kt, s);
  const Descriptor& s_scaled = virt(f32, true);
  pointwise(CUDNN_POINTWISE_MUL, f32, s, &scale, s_scaled);
  const Descriptor* scores = &s_scaled;
  if (causal_) {
    const Descriptor& neg_inf = keep(Tensor(kSdpaUidNegInf, f32, one, one, false, true));
    const Descriptor* row = &virt(CUDNN_DATA_INT32, true);
    pointwise(CUDNN_POINTWISE_GEN_INDEX, CUDNN_DATA_INT32, *scores, nullptr, *row, nullptr, 2);
    if (shifted_) {  // bottom-right alignment: row + Skv - Sq
      const Descriptor& seq_kv =
          keep(Tensor(kSdpaUidSeqKv, CUDNN_DATA_INT32, one, one, false, true));
      const Descriptor& seq_q = keep(Tensor(kSdpaUidSeqQ, CUDNN_DATA_INT32, one, one, false, true));
      const Descriptor& row_plus = virt(CUDNN_DATA_INT32, true);
      pointwise(CUDNN_POINTWISE_ADD, CUDNN_DATA_INT32, *row, &seq_kv, row_plus);
      const Descriptor& row_shifted = virt(CUDNN_DATA_INT32, true);
      pointwise(CUDNN_POINTWISE_SUB, CUDNN_DATA_INT32, row_plus, &seq_q, row_shifted);
      row = &row_shifted;
    }
    const Descriptor& col = virt(CUDNN_DATA_INT32, true);
    pointwise(CUDNN_POINTWISE_GEN_INDEX, CUDNN_DATA_INT32, *scores, nullptr, col, nullptr, 3);
    const Descriptor& keep_mask = virt(CUDNN_DATA_BOOLEAN, true);
    pointwise(CUDNN_POINTWISE_CMP_GE, CUDNN_DATA_BOOLEAN, *row, &col, keep_mask);
    const Descriptor& masked = virt(f32, true);
    // binary_select: y = t ? x : b, so visible scores stay and the rest become -inf.
    pointwise(CUDNN_POINTWISE_BINARY_SELECT, f32, *scores, &neg_inf, masked, &keep_mask);
    scores = &masked;
  }
  const Descriptor& row_max = virt(f32, false);
  reduce(CUDNN_REDUCE_TENSOR_MAX, *scores, row_max);
  const Descriptor& shifted = virt(f32, true);
  pointwise(CUDNN_POINTWISE_SUB, f32, *scores, &row_max, shifted);
  const Descriptor& exps = virt(f32, true);
  pointwise(CUDNN_POINTWISE_EXP, f32, shifted, nullptr, exps);
  const Descriptor& row_sum = virt(f32, false);
  reduce(CUDNN_REDUCE_TENSOR_ADD, exps, row_sum);
  const Descriptor& log_sum = virt(f32, false);
  pointwise(CUDNN_POINTWISE_LOG, f32, row_sum, nullptr, log_sum);
  const Descriptor& stats = keep(Tensor(kSdpaUidStats, f32, rows, rows_strides, !stats_output_));
  pointwise(CUDNN_POINTWISE_ADD, f32, row_max, &log_sum, stats);
  const Descriptor& probs = virt(io, true);  // P in the input dtype: the second matmul's A type
  pointwise(CUDNN_POINTWISE_DIV, f32, exps, &row_sum, probs);
  matmul(probs, v, o);

  graph_ = Descriptor(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR);
  graph_.Set(CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1, &handle);
  graph_.Set(CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, int64_t(ops.size()),
             ops.data());
  graph_.Finalize();
}

bool CudnnSdpaPlan::TryPlans(cudnnHandle_t handle, cudnnBackendHeurMode_t mode,
                             const char* mode_name, std::string* last_error) {
  Descriptor heur(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR);
  heur.SetDesc(CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, graph_);
  heur.Set(CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &mode);
  cudnnStatus_t status = cudnnBackendFinalize(heur.get());
  int64_t count = 0;
  if (status == CUDNN_STATUS_SUCCESS) {
    status = cudnnBackendGetAttribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_RESULTS,
                                      CUDNN_TYPE_BACKEND_DESCRIPTOR, 0, &count, nullptr);
  }
  if (status != CUDNN_STATUS_SUCCESS) {
    *last_error = std::string("heuristics ") + mode_name + ": " + cudnn_backend::StatusText(status);
    return false;
  }
  if (count <= 0) {
    *last_error = std::string("heuristics ") + mode_name + " found no engine for the graph";
    return false;
  }
  std::vector<Descriptor> configs;
  std::vector<cudnnBackendDescriptor_t> raw;
  for (int64_t i = 0; i < count; ++i) {
    configs.emplace_back(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR);
    raw.push_back(configs.back().get());
  }
  int64_t returned = 0;
  GQ_CUDNN_CHECK(cudnnBackendGetAttribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_RESULTS,
                                          CUDNN_TYPE_BACKEND_DESCRIPTOR, count, &returned,
                                          raw.data()));
  for (int64_t i = 0; i < returned; ++i) {
    Descriptor plan(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR);
    plan.Set(CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1, &handle);
    plan.SetDesc(CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, configs[i]);
    status = cudnnBackendFinalize(plan.get());
    if (status != CUDNN_STATUS_SUCCESS) {
      *last_error = std::string("plan ") + std::to_string(i) + " of heuristics " + mode_name +
                    ": " + cudnn_backend::StatusText(status);
      continue;
    }
    int64_t n = 0;
    GQ_CUDNN_CHECK(cudnnBackendGetAttribute(plan.get(), CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE,
                                            CUDNN_TYPE_INT64, 1, &n, &workspace_bytes_));
    engine_ = "engine";
    Descriptor engine(CUDNN_BACKEND_ENGINE_DESCRIPTOR);
    cudnnBackendDescriptor_t engine_raw = engine.get();
    int64_t global_index = -1;
    if (cudnnBackendGetAttribute(configs[i].get(), CUDNN_ATTR_ENGINECFG_ENGINE,
                                 CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &n,
                                 &engine_raw) == CUDNN_STATUS_SUCCESS &&
        cudnnBackendGetAttribute(engine_raw, CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1,
                                 &n, &global_index) == CUDNN_STATUS_SUCCESS) {
      engine_ += " " + std::to_string(global_index);
    }
    engine_ += std::string(" (heuristics ") + mode_name + " rank " + std::to_string(i) + " of " +
               std::to_string(returned) + ")";
    keep_.push_back(std::move(configs[i]));  // the plan refers to its engine configuration
    plan_ = std::move(plan);
    return true;
  }
  return false;
}

CudnnSdpaPlan::CudnnSdpaPlan(cudnnHandle_t handle, const AttentionProblem& p, bool stats_output)
    : causal_(p.causal), shifted_(p.causal && p.seq_q != p.seq_kv), stats_output_(stats_output) {
  scalars_.scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(p.head_dim)));
  // cuDNN before 9.10 wants the lowest float rather than -inf as the mask fill (cudnn_frontend
  // makes the same choice).
  scalars_.neg_inf = cudnnGetVersion() < 91000 ? std::numeric_limits<float>::lowest()
                                               : -std::numeric_limits<float>::infinity();
  scalars_.seq_kv = static_cast<int32_t>(p.seq_kv);
  scalars_.seq_q = static_cast<int32_t>(p.seq_q);
  try {
    BuildGraph(handle, p);
  } catch (const std::runtime_error& e) {
    ThrowUnavailable(std::string("the operation graph was rejected: ") + e.what());
  }
  std::string last_error = "no engine configuration";
  if (TryPlans(handle, CUDNN_HEUR_MODE_A, "A", &last_error)) return;
  if (TryPlans(handle, CUDNN_HEUR_MODE_FALLBACK, "fallback", &last_error)) return;
  ThrowUnavailable(last_error);
}

}  // namespace gq

#endif  // GQ_WITH_CUDNN
