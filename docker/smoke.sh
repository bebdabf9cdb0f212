#!/bin/bash
# A smoke test of the deployment in docker/compose.yaml, with podman and podman-compose:
#   1. builds the images (on the local base images from docker/build-base-images.sh, made if missing)
#   2. starts PostgreSQL and the SMTP catcher, runs the migrations once (the migrate job, as the owner)
#   3. starts both instances and the proxy, waits for /health/ready through the proxy over https
#   4. makes the first administrator (the compiled CLI in the image) and signs in through the proxy
#   5. as the administrator registers a civil-society organisation, three people and their accounts;
#      then, each signed in as themselves, creates an agreement and drives it to signed and in force
#   6. makes the agreement's first planned reminder due (its send time moved to now, with SQL as the
#      owner role), kills app1 and starts it again while the instances sweep, and requires exactly one
#      copy of the reminder at the catcher after several more sweeps
#   7. restarts app1 then app2 while a client keeps asking, and requires that no request failed
#   8. tears everything down (volumes too) unless KEEP=1; then docker/kube-check.sh unless KUBE=0
# Host ports (127.0.0.1): https 18443, http 18480, catcher's web view 18425.
# Needs: podman, runc, podman-compose, mmdebstrap (for the base images), curl, jq, openssl.
# Usage (as root on this machine): docker/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { echo "[$(($(date +%s) - started)) s] $*"; }
# In a command substitution (a subshell) fail stops the whole smoke, not just the subshell.
fail() { echo "SMOKE FAILED: $*" >&2; [ "$BASHPID" = "$$" ] || kill -TERM "$$"; exit 1; }
trap 'exit 1' TERM

work=$(mktemp -d)
# runc and lower limits (docker/containers.conf says why), unless the caller has its own.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/docker/containers.conf}
export NODE_IMAGE=${NODE_IMAGE:-localhost/iop-node:24-bookworm}
export POSTGRES_IMAGE=${POSTGRES_IMAGE:-localhost/iop-postgres:15-bookworm}
export DEBIAN_IMAGE=${DEBIAN_IMAGE:-localhost/iop-debian:bookworm}
export IOP_HTTPS_PORT=${IOP_HTTPS_PORT:-18443} IOP_HTTP_PORT=${IOP_HTTP_PORT:-18480} IOP_MAIL_PORT=${IOP_MAIL_PORT:-18425}
# The deadlines and reminders are swept every 5 s here (60 s by default), so a duplicate would show soon.
export TIMER_SWEEP_INTERVAL_MS=${TIMER_SWEEP_INTERVAL_MS:-5000} OUTBOX_SEND_INTERVAL_MS=${OUTBOX_SEND_INTERVAL_MS:-2000}
for tool in podman podman-compose curl jq openssl; do command -v "$tool" >/dev/null || fail "needs $tool"; done
# -p: podman-compose 1.0.3 ignores the file's `name:` and would call the project after the folder.
compose() { podman-compose -p iop -f docker/compose.yaml "$@"; }
down() { compose down -v >/dev/null 2>&1 || true; podman network rm -f iop_default >/dev/null 2>&1 || true; }
teardown() {
  if [ "${KEEP:-0}" != 1 ]; then down; fi
  rm -rf "$work"
}
trap teardown EXIT

if ! podman image exists "$NODE_IMAGE" || ! podman image exists "$POSTGRES_IMAGE" || ! podman image exists "$DEBIAN_IMAGE"; then
  step "base images"
  docker/build-base-images.sh
fi
[ -f docker/audit-signing-key.pem ] || openssl genpkey -algorithm ed25519 -out docker/audit-signing-key.pem
# The file is bind-mounted read-only and read by the image's user node (uid 1000); openssl makes it 600
# for root. A real installation hands the key over as a secret instead.
chmod 0644 docker/audit-signing-key.pem

step "build"
down
# Docker format: an OCI image would drop the HEALTHCHECK.
compose --podman-build-args "--format docker --network host" build

step "PostgreSQL, mail, migrations"
compose up -d postgres mail
i=0
until podman exec iop_postgres_1 pg_isready -q -h 127.0.0.1 -U postgres -d iop 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 120 ] || fail "PostgreSQL not ready"; sleep 1
done
compose run --rm migrate
# podman-compose 1.0.3 does not pass the job's exit code on: ask the database.
podman exec iop_postgres_1 psql -U postgres -d iop -tAc "SELECT count(*) FROM migrations" >"$work/migrations" 2>&1 \
  || fail "the migrations did not run: $(cat "$work/migrations")"
