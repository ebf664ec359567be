#!/usr/bin/env bash
# The install test: makes the .deb from a build tree, installs it with apt into a clean
# Debian 12 (bookworm) root made by debootstrap, and uses it there the way a creator
# would: kinora-cli --version, a short generation with the installed model checked with
# kinora-cli info, and the studio started under Xvfb until its window is on screen.
#
#   bash tests/install/test_deb_install.sh [BUILD_DIR]     (default: build)
#
# CTest runs it as `install_deb` (label "install"; installer/CMakeLists.txt). It needs
# root, debootstrap and Debian's mirror; without them it exits 77, which CTest reports
# as skipped. Downloads are cached under BUILD_DIR/install-test/cache (the debootstrap
# tarball and apt's archives), so a rerun downloads nothing; the root itself is new
# each time and removed afterwards (KINORA_KEEP_ROOT=1 keeps it for a look).
# KINORA_DEB=path/to/kinora_X_amd64.deb tests that package instead of running cpack.
set -euo pipefail

t0=$SECONDS
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
work=$build/install-test
cache=$work/cache
suite=bookworm

# Progress goes to the test's own stdout (fd 3) even from the exit trap, which may run
# while a command's output is redirected to a log.
exec 3>&1
say() { printf 'install-test [%4ds] %s\n' $((SECONDS - t0)) "$*" >&3; }
skip() { say "SKIP: $*"; exit 77; }
die() { say "FAIL: $*"; exit 1; }

mkdir -p "$work"
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot and mount)"
for tool in debootstrap chroot mount umount cpack dpkg-deb; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done

