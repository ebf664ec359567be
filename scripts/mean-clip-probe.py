#!/usr/bin/env python3
"""Where does the caption put the object? One Euler step from pure noise
(`kinora-cli generate --steps 1 --guidance 1`) gives the model's mean clip for a caption.
This averages the red object's centre (x,y in pixels, every second frame) over SEEDS
seeds, for captions that differ only in the direction word (mode `direction`) or only in
"on the left" / "on the right" (mode `placement`). In the training data a ball moving
left starts about 24 px right of centre and ends 24 px left of it, so a model that reads
the word gives clearly different rows.

    python3 scripts/mean-clip-probe.py MODEL_DIR [SEEDS=8] [direction|placement]
"""
import os, subprocess, sys

model = sys.argv[1]
seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 8
mode = sys.argv[3] if len(sys.argv) > 3 else "direction"
cli = os.environ.get("KINORA_CLI", os.path.join(os.path.dirname(__file__), "..", "build", "bin", "kinora-cli"))
SIZE = 128


def red_mass(path):
    """Per frame: the sums of x and y weighted by redness, and of the weights."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    size = SIZE * SIZE * 3
    frames = []
    for f in range(len(raw) // size):
        b = raw[f * size:(f + 1) * size]
        sx = sy = sw = 0.0
        for i in range(0, size, 3):
            w = b[i] - (b[i + 1] + b[i + 2]) / 2 - 10
            if w > 0:
                p = i // 3
                sx += w * (p % SIZE)
                sy += w * (p // SIZE)
                sw += w
        frames.append((sx, sy, sw))
    return frames


if mode == "direction":
    prompts = {w: f"a red ball {m} on a black background" for w, m in
               [("left", "moving to the left"), ("right", "moving to the right"), ("up", "moving up"), ("down", "moving down")]}
else:
    prompts = {s: f"a red ball staying still on the {s} and a blue box staying still on the {o} on a black background"
               for s, o in [("left", "right"), ("right", "left")]}
out = f"/tmp/mean-clip-probe-{os.getpid()}.mp4"
for key, prompt in prompts.items():
    total = None
    for seed in range(1, seeds + 1):
        subprocess.run([cli, "generate", "--model", model, "--prompt", prompt, "--seed", str(seed), "--steps", "1",
                        "--guidance", "1", "--crf", "0", "--threads", "1", "--out", out], capture_output=True, check=True)
        m = red_mass(out)
        total = m if total is None else [tuple(u + v for u, v in zip(a, b)) for a, b in zip(total, m)]
    centres = [f"{x / w:.0f},{y / w:.0f}" if w else "-" for x, y, w in total[::2]]
    print(f"{key:6} " + " ".join(centres), flush=True)
os.remove(out)