step "migrations applied: $(cat "$work/migrations")"

step "both instances and the proxy"
compose up -d app1 app2 proxy
base=https://localhost:${IOP_HTTPS_PORT}
i=0
until podman cp iop_proxy_1:/data/caddy/pki/authorities/local/root.crt "$work/ca.crt" 2>/dev/null \
  && curl -fsS --cacert "$work/ca.crt" "$base/health/ready" >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 180 ] || fail "no /health/ready through the proxy"; sleep 1
done
curl -fsS --cacert "$work/ca.crt" "$base/health/ready"; echo
node_in_image() { podman exec iop_app1_1 node -p "$1"; }
step "in the image: Node $(node_in_image process.version), NODE_ENV=$(node_in_image process.env.NODE_ENV), user $(podman exec iop_app1_1 id -un)"

step "first administrator, sign-in over https"
password=smoke-$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')
podman exec -e FIRST_ADMIN_PASSWORD="$password" iop_app1_1 node -r tsconfig-paths/register dist/src/auth/first-administrator.cli.js \
  --name "Rök Testsson" --email rok.testsson@example.se --organisation "Rökby kommun" --organisation-number 212000-0142
curl -fsS --cacert "$work/ca.crt" -c "$work/admin" -H 'Content-Type: application/json' -H "Origin: $base" \
  -d "{\"email\":\"rok.testsson@example.se\",\"password\":\"$password\"}" "$base/auth/login" >/dev/null || fail "sign-in"
curl -fsS --cacert "$work/ca.crt" -b "$work/admin" "$base/accounts" >/dev/null || fail "signed-in request"

# --- the service's JSON API as its users: each person signs in with their own session -------------
# api JAR METHOD PATH [JSON]: the response body on stdout; any status but 2xx fails the smoke.
api() {
  _jar=$1 _method=$2 _path=$3 _body=${4:-}
  if [ -n "$_body" ]; then
    _code=$(curl -sS --cacert "$work/ca.crt" -b "$work/$_jar" -c "$work/$_jar" -X "$_method" -H 'Content-Type: application/json' \
      -H "Origin: $base" -d "$_body" -o "$work/response" -w '%{http_code}' "$base$_path") || fail "$_method $_path: curl"
  else
    _code=$(curl -sS --cacert "$work/ca.crt" -b "$work/$_jar" -c "$work/$_jar" -X "$_method" -H "Origin: $base" \
      -o "$work/response" -w '%{http_code}' "$base$_path") || fail "$_method $_path: curl"
  fi
  case $_code in 2??) cat "$work/response" ;; *) fail "$_method $_path as $_jar: $_code $(head -c 600 "$work/response")" ;; esac
}
sign_in() { # JAR EMAIL PASSWORD
  api "$1" POST /auth/login "$(jq -nc --arg e "$2" --arg p "$3" '{email: $e, password: $p}')" >/dev/null
}
# The owner role (the migrations' role) for what only an operator does: reading state, moving a date.
sql() { podman exec -i iop_postgres_1 psql -X -q -v ON_ERROR_STOP=1 -tA "postgres://iop_owner:${IOP_OWNER_PASSWORD:-iop-owner}@127.0.0.1:5432/iop" -c "$1"; }
mail() { curl -fsS "http://127.0.0.1:$IOP_MAIL_PORT/messages"; }

step "the administrator registers a civil-society organisation, three people and their accounts"
municipality=$(api admin GET /auth/me | jq -r .organisation.id)
association=$(api admin POST /organisations '{"name":"Röksvampens förening","organisationNumber":"802000-0009","kind":"civil_society"}' | jq -r .id)
person() { # NAME EMAIL ORGANISATION ROLE: the person's id; an account with ROLE and a password
  _id=$(api admin POST /people "$(jq -nc --arg n "$1" --arg e "$2" --arg o "$3" '{name: $n, email: $e, organisationId: $o}')" | jq -r .id)
  api admin PUT "/accounts/$_id/roles" "{\"roles\":[\"$4\"]}" >/dev/null
  api admin PUT "/accounts/$_id/password" "$(jq -nc --arg p "$password" '{password: $p}')" >/dev/null
  echo "$_id"
}
secretary=$(person "Sekreterare Svensson" sekreterare@rokby.example.se "$municipality" secretariat)
municipal_signatory=$(person "Kommunal Firmatecknare" firma@rokby.example.se "$municipality" signatory)
association_signatory=$(person "Förenings Firmatecknare" firma@roksvamp.example.se "$association" signatory)
step "municipality $municipality, association $association, people $secretary $municipal_signatory $association_signatory"
sign_in secretariat sekreterare@rokby.example.se "$password"
sign_in municipal firma@rokby.example.se "$password"
sign_in association firma@roksvamp.example.se "$password"

