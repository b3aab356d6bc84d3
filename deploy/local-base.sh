#!/usr/bin/env bash
# A local base image for deploy/Dockerfile where no image registry can be reached: Debian bookworm
# from Debian's own packages (debootstrap), with the Python 3.11 that python:3.11-slim-bookworm
# has (python3, venv, `python` on the PATH), imported into podman as IMAGE. The root file system
# is cached as a tarball under CACHE, so only the first run downloads (about 80 s).
#
#   deploy/local-base.sh [IMAGE] [CACHE]
#   podman build --build-arg BASE=localhost/explorer-base:bookworm -f deploy/Dockerfile .
#
# The image trusts the CAs this machine trusts (its /etc/ssl/certs bundle, which pip inside the
# build is pointed at), so pip reaches the Python registry the way the host does.
set -euo pipefail
IMAGE=${1:-localhost/explorer-base:bookworm}
CACHE=${2:-.cache/container}
TARBALL=$CACHE/explorer-base-bookworm.tar
PACKAGES=python3,python3-venv,python-is-python3,ca-certificates

if podman image exists "$IMAGE"; then
    exit 0
fi
if [ ! -f "$TARBALL" ]; then
    # The Debian mirror apt uses here (deb822 sources first, then the one-line form).
    mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -v security | head -n 1 || true)
    mirror=${mirror:-$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' \
        /etc/apt/sources.list 2>/dev/null || true)}
    mirror=${mirror:-http://deb.debian.org/debian}
    mkdir -p "$CACHE"
    root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$root"' EXIT
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$root" "$mirror" >/dev/null
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$root/etc/pip.conf"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
    tar -C "$root" -cf "$TARBALL.part" .
    mv "$TARBALL.part" "$TARBALL"
fi
podman import --quiet "$TARBALL" "$IMAGE" >/dev/null
