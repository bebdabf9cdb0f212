#!/bin/bash
# Plays the manifests in docker/k8s/ with `podman kube play`, as far as this podman supports them,
# and says what it accepted, what it ignored and what it refused. No Kubernetes cluster is involved:
#   1. a PostgreSQL container (the local image, the roles of docker/initdb) on a podman network of
#      its own, reachable there as `postgres`, the host name in docker/k8s/secret.yaml
#   2. the Secret: docker/k8s/secret.yaml as it is (example values), then the same keys with working
#      values (passwords, an ed25519 audit key, a self-signed PKCS#12 sealing certificate) as JSON
#   3. the migration Job: docker/k8s/migrate-job.yaml, then (podman has no Job) its pod template as a Pod
#   4. the Deployment and the Service: docker/k8s/deployment.yaml; each pod's container is checked
#      from inside (user, read-only root, the Secret's values and files, /health/ready)
#   5. `podman kube down` of everything it played, and the network, secret and PostgreSQL removed
# Needs the images of docker/smoke.sh (localhost/iop-lifecycle-engine:dev, localhost/iop-postgres:15-bookworm).
# Publishes no host port. Usage (as root on this machine): docker/kube-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
step() { echo "[kube $(($(date +%s) - started)) s] $*"; }
fail() { echo "KUBE CHECK FAILED: $*" >&2; [ "$BASHPID" = "$$" ] || kill -TERM "$$"; exit 1; }
trap 'exit 1' TERM

work=$(mktemp -d)
# runc and lower limits (docker/containers.conf says why), unless the caller has its own.
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/docker/containers.conf}
APP_IMAGE=${APP_IMAGE:-localhost/iop-lifecycle-engine:dev}
POSTGRES_IMAGE=${POSTGRES_IMAGE:-localhost/iop-postgres:15-bookworm}
net=iop-kube
pg=iop-kube-postgres
played=()
clean() {
  # The pods' emptyDir volumes (anonymous volumes) by name too, in case kube down leaves them.
  _volumes=$(podman ps -a --format '{{.Names}}' | grep '^iop-\(pod\|migrate\)' | xargs -r podman inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' 2>/dev/null || true)
  for file in "${played[@]}"; do podman kube down "$file" >/dev/null 2>&1 || true; done
  # Left over from an earlier run that was cut short: the pods by their names.
  for pod in $(podman pod ps --format '{{.Name}}' | grep '^iop-\(pod\|migrate\)' || true); do podman pod rm -f "$pod" >/dev/null 2>&1 || true; done
  podman rm -f -v "$pg" >/dev/null 2>&1 || true
  for v in $_volumes; do [ "$v" = iop ] || podman volume rm -f "$v" >/dev/null 2>&1 || true; done
  podman secret rm iop >/dev/null 2>&1 || true
  podman volume rm -f iop >/dev/null 2>&1 || true
  podman network rm -f "$net" >/dev/null 2>&1 || true
}
trap 'clean; rm -rf "$work"' EXIT
for image in "$APP_IMAGE" "$POSTGRES_IMAGE"; do podman image exists "$image" || fail "no image $image: docker/smoke.sh builds it"; done
clean

# play FILE [podman kube play options…]: what podman said, and its exit code, both recorded.
play() {
  _file=$1; shift
  played+=("$_file")
  set +e
  podman kube play --network "$net" "$@" "$_file" >"$work/play.out" 2>&1
  _rc=$?
  set -e
  step "podman kube play $(basename "$_file"): exit $_rc: $(grep -v '^[0-9a-f]\{64\}$' "$work/play.out" | tr '\n' ' ' | cut -c1-2000)"
  return $_rc
}

step "PostgreSQL on the network $net (as postgres)"
podman network create "$net" >/dev/null
owner_password=kube-owner-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
app_password=kube-app-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
podman run -d --name "$pg" --network "$net" --network-alias postgres \
  -e POSTGRES_PASSWORD=postgres -e IOP_OWNER_PASSWORD="$owner_password" -e IOP_APP_PASSWORD="$app_password" \
  -v "$PWD/docker/initdb:/docker-entrypoint-initdb.d:ro" "$POSTGRES_IMAGE" >/dev/null
i=0
until podman exec "$pg" psql -U iop_owner -d iop -c 'SELECT 1' >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -lt 120 ] || fail "PostgreSQL not ready"; sleep 1
done