step "an agreement from initiative to signed, through the proxy over https"
today=$(TZ=Europe/Stockholm date +%F)
end=$(TZ=Europe/Stockholm date -d "$today + 2 years - 1 day" +%F)
# No samverkansgrupp: a reminder then has one recipient, the secretariat's address (SECRETARIAT_EMAIL).
body=$(jq -nc --arg m "$municipality" --arg a "$association" --arg ms "$municipal_signatory" --arg asig "$association_signatory" \
  --arg start "$today" --arg stop "$end" '{
    title: "Röktestets överenskommelse", diarienummer: "SN 2026-0017", committee: "Socialnämnden",
    purpose: "Visa att driftsättningen fungerar.", targetGroup: "Driftpersonal.", activities: "Ett röktest.",
    places: 10, proposedByOrganisationId: $a,
    parties: [{organisationId: $m, contributionKr: 75000, shareBasisPoints: 7500}, {organisationId: $a, contributionKr: 25000, shareBasisPoints: 2500}],
    validity: {startDate: $start, endDate: $stop},
    extension: {periodMonths: 24, maxExtensions: 1, decisionNoticeMonths: 3},
    economics: {costLines: [{label: "verksamhet", amountKr: 100000}], totalKr: 100000, indexationBasisPoints: 0},
    signatoryIds: [$ms, $asig]}')
agreement=$(api association POST /agreements "$body" | jq -r .id)
event() { api "$1" POST "/agreements/$agreement/events" "$2" | jq -r '"\(.eventType): \(.from) -> \(.to)"'; }
step "$(event secretariat '{"type":"ACCEPT_INITIATIVE"}')"
step "$(event secretariat '{"type":"SEND_FOR_SIGNING"}')"
# Each signs the document sent for signing, named by its hash.
hash=$(api municipal GET "/agreements/$agreement/documents" | jq -r '[.[] | select(.status == "for_signing")][0].hash')
[ -n "$hash" ] && [ "$hash" != null ] || fail "no document for signing"
step "$(event municipal "{\"type\":\"SIGN\",\"organisationId\":\"$municipality\",\"documentHash\":\"$hash\"}")"
step "$(event association "{\"type\":\"SIGN\",\"organisationId\":\"$association\",\"documentHash\":\"$hash\"}")"
# The start date is today: the next sweep makes it active, and its reminders are planned.
i=0
until [ "$(api secretariat GET "/agreements/$agreement" | jq -r .state)" = active ]; do
  i=$((i + 1)); [ $i -lt 60 ] || fail "the agreement is $(api secretariat GET "/agreements/$agreement" | jq -r .state), not active"; sleep 1
done
step "agreement $agreement: $(api secretariat GET "/agreements/$agreement" | jq -r .state); documents: $(api secretariat GET "/agreements/$agreement/documents" | jq -c '[.[] | {kind, status}]')"

step "a reminder made due while app1 is killed and started again"
# Everything the steps so far sent (initiative, signing notices) leaves the outbox first.
i=0
until [ "$(sql "SELECT count(*) FROM outbox_message WHERE state = 'pending'")" = 0 ]; do
  i=$((i + 1)); [ $i -lt 60 ] || fail "the outbox does not drain"; sleep 1