# --- the Debian mirrors this machine uses (deb822 .sources files and one-line lists) ----
sources=$(
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk 'BEGIN { RS = ""; FS = "\n" }
           { uris = ""; suites = ""; comps = ""; types = ""
             for (i = 1; i <= NF; i++) {
               if ($i ~ /^Types:/) types = substr($i, 7)
               if ($i ~ /^URIs:/) uris = substr($i, 6)
               if ($i ~ /^Suites:/) suites = substr($i, 8)
               if ($i ~ /^Components:/) comps = substr($i, 12) }
             if (types !~ /(^| )deb( |$)/) next
             n = split(uris, u, " "); m = split(suites, s, " ")
             for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print "deb " u[a] " " s[b] " " comps }' "$f"
    done
    { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } | sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]*\)\?/deb /p'
  } | awk -v s="$suite" '$3 == s || index($3, s "-") == 1 || index($3, s "/") == 1 { $1 = $1; print }' | sort -u
)
mirror=$(printf '%s\n' "$sources" | awk -v s="$suite" '$3 == s { print $2; exit }')
[ -n "$mirror" ] || skip "no $suite mirror in /etc/apt/sources.list(.d)"
host=$(printf '%s' "$mirror" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')
port=80
case "$mirror" in https://*) port=443 ;; esac
timeout 20 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null || skip "cannot reach the mirror $mirror"
say "mirror $mirror"

# --- the package ----------------------------------------------------------------------
if [ -n "${KINORA_DEB:-}" ]; then
  deb=$(realpath "$KINORA_DEB")
else
  [ -x "$build/bin/kinora-cli" ] || die "no $build/bin/kinora-cli: build first (scripts/build.sh)"
  say "cpack -G DEB in $build"
  (cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { tail -20 "$work/cpack.log"; die "cpack failed"; }
  version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
  deb=$(ls "$build"/kinora_"${version}"_*.deb)
fi
version=$(dpkg-deb -f "$deb" Version)
contents=$(dpkg-deb -c "$deb")
has_model=1; grep -q '/usr/share/kinora/models/default/model.json$' <<<"$contents" || has_model=0
has_studio=1; grep -q ' ./usr/bin/kinora$' <<<"$contents" || has_studio=0
say "package $(basename "$deb") ($(du -h "$deb" | cut -f1)), model: $has_model, studio: $has_studio"

# --- a fresh bookworm root in a folder of its own -------------------------------------
mkdir -p "$cache/archives/partial"
tarball=$cache/debootstrap-$suite-minbase-$(printf '%s' "$mirror" | md5sum | cut -c1-8).tgz
# Processes whose root is $1: only this test starts any there.
kill_in_root() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$1" ] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  return 0
}
# Unmounts everything under $1, deepest first, then removes it unless something stayed mounted.
remove_root() {
  local m
  kill_in_root "$1"
  for m in $(awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  if grep -q " $1/" /proc/mounts; then
    say "still mounted under $1; leaving it"
  else
    rm -rf --one-file-system "$1"
  fi
}
# A run killed outright (SIGKILL, power loss) cannot clean up: its root goes now.
for stale in "$work"/root.*; do
  [ -d "$stale" ] && { say "removing the root of an earlier run, $stale"; remove_root "$stale"; }
done

root=$(mktemp -d "$work/root.XXXXXX")
mounts=()
cleanup() {
  local rc=$?
  set +e
  [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
  if [ "${KINORA_KEEP_ROOT:-0}" = 1 ]; then
    kill_in_root "$root"
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"; done
    say "kept $root"
  else
    remove_root "$root"
  fi
  say "finished in $((SECONDS - t0)) s (exit $rc)"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Finish (and clean up) well before CTest's TIMEOUT, which kills without a chance to:
# stop what runs in the root, so that the command the script waits for returns.
limit=${KINORA_INSTALL_TEST_LIMIT:-1800}
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$limit" & sleeper=$!
  wait "$sleeper"
  say "FAIL: timed out after $limit s"
  kill -TERM $$
  kill_in_root "$root"
) &
watchdog=$!

if [ ! -s "$tarball" ]; then
  say "debootstrap --make-tarball (first run only)"
  scratch=$(mktemp -d "$work/tarball.XXXXXX")
  debootstrap --variant=minbase --make-tarball="$tarball.part" "$suite" "$scratch" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { rm -rf "$scratch"; tail -20 "$work/debootstrap.log"; die "debootstrap --make-tarball failed"; }
  rm -rf "$scratch"
  mv "$tarball.part" "$tarball"
fi
say "debootstrap --unpack-tarball into $root"
debootstrap --variant=minbase --unpack-tarball="$tarball" "$suite" "$root" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; die "debootstrap failed"; }

printf '%s\n' "$sources" >"$root/etc/apt/sources.list"
# The mirror may be a dated snapshot (as on this project's machines): accept old Release files.
printf 'Acquire::Check-Valid-Until "false";\nAcquire::Retries "3";\n' >"$root/etc/apt/apt.conf.d/90kinora-test"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
# /dev read-only: a stray `rm -rf` of the root can then never reach the host's devices.
mount --bind /dev "$root/dev" && mounts+=("$root/dev") && mount -o remount,bind,ro "$root/dev"
mount --bind /dev/pts "$root/dev/pts" && mounts+=("$root/dev/pts")
mount --bind "$cache/archives" "$root/var/cache/apt/archives" && mounts+=("$root/var/cache/apt/archives")
cp "$deb" "$root/tmp/"

# A clean environment: nothing of the host's (QT_QPA_PLATFORM, DISPLAY, ...) leaks in.
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

say "apt-get update"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; die "apt-get update failed in the root"; }
say "apt-get install ./$(basename "$deb") (Depends only, no Recommends)"
t_install=$SECONDS
in_root sh -c "cd /tmp && apt-get install -y -q --no-install-recommends ./$(basename "$deb")" >>"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log"; die "apt-get install of the package failed"; }
say "installed in $((SECONDS - t_install)) s: $(grep -c '^Setting up' "$work/apt.log") packages set up"

# --- kinora-cli ------------------------------------------------------------------------
got=$(in_root kinora-cli --version) || die "kinora-cli --version failed"
[ "$got" = "kinora-cli $version" ] || die "kinora-cli --version printed '$got', expected 'kinora-cli $version'"
say "$got"

model_args=()
if [ "$has_model" = 0 ]; then
  say "WARNING: the package has no built-in model (resources/models/default was missing when it was" \
      "made); generating with a tiny random pack instead"
  in_root kinora-cli init-model --config tiny --seed 1 --out /tmp/tiny-pack >/dev/null || die "init-model failed"
  model_args=(--model /tmp/tiny-pack)