step "the Secret"
play docker/k8s/secret.yaml || fail "podman refused docker/k8s/secret.yaml"
podman secret ls --format '{{.Name}}' | grep -qx iop || fail "no podman secret iop after playing the Secret"
# podman 4.3 keeps the document (as YAML) as the podman secret iop.
volume_dir=$(podman volume inspect -f '{{.Mountpoint}}' iop 2>/dev/null || true)
step "played: podman secret iop$( [ -n "$volume_dir" ] && echo ", volume iop" )"
openssl genpkey -algorithm ed25519 -out "$work/audit.pem" 2>/dev/null
seal_passphrase=kube-seal-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/seal.key" -out "$work/seal.crt" -days 30 -subj "/CN=Kube-check kommun/O=Kube-check kommun" 2>/dev/null
# 3DES and SHA-1 (OpenSSL 3's default is AES-256 and PBKDF2): what node-forge, which reads it, understands.
openssl pkcs12 -export -inkey "$work/seal.key" -in "$work/seal.crt" -passout "pass:$seal_passphrase" \
  -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1 -out "$work/seal.p12"
database_url="postgres://iop_app:$app_password@postgres:5432/iop"
migration_url="postgres://iop_owner:$owner_password@postgres:5432/iop"
b64() { base64 -w0; }
# The same five keys with working values, in the two forms podman 4.3 reads them in, since it cannot
# read its own played Secret: secretKeyRef (env) wants the podman secret as a JSON object of base64
# values ("secret iop is not valid JSON" for the played one), and a secret volume is the named
# volume "iop", whose files the played Secret left base64-encoded.
podman secret rm iop >/dev/null
podman volume rm iop >/dev/null 2>&1 || true
jq -n --arg db "$(printf '%s' "$database_url" | b64)" --arg mig "$(printf '%s' "$migration_url" | b64)" \
  --arg pp "$(printf '%s' "$seal_passphrase" | b64)" --arg key "$(b64 <"$work/audit.pem")" --arg p12 "$(b64 <"$work/seal.p12")" \
  '{"database-url": $db, "migration-database-url": $mig, "document-seal-passphrase": $pp, "audit-signing-key.pem": $key, "document-seal.p12": $p12}' \
  >"$work/secret.json"
podman secret create iop "$work/secret.json" >/dev/null
podman volume create iop >/dev/null
volume_dir=$(podman volume inspect -f '{{.Mountpoint}}' iop)
install -m 0444 "$work/audit.pem" "$volume_dir/audit-signing-key.pem"
install -m 0444 "$work/seal.p12" "$volume_dir/document-seal.p12"
step "podman secret iop (JSON) and volume iop (audit-signing-key.pem, document-seal.p12) made by hand"

step "the migration Job"
if play docker/k8s/migrate-job.yaml; then
  job_played=1
else
  job_played=0
  # The Job's pod template, unchanged, as a Pod (restartPolicy Never): what a Job's controller would start.
  {
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: iop-migrate\n'
    sed -n '/^  template:$/,$p' docker/k8s/migrate-job.yaml | sed '1d; s/^    //' | sed '/^metadata:$/d'
  } >"$work/migrate-pod.yaml"
  play "$work/migrate-pod.yaml" || fail "podman refused the migration Job's pod template"
fi
migrate=$(podman ps -a --filter label=io.kubernetes.pod.name=iop-migrate --format '{{.Names}}' 2>/dev/null | grep -v infra | head -1 || true)
[ -n "$migrate" ] || migrate=$(podman ps -a --format '{{.Names}}' | grep '^iop-migrate-' | grep -v infra | head -1)
[ -n "$migrate" ] || fail "no migration container"
i=0
until [ "$(podman inspect -f '{{.State.Status}}' "$migrate")" = exited ]; do
  i=$((i + 1)); [ $i -lt 180 ] || fail "the migrations did not finish"; sleep 1
done
migrate_exit=$(podman inspect -f '{{.State.ExitCode}}' "$migrate")
migrations=$(podman exec "$pg" psql -U iop_owner -d iop -tAc 'SELECT count(*) FROM migrations' 2>&1 || true)
step "migration container $migrate (user $(podman inspect -f '{{.Config.User}}' "$migrate"), read-only root $(podman inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$migrate")): exit $migrate_exit, $migrations migrations applied"
[ "$migrate_exit" = 0 ] || fail "the migrations failed: $(podman logs "$migrate" 2>&1 | tail -5)"

