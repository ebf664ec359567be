#!/usr/bin/env python3
"""Parity and speed of the C++ engine against an independent PyTorch reference.

Makes deterministic inputs for the pack (a guided step's batch of two: a caption and the
empty, unconditional one; a window's latent with its first frame known in one item; two
noise levels; a latent for the decoder), runs the engine's own forward on them through
`kinora-cli reference-forward` and the reference in scripts/reference/kinora_reference.py
in this process, with the same thread count, and prints ONE line of JSON:

  max_rel_diff_fp32   max|cpp - ref| / max|ref| over the transformer's output (the
                      velocity) in fp32; text_encoder_rel_diff and decoder_rel_diff the
                      same for the text features and the decoded video
  max_rel_diff_bf16   the same with both transformers in bf16, or null with bf16_reason
                      when the CPU has no bf16 matmuls in hardware (avx512_bf16, amx_bf16;
                      `--bf16 on` runs it there anyway, emulated and slow)
  cpp_step_ms, pytorch_step_ms, speedup_vs_pytorch
                      median time of one transformer forward on the batch (one guided
                      sampling step), and pytorch / cpp, in step_precision: bf16 where the
                      CPU multiplies bf16 in hardware (what the engine samples in there),
                      fp32 elsewhere; the _fp32 and _bf16 keys give each precision on its
                      own. The text encoder and the decoder are timed in fp32.

Exits 0 when every fp32 difference is at most --tolerance (1e-4), 1 when one is not, 77
when this Python cannot import torch (Debian's python3-torch: run with /usr/bin/python3).
On a shared or busy machine set OMP_WAIT_POLICY=passive: spinning OpenMP workers made both
sides 4-80x slower beside another job.

    OMP_WAIT_POLICY=passive /usr/bin/python3 scripts/reference/compare.py \
        --model resources/models/default --threads 2
"""

import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

try:
    import numpy  # noqa: F401  (the reference's safetensors reader needs it)
    import torch
except ImportError as e:
    print(f"compare.py: cannot import {e.name}: install python3-torch and python3-numpy and run with "
          "/usr/bin/python3", file=sys.stderr)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import kinora_reference as ref  # noqa: E402

CAPTION = "a small red circle moves left across a blue background while a yellow star stays still"


def cpu_bf16():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = line.split()
                    return "avx512_bf16" in flags or "amx_bf16" in flags
    except OSError:
        pass
    return False


def median_ms(repeats, run):
    """Median milliseconds of `repeats` runs after one untimed run; returns (ms, result)."""
    result = run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), result


def rel_diff(cpp, reference):
    cpp, reference = cpp.double(), reference.double()
    if cpp.shape != reference.shape:
        raise SystemExit(f"compare.py: shapes differ: engine {tuple(cpp.shape)}, reference {tuple(reference.shape)}")
    if not torch.isfinite(cpp).all() or not torch.isfinite(reference).all():
        return None  # NaN or infinity on a side: no number to report, and parity fails
    return ((cpp - reference).abs().max() / reference.abs().max().clamp(min=1e-30)).item()


def make_inputs(pack, seed):
    cfg = pack.config
    tokens, token_mask = ref.batch_tokens([
        ref.tokenize(CAPTION, cfg["vocabulary"], pack.te["max_tokens"]),
        ref.tokenize("", cfg["vocabulary"], pack.te["max_tokens"]),  # unconditional: [BOS] alone
    ])
    C = pack.ae["latent_channels"]
    T = pack.latent_frames(cfg["window_frames"])
    side = cfg["frame_size"] // pack.spatial_factor()
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(2, C, T, side, side, generator=gen)
    mask = torch.zeros(2, 1, T, side, side)
    mask[0, :, 0] = 1.0  # the first item knows its first latent frame (an extension)
    known = torch.randn(2, C, T, side, side, generator=gen) * mask
    t = torch.tensor([0.7, 0.3])
    latent = torch.randn(1, C, T, side, side, generator=gen)
    return {"tokens": tokens, "token_mask": token_mask, "x": x, "known": known, "mask": mask, "t": t,
            "latent": latent}


def run_engine(cli, model, inputs_path, outputs_path, threads, repeats, precision):
    command = [cli, "reference-forward", "--model", model, "--in", inputs_path, "--out", outputs_path,
               "--threads", str(threads), "--repeats", str(repeats), "--precision", precision]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"compare.py: {' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"compare.py: {cli} reference-forward printed nothing")
    return json.loads(lines[-1]), ref.read_safetensors(outputs_path)


