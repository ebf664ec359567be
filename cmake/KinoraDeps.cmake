# Third-party dependencies, all from Debian 12 packages (see README.md).
find_package(Torch REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswscale)
find_package(Threads REQUIRED)

# Debian's TorchConfig puts its flags into TORCH_CXX_FLAGS; an imported target keeps
# them attached to the libraries that need them.
if(NOT TARGET kinora::torch)
  add_library(kinora_torch INTERFACE)
  add_library(kinora::torch ALIAS kinora_torch)
  target_link_libraries(kinora_torch INTERFACE ${TORCH_LIBRARIES})
  target_include_directories(kinora_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
  separate_arguments(_kinora_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  target_compile_options(kinora_torch INTERFACE ${_kinora_torch_flags})
endif()

if(KINORA_BUILD_QT)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Test)
endif()
