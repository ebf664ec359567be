# Packaging: a Debian package (`cpack -G DEB` in the build tree, or scripts/package.sh)
# and a source tarball (`cpack --config CPackSourceConfig.cmake`). Included from the
# top-level CMakeLists.txt after every install() rule (installer/CMakeLists.txt).
#
# Depends are computed by dpkg-shlibdeps (package dpkg-dev) from the installed programs;
# only what the programs load at run time without linking it is listed by hand below.

set(CPACK_PACKAGE_NAME kinora)
set(CPACK_PACKAGE_VENDOR "The Kinora developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${KINORA_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "text-to-video studio that runs on your own machine")
set(CPACK_PACKAGE_DESCRIPTION
    "Kinora generates short video clips from text prompts, extends them
forwards or backwards in time, bridges two clips and regenerates
stretches of frames, and arranges the takes on a timeline for export
as MP4. Everything runs locally, with a small diffusion transformer
over spacetime patches of a latent video, on the CPU (LibTorch with
OpenBLAS) or on CUDA where LibTorch has it.
.
The package holds the studio (kinora), the command-line tool
(kinora-cli) and the built-in model, which works with no download.
Every clip carries its generation record and a mark that it is
AI-generated.")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
# Files under 644 and folders under 755 whatever the umask of the build machine.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# --- Debian package ---------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # kinora_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KINORA_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# Loaded at run time, so invisible to dpkg-shlibdeps:
# - LibTorch links the generic libblas.so.3; OpenBLAS (OpenMP flavour) is ~30x faster
#   than the reference BLAS that would otherwise satisfy it.
set(_kinora_depends "libopenblas0-openmp")
if(TARGET kinora)
  # Qt 6.4's QMediaPlayer (the preview) uses its GStreamer backend by default, whose
  # plugin (in libqt6multimedia6, which shlibdeps finds) needs the MP4 demuxer
  # (plugins-good) and an H.264 decoder (gstreamer1.0-libav) to play Kinora's clips.
  string(APPEND _kinora_depends
         ", gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, gstreamer1.0-libav")
  # Extra platform plugins, Wayland, and Qt's own translations of its standard dialogs.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins, qt6-wayland, qt6-translations-l10n")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_kinora_depends}")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "ffmpeg")

# --- source tarball ---------------------------------------------------------------
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_PACKAGE_FILE_NAME "kinora-${PROJECT_VERSION}")
# Regular expressions matched against absolute paths (four backslashes: the list is
# written into CPackSourceConfig.cmake and read back).
set(CPACK_SOURCE_IGNORE_FILES
    "^${PROJECT_SOURCE_DIR}/build[^/]*/" "^${PROJECT_SOURCE_DIR}/runs/" "^${PROJECT_SOURCE_DIR}/\\\\.deps/"
    "/\\\\.git/" "/\\\\.git$" "/\\\\.cache/" "/\\\\.vscode/" "/\\\\.idea/" "\\\\.swp\\$" "~\\$"
    "/CMakeUserPresets\\\\.json\\$" "^${PROJECT_SOURCE_DIR}/first-clip\\\\.mp4\\$")

include(CPack)
