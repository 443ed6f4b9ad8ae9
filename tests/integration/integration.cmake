# Integration tests: the real irokpid and irokpi, started by
# support/harness.c in a temporary folder (IROKPID, IROKPI and IRK_TEST_DATA
# come from irk_add_test()).  Building a test builds both binaries first.
irk_add_test(test_cli
  SOURCES integration/test_cli.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 300)
irk_add_test(test_client
  SOURCES integration/test_client.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 300)
add_dependencies(test_cli irokpid irokpi)
add_dependencies(test_client irokpid irokpi)
irk_add_test(test_queries
  SOURCES integration/test_queries.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 300)
add_dependencies(test_queries irokpid irokpi)
irk_add_test(test_group_commit
  SOURCES integration/test_group_commit.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 300)
add_dependencies(test_group_commit irokpid irokpi)
