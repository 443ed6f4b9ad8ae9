# Operations and security tests: configuration, SIGHUP, sd_notify, backups
# (test_ops) and CURVE access control over tcp (test_curve).
irk_add_test(test_ops
  SOURCES integration/test_ops.c integration/ops_util.c support/harness.c
  LIBS irokpi_client PkgConfig::ZMQ PkgConfig::MSGPACK PkgConfig::LMDB
  LABEL integration
  TIMEOUT 300)
irk_add_test(test_curve
  SOURCES integration/test_curve.c integration/ops_util.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 300)
add_dependencies(test_ops irokpid irokpi)
add_dependencies(test_curve irokpid irokpi)
