#include "workloads/e2e/model/e2e_model.h"

#include <gtest/gtest.h>

#include "harness/errors.h"

namespace gq {
namespace {

CaseSpec Spec(const std::string& model, int tp = 1, const std::string& heads = "0",
              const std::string& kv_heads = "0", const std::string& hidden = "0") {
  return CaseSpec{"e2e",
                  {{"model", model}, {"scenario", "offline"}, {"batch", "4"}, {"input_len", "128"}, {"output_len", "32"},
                   {"dtype", "bf16"}, {"tp", std::to_string(tp)}, {"layers", "0"}, {"hidden", hidden},
                   {"heads", heads}, {"kv_heads", kv_heads}, {"ffn", "0"}, {"vocab", "0"}}};
}

TEST(E2eModelTest, PresetParameterCountsMatchThePublishedModels) {
  // Published sizes: Llama 3 8B 8.03B, 70B 70.6B, Mistral 7B v0.3 7.25B, Qwen2.5-7B 7.62B.
  EXPECT_NEAR(ModelPreset("llama-3-8b").TotalParams() * 1e-9, 8.03, 0.01);
  EXPECT_NEAR(ModelPreset("llama-3-70b").TotalParams() * 1e-9, 70.55, 0.05);
  EXPECT_NEAR(ModelPreset("mistral-7b").TotalParams() * 1e-9, 7.25, 0.01);
  EXPECT_NEAR(ModelPreset("qwen2.5-7b").TotalParams() * 1e-9, 7.62, 0.01);
  // torch_anchors.py: ~15.0 GB of bf16 matmul weights read per decode step of Llama 3 8B.
  EXPECT_NEAR(ModelPreset("llama-3-8b").MatmulParams() * 2e-9, 15.0, 0.1);
}

TEST(E2eModelTest, PresetsHaveConsistentHeads) {
  for (const std::string& name : ModelPresetNames()) {
    const ModelConfig m = ModelPreset(name);
    EXPECT_EQ(m.head_dim * m.heads, m.hidden) << name;
    EXPECT_EQ(m.heads % m.kv_heads, 0) << name;
  }
  EXPECT_TRUE(ModelPreset("qwen2.5-7b").qkv_bias);
  EXPECT_FALSE(ModelPreset("llama-3-8b").qkv_bias);
  EXPECT_THROW(ModelPreset("gpt-5"), UsageError);
}

TEST(E2eModelTest, CaseReadsScenarioAndShards) {
  const E2eProblem p = E2eProblemFromCase(Spec("llama-3-8b", 2));
  EXPECT_EQ(p.batch, 4);
  EXPECT_EQ(p.input_len, 128);
  EXPECT_EQ(p.output_len, 32);
  EXPECT_EQ(p.max_seq(), 128 + 32 + kVerifyExtraRows);
  EXPECT_EQ(p.heads_local(), 16);
  EXPECT_EQ(p.kv_heads_local(), 4);
  EXPECT_EQ(p.ffn_local(), 7168);
  EXPECT_EQ(p.vocab_local(), 64128);
}

TEST(E2eModelTest, ShapeOverridesMakeACustomModel) {
  const E2eProblem p = E2eProblemFromCase(Spec("tiny", 1, "8", "4", "512"));
  EXPECT_EQ(p.model.hidden, 512);
  EXPECT_EQ(p.model.heads, 8);
  EXPECT_EQ(p.model.kv_heads, 4);
  EXPECT_EQ(p.model.head_dim, 64);
  EXPECT_NE(p.model.source.find("overrides"), std::string::npos);
}

TEST(E2eModelTest, BadShapesAreUsageErrors) {
  EXPECT_THROW(E2eProblemFromCase(Spec("tiny", 3)), UsageError);             // tp does not divide heads
  EXPECT_THROW(E2eProblemFromCase(Spec("tiny", 1, "3")), UsageError);        // heads do not divide hidden
  EXPECT_THROW(E2eProblemFromCase(Spec("tiny", 1, "4", "3")), UsageError);   // kv_heads do not divide heads
  EXPECT_THROW(E2eProblemFromCase(Spec("llama-3-8b", 16)), UsageError);      // kv_heads 8 < tp 16
  CaseSpec zero = Spec("tiny");
  zero.params[2].second = "0";  // batch
  EXPECT_THROW(E2eProblemFromCase(zero), UsageError);
  CaseSpec wide = Spec("tiny");
  wide.params[2].second = "65535";  // the decode attention grid's limit: accepted
  EXPECT_EQ(E2eProblemFromCase(wide).batch, 65535);
  wide.params[2].second = "65536";
  try {
    E2eProblemFromCase(wide);
    ADD_FAILURE() << "batch 65536 was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("batch must be at most 65535"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gq
