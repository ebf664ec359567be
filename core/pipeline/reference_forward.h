#pragma once

// One forward of each network of a pack on inputs given as tensors, for parity checks
// against an independent implementation (scripts/reference/compare.py) and for timing
// them side by side. Torch-free, so the CLI can call it.
//
// The inputs file (safetensors) holds:
//   tokens      [B, L] integer token ids (L at most the text encoder's max_tokens)
//   token_mask  [B, L] nonzero for real tokens (bool, integer or float)
//   x           [B, C, T, h, w] noisy latent
//   known       [B, C, T, h, w] known latent (zero where unknown)
//   mask        [B, 1, T, h, w] known-mask
//   t           [B] noise level in [0, 1]
//   latent      [B', C, T', h', w'] (optional) a scaled latent for the decoder
// and the outputs file gets, all float32:
//   text_features [B, L, D]   the text encoder's output for tokens/token_mask
//   velocity      [B, C, T, h, w]  the transformer's output on x, known, mask, t and
//                                  those text features
//   video         [B', 3, 1 + 4(T'-1), H, W]  the decoder's output on latent (unclamped)

#include "util/result.h"

#include <filesystem>
#include <string>

namespace kinora::pipeline {

struct ReferenceForwardRequest {
    std::filesystem::path model;   // the pack folder
    std::filesystem::path inputs;  // safetensors, as above
    std::filesystem::path outputs; // safetensors, written atomically
    std::string precision = "fp32"; // the transformer's on the CPU: fp32 or bf16 (text encoder and decoder: fp32)
    int repeats = 5;                // timed runs of each network, after one untimed warm-up
};

// Runs on the CPU with the calling thread's LibTorch thread count (Engine::setThreads).
// Returns one line of JSON: the pack, precision, threads, shapes and the median
// milliseconds of each network (text_encoder_ms, transformer_ms, decoder_ms; the last
// null without a latent).
Result<std::string> runReferenceForward(const ReferenceForwardRequest& request);

} // namespace kinora::pipeline
