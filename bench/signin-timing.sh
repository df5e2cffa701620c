#!/usr/bin/env bash
# Times the sign-in page's answer for an unknown account, a real account with a wrong password and a locked account,
# interleaved, against the built app on a fresh database: the three must not be told apart (issue 15, decision 024).
# Usage: dotnet build src/Kimberlite -c Release && bench/signin-timing.sh [TRIES=20]
#        PG_PORT=55441 bench/signin-timing.sh 20      # the same on a PostgreSQL server at 127.0.0.1:PG_PORT
set -euo pipefail
TRIES=${1:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP=$ROOT/src/Kimberlite/bin/Release/net10.0/kimberlite.dll
WORK=$(mktemp -d)
PORT=${PORT:-5391}
BASE=http://127.0.0.1:$PORT
export Kimberlite__DataDirectory=$WORK/data Kimberlite__LoadBundledData=false ASPNETCORE_URLS=$BASE \
  Kimberlite__Accounts__SignInAttemptsPerMinute=100000 Kimberlite__Accounts__LockoutAfterFailures=$((TRIES + 10)) \
  Kimberlite__Accounts__PublicAddress=$BASE
DB=kimberlite_signin_$$
if [ -n "${PG_PORT:-}" ]; then
  export Kimberlite__Database__Provider=Postgres Kimberlite__Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB"
fi
cleanup() {
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  [ -n "${PG_PORT:-}" ] && /usr/lib/postgresql/15/bin/psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK" "$WORK.keys"
}
trap cleanup EXIT

token() { grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//; s/"$//'; }

# Two real accounts, made by the command line before the app starts, their password set through the setup link as a person would.
links=()
for email in real@example.org locked@example.org; do
  links+=("$(dotnet "$APP" users add "$email" --role admin | grep -o 'http[^ ]*/account/setup?[^ ]*' | head -1)")
done
dotnet "$APP" >"$WORK/app.log" 2>&1 &
PID=$!
until curl -sf -o /dev/null "$BASE/account/signin"; do sleep 0.5; done
for link in "${links[@]}"; do
  jar=$WORK/jar-setup
  t=$(curl -s -c "$jar" -b "$jar" "$link" | token)
  curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "password=correct horse battery staple" \
    --data-urlencode "confirm=correct horse battery staple" --data-urlencode "__RequestVerificationToken=$t" "$link"
done

# One sign-in attempt; prints the seconds it took and the answer's status and length.
attempt() {
  local jar=$WORK/jar-$1 t
  rm -f "$jar"
  t=$(curl -s -c "$jar" -b "$jar" "$BASE/account/signin" | token)
  curl -s -o /dev/null -b "$jar" -w '%{time_total} %{http_code}\n' --data-urlencode "email=$2" --data-urlencode "password=$3" \
    --data-urlencode "__RequestVerificationToken=$t" "$BASE/account/signin"
}

# Lock one account, then warm up each path so the JIT is not measured.
for _ in $(seq $((TRIES + 10))); do attempt lock locked@example.org "not the password" >/dev/null; done
for _ in 1 2 3; do
  attempt u nobody@example.org "a guess at a password" >/dev/null
  attempt w real@example.org "a guess at a password" >/dev/null
  attempt l locked@example.org "correct horse battery staple" >/dev/null
done
: >"$WORK/unknown"; : >"$WORK/wrong"; : >"$WORK/locked"
for _ in $(seq "$TRIES"); do
  attempt u nobody@example.org "a guess at a password" >>"$WORK/unknown"
  attempt w real@example.org "a guess at a password" >>"$WORK/wrong"
  attempt l locked@example.org "correct horse battery staple" >>"$WORK/locked"
done

echo "database: $([ -n "${PG_PORT:-}" ] && echo PostgreSQL || echo SQLite); tries: $TRIES each, interleaved; load average $(cut -d' ' -f1 /proc/loadavg)"
printf '%-22s %8s %8s %8s %8s  %s\n' "answer" "min ms" "median" "mean" "max ms" "statuses"
for kind in unknown wrong locked; do
  sort -n "$WORK/$kind" | awk -v k="$kind" '{ t[NR] = $1 * 1000; s += $1 * 1000; c[$2]++ }
    END { st = ""; for (x in c) st = st x "×" c[x] " ";
          printf "%-22s %8.1f %8.1f %8.1f %8.1f  %s\n", k, t[1], (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), s / NR, t[NR], st }'
done
