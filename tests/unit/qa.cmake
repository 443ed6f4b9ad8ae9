# Unit tests of the qa area of the KPI catalogue.
irk_add_test(test_qa SOURCES unit/test_qa.c LIBS irk_testsupport LABEL unit)
