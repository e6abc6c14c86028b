#pragma once
// JSON form of Work (the "work" object of a case in results and baseline files; DESIGN.md §6):
//   {flops, bytes, tokens, busbw_factor, compute_dtype, prefill_tokens, gpus,
//    phases: [{name, flops, bytes, repeats}]}
// flops, bytes and tokens are required; the others are optional on reading (files written before
// they existed read as 0, "" and no phases). A present key of the wrong type is an error naming it.
#include <nlohmann/json.hpp>

#include "harness/json_fields.h"
#include "harness/work.h"

namespace gq {

nlohmann::ordered_json WorkToJson(const Work& w);
Work WorkFromJson(const JsonFields& f);

}  // namespace gq
