# Third-party dependencies, all from Debian 12 packages (see README.md).
# The core (engine, CLI, trainer) also builds where only LibTorch is at hand, e.g. a GPU
# machine with a CUDA LibTorch: header-only libraries may then come from
# KINORA_EXTRA_INCLUDE, and without FFmpeg the clip commands report that they are missing.
if(KINORA_WITH_ENGINE)
  find_package(Torch REQUIRED)
endif()
find_package(Threads REQUIRED)
set(KINORA_EXTRA_INCLUDE "" CACHE PATH "Folder with nlohmann/json.hpp and CLI/CLI.hpp where no package provides them")
find_package(nlohmann_json 3 QUIET)
if(NOT nlohmann_json_FOUND)
  find_path(KINORA_NLOHMANN_DIR nlohmann/json.hpp HINTS ${KINORA_EXTRA_INCLUDE} REQUIRED)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json INTERFACE ${KINORA_NLOHMANN_DIR})
endif()
find_package(CLI11 QUIET)
if(NOT CLI11_FOUND)
  find_path(KINORA_CLI11_DIR CLI/CLI.hpp HINTS ${KINORA_EXTRA_INCLUDE} REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${KINORA_CLI11_DIR})
endif()
option(KINORA_REQUIRE_FFMPEG "Fail when FFmpeg's libraries are missing" ON)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(FFMPEG QUIET IMPORTED_TARGET libavformat libavcodec libavutil libswscale)
endif()
if(NOT FFMPEG_FOUND)
  if(KINORA_REQUIRE_FFMPEG)
    message(FATAL_ERROR "FFmpeg's libraries (libavformat, libavcodec, libavutil, libswscale) were not found; "
                        "run scripts/install-deps.sh, or configure with -DKINORA_REQUIRE_FFMPEG=OFF for a "
                        "training-only build")
  endif()
  message(STATUS "Kinora: building without FFmpeg; clip reading and writing will report that")
endif()

# oneDNN's matmul for fp32 products on the CPU (core/model/cpu_matmul.cpp): Debian's
# libdnnl-dev, the same oneDNN that Debian's LibTorch links. Optional: without it the
# engine uses LibTorch's own (BLAS) path.
option(KINORA_WITH_ONEDNN "Use oneDNN's matmul for fp32 CPU products when found" ON)
if(KINORA_WITH_ONEDNN)
  find_path(KINORA_ONEDNN_INCLUDE oneapi/dnnl/dnnl.hpp)
  find_library(KINORA_ONEDNN_LIBRARY dnnl)
  if(KINORA_ONEDNN_INCLUDE AND KINORA_ONEDNN_LIBRARY)
    message(STATUS "Kinora: fp32 CPU matmuls through oneDNN (${KINORA_ONEDNN_LIBRARY})")
  else()
    message(STATUS "Kinora: oneDNN not found (libdnnl-dev); fp32 CPU matmuls through LibTorch's BLAS")
  endif()
endif()

# Debian's TorchConfig puts its flags into TORCH_CXX_FLAGS; an imported target keeps
# them attached to the libraries that need them.
if(KINORA_WITH_ENGINE AND NOT TARGET kinora::torch)
  add_library(kinora_torch INTERFACE)
  add_library(kinora::torch ALIAS kinora_torch)
  target_link_libraries(kinora_torch INTERFACE ${TORCH_LIBRARIES})
  target_include_directories(kinora_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
  separate_arguments(_kinora_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  target_compile_options(kinora_torch INTERFACE ${_kinora_torch_flags})
endif()

if(KINORA_BUILD_QT)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Concurrent Multimedia MultimediaWidgets Test)
  find_package(QCoro6 REQUIRED COMPONENTS Core)
endif()
