#!/usr/bin/python3
"""breach_notifier: irokpid's breaches as one line each, for a mail or chat
hook.

    breach_notifier.py --data-dir /var/lib/irokpid \\
        --state /var/lib/irokpi-notifier/seq \\
        --topic breach.overdue. --topic breach.due_soon.lac. \\
        --hook 'curl -s -d @- https://chat.example/hooks/iro'

Each breach becomes a line such as

    OVERDUE lac.review: child P0000042, due 2020-01-30 (breach 7)

printed on standard output, or given on standard input to --hook (a shell
command run once a line; a hook that fails stops the notifier, so the
breach is sent again next time).  The line carries what the breach carries
(the pseudonymous child id, the deadline, the kind): no other personal data.

With --state the last breach handled is remembered, and a restarted
notifier goes on after it, missing none and repeating none; without it,
--from SEQ says where to start (0: the whole log).  --catch-up prints the
log and stops instead of waiting for new breaches.
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import irokpi  # noqa: E402

KIND_WORDS = {
    "due_soon": "DUE SOON",
    "overdue": "OVERDUE",
    "met_late": "MET LATE",
    "kpi_rag_changed": "RAG CHANGED",
    "over_ceiling": "OVER CEILING",
}


def line(b):
    """One breach map as a line of text."""
    kind = b.get("kind", "?")
    word = KIND_WORDS.get(kind, kind.upper())
    subject = b.get("subject") or b.get("kpi") or b.get("topic", "?")
    if kind == "kpi_rag_changed":
        return "%s %s: %s -> %s (breach %d)" % (
            word, subject, b.get("old") or "none", b.get("new") or "none",
            b["seq"])
    if kind == "over_ceiling":
        return "%s %s: IRO %s, weighted %s (breach %d)" % (
            word, subject, b.get("iro", "?"), b.get("value", "?"), b["seq"])
    text = "%s %s: child %s, due %s" % (word, subject, b.get("child", "?"),
                                         b.get("deadline", "?"))
    if b.get("done"):
        text += ", done %s" % b["done"]
    return text + " (breach %d)" % b["seq"]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Print irokpid's breaches, one line each, or pass "
        "each line to a hook command.")
    ap.add_argument("--data-dir", help="irokpid's data folder "
                    "(default $IROKPI_DIR)")
    ap.add_argument("--query", help="query endpoint instead of "
                    "DIR/query.sock")
    ap.add_argument("--breaches", help="breaches endpoint instead of "
                    "DIR/breaches.sock")
    ap.add_argument("--topic", action="append", default=[],
                    help="a topic prefix to follow (repeatable; default "
                    "every breach: breach.)")
    ap.add_argument("--from", dest="after", type=int, default=0,
                    help="start after this breach seq (default 0)")
    ap.add_argument("--state", help="file keeping the last seq handled")
    ap.add_argument("--hook", help="shell command given each line on "
                    "standard input")
    ap.add_argument("--catch-up", action="store_true",
                    help="print the log after --from/--state, then stop")
    ap.add_argument("--idle", type=float,
                    help="stop after this many seconds without a breach")
    ap.add_argument("--max", type=int, help="stop after this many lines")
    ap.add_argument("--timeout", type=float, default=5.0,
                    help="seconds to wait for a query's answer")
    a = ap.parse_args(argv)
    n = 0
    after = max(a.after, irokpi.read_seq(a.state)) if a.state else a.after
    try:
        client = irokpi.Client(data_dir=a.data_dir, query=a.query,
                               breaches=a.breaches, timeout=a.timeout)
    except ValueError as e:
        ap.error(str(e))
    with client:
        try:
            for b in client.watch(topics=a.topic or ["breach."],
                                  after=after,
                                  idle=a.idle, catch_up_only=a.catch_up):
                text = line(b)
                if a.hook:
                    r = subprocess.run(a.hook, shell=True,
                                       input=text + "\n", text=True)
                    if r.returncode != 0:
                        print("breach_notifier: hook failed (%d) on breach "
                              "%d; stopping" % (r.returncode, b["seq"]),
                              file=sys.stderr)
                        return 1
                else:
                    print(text, flush=True)
                if a.state:
                    irokpi.write_seq(a.state, b["seq"])
                n += 1
                if a.max is not None and n >= a.max:
                    break
        except irokpi.IrokpiError as e:
            print("breach_notifier: %s" % e, file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
