#!/usr/bin/env bash
# BENCHMARKS.md's server section: GetCallerIdentity and AssumeRole calls/s
# from the Go SDK and from boto3 against a canned server (fixed bytes: the
# clients' own cost over loopback), fakests serve, fakests serve -state and
# moto's server, interleaved round by round in one run; then the start-up
# time to the first answered request. Needs python3 with boto3, and moto
# (moto_server) for its column.
#
#   cmd/fakests/bench/run.sh [ROUNDS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-5}
secs=${2:-2}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/fakests" ./cmd/fakests
go build -o "$tmp/bench" ./cmd/fakests/bench

# start NAME CMD...: runs a server whose first stdout line is its URL,
# sets url to it and adds its process to pids (not in a subshell, so that
# the cleanup sees it).
start() {
  local name=$1; shift
  "$@" >"$tmp/$name.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/$name.out" ] && break; sleep 0.05; done
  url=$(head -1 "$tmp/$name.out")
}
start canned "$tmp/bench" canned; canned=$url
start fakests "$tmp/fakests" serve -addr 127.0.0.1:0 -quiet; plain=$url
start state "$tmp/fakests" serve -addr 127.0.0.1:0 -quiet -state "$tmp/state.json"; state=$url
state_pid=${pids[2]}
eps=(canned="$canned" fakests="$plain" fakests-state="$state")
if command -v moto_server >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
  eps+=(moto="http://127.0.0.1:$port")
fi

echo "== $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3)"
for op in GetCallerIdentity AssumeRole; do
  "$tmp/bench" calls -op "$op" -rounds "$rounds" -duration "${secs}s" "${eps[@]}"
  python3 cmd/fakests/bench/boto3_calls.py --op "$op" --rounds "$rounds" --duration "$secs" "${eps[@]}"
done
echo "== start-up to the first answered request (5 starts each)"
echo "-- fakests serve"
for i in 1 2 3 4 5; do "$tmp/bench" startup -- "$tmp/fakests" serve -addr 127.0.0.1:0 -quiet; done
echo "-- fakests serve -state, a new file"
for i in 1 2 3 4 5; do rm -f "$tmp/new.state"; "$tmp/bench" startup -- "$tmp/fakests" serve -addr 127.0.0.1:0 -quiet -state "$tmp/new.state"; done
# The state file of the runs above, copied: every session they issued.
kill "$state_pid" 2>/dev/null || true; sleep 0.5
cp "$tmp/state.json" "$tmp/big.state"
echo "-- fakests serve -state, the file of the runs above ($(du -h "$tmp/big.state" | cut -f1), $(grep -c '' "$tmp/big.state") records)"
for i in 1 2 3 4 5; do cp "$tmp/state.json" "$tmp/big.state"; "$tmp/bench" startup -- "$tmp/fakests" serve -addr 127.0.0.1:0 -quiet -state "$tmp/big.state"; done
if command -v moto_server >/dev/null; then
  echo "-- moto_server (2 starts)"
  for i in 1 2; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$tmp/bench" startup -url "http://127.0.0.1:$port" -- moto_server -H 127.0.0.1 -p "$port"
  done
fi
