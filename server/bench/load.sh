#!/usr/bin/env bash
# The benchmark of BENCHMARKS.md, in one run: serves the seeded database with the release
# build and measures with wrk (Debian's `wrk`) on 127.0.0.1:
#   the static ceiling (/healthz), / anonymous, /dashboard of a profile with 200 requests,
#   page 50 of a dashboard, a request's page, the catalogue (/procedures), and the XLSX
#   export of 10,000 and of 100,000 rows (the latter first, on a fresh server, with the
#   growth of its memory sampled every 20 ms); then filings with a 200 KB document from 20
#   clients (server/bench/filing.py, in the Python tools' virtual environment).
# Usage: DATABASE_URL=… server/bench/load.sh     (after `server bench-seed` on that database)
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$TARGET/server-release/server}
PORT=${PORT:-3900}
BASE="http://127.0.0.1:$PORT"
CONNECTIONS=${CONNECTIONS:-100}
DURATION=${DURATION:-20s}
export DATA_DIR=${DATA_DIR:-data}
export LOG_LEVEL=warn OUTBOX_INTERVAL_SECONDS=0 LISTEN_ADDR="127.0.0.1:$PORT" BASE_URL="$BASE"
export LEPTOS_OUTPUT_NAME=espace LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
PASSWORD='benchmark password 2026'
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

read -r ORG PAGE50 ARCHIVE < <("$BIN" bench-page 50 | tail -n 1)
"$BIN" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.5; done

login() {
  curl -fs -o /dev/null -c "$work/$1" -X POST "$BASE/api/login" \
    --data-urlencode "email=bench@example.be" --data-urlencode "password=$PASSWORD"
  grep -o 'espace_session\s[^ ]*$' "$work/$1" | awk '{print "espace_session=" $2}'
}
CITIZEN=$(login citizen.jar)
ORGANISATION=$(login org.jar)
curl -fs -o /dev/null -X POST "$BASE/api/switch_profile" -H "Cookie: $ORGANISATION" --data "organisation=$ORG"
ARCHIVED=$(login archive.jar)
curl -fs -o /dev/null -X POST "$BASE/api/switch_profile" -H "Cookie: $ARCHIVED" --data "organisation=$ARCHIVE"

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
# First, while the server's memory is that of a fresh start: the export of 100,000 rows,
# its time, and how much the server's memory grew meanwhile (sampled every 20 ms).
echo "XLSX export of Bench Archive SA's 100,000 requests:"
for run in 1 2 3; do
  before=$(rss)
  ( while :; do rss; sleep 0.02; done ) >"$work/rss" &
  sampler=$!
  took=$(curl -fs -o "$work/archive.xlsx" -w '%{time_total}' -H "Cookie: $ARCHIVED" "$BASE/dashboard/export.xlsx")
  kill $sampler; wait $sampler 2>/dev/null || true
  peak=$(sort -n "$work/rss" | tail -n 1); peak=${peak:-$before}
  echo "run $run: ${took} s, $(stat -c %s "$work/archive.xlsx") bytes; server RSS $((before / 1024)) MB before, peak $((peak / 1024)) MB, growth $(((peak - before) / 1024)) MB"
done
echo

measure() { # name url [cookie]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $3" "$2")
  else
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$2")
  fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %-34s | %10s | %8s | %8s | %6s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo "| measured ($CONNECTIONS connections, $DURATION each) | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
measure "static ceiling: /healthz" "$BASE/healthz"
measure "/ anonymous" "$BASE/"
measure "/dashboard, 200 requests" "$BASE/dashboard" "$CITIZEN"
measure "/dashboard page 50" "$BASE/dashboard?$PAGE50" "$ORGANISATION"
REQUEST=$(curl -fs -H "Cookie: $CITIZEN" "$BASE/dashboard" | grep -o '/requests/[0-9]\{4\}-[0-9]\{6\}' | head -n 1)
measure "$REQUEST (a request's page)" "$BASE$REQUEST" "$CITIZEN"
measure "/procedures (the catalogue)" "$BASE/procedures" "$CITIZEN"

echo
echo "XLSX export of Bench SA's 10,000 requests (5 runs, seconds):"
for _ in 1 2 3 4 5; do
  curl -fs -o "$work/export.xlsx" -w '%{time_total} ' -H "Cookie: $ORGANISATION" "$BASE/dashboard/export.xlsx"
done
echo
echo "export size: $(stat -c %s "$work/export.xlsx") bytes"

VENV=${ESPACE_TOOLS_DIR:-$HOME/.local/share/espace-tools}/oidc-venv
if [ -x "$VENV/bin/python" ]; then
  echo
  "$VENV/bin/python" server/bench/filing.py "$BASE" "$CITIZEN" 20 "${DURATION%s}"
fi
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"
