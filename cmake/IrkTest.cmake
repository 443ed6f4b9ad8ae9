# irk_add_test(name SOURCES a.c b.c LIBS lib... LABEL unit|prop|integration
#              [TIMEOUT s])
# One cmocka executable, registered with CTest under its label.  Integration
# tests find the binaries through IROKPID and IROKPI in the environment.
function(irk_add_test name)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE irk_options PkgConfig::CMOCKA ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABEL}"
      TIMEOUT ${T_TIMEOUT}
      ENVIRONMENT "IROKPID=$<TARGET_FILE:irokpid>;IROKPI=$<TARGET_FILE:irokpi>;IRK_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data")
endfunction()
