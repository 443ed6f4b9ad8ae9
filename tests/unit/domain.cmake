# Unit tests of irk_domain: each links the real library and nothing else.
irk_add_test(test_date SOURCES unit/test_date.c LIBS irk_domain LABEL unit)
irk_add_test(test_calendar SOURCES unit/test_calendar.c LIBS irk_domain
  LABEL unit)
