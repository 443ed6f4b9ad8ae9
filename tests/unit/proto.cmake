# Unit tests of irk_proto: the event tables, the validation rules, the
# msgpack codec and the JSON mapping.  test_validate and test_json read
# their fixtures from tests/data/events ($IRK_TEST_DATA/events).
irk_add_test(test_event SOURCES unit/test_event.c LIBS irk_proto LABEL unit)
irk_add_test(test_validate SOURCES unit/test_validate.c LIBS irk_proto
  LABEL unit)
irk_add_test(test_codec SOURCES unit/test_codec.c LIBS irk_proto LABEL unit)
irk_add_test(test_json SOURCES unit/test_json.c LIBS irk_proto LABEL unit)