fi
say "kinora-cli generate --seconds 1 --steps 2"
t_gen=$SECONDS
in_root kinora-cli generate --prompt "a red ball bouncing on grass" --seconds 1 --steps 2 --seed 1 \
  "${model_args[@]}" --out /tmp/t.mp4 || die "kinora-cli generate failed"
[ -s "$root/tmp/t.mp4" ] || die "generate wrote no /tmp/t.mp4 (or an empty one)"
say "generated $(stat -c %s "$root/tmp/t.mp4") bytes in $((SECONDS - t_gen)) s"
record=$(in_root kinora-cli info /tmp/t.mp4) || die "kinora-cli info could not read the clip"
grep -q '"a red ball bouncing on grass"' <<<"$record" || die "the clip's record lacks the prompt: $record"
grep -q "\"$version\"" <<<"$record" || die "the clip's record lacks the version $version: $record"
say "kinora-cli info: record with prompt and version"

# --- desktop integration and the studio --------------------------------------------------
say "apt-get install the test's own tools (xvfb, x11-utils, xdotool, shared-mime-info, desktop-file-utils)"
in_root apt-get install -y -q --no-install-recommends xvfb xauth x11-utils xdotool shared-mime-info \
  desktop-file-utils >>"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; die "installing the test tools failed"; }
in_root desktop-file-validate /usr/share/applications/io.kinora.Kinora.desktop || die "desktop-file-validate failed"
in_root update-mime-database /usr/share/mime
in_root update-desktop-database /usr/share/applications
grep -q '^application/x-kinora-project:\*\.kinora$' "$root/usr/share/mime/globs" ||
  die "*.kinora is not known as application/x-kinora-project"
grep -q '^application/x-kinora-project=io.kinora.Kinora.desktop;' "$root/usr/share/applications/mimeinfo.cache" ||
  die "no desktop entry opens application/x-kinora-project"
say "*.kinora -> application/x-kinora-project -> io.kinora.Kinora.desktop"

if [ "$has_studio" = 0 ]; then
  say "SKIP (studio part): the package has no /usr/bin/kinora (built with KINORA_BUILD_QT=OFF, or the studio is not built yet)"
else
  got=$(in_root kinora --version) || die "kinora --version failed"
  [ "$got" = "kinora $version" ] || die "kinora --version printed '$got', expected 'kinora $version'"
  say "$got"
  say "starting kinora under Xvfb"
  # Inside Xvfb: start the studio, wait up to 60 s for a visible window named Kinora,
  # then require that it is still alive 10 s later.
  in_root sh -c '
    cd /tmp
    xvfb-run -a -s "-screen 0 1280x800x24" sh -c "
      kinora >/tmp/kinora.log 2>&1 &
      pid=\$!
      for i in \$(seq 60); do
        win=\$(xdotool search --onlyvisible --name Kinora 2>/dev/null | head -1)
        [ -n \"\$win\" ] && break
        kill -0 \$pid 2>/dev/null || { echo \"kinora exited early\"; cat /tmp/kinora.log; exit 1; }
        sleep 1
      done
      [ -n \"\$win\" ] || { echo \"no Kinora window after 60 s\"; xwininfo -root -tree; cat /tmp/kinora.log; kill \$pid; exit 1; }
      echo \"window \$win after \$i s: \$(xdotool getwindowname \$win), \$(xwininfo -id \$win | sed -n \"s/.*-geometry //p\")\"
      sleep 10
      kill -0 \$pid 2>/dev/null || { echo \"kinora died within 10 s of showing its window\"; cat /tmp/kinora.log; exit 1; }
      kill \$pid; wait \$pid 2>/dev/null
      exit 0
    "' || die "the studio did not come up under Xvfb"
  say "studio window shown and alive 10 s later"
fi

if [ "$has_model" = 0 ]; then
  skip "everything else passed, but the package has no built-in model to test (resources/models/default)"
fi
say "PASS"
