# Issue 8, the ecosystem around irokpid: the Python client and its
# mosaic_bridge example, and the HTML annual report rendered by headless
# Chromium, each against the real daemon.
irk_add_test(test_python
  SOURCES integration/test_python.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 180)
add_dependencies(test_python irokpid irokpi)

irk_add_test(test_report_html
  SOURCES integration/test_report_html.c support/harness.c
  LIBS irokpi_client
  LABEL integration
  TIMEOUT 180)
add_dependencies(test_report_html irokpid irokpi)

# The bash completion (clients/irokpi.bash-completion) under bash-completion:
# commands, a command's options, --format values, KPI ids.  Skipped (77)
# without /usr/share/bash-completion.
set(_irk_comp [=[
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || { echo "no bash-completion: skipped"; exit 77; }
. "$bc"; . "$1"
t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*";
      COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _irokpi; echo "${COMPREPLY[*]}"; }
fail=0
want() { got=$(t "${@:2}"); [ "$got" = "$1" ] ||
         { echo "irokpi ${*:3}: got '$got', want '$1'"; fail=1; }; }
want "publish kpi child caseload report stats admin keygen watch deadlines" irokpi ""
want "--topic" irokpi watch --to
want "--within" irokpi deadlines --wi
want "report" irokpi --data-dir /tmp r
want "--fy --format" irokpi report --f
want "md csv html" irokpi report --format ""
want "lac.review_timeliness lac.record_20wd" irokpi kpi lac.re
want "rebuild backup" irokpi admin ""
exit $fail
]=])
add_test(NAME test_bash_completion
  COMMAND bash -c "${_irk_comp}" test_bash_completion
          ${PROJECT_SOURCE_DIR}/clients/irokpi.bash-completion)
set_tests_properties(test_bash_completion PROPERTIES LABELS integration
  SKIP_RETURN_CODE 77 TIMEOUT 30)
