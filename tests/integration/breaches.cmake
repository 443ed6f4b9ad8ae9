# Breaches (issue 4): the real irokpid with --clock, its PUB socket and the
# breaches and deadlines queries.
irk_add_test(test_breaches
  SOURCES integration/test_breaches.c support/harness.c
  LIBS irokpi_client PkgConfig::ZMQ PkgConfig::MSGPACK
  LABEL integration
  TIMEOUT 300)
add_dependencies(test_breaches irokpid irokpi)