done
sleep 2
curl -fsS -X DELETE "http://127.0.0.1:$IOP_MAIL_PORT/messages" || fail "could not empty the catcher"
reminder=$(sql "SELECT id || ' ' || reminder_key || ' ' || cycle || ' ' || deadline_date FROM case_reminder
                 WHERE case_id = '$agreement' AND decided_at IS NULL ORDER BY send_at, id LIMIT 1")
[ -n "$reminder" ] || fail "no reminder planned for the agreement"
set -- $reminder
reminder_id=$1 reminder_key=$2 reminder_cycle=$3
step "reminder $reminder_id ($reminder_key, cycle $reminder_cycle, deadline $4): send_at moved from $(sql "SELECT send_at FROM case_reminder WHERE id = $reminder_id") to now"
sql "UPDATE case_reminder SET send_at = now() WHERE id = $reminder_id"
due_at=$(date -u +%T.%3N)
podman kill iop_app1_1 >/dev/null
killed_at=$(date -u +%T.%3N)
step "app1 killed at $killed_at"
sleep 3
podman start iop_app1_1 >/dev/null
restarted_at=$(date -u +%T.%3N)
i=0
until podman exec iop_app1_1 node -e "fetch('http://127.0.0.1:3000/health/ready').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 120 ] || fail "app1 not ready after the kill"; sleep 1
done
step "app1 started again and ready; reminder: $(sql "SELECT coalesce(outcome, 'undecided') FROM case_reminder WHERE id = $reminder_id")"
i=0
until [ "$(sql "SELECT count(*) FROM outbox_message WHERE idempotency_key LIKE 'reminder:$agreement:$reminder_key:$reminder_cycle:%' AND state = 'sent'")" -ge 1 ]; do
  i=$((i + 1)); [ $i -lt 120 ] || fail "the reminder was not sent: $(sql "SELECT outcome FROM case_reminder WHERE id = $reminder_id")"; sleep 1
done
# Long enough for a duplicate to have been decided and sent: six sweeps and the outbox after them.
sleep $((TIMER_SWEEP_INTERVAL_MS * 6 / 1000 + OUTBOX_SEND_INTERVAL_MS * 3 / 1000))
message_id=$(sql "SELECT message_id FROM outbox_message WHERE idempotency_key LIKE 'reminder:$agreement:$reminder_key:$reminder_cycle:%'")
outbox_rows=$(sql "SELECT count(*) FROM outbox_message WHERE idempotency_key LIKE 'reminder:$agreement:%'")
mail >"$work/mail.json"
caught=$(jq --arg id "$message_id" '[.[] | select((.messageId // "") | contains($id))] | length' "$work/mail.json")
reminders_caught=$(jq '[.[] | select(.subject | test("[Pp]åminnelse"))] | length' "$work/mail.json")
step "catcher: $(jq length "$work/mail.json") message(s) since it was emptied: $(jq -c '[.[] | {to, subject}]' "$work/mail.json")"
step "made due at $due_at, app1 killed at $killed_at and started at $restarted_at; reminder decided at $(sql "SELECT to_char(decided_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') FROM case_reminder WHERE id = $reminder_id"), sent at $(sql "SELECT to_char(sent_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') FROM outbox_message WHERE message_id = '$message_id'") (UTC)"
step "reminder outbox rows for the agreement: $outbox_rows; copies of $message_id at the catcher: $caught"
[ "$outbox_rows" -eq 1 ] || fail "$outbox_rows reminder messages written, not 1"
[ "$caught" -eq 1 ] || fail "$caught copies of the reminder at the catcher, not 1"
[ "$(jq length "$work/mail.json")" -eq 1 ] || fail "the catcher has other mail than the one reminder"

step "rolling restart of app1 and app2 under a steady client"
: >"$work/codes"
(
  while [ ! -f "$work/stop" ]; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 --cacert "$work/ca.crt" -b "$work/admin" "$base/accounts" >>"$work/codes"
    sleep 0.1
  done
) &
client=$!
for app in app1 app2; do
  podman stop -t 30 "iop_${app}_1" >/dev/null
  podman start "iop_${app}_1" >/dev/null
  i=0
  until podman exec "iop_${app}_1" node -e "fetch('http://127.0.0.1:3000/health/ready').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 120 ] || fail "$app not ready after its restart"; sleep 1
  done
done
sleep 2
touch "$work/stop"
wait "$client"
total=$(wc -l <"$work/codes")
failed=$(grep -vc '^200$' "$work/codes" || true)
step "rolling restart: $total requests, $failed not 200"
[ "$total" -gt 0 ] || fail "the client sent nothing"
[ "$failed" -eq 0 ] || fail "$(sort "$work/codes" | uniq -c | tr '\n' ' ')"

step "compose: passed"
if [ "${KEEP:-0}" != 1 ]; then down; step "compose torn down"; fi
if [ "${KUBE:-1}" != 0 ]; then
  docker/kube-check.sh || fail "docker/kube-check.sh"
fi
step "passed"
