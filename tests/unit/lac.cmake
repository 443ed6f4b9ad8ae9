# Unit tests of the lac area of the KPI catalogue.
irk_add_test(test_lac SOURCES unit/test_lac.c LIBS irk_testsupport
  LABEL unit)
