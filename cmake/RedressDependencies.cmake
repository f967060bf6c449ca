# Every dependency comes from a Debian package; a missing one stops configuration
# with the exact package to install.
include_guard(GLOBAL)

macro(redress_require package debian_package)
  find_package(${package} ${ARGN} QUIET)
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR
      "redress needs ${package}: install it with\n"
      "  apt-get install ${debian_package}\n"
      "(or run scripts/setup, which installs everything redress needs)")
  endif()
endmacro()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
redress_require(Boost libboost-dev 1.74 CONFIG)
redress_require(date libhowardhinnant-date-dev CONFIG)
redress_require(tomlplusplus libtomlplusplus-dev 3 CONFIG)
redress_require(LibIcal libical-dev CONFIG)
redress_require(nlohmann_json nlohmann-json3-dev 3 CONFIG)  # the wire format (src/wire)
if(REDRESS_BUILD_TOOLS OR REDRESS_BUILD_EXAMPLES OR REDRESS_BUILD_TESTS OR REDRESS_FUZZ)
  redress_require(CLI11 libcli11-dev CONFIG)
endif()
if(REDRESS_BUILD_TESTS)
  redress_require(Catch2 catch2 2 CONFIG)
  include(${Catch2_DIR}/Catch.cmake)
endif()
if(REDRESS_BUILD_BENCH)
  redress_require(benchmark libbenchmark-dev CONFIG)
endif()
