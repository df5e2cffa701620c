#!/usr/bin/env bash
# Public reads under load (issue 15): the app (Release, bundled data) and static files served by the same Kestrel, under wrk.
#   bench/load.sh                       # SQLite: 32 connections per address, then the 50-connection mix
#   PG="Host=127.0.0.1;Port=55445;Username=postgres" bench/load.sh   # and the mix again on two instances sharing PostgreSQL
# Settings: SECONDS_EACH (15), MIX_SECONDS (60), CACHE_MINUTES (10; 0 measures the app without its output cache).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
SECONDS_EACH=${SECONDS_EACH:-15}
MIX_SECONDS=${MIX_SECONDS:-60}
CACHE_MINUTES=${CACHE_MINUTES:-10}
WORK=$(mktemp -d /tmp/kimberlite-load.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet build src/Kimberlite -c Release -v quiet -nologo >/dev/null
DLL=src/Kimberlite/bin/Release/net10.0/kimberlite.dll

# start PORT DATA [extra settings...]: one instance in Production, waiting until it answers.
start() {
  local port=$1 data=$2; shift 2
  ASPNETCORE_ENVIRONMENT=Production dotnet "$DLL" --contentRoot "$PWD/src/Kimberlite" --urls "http://127.0.0.1:$port" --Kimberlite:DataDirectory="$data" \
    --Kimberlite:Web:CacheMinutes="$CACHE_MINUTES" "$@" >"$WORK/app-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/countries" && return 0
    sleep 0.5
  done
  cat "$WORK/app-$port.log" >&2; exit 1
}

# measure LABEL URL CONNECTIONS SECONDS [wrk args...]: one table row from wrk's own figures.
row() {
  local label=$1 out=$2
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5} /Socket errors:/ {print "socket:" $0}' "$out" | paste -sd' ')
  printf '| %s | %s | %s | %s |\n' "$label" "$rps" "$p99" "${errors:-0}"
}
measure() {
  local label=$1 url=$2 connections=$3 seconds=$4; shift 4
  local out="$WORK/wrk-$RANDOM.txt"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$url" >"$out"
  row "$label" "$out"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) · $(nproc) cores · $(date -u +%FT%TZ)"
start 5181 "$WORK/sqlite"
BASE=http://127.0.0.1:5181
for path in /js/map.js /lib/leaflet/leaflet.js /api/v1/countries /api/v1/countries/COD/statistics /; do
  printf '%s: %s bytes\n' "$path" "$(curl -fs "$BASE$path" | wc -c)"
done
# Warm-up: the JIT (static files included, or the first of them pays for tiering), the connection pool and,
# with the cache on, one render of each address.
wrk -t2 -c32 -d5s -s bench/mix.lua "$BASE" >/dev/null
for path in /js/map.js /lib/leaflet/leaflet.js; do wrk -t2 -c32 -d3s "$BASE$path" >/dev/null; done

echo
echo "SQLite, one instance, wrk -t2 -c32 -d${SECONDS_EACH}s --latency, same Kestrel, same run:"
echo "| address | req/s | p99 | errors |"
echo "| --- | --- | --- | --- |"
measure "static /js/map.js (4 KB)" "$BASE/js/map.js" 32 "$SECONDS_EACH"
measure "static /lib/leaflet/leaflet.js (147 KB)" "$BASE/lib/leaflet/leaflet.js" 32 "$SECONDS_EACH"
measure "/api/v1/countries" "$BASE/api/v1/countries" 32 "$SECONDS_EACH"
measure "/api/v1/countries/COD/statistics" "$BASE/api/v1/countries/COD/statistics" 32 "$SECONDS_EACH"
measure "/ (dashboard)" "$BASE/" 32 "$SECONDS_EACH"

echo
echo "SQLite, one instance, mix of pages and API (bench/mix.lua), wrk -t2 -c50 -d${MIX_SECONDS}s --latency:"
echo "| run | req/s | p99 | errors |"
echo "| --- | --- | --- | --- |"
measure "mix, one instance, SQLite" "$BASE" 50 "$MIX_SECONDS" -s bench/mix.lua
measure "static /js/map.js (4 KB), same Kestrel, after the mix" "$BASE/js/map.js" 50 "$SECONDS_EACH"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -n "${PG:-}" ]]; then
  kill "${PIDS[@]}"; wait 2>/dev/null || true; PIDS=()
  DB="kimberlite_load_$$"
  PGSET=(--Kimberlite:Database:Provider=Postgres "--Kimberlite:Database:ConnectionString=$PG;Database=$DB")
  start 5182 "$WORK/pg-a" "${PGSET[@]}"
  # The second instance shares the database, and the keys of the first (decision 028: one database, several servers).
  mkdir -p "$WORK/pg-b"; start 5183 "$WORK/pg-b" "${PGSET[@]}" --Kimberlite:KeysDirectory="$WORK/pg-a.keys"
  wrk -t2 -c32 -d5s -s bench/mix.lua http://127.0.0.1:5182 >/dev/null
  wrk -t2 -c32 -d5s -s bench/mix.lua http://127.0.0.1:5183 >/dev/null
  echo
  echo "PostgreSQL, two instances on one database, the mix: two wrk at once, -t1 -c25 -d${MIX_SECONDS}s each (50 connections in all):"
  echo "| run | req/s | p99 | errors |"
  echo "| --- | --- | --- | --- |"
  wrk -t1 -c25 -d"${MIX_SECONDS}s" --latency -s bench/mix.lua http://127.0.0.1:5182 >"$WORK/pg-a.txt" &
  WA=$!
  wrk -t1 -c25 -d"${MIX_SECONDS}s" --latency -s bench/mix.lua http://127.0.0.1:5183 >"$WORK/pg-b.txt"
  wait $WA
  row "mix, instance A (PostgreSQL)" "$WORK/pg-a.txt"
  row "mix, instance B (PostgreSQL)" "$WORK/pg-b.txt"
  printf '| mix, both instances together | %s | | |\n' \
    "$(awk '/^Requests\/sec:/ {s += $2} END {printf "%.0f", s}' "$WORK/pg-a.txt" "$WORK/pg-b.txt")"
  wrk -t1 -c25 -d"${SECONDS_EACH}s" --latency http://127.0.0.1:5182/js/map.js >"$WORK/pg-sa.txt" &
  WA=$!
  wrk -t1 -c25 -d"${SECONDS_EACH}s" --latency http://127.0.0.1:5183/js/map.js >"$WORK/pg-sb.txt"
  wait $WA
  row "static /js/map.js, instance A, same run" "$WORK/pg-sa.txt"
  row "static /js/map.js, instance B, same run" "$WORK/pg-sb.txt"
  kill "${PIDS[@]}"; wait 2>/dev/null || true; PIDS=()
  psql -h "$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$PG")" -p "$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$PG")" -U postgres -d postgres \
    -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