step "the Deployment (replicas: 2) and the Service"
# podman 4.3 publishes every containerPort on the host (a hostPort defaults to the containerPort, on
# all interfaces): both replicas would take the host's port 3000 and the second fail to start ("address
# already in use"). Played here without the container's ports list (the probes name the port by number
# instead of "http"); nothing else differs from docker/k8s/deployment.yaml.
sed -e '/^          ports: \[{ name: http, containerPort: 3000 }\]$/d' -e 's/port: http }/port: 3000 }/' docker/k8s/deployment.yaml >"$work/deployment.yaml"
[ "$(diff docker/k8s/deployment.yaml "$work/deployment.yaml" | grep -c '^[<>]')" -eq 7 ] || fail "the ports line or the probes' ports were not where expected in deployment.yaml"
play "$work/deployment.yaml" || fail "podman refused the Deployment"
mapfile -t pods < <(podman pod ps --filter label=app.kubernetes.io/component=web --format '{{.Name}}' 2>/dev/null; true)
[ "${#pods[@]}" -gt 0 ] || mapfile -t pods < <(podman pod ps --format '{{.Name}}' | grep '^iop-pod' || true)
step "pods of the Deployment: ${#pods[@]} (${pods[*]:-none})"
[ "${#pods[@]}" -gt 0 ] || fail "the Deployment made no pod"
ready=0
for pod in "${pods[@]}"; do
  c=$(podman ps -a --filter "pod=$pod" --format '{{.Names}}' | grep -v -- '-infra$' | head -1)
  i=0
  until podman exec "$c" node -e "fetch('http://127.0.0.1:3000/health/ready').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -ge 120 ]; then step "$c: not ready after 120 s: $(podman logs "$c" 2>&1 | tail -3 | cut -c1-300)"; break; fi
    sleep 1
  done
  [ $i -lt 120 ] && ready=$((ready + 1))
  in_c() { podman exec "$c" node -e "$1"; }
  step "$c: user $(podman exec "$c" id -un), read-only root $(podman inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$c"), caps $(podman inspect -f '{{.EffectiveCaps}}' "$c" 2>/dev/null | tr -d '\n'),
    DATABASE_URL from the Secret: $(in_c "console.log(process.env.DATABASE_URL === '$database_url')"),
    secret files: $(podman exec "$c" sh -c 'ls /run/secrets/iop 2>&1 | tr "\n" " "'),
    seal certificate read: $(podman logs "$c" 2>&1 | grep -c 'självsignerat utvecklingscertifikat' | sed 's/^0$/yes (no development certificate warning)/; s/^[1-9].*/no: the development certificate was used/'),
    healthcheck from the probes: $(podman inspect -f '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}} every {{.Config.Healthcheck.Interval}}{{else}}none{{end}}' "$c"),
    podman healthcheck run: $(podman healthcheck run "$c" >/dev/null 2>&1 && echo healthy || echo "unhealthy (exit $?)"), curl in the image: $(podman exec "$c" sh -c 'command -v curl || echo none'),
    security options: $(podman inspect -f '{{.HostConfig.SecurityOpt}}' "$c"), restart policy: $(podman inspect -f '{{.HostConfig.RestartPolicy.Name}}' "$c"),
    memory limit: $(podman inspect -f '{{.HostConfig.Memory}}' "$c"), /tmp: $(podman exec "$c" sh -c 'grep " /tmp " /proc/mounts | cut -d" " -f3')"
  step "$c: GET /health/ready: $(in_c "fetch('http://127.0.0.1:3000/health/ready').then(async (r) => console.log(r.status, (await r.text()).slice(0, 200)))")"
done
[ "$ready" -eq "${#pods[@]}" ] || fail "$ready of ${#pods[@]} pods ready"
step "pods after playing the Service with the Deployment: $(podman pod ps --format '{{.Name}}' | grep -c '^iop' || true) (the Deployment's two and the migration's one: the Service made nothing, and no error)"
step "passed: ${#pods[@]} pod(s) of the Deployment ready, migrations by the Job's pod template ($([ "$job_played" = 1 ] && echo 'as a Job' || echo 'played as a Pod'))"
