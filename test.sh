#!/usr/bin/env bash
# Builds Kimberlite once and runs every test suite: the integration tests on SQLite and on a
# throwaway PostgreSQL, then the browser tests on Debian's Chromium. Installs what a fresh
# Debian 12 machine lacks when run as root. The last line is "N passed, M failed[, K skipped]".
set -uo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PGBIN=/usr/lib/postgresql/15/bin
CHROMIUM=/usr/bin/chromium
RUN_TIMEOUT=${KIMBERLITE_RUN_TIMEOUT:-12m}
RESULTS="$ROOT/TestResults"
export KIMBERLITE_SCREENSHOTS="${KIMBERLITE_SCREENSHOTS:-$RESULTS/screenshots}"

say() { printf '\n== %s\n' "$*"; }
# A setup failure still ends with the summary line: nothing ran, and that counts as a failure.
die() { printf 'test.sh: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 2; }

# --- what this machine needs -----------------------------------------------------------------

is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && command -v apt-get >/dev/null 2>&1; }

apt_install() {
    # $1: why, then the packages
    local why=$1; shift
    if ! can_apt; then
        die "$why is missing; install it with: sudo apt-get update && sudo apt-get install -y $*"
    fi
    say "Installing $* ($why is missing)"
    if [ -z "${APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update || die "apt-get update failed"
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" || die "apt-get install -y $* failed"
}

command -v dotnet >/dev/null 2>&1 \
    || die "the .NET 10 SDK is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux-debian), then run ./test.sh again"
[ -x "$CHROMIUM" ] || apt_install "$CHROMIUM (browser tests)" chromium chromium-driver
[ -x "$PGBIN/initdb" ] || apt_install "$PGBIN/initdb (PostgreSQL tests)" postgresql-15
[ -x "$CHROMIUM" ] || die "$CHROMIUM is still missing after installing chromium"
# Scanned pages of the library are read by Tesseract in French, English and Portuguese; the tests assert what it reads.
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>&1 | grep -qx fra && tesseract --list-langs 2>&1 | grep -qx por; } \
    || apt_install "tesseract with French and Portuguese (OCR of scanned library documents)" tesseract-ocr tesseract-ocr-fra tesseract-ocr-por
