#!/usr/bin/env bash
# Builds Kinora's Debian package: installs the apt packages (scripts/install-deps.sh),
# builds Release into build/ (scripts/build.sh), runs CPack and checks the result.
#
#   bash scripts/package.sh      ->  build/kinora_<version>_amd64.deb
#
# Then `sudo apt install ./build/kinora_<version>_amd64.deb`. The package ships
# resources/models/default as the built-in model (installer/CMakeLists.txt); the source
# tarball is `cd build && cpack --config CPackSourceConfig.cmake`. The install test
# (a fresh Debian 12 root, tests/install/test_deb_install.sh) is
# `ctest --test-dir build -L install --output-on-failure`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
(cd build && cpack -G DEB)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' build/CPackConfig.cmake)
deb=build/kinora_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { echo "package: cpack did not write $deb" >&2; exit 1; }

# lintian errors fail the build; its warnings are printed.
lint_rc=0
lint=$(lintian --fail-on error "$deb" 2>&1) || lint_rc=$?
grep -v '^running with root privileges' <<<"$lint" || true
[ "$lint_rc" -eq 0 ] || { echo "package: lintian reports errors in $deb" >&2; exit 1; }
appstreamcli validate --no-net build/installer/io.kinora.Kinora.metainfo.xml
desktop-file-validate installer/io.kinora.Kinora.desktop
dpkg-deb -c "$deb" | grep -q '/models/default/model.json$' ||
  echo "package: WARNING: $deb has no built-in model (resources/models/default is missing)" >&2
echo "package: $deb"
