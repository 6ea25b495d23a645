# Sourced by .ci/run: makes sure a PostgreSQL server answers on 127.0.0.1, or
# fails. Order: one already running; the machine's cluster, started; a server
# installed from Debian's packages into a temporary directory.

PG_HOST=127.0.0.1
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"

psql_admin() {
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q "$@"
}

pg_answers() {
    command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 &&
        psql_admin -c 'SELECT 1' >/dev/null 2>&1
}

pg_bin_dir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgres() {
    if pg_answers; then
        echo "PostgreSQL is running on ${PG_HOST}:${PG_PORT}"
        return 0
    fi
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        for version in $(ls /etc/postgresql); do
            echo "starting the local cluster ${version}/main"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        done
        for _ in $(seq 1 20); do pg_answers && return 0; sleep 0.5; done
    fi
    if [ -z "$(pg_bin_dir)" ]; then
        echo "no PostgreSQL server installed: installing Debian's postgresql"
        export DEBIAN_FRONTEND=noninteractive
        (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || {
            echo "cannot install PostgreSQL" >&2
            return 1
        }
    fi
    local bin data
    bin=$(pg_bin_dir)
    data=$(mktemp -d /tmp/hanse-ci-pg.XXXXXX)
    chown postgres "$data" 2>/dev/null || true
    echo "initdb in ${data}"
    run_as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
    run_as_postgres "'$bin/initdb' -D '$data' -U '$PG_USER' --auth=trust >/dev/null"
    run_as_postgres "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -o \"-h $PG_HOST -p $PG_PORT -k /tmp\" -w start >/dev/null"
    for _ in $(seq 1 20); do pg_answers && return 0; sleep 0.5; done
    echo "PostgreSQL could not be started; see ${data}/server.log" >&2
    return 1
}
