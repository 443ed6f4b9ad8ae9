# Reliability (issue 6): the kill -9 crash test, hostile clients against the
# real daemon, and the fuzz targets replayed over their corpora and every
# crash fuzzing found (fuzz/regress/TARGET), in the ordinary build.
irk_add_test(test_crash
  SOURCES reliability/test_crash.c support/harness.c
  LIBS irokpi_client PkgConfig::JANSSON
  LABEL reliability
  TIMEOUT 1800)
add_dependencies(test_crash irokpid irokpi irokpi-sim)
set_property(TEST test_crash APPEND PROPERTY ENVIRONMENT
  "IRK_SIM=$<TARGET_FILE:irokpi-sim>")

irk_add_test(test_hostile
  SOURCES reliability/test_hostile.c support/harness.c
  LIBS irokpi_client irk_proto PkgConfig::ZMQ PkgConfig::MSGPACK
  LABEL reliability
  TIMEOUT 600)
add_dependencies(test_hostile irokpid irokpi)

foreach(t codec json query config)
  set(_src ${PROJECT_SOURCE_DIR}/fuzz/fuzz_${t}.c)
  if(t STREQUAL "config")
    pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
    irk_add_test(fuzz_replay_${t}
      SOURCES ${PROJECT_SOURCE_DIR}/fuzz/replay.c ${_src}
              ${PROJECT_SOURCE_DIR}/daemon/config.c
      LIBS irk_domain PkgConfig::INIH
      LABEL unit)
  else()
    irk_add_test(fuzz_replay_${t}
      SOURCES ${PROJECT_SOURCE_DIR}/fuzz/replay.c ${_src}
      LIBS irk_proto irk_domain
      LABEL unit)
  endif()
  target_compile_definitions(fuzz_replay_${t} PRIVATE
    "FUZZ_DIRS=\"${PROJECT_SOURCE_DIR}/fuzz/corpus/${t}:${PROJECT_SOURCE_DIR}/fuzz/regress/${t}\"")
endforeach()

# Disk full on an 8 MiB tmpfs: needs root (mount); skipped otherwise.
irk_add_test(test_diskfull
  SOURCES reliability/test_diskfull.c support/harness.c
  LIBS irokpi_client irk_proto PkgConfig::ZMQ PkgConfig::MSGPACK
  LABEL reliability
  TIMEOUT 300)
add_dependencies(test_diskfull irokpid irokpi)

# Stale LMDB reader slots left by a killed outside reader are freed.
irk_add_test(test_stale_reader
  SOURCES reliability/test_stale_reader.c support/harness.c
  LIBS irokpi_client PkgConfig::LMDB PkgConfig::JANSSON
  LABEL reliability
  TIMEOUT 120)
add_dependencies(test_stale_reader irokpid irokpi)
