# Issue 8, GET /metrics: the real daemon scraped over loopback tcp, checked
# against the kpi query, promtool and the example Grafana dashboard.
irk_add_test(test_metrics
  SOURCES integration/test_metrics.c integration/ops_util.c
          support/harness.c
  LIBS irokpi_client m
  LABEL integration
  TIMEOUT 300)
target_compile_definitions(test_metrics PRIVATE
  IRK_VERSION="${PROJECT_VERSION}")
set_property(TEST test_metrics APPEND PROPERTY ENVIRONMENT
  "IRK_EXAMPLES=${PROJECT_SOURCE_DIR}/clients/examples")
add_dependencies(test_metrics irokpid irokpi)

# The examples are what they claim to be: the dashboard is JSON, the scrape
# configuration is one Prometheus accepts.
add_test(NAME test_metrics_examples
  COMMAND sh -c "python3 -m json.tool \"$1/grafana-dashboard.json\" >/dev/null && promtool check config \"$1/prometheus.yml\""
          test_metrics_examples ${PROJECT_SOURCE_DIR}/clients/examples)
set_tests_properties(test_metrics_examples PROPERTIES LABELS integration
  TIMEOUT 60)
