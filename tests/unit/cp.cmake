# Unit tests of the cp area of the KPI catalogue.
irk_add_test(test_cp SOURCES unit/test_cp.c LIBS irk_testsupport
  LABEL unit)
