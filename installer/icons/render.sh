#!/usr/bin/env bash
# Renders the committed PNG icons from the SVGs (needs rsvg-convert, package librsvg2-bin).
# Run it after editing kinora.svg or kinora-small.svg; the build itself never renders.
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 32 48 64 128 256; do
  src=kinora.svg
  [ "$size" -le 24 ] && src=kinora-small.svg  # redrawn on the pixel grid for tiny sizes
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" "$src" -o "hicolor/${size}x${size}/apps/io.kinora.Kinora.png"
done
