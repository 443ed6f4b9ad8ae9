# The domain core (facts, series, KPIs, windows) and the store, without
# sockets.  support/ holds the helpers these tests share.
add_library(irk_testsupport STATIC support/timeline.c support/memreader.c)
target_link_libraries(irk_testsupport PUBLIC irk_options irk_proto
  irk_domain PkgConfig::CMOCKA)

irk_add_test(test_facts SOURCES unit/test_facts.c
  LIBS irk_testsupport LABEL unit)

add_library(irk_tmpdir STATIC support/tmpdir.c)
target_link_libraries(irk_tmpdir PUBLIC irk_options)
target_compile_definitions(irk_tmpdir PRIVATE _GNU_SOURCE)

irk_add_test(test_store_props SOURCES prop/test_store_props.c
  LIBS irk_testsupport irk_store irk_sim irk_tmpdir LABEL prop TIMEOUT 600)
# project_apply() wrapped: a rebuild's writer finding the map full.
target_link_options(test_store_props PRIVATE -Wl,--wrap=project_apply)
irk_add_test(test_series SOURCES unit/test_series.c LIBS irk_domain
  LABEL unit)
irk_add_test(test_names SOURCES unit/test_names.c LIBS irk_domain
  LABEL unit)
irk_add_test(test_window SOURCES unit/test_window.c LIBS irk_testsupport
  LABEL unit)
irk_add_test(test_kpi SOURCES unit/test_kpi.c LIBS irk_testsupport
  LABEL unit)
