# The 2019-20 seed acceptance test: a scenario built to the IRO annual
# report's counts, through the real irokpid and irokpi, must give the
# report's figures (support/seed_scenario.c writes it).
irk_add_test(test_seed_report
  SOURCES integration/test_seed_report.c support/seed_scenario.c
          support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 300)
add_dependencies(test_seed_report irokpid irokpi)
