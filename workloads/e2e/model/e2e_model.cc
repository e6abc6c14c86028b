#include "workloads/e2e/model/e2e_model.h"

#include <cmath>
#include <string>

#include "harness/errors.h"

namespace gq {
namespace {

// Published configurations (the models' config.json on the Hugging Face Hub).
std::vector<ModelConfig> Presets() {
  return {
      {"llama-3-8b", 32, 4096, 32, 8, 128, 14336, 128256, 500000.0, 1e-5f, false,
       "meta-llama/Meta-Llama-3-8B config.json"},
      {"llama-3-70b", 80, 8192, 64, 8, 128, 28672, 128256, 500000.0, 1e-5f, false,
       "meta-llama/Meta-Llama-3-70B config.json"},
      {"mistral-7b", 32, 4096, 32, 8, 128, 14336, 32768, 1000000.0, 1e-5f, false,
       "mistralai/Mistral-7B-v0.3 config.json"},
      {"qwen2.5-7b", 28, 3584, 28, 4, 128, 18944, 152064, 1000000.0, 1e-6f, true,
       "Qwen/Qwen2.5-7B config.json"},
      // Small enough for the cpu backend and tests; the same code path as the others.
      {"tiny", 2, 256, 4, 2, 64, 512, 1024, 500000.0, 1e-5f, false, "gpuqual test shape"},
  };
}

void Require(bool ok, const std::string& what) {
  if (!ok) throw UsageError("e2e: " + what);
}

}  // namespace

double ModelConfig::LayerMatmulParams() const {
  const double q = double(heads) * head_dim, kv = double(kv_heads) * head_dim;
  // q, k, v projections (hidden -> q + 2 kv), out (q -> hidden), gate and up (hidden -> ffn),
  // down (ffn -> hidden).
  return double(hidden) * (q + 2 * kv) + q * hidden + 3.0 * hidden * ffn;
}

double ModelConfig::TotalParams() const {
  const double bias = qkv_bias ? double(heads + 2 * kv_heads) * head_dim : 0;
  const double norms = 2.0 * hidden;
  return MatmulParams() + double(vocab) * hidden + layers * (bias + norms) + hidden;
}

float E2eRopeInvFreq(float theta, int head_dim, int i) {
  return static_cast<float>(std::pow(double(theta), -2.0 * i / head_dim));
}

std::vector<std::string> ModelPresetNames() {
  std::vector<std::string> names;
  for (const ModelConfig& m : Presets()) names.push_back(m.name);
  return names;
}

ModelConfig ModelPreset(const std::string& name) {
  std::string known;
  for (const ModelConfig& m : Presets()) {
    if (m.name == name) return m;
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw UsageError("e2e: unknown model '" + name + "' (known: " + known + ")");
}

const char* E2eScenarioName(E2eScenario s) {
  switch (s) {
    case E2eScenario::kOffline: return "offline";
    case E2eScenario::kPrefill: return "prefill";
    case E2eScenario::kDecode: return "decode";
  }
  return "?";
}

int E2eProblem::max_seq() const { return input_len + output_len + kVerifyExtraRows; }

E2eProblem E2eProblemFromCase(const CaseSpec& spec) {
  E2eProblem p;
  p.model = ModelPreset(spec.Get("model"));
  const std::string scenario = spec.Get("scenario");
  bool known = false;
  for (E2eScenario s : {E2eScenario::kOffline, E2eScenario::kPrefill, E2eScenario::kDecode}) {
    if (scenario == E2eScenarioName(s)) {
      p.scenario = s;
      known = true;
    }
  }
  Require(known, "unknown scenario '" + scenario + "' (offline, prefill, decode)");
  ModelConfig& m = p.model;
  bool custom = false;
  auto over = [&](const char* axis, int& field) {
    const int64_t v = spec.GetInt(axis);
    Require(v >= 0 && v <= (int64_t{1} << 30), std::string(axis) + " must be in [0, 2^30]");
    if (v > 0 && v != field) {
      field = static_cast<int>(v);
      custom = true;
    }
  };
  over("layers", m.layers);
  over("hidden", m.hidden);
  over("heads", m.heads);
  over("kv_heads", m.kv_heads);
  over("ffn", m.ffn);
  over("vocab", m.vocab);
  if (custom) m.source += " with shape overrides";
  Require(m.hidden % m.heads == 0, "heads (" + std::to_string(m.heads) + ") must divide hidden (" +
                                       std::to_string(m.hidden) + ")");
  m.head_dim = m.hidden / m.heads;
  Require(m.head_dim % 2 == 0, "head_dim = hidden / heads must be even for RoPE");
  Require(m.heads % m.kv_heads == 0, "kv_heads (" + std::to_string(m.kv_heads) +
                                         ") must divide heads (" + std::to_string(m.heads) + ")");
  auto positive = [&](const char* axis) {
    const int64_t v = spec.GetInt(axis);
    Require(v >= 1 && v <= (int64_t{1} << 24), std::string(axis) + " must be in [1, 2^24]");
    return static_cast<int>(v);
  };
  p.batch = positive("batch");
  Require(p.batch <= 65535, "batch must be at most 65535 (the decode attention grid's y dimension)");
  p.input_len = positive("input_len");
  p.output_len = positive("output_len");
  p.tp = positive("tp");
  p.dtype = ParseDtype("e2e", spec.Get("dtype"), kE2eDtypes);
  Require(int64_t(p.input_len) + p.output_len + kVerifyExtraRows <= (int64_t{1} << 24),
          "input_len + output_len must stay below 2^24");
  for (auto [what, n] : {std::pair<const char*, int>{"heads", m.heads}, {"kv_heads", m.kv_heads},
                         {"ffn", m.ffn}, {"vocab", m.vocab}}) {
    Require(n % p.tp == 0, "tp=" + std::to_string(p.tp) + " must divide " + what + " (" +
                               std::to_string(n) + ")");
  }
  return p;
}

}  // namespace gq
