#!/usr/bin/env bash
# stadtkioskctl end to end: exit codes, --json, messages (TAP).
#
# SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
ctl="${STADTKIOSK_CTL:?}"
fixtures="${G_TEST_SRCDIR:?}/fixtures"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
unset STADTKIOSK_CONFIG
n=0 failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && sed 's/^/# /' <<<"$2"; }

# expect STATUS DESCRIPTION -- command...   (stdout+stderr in $out)
expect () {
  local want="$1" what="$2"; shift 3
  out="$("$@" 2>&1)"; local got=$?
  if [ "$got" -eq "$want" ]; then ok "$what"; else not_ok "$what (exit $got, wanted $want)" "$out"; fi
}
contains () {
  if grep -qF -- "$2" <<<"$out"; then ok "$1"; else not_ok "$1: no '$2'" "$out"; fi
}
json () { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$out" 2>/dev/null; }

k=("$ctl" --state-dir "$dir/state")

expect 0 "--help" -- "$ctl" --help
contains "--help documents exit codes" "Exit status: 0 success, 1 failure"
expect 2 "no command is a usage error" -- "$ctl"
expect 2 "unknown command is a usage error" -- "$ctl" frobnicate
expect 2 "unknown option is a usage error" -- "$ctl" --frob status
expect 1 "config check of a bad file fails" -- "$ctl" --config "$fixtures/config/bad.conf" config check
contains "the message names file, group, key and value" "bad.conf: [session] idle-timeout = '5': expected a whole number from 30 to 1800"
expect 1 "a configuration asked for must exist" -- "$ctl" --config "$dir/none.conf" status
contains "missing config is named" "$dir/none.conf: no such configuration file"
expect 0 "config check of a good file" -- "$ctl" --config "$fixtures/config/good.conf" config check

expect 0 "init" -- "${k[@]}" init
expect 0 "status --json" -- "${k[@]}" status --json
[ "$(json 'd["queue"]["queued"]')" = 0 ] && ok "empty queue" || not_ok "empty queue" "$out"

echo '{"kind": "street-light", "description": "Laterne defekt", "location": "Almsstraße 1"}' > "$dir/answers.json"
expect 0 "enqueue" -- "${k[@]}" enqueue --service report-problem --answers "$dir/answers.json" --json
id="$(json 'd["id"]')"; code="$(json 'd["short_code"]')"
[ "$(json 'd["answers_format"]')" = json ] && ok "without a city key the answers are stored as JSON" || not_ok "answers json" "$out"
expect 2 "enqueue without --answers" -- "${k[@]}" enqueue --service report-problem
echo 'not json' > "$dir/bad.json"
expect 1 "enqueue of broken JSON fails" -- "${k[@]}" enqueue --service report-problem --answers "$dir/bad.json"
contains "broken JSON names the file" "$dir/bad.json"
# json-glib read "\u0000x" as "": an optional answer vanished without a word.
printf '{"kind": "street-light", "lamp-number": "\\u0000x", "description": "Laterne defekt", "location": "Almsstraße 1"}' > "$dir/nul.json"
expect 1 "an answer with \\u0000 is refused, not cut" -- "${k[@]}" enqueue --service report-problem --answers "$dir/nul.json"
contains "the refusal names file, line and column" "$dir/nul.json: not valid JSON: line 1, column 42: \\u0000 (a NUL character) is not allowed in text"

lower="$(tr 'A-Z' 'a-z' <<<"$code" | tr -d '-')"

# With a city key (demo keys here) the kiosk stores the answers sealed.
d=("$ctl" --config "$dir/demo.conf")
expect 0 "init --demo" -- "$ctl" --state-dir "$dir/demo" init --demo --config-out "$dir/demo.conf"
grep -qx "languages=de;en;tr;ar;uk;ru;pl;ls;" "$dir/demo.conf" && ok "the demo offers all eight languages" \
  || not_ok "the demo offers all eight languages" "$(grep languages "$dir/demo.conf")"
expect 0 "enqueue on a kiosk with a city key" -- "${d[@]}" enqueue --service report-problem --answers "$dir/answers.json" --json
[ "$(json 'd["answers_format"]')" = sealed ] && ok "the answers are sealed at rest" || not_ok "sealed at rest" "$out"
expect 0 "queue show of a sealed request" -- "${d[@]}" queue show "$(json 'd["short_code"]')"
contains "shows that it cannot read them" "sealed to the city's key"
if grep -qF "Laterne defekt" "$dir/demo/stadtkiosk.db" "$dir/demo/stadtkiosk.db-wal" 2>/dev/null; then
  not_ok "the clear answers are nowhere in the database"
else
  ok "the clear answers are nowhere in the database"
fi
# A city key that is configured but missing is an error, never a silent clear copy.
printf '[kiosk]\nstate-dir=%s\n[keys]\ncity-public-key=%s\n' "$dir/real" "$dir/missing-city.pub" > "$dir/real.conf"
expect 0 "keys generate" -- "$ctl" --config "$dir/real.conf" keys generate
expect 1 "a configured but missing city key refuses to store" -- "$ctl" --config "$dir/real.conf" enqueue --service report-problem --answers "$dir/answers.json"
contains "and names the key file" "missing-city.pub"

expect 0 "queue show by a typed code" -- "${k[@]}" queue show "$lower" --json
[ "$(json 'd["id"]')" = "$id" ] && ok "typed code finds the request" || not_ok "typed code finds the request" "$out"
[ "$(json 'd["events"][0]["to"]')" = queued ] && ok "history has the creation" || not_ok "history" "$out"

expect 1 "a mistyped code is refused" -- "${k[@]}" queue show "${code%?}$( [ "${code: -1}" = 0 ] && echo 1 || echo 0)"
contains "the check character catches it" "mistyped"
expect 2 "cancel needs a reason" -- "${k[@]}" queue cancel "$code"
expect 0 "cancel" -- "${k[@]}" queue cancel "$code" --reason "citizen withdrew"
expect 1 "a cancelled request cannot be retried" -- "${k[@]}" queue retry "$code"
contains "the refusal says why" "is cancelled and cannot become queued"
expect 0 "queue list --state cancelled" -- "${k[@]}" queue list --state cancelled --json
[ "$(json 'len(d)')" = 1 ] && ok "one cancelled" || not_ok "one cancelled" "$out"
expect 2 "queue list with an unknown state" -- "${k[@]}" queue list --state lost

expect 1 "set-aside refuses a healthy database" -- "${k[@]}" store set-aside
printf 'garbage, not sqlite' > "$dir/state/stadtkiosk.db"; rm -f "$dir/state/stadtkiosk.db-wal" "$dir/state/stadtkiosk.db-shm"
expect 1 "a damaged database is refused" -- "${k[@]}" status
contains "and the way out is named" "stadtkioskctl store set-aside"
expect 0 "set-aside keeps the damaged file and starts anew" -- "${k[@]}" store set-aside --json
aside="$(json 'd["kept_aside"]')"
[ "$(cat "$aside")" = "garbage, not sqlite" ] && ok "the damaged file is kept as it was" || not_ok "damaged file kept" "$out"
expect 0 "status after set-aside" -- "${k[@]}" status

# Information cards (issue 19): pull from the fake portal, list, waste lookup,
# then offline: the pull fails, the copy and its time stay.
if [ -x "${STADTKIOSK_FAKE_PORTAL:-}" ]; then
  "$STADTKIOSK_FAKE_PORTAL" --port 0 > "$dir/portal.url" 2>&1 &
  portal_pid=$!
  for _ in $(seq 50); do [ -s "$dir/portal.url" ] && break; sleep 0.1; done
  portal="$(head -n 1 "$dir/portal.url")"
  i=("$ctl" --state-dir "$dir/info")
  sed "s#http://127.0.0.1:8472#$portal#g" "${G_TEST_SRCDIR}/../data/catalog/demo.json" > "$dir/info-catalog.json"
  expect 0 "info list before any pull" -- "${i[@]}" info list --json
  [ "$(json 'd[0]["state"]')" = none ] && ok "a card never fetched is 'none'" || not_ok "state none" "$out"
  expect 0 "info list (text) of the demo catalogue" -- "${i[@]}" info list
  contains "says the demo cards fetch from this machine" "4 of 4 cards fetch from this machine"
  expect 0 "import a catalogue with info cards" -- "${i[@]}" catalog import "$dir/info-catalog.json"
  expect 0 "info pull" -- "${i[@]}" info pull
  contains "every card updated" "parken: updated"
  expect 0 "info list --json" -- "${i[@]}" info list --json
  [ "$(json '",".join(c["state"] for c in d)')" = "ok,ok,ok,ok" ] && ok "all four cards ok" || not_ok "all ok" "$out"
  fetched="$(json 'd[0]["fetched_at"]')"
  expect 0 "info waste finds the street as typed" -- "${i[@]}" info waste "alms str"
  contains "the street" "Almsstraße"
  contains "a waste type" "Gelber Sack"
  expect 1 "info waste with an unknown street" -- "${i[@]}" info waste "Goschenstraße"
  kill "$portal_pid"; wait "$portal_pid" 2>/dev/null
  expect 1 "info pull offline fails" -- "${i[@]}" info pull
  contains "and says the copy is kept" "keeping the last good copy"
  expect 0 "info list offline" -- "${i[@]}" info list --json
  [ "$(json 'd[0]["state"]')" = failed ] && ok "offline: state failed" || not_ok "state failed" "$out"
  [ "$(json 'd[0]["fetched_at"]')" = "$fetched" ] && ok "offline: the copy keeps its time" || not_ok "copy time" "$out"
  expect 0 "info waste from the cached copy" -- "${i[@]}" info waste alms
  contains "offline, the dates are still there" "Restmüll"
  # A kiosk whose sources never answered: "unreachable", not "none".
  u=("$ctl" --state-dir "$dir/info-unreachable")
  expect 0 "import the catalogue on a new kiosk" -- "${u[@]}" catalog import "$dir/info-catalog.json"
  expect 1 "info pull with the portal gone" -- "${u[@]}" info pull
  expect 0 "info list --json" -- "${u[@]}" info list --json
  [ "$(json '",".join(c["state"] for c in d)')" = "unreachable,unreachable,unreachable,unreachable" ] \
    && ok "never answered: state unreachable" || not_ok "state unreachable" "$out"
  [ "$(json 'd[0]["local"]')" = True ] && ok "a source on 127.0.0.1 is local" || not_ok "local" "$out"
else
  ok "# SKIP fake-portal not built"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
