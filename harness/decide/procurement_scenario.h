#pragma once
// The named procurement scenario that $/Mtok is quoted for (harness/decide/procurement.h): one
// e2e workload case, so machines are compared like for like. Default: Llama-3-8B offline, batch
// 64, 1024 prompt and 128 generated tokens per sequence, tp 1. A machine that did not run this
// exact case gets no $/Mtok (never one from another batch or length, nor a case that overrides
// the preset's shape: layers, hidden, heads, kv_heads, ffn or vocab other than 0).
//   --scenario model=llama-3-8b,scenario=offline,batch=64,input_len=1024,output_len=128,tp=1
// Keys not given keep the default; an unknown key or a bad value is a UsageError.
#include <string>

#include "harness/results.h"

namespace gq {

struct ProcurementScenario {
  std::string model = "llama-3-8b";
  std::string scenario = "offline";
  int batch = 64, input_len = 1024, output_len = 128, tp = 1;

  // "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1".
  std::string Describe() const;
  // The tokens its $/Mtok counts: "output", or "prompt" for a prefill scenario.
  const char* Tokens() const { return scenario == "prefill" ? "prompt" : "output"; }
  // Whether `c` is this scenario's e2e case (its params, as gpuqual writes them).
  bool Matches(const CaseResult& c) const;
};

ProcurementScenario ParseProcurementScenario(const std::string& text);

}  // namespace gq
