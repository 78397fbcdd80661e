#!/bin/sh
# pg_ctl for pytest-postgresql's process fixture when the tests run as root (a CI
# container): PostgreSQL's initdb and server refuse to run as root, so every call is
# re-run as the `postgres` system user, which Debian's postgresql package creates.
# The real pg_ctl is $TR_PG_CTL (set by test_postgres_workers.py).
#
# The fixture keeps the data directory (-D/--pgdata) and the server log (-l) inside
# pytest's temp tree, which is root's alone (mode 0700, reset by every pytest run).
# So `initdb` creates the data directory in a folder of postgres's own under /tmp
# and leaves a symlink at the fixture's path; every later call is given the real
# path, and `stop` removes the folder once the server is down (the fixture would
# delete the data directory right after anyway).
set -eu
pg_ctl=${TR_PG_CTL:?TR_PG_CTL must name the real pg_ctl}
if [ "$(id -u)" -ne 0 ]; then
    exec "$pg_ctl" "$@"
fi
if ! id -u postgres >/dev/null 2>&1; then
    echo "$0: running as root, but there is no 'postgres' user to run PostgreSQL as;" \
        "install Debian's postgresql package (it creates the user)" >&2
    exit 1
fi

command=${1:-}
home=""      # postgres's folder holding the data directory and the log
link=""      # the fixture's data directory path (a symlink to $home/data)
previous=""
count=$#
for arg in "$@"; do
    # `for` walks the original arguments; the rewritten ones are appended after them.
    value=$arg
    case "$previous" in
    -D | --pgdata)
        link=$arg
        if [ -L "$arg" ]; then
            value=$(readlink "$arg")
            home=$(dirname "$value")
        elif [ "$command" = initdb ]; then
            home=$(mktemp -d /tmp/tr-tuning-postgres.XXXXXX)
            value=$home/data
            chown postgres "$home"
            ln -s "$value" "$arg"
        fi
        ;;
    -l)
        if [ -n "$home" ]; then
            value=$home/postgresql.log
            ln -sf "$value" "$arg" # where the fixture looks for the log
        fi
        ;;
    esac
    set -- "$@" "$value"
    previous=$arg
done
shift "$count"

# postgres may not be allowed into the caller's working directory; every path is absolute.
cd /
status=0
runuser -u postgres -- "$pg_ctl" "$@" || status=$?
if [ "$command" = stop ] && [ "$status" -eq 0 ] && [ -n "$home" ]; then
    rm -rf "$home"
    rm -f "$link"
fi
exit "$status"