def run_reference(pack, inputs, repeats, dtype, decoder=True):
    with torch.inference_mode():
        text_ms, text = median_ms(repeats, lambda: ref.text_encoder(pack, inputs["tokens"], inputs["token_mask"]))
        step_ms, velocity = median_ms(repeats, lambda: ref.transformer(
            pack, inputs["x"], inputs["known"], inputs["mask"], inputs["t"], text, inputs["token_mask"], dtype))
        decode_ms, video = (median_ms(repeats, lambda: ref.decode(pack, inputs["latent"])) if decoder
                            else (None, None))
    return {"text_ms": text_ms, "step_ms": step_ms, "decode_ms": decode_ms,
            "text_features": text, "velocity": velocity, "video": video}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=os.path.join(ROOT, "resources", "models", "default"),
                        help="model pack folder (default: the built-in pack)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="CPU threads for both sides (default: every core)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each network (median reported)")
    parser.add_argument("--cli", default=os.environ.get("KINORA_CLI") or os.path.join(ROOT, "build", "bin", "kinora-cli"),
                        help="kinora-cli to run (default: $KINORA_CLI, else build/bin/kinora-cli)")
    parser.add_argument("--bf16", choices=["auto", "on", "off"], default="auto",
                        help="compare the transformers in bf16 too: auto (when the CPU has bf16 matmuls), on, off")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest fp32 relative difference that passes")
    parser.add_argument("--seed", type=int, default=0, help="seed of the inputs")
    args = parser.parse_args()
    if args.threads < 1 or args.repeats < 1:
        parser.error("--threads and --repeats must be at least 1")
    if not os.path.isfile(os.path.join(args.model, "model.json")):
        parser.error(f"{args.model} is not a model pack (no model.json)")
    if not os.access(args.cli, os.X_OK):
        parser.error(f"{args.cli} is not an executable kinora-cli (build it, or pass --cli)")

    torch.set_num_threads(args.threads)
    pack = ref.Pack(args.model)
    inputs = make_inputs(pack, args.seed)
    report = {"model": pack.config.get("name"), "threads": args.threads, "repeats": args.repeats,
              "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default")}

    with tempfile.TemporaryDirectory(prefix="kinora-reference-") as tmp:
        inputs_path = os.path.join(tmp, "inputs.safetensors")
        ref.write_safetensors(inputs_path, inputs, {"caption": CAPTION, "seed": args.seed})
        engine, cpp = run_engine(args.cli, args.model, inputs_path, os.path.join(tmp, "fp32.safetensors"),
                                 args.threads, args.repeats, "fp32")
        py = run_reference(pack, inputs, args.repeats, torch.float32)

        report.update({
            "batch": engine["batch"], "tokens": engine["tokens"], "text_tokens": engine["text_tokens"],
            "cpp_matmul": engine["cpu_matmul"],
            "diff": "max|cpp - pytorch| / max|pytorch| over the whole output",
            "max_rel_diff_fp32": rel_diff(cpp["velocity"], py["velocity"]),
            "max_abs_diff_fp32": (cpp["velocity"].double() - py["velocity"].double()).abs().max().item()
            if cpp["velocity"].shape == py["velocity"].shape else None,
            "text_encoder_rel_diff": rel_diff(cpp["text_features"], py["text_features"]),
            "decoder_rel_diff": rel_diff(cpp["video"], py["video"]),
        })

        hardware_bf16 = cpu_bf16()
        if args.bf16 == "on" or (args.bf16 == "auto" and hardware_bf16):
            engine16, cpp16 = run_engine(args.cli, args.model, inputs_path, os.path.join(tmp, "bf16.safetensors"),
                                         args.threads, args.repeats, "bf16")
            py16 = run_reference(pack, inputs, args.repeats, torch.bfloat16, decoder=False)
            report.update({
                "max_rel_diff_bf16": rel_diff(cpp16["velocity"], py16["velocity"]),
                "bf16_vs_fp32_reference_rel_diff": rel_diff(cpp16["velocity"], py["velocity"]),
                "cpp_step_ms_bf16": round(engine16["transformer_ms"], 3),
                "pytorch_step_ms_bf16": round(py16["step_ms"], 3),
                "speedup_vs_pytorch_bf16": round(py16["step_ms"] / engine16["transformer_ms"], 3),
                "bf16_hardware": hardware_bf16,
            })
        else:
            report.update({
                "max_rel_diff_bf16": None,
                "bf16_reason": ("this CPU has no bf16 matmuls in hardware (no avx512_bf16 or amx_bf16 in "
                                "/proc/cpuinfo): bf16 is emulated there, about 30x slower, and the engine runs fp32; "
                                "--bf16 on compares it anyway") if not hardware_bf16 else "skipped (--bf16 off)",
            })

    report.update({
        "cpp_step_ms_fp32": round(engine["transformer_ms"], 3),
        "pytorch_step_ms_fp32": round(py["step_ms"], 3),
        "speedup_vs_pytorch_fp32": round(py["step_ms"] / engine["transformer_ms"], 3),
    })
    # The headline figures are in the precision the engine samples in on this CPU.
    headline = "bf16" if hardware_bf16 and report.get("cpp_step_ms_bf16") is not None else "fp32"
    report.update({
        "step_precision": headline,
        "cpp_step_ms": report["cpp_step_ms_" + headline],
        "pytorch_step_ms": report["pytorch_step_ms_" + headline],
        "speedup_vs_pytorch": report["speedup_vs_pytorch_" + headline],
        "cpp_text_encoder_ms": round(engine["text_encoder_ms"], 3),
        "pytorch_text_encoder_ms": round(py["text_ms"], 3),
        "cpp_decoder_ms": round(engine["decoder_ms"], 3),
        "pytorch_decoder_ms": round(py["decode_ms"], 3),
        "decoder_speedup_vs_pytorch": round(py["decode_ms"] / engine["decoder_ms"], 3),
        "tolerance": args.tolerance,
    })
    passed = all(report[k] is not None and report[k] <= args.tolerance
                 for k in ("max_rel_diff_fp32", "text_encoder_rel_diff", "decoder_rel_diff"))
    report["parity"] = "pass" if passed else "FAIL"
    print(json.dumps(report))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
