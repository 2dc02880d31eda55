#!/usr/bin/env bash
# How long the command line takes, as a shell job pays it: wall and CPU seconds of whole
# processes, from exec to exit, on the embedded default and on PostgreSQL.
#
#   bench/cli.sh                                  # target/apilock, the launcher mvn package builds
#   bench/cli.sh --cli 'java -jar old-cli.jar'    # any other way of starting it, e.g. an older build
#   bench/cli.sh --cli 'java -jar old-cli.jar' --cli target/apilock    # both, run by turns
#   bench/cli.sh --runs 9 --databases embedded --label quiet-machine --out results.md
#
# Each command is run once to warm up (the first run also creates the embedded database or the
# PostgreSQL schema), then --runs times; with several --cli, they take turns run by run, so that
# they meet the same load. The table gives the median, minimum and maximum of wall and CPU (user
# + system) seconds, with the load average before and after, since other work on the machine
# moves these numbers. PostgreSQL: APILOCK_BENCH_POSTGRES_URL (default the local server's
# database test, schemas apilock_bench_0, _1..., one per --cli, created afresh) and
# APILOCK_BENCH_POSTGRES_USER. Each --cli has an embedded database of its own too.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
clis=()
runs=5
databases=embedded,postgresql
label=""
out=""

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case $1 in
    --cli) clis+=("$2"); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --databases) databases=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench/cli.sh: unknown argument $1" >&2; usage 64 ;;
  esac
done
[ ${#clis[@]} -gt 0 ] || clis=("$here/target/apilock")
for n in "${!clis[@]}"; do # the commands run in directories of their own: make a relative program path absolute
  read -r program rest <<< "${clis[$n]}"
  if [[ $program == */* && $program != /* && -e $program ]]; then
    clis[$n]="$(cd "$(dirname "$program")" && pwd)/$(basename "$program")${rest:+ $rest}"
  fi
done

[ -x /usr/bin/time ] || { echo "bench/cli.sh: needs /usr/bin/time (Debian package time)" >&2; exit 69; }
for cli in "${clis[@]}"; do
  if [ "$cli" = "$here/target/apilock" ] && [ ! -x "$cli" ]; then
    echo "bench/cli.sh: no launcher at target/apilock: run mvn package first" >&2
    exit 69
  fi
done

pg_url=${APILOCK_BENCH_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?currentSchema=apilock_bench}
pg_user=${APILOCK_BENCH_POSTGRES_USER:-postgres}

work=$(mktemp -d "${TMPDIR:-/tmp}/apilock-bench-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { sort -g | head -1; }
maximum() { sort -g | tail -1; }

# One timed process of CLI number $1, in its own directory ($database-$1, its embedded database):
# appends "wall cpu" to $work/times-$1; its output goes to $work/last.
timed() {
  local n=$1; shift
  local words
  read -r -a words <<< "${clis[$n]}"
  local args=()
  for arg in "$@"; do
    if [ "$arg" = @connection ]; then
      read -r -a extra <<< "$(connection "$n")"
      args+=("${extra[@]}")
    else
      args+=("$arg")
    fi
  done
  set -- "${args[@]}"
  mkdir -p "$work/$database-$n"
  if ! (cd "$work/$database-$n" && /usr/bin/time -f '%e %U %S' -o "$work/time" "${words[@]}" "$@" > "$work/last" 2>&1); then
    echo "bench/cli.sh: '${clis[$n]} $*' failed:" >&2
    cat "$work/last" >&2
    exit 70
  fi
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time" >> "$work/times-$n"
}

declare -A results

measure() { # database, label, args...
  local database=$1 name=$2; shift 2
  local n
  for n in "${!clis[@]}"; do
    timed "$n" "$@" # warm-up: page cache, the JVM's archive, the database's first use
    rm -f "$work/times-$n"
  done
  local before after
  before=$(load)
  for _ in $(seq "$runs"); do
    for n in "${!clis[@]}"; do
      timed "$n" "$@"
    done
  done
  after=$(load)
  for n in "${!clis[@]}"; do
    local wall cpu
    wall=$(cut -d' ' -f1 "$work/times-$n")
    cpu=$(cut -d' ' -f2 "$work/times-$n")
    results[$n]+="| \`$name\` | $database | $(median <<< "$wall") | $(minimum <<< "$wall")–$(maximum <<< "$wall") | $(median <<< "$cpu") | $(minimum <<< "$cpu")–$(maximum <<< "$cpu") | $before / $after |"$'\n'
    echo "  ${clis[$n]}: $database $name: wall $(tr '\n' ' ' <<< "$wall")| cpu $(tr '\n' ' ' <<< "$cpu")" >&2
  done
}

# Each CLI works on a database of its own: builds of different versions may need different schemas.
connection() { # CLI number
  if [ "$database" = postgresql ]; then
    echo "--url ${pg_url/currentSchema=$schema/currentSchema=${schema}_$1} --db-user $pg_user"
  fi
}

run_commands() {
  measure "$database" "--version" --version
  measure "$database" "status" status @connection
  measure "$database" "run --type t -- true" run @connection --type t -- true
  measure "$database" "history" history @connection --limit 5
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
IFS=, read -r -a wanted <<< "$databases"
schema=""
for database in "${wanted[@]}"; do
  case $database in
    embedded)
      run_commands
      ;;
    postgresql)
      schema=$(sed -n 's/.*currentSchema=\([A-Za-z0-9_]*\).*/\1/p' <<< "$pg_url")
      if [ -z "$schema" ]; then
        echo "bench/cli.sh: APILOCK_BENCH_POSTGRES_URL needs ?currentSchema=NAME (one schema per --cli, NAME_0...)" >&2
        exit 64
      fi
      if command -v psql > /dev/null; then
        host_db=$(sed -n 's#jdbc:postgresql://\([^:/]*\)\(:\([0-9]*\)\)\{0,1\}/\([^?]*\).*#\1 \3 \4#p' <<< "$pg_url")
        read -r pg_host pg_port pg_db <<< "$host_db"
        for n in "${!clis[@]}"; do
          PGOPTIONS="-c client_min_messages=warning" psql -q -h "$pg_host" -p "${pg_port:-5432}" -U "$pg_user" -d "$pg_db" \
            -c "DROP SCHEMA IF EXISTS ${schema}_$n CASCADE" -c "CREATE SCHEMA ${schema}_$n" > /dev/null
        done
      fi
      run_commands
      ;;
    *) echo "bench/cli.sh: unknown database $database (embedded, postgresql)" >&2; exit 64 ;;
  esac
done

java_version=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1 || true)
report=$(
  echo "### apilock command line${label:+: $label}, $started"
  echo
  echo "$runs runs after a warm-up$([ ${#clis[@]} -gt 1 ] && echo ", the commands below taking turns"); $(nproc) cores, $java_version; load average (1 min) before / after."
  for n in "${!clis[@]}"; do
    echo
    echo "\`${clis[$n]}\`"
    echo
    echo "| command | database | wall s, median | wall s, range | CPU s, median | CPU s, range | load |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    printf '%s' "${results[$n]}"
  done
)
echo "$report"
if [ -n "$out" ]; then
  echo "$report" >> "$out"
fi
