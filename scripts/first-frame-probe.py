#!/usr/bin/env python3
"""Does the direction word move the object once its start is known? (issue 16 study)

Writes a one-frame clip of a medium red circle in the middle of a black frame (the
shapes world's colours), extends it by 2 s with `kinora-cli extend` for each of the four
direction captions and SEEDS seeds, and prints the red object's centre every second
frame. The first frame is the only known frame, so the model starts from the first
latent frame known, as `train --first-frame-share` trains it. The summary counts the
clips whose net movement (last centre minus first) points the way the caption says.

With --from-nothing it generates each 2-s clip from the caption alone (`kinora-cli
generate`) instead, so the model must choose where the ball starts as well: the same
question as the eval's motion score, in the directions-only world.

    /usr/bin/python3 scripts/first-frame-probe.py [--from-nothing] MODEL_DIR [SEEDS=4] [STEPS]

Needs Debian's python3-numpy and ffmpeg; KINORA_CLI names the CLI (default: the build's).
"""
import os
import subprocess
import sys

import numpy as np

args = sys.argv[1:]
from_nothing = "--from-nothing" in args
args = [a for a in args if a != "--from-nothing"]
model = args[0]
seeds = int(args[1]) if len(args) > 1 else 4
steps = args[2] if len(args) > 2 else None
cli = os.environ.get("KINORA_CLI", os.path.join(os.path.dirname(__file__), "..", "build", "bin", "kinora-cli"))
SIZE, RED, BLACK, DIAMETER = 128, (220, 36, 36), (10, 10, 14), 26.0
WAYS = {"left": ("moving to the left", (-1, 0)), "right": ("moving to the right", (1, 0)),
        "up": ("moving up", (0, -1)), "down": ("moving down", (0, 1))}


def start_clip(path):
    ys, xs = np.mgrid[0:SIZE, 0:SIZE] + 0.5
    inside = ((xs - SIZE / 2) ** 2 + (ys - SIZE / 2) ** 2) < (DIAMETER / 2) ** 2
    frame = np.empty((SIZE, SIZE, 3), np.uint8)
    frame[:] = BLACK
    frame[inside] = RED
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{SIZE}x{SIZE}",
                    "-r", "8", "-i", "-", "-c:v", "libx264", "-crf", "0", "-pix_fmt", "yuv444p", path],
                   input=frame.tobytes(), check=True)


def centres(path):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    a = np.frombuffer(raw, np.uint8).reshape(-1, SIZE, SIZE, 3).astype(np.float32)
    w = np.clip(a[..., 0] - (a[..., 1] + a[..., 2]) / 2 - 10, 0, None)
    ys, xs = np.mgrid[0:SIZE, 0:SIZE]
    out = []
    for f in range(len(a)):
        s = w[f].sum()
        out.append(((w[f] * xs).sum() / s, (w[f] * ys).sum() / s) if s > 0 else (float("nan"), float("nan")))
    return out


tmp = f"/tmp/first-frame-probe-{os.getpid()}"
os.makedirs(tmp, exist_ok=True)
start = os.path.join(tmp, "start.mp4")
start_clip(start)
right_way = total = 0
for key, (motion, (dx, dy)) in WAYS.items():
    for seed in range(1, seeds + 1):
        out = os.path.join(tmp, "out.mp4")
        source = ["generate"] if from_nothing else ["extend", "--in", start]
        cmd = [cli, *source, "--model", model, "--prompt", f"a red ball {motion} on a black background",
               "--seconds", "2", "--seed", str(seed), "--crf", "0", "--threads", "2", "--out", out]
        if steps:
            cmd += ["--steps", steps]
        subprocess.run(cmd, capture_output=True, check=True)
        c = centres(out)
        mx, my = c[-1][0] - c[0][0], c[-1][1] - c[0][1]
        ok = (mx * dx + my * dy) > max(abs(mx * dy), abs(my * dx)) and (mx * dx + my * dy) > 8
        right_way += ok
        total += 1
        print(f"{key:5} seed {seed} " + " ".join(f"{x:.0f},{y:.0f}" for x, y in c[::2])
              + f"  net {mx:+.0f},{my:+.0f} {'ok' if ok else '--'}", flush=True)
print(f"moved the way the caption says: {right_way} of {total}")
subprocess.run(["rm", "-rf", tmp])