command -v tesseract >/dev/null 2>&1 || die "tesseract is still missing after installing tesseract-ocr"
[ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb is still missing after installing postgresql-15"
# The S3 file store's test runs against moto's S3-compatible server (on Kimberlite's dotnet machines it is already installed).
if ! command -v moto_server >/dev/null 2>&1; then
    say "Installing moto[server] (moto_server is missing: the S3 file store's test needs it)"
    python3 -m pip install --quiet 'moto[server]' || die "moto_server is missing and pip could not install moto[server]: install it, then run ./test.sh again"
fi
command -v moto_server >/dev/null 2>&1 || die "moto_server is still missing after installing moto[server]"
if is_root; then
    id postgres >/dev/null 2>&1 || die "initdb refuses to run as root and there is no postgres user: apt-get install -y postgresql-15 creates it"
fi

say "Restoring local dotnet tools"
dotnet tool restore || die "dotnet tool restore failed"

# --- a throwaway PostgreSQL, stopped on every way out ------------------------------------------

PGD=""
as_pg() { if is_root; then su postgres -c "$1"; else sh -c "$1"; fi; }

stop_postgres() {
    if [ -n "$PGD" ] && [ -f "$PGD/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl -D $PGD/data -m fast -w stop" >/dev/null 2>&1 || true
    fi
    if [ -n "$PGD" ]; then rm -rf "$PGD"; fi
    PGD=""
}
RUN_PID=""
stop_run() { if [ -n "$RUN_PID" ]; then kill -TERM "$RUN_PID" 2>/dev/null; wait "$RUN_PID" 2>/dev/null; fi; }
trap stop_postgres EXIT
trap 'stop_run; exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PGPORT=""
for candidate in 55432 $(seq 55433 55499); do
    if ! port_in_use "$candidate"; then PGPORT=$candidate; break; fi
done
[ -n "$PGPORT" ] || die "no free port between 55432 and 55499 for the test PostgreSQL"

say "Starting a throwaway PostgreSQL on port $PGPORT"
PGD=$(mktemp -d)
is_root && chown postgres:postgres "$PGD"
as_pg "$PGBIN/initdb -D $PGD/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >"$PGD/initdb.log" 2>&1 \
    || { cat "$PGD/initdb.log" >&2; die "initdb failed"; }
# Tests run in parallel, each with its own database and pool, and one sends 200 submissions at once.
as_pg "$PGBIN/pg_ctl -D $PGD/data -o '-p $PGPORT -k $PGD -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400' -l $PGD/log -w start" >/dev/null \
    || { cat "$PGD/log" >&2; die "PostgreSQL did not start"; }
POSTGRES_CS="Host=127.0.0.1;Port=$PGPORT;Username=postgres"

# --- build once, run three times ---------------------------------------------------------------

PASSED=0 FAILED=0 SKIPPED=0
ERRORS=()
mkdir -p "$RESULTS"

say "Building Kimberlite.slnx (Release)"
BUILD_OK=1
dotnet build Kimberlite.slnx -c Release || BUILD_OK=0

# Runs one test project; adds its summary line(s) to the totals; a run that errors counts as a failure.
run_tests() {
    local name=$1 project=$2; shift 2
    local log="$RESULTS/$name.log" rc
    say "Tests: $name"
    if [ "$BUILD_OK" -ne 1 ]; then
        echo "not run: the build failed"
        FAILED=$((FAILED + 1)); ERRORS+=("$name: not run, the build failed")
        return
    fi
    # In the background so that Ctrl-C or a CI cancel reaches the trap at once; `timeout` passes the
    # signal on to dotnet test and its test host, which it keeps in its own process group.
    env "$@" timeout --kill-after=30s "$RUN_TIMEOUT" \
        dotnet test "$project" --no-build -c Release \
            --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" >"$log" 2>&1 &
    RUN_PID=$!
    tail -n +1 -f --pid="$RUN_PID" "$log" &
    local tail_pid=$!
    wait "$RUN_PID"; rc=$?
    RUN_PID=""
    wait "$tail_pid"
    [ "$rc" -ne 124 ] || echo "test.sh: $name did not finish within $RUN_TIMEOUT and was stopped"

    local summaries p f s run_failed=0
    summaries=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+' || true)
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")
        p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
        s=$(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$line")
        PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
        run_failed=$((run_failed + f))
    done <<<"$summaries"

    if [ -z "$summaries" ]; then
        FAILED=$((FAILED + 1)); ERRORS+=("$name: no test summary (exit code $rc; did it start?)")
    elif [ "$rc" -ne 0 ] && [ "$run_failed" -eq 0 ]; then
        FAILED=$((FAILED + 1)); ERRORS+=("$name: dotnet test exited with $rc although no test failed")
    elif [ "$rc" -ne 0 ]; then
        ERRORS+=("$name: $run_failed failed")
    fi
}

run_tests sqlite tests/Kimberlite.Tests/Kimberlite.Tests.csproj \
    KIMBERLITE_TEST_PROVIDER=sqlite
run_tests postgres tests/Kimberlite.Tests/Kimberlite.Tests.csproj \
    KIMBERLITE_TEST_PROVIDER=postgres "KIMBERLITE_TEST_POSTGRES=$POSTGRES_CS"
run_tests browser tests/Kimberlite.BrowserTests/Kimberlite.BrowserTests.csproj \
    "KIMBERLITE_SCREENSHOTS=$KIMBERLITE_SCREENSHOTS"

stop_postgres

echo
[ "$BUILD_OK" -eq 1 ] || echo "The build failed."
for e in "${ERRORS[@]}"; do echo "failed: $e"; done
[ "$BUILD_OK" -eq 1 ] && echo "Screenshots: $KIMBERLITE_SCREENSHOTS"
SUMMARY="$PASSED passed, $FAILED failed"
[ "$SKIPPED" -gt 0 ] && SUMMARY="$SUMMARY, $SKIPPED skipped"
echo "$SUMMARY"
[ "$FAILED" -eq 0 ] && [ "$BUILD_OK" -eq 1 ]
