#!/usr/bin/env bash
# Builds the edgegw firmware image from Debian bookworm packages (mmdebstrap; nothing else is downloaded):
#
#   out/edgegw-<version>.img           raw GPT disk for x86-64 UEFI, flash with dd
#   +- p1 esp         FAT32 256 MiB   systemd-boot, loader entries, kernel + initrd per slot (/edgegw/a, /edgegw/b)
#   +- p2 root-a      768 MiB          squashfs root (read-only), the slot the image boots first
#   +- p3 root-b      768 MiB          empty: the first signed update writes it
#   +- p4 edgegw-data 256 MiB         ext4, mounted on /var/lib/edgegw: the only writable persistent storage;
#                                     grown to the end of a larger disk at first boot (edgegw-growdata.service)
#   out/edgegw-<version>.img.sha256    its checksum
#   out/edgegw-<version>.manifest.json Debian package versions, JRE modules, partition UUIDs, part hashes
#   out/edgegw-<version>.sbom.json     CycloneDX SBOM of the Java dependencies
#   out/edgegw-<version>.bundle        the signed update bundle (root + kernel + initrd + manifest, Ed25519)
#
# Usage: image-build/build.sh [--out DIR] [--jar PATH] [--version V] [--base-root DIR]
#   --base-root DIR: copy this tree (an earlier mmdebstrap run of the same package list, e.g. kept with
#   EDGEGW_KEEP_ROOT=DIR) instead of running mmdebstrap: for iterating on the configuration only.
# Needs root (mmdebstrap chroot, file ownership in the image). Heavy steps run under nice/ionice.
# The signing key: $EDGEGW_SIGNING_KEY (PKCS#8 PEM, Ed25519); without it a development key is made once in
# image-build/keys/ (not committed) -- release builds must pass their own.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
OUT=$REPO/image-build/out
JAR=""
VERSION=""
BASE_ROOT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --version) VERSION=$2; shift 2 ;;
    --base-root) BASE_ROOT=$2; shift 2 ;;
    *) echo "usage: $0 [--out DIR] [--jar PATH] [--version V] [--base-root DIR]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "build.sh: needs root (mmdebstrap, image ownership)" >&2; exit 1; }

SUITE=bookworm
# Sizes in MiB; partition i starts where i-1 ends, the first at 1 MiB (GPT header + alignment).
ESP_MB=256 ROOT_MB=768 DATA_MB=256
HEAVY=(nice -n 15 ionice -c3)
T0=$(date +%s)
step() { echo "build.sh: [$(( $(date +%s) - T0 ))s] $*" >&2; }

# --- tools (Debian packages only) ----------------------------------------------------------------------------
need=()
for p in mmdebstrap squashfs-tools dosfstools mtools gdisk e2fsprogs systemd-boot-efi uuid-runtime; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
. "$REPO/scripts/jdk.sh"
JLINK_JDK=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$JLINK_JDK/bin/jlink" ] || JLINK_JDK=$JAVA_HOME

# --- the gateway jar, the profiles check ---------------------------------------------------------------------
if [ -z "$JAR" ]; then
  JAR=$REPO/appliance/target/edgegw-appliance.jar
  step "building the appliance jar"
  (cd "$REPO" && JAVA_HOME=$JAVA_HOME "${HEAVY[@]}" mvn -q -B -o package -DskipTests -pl appliance -am)
fi
[ -f "$JAR" ] || { echo "build.sh: no jar at $JAR" >&2; exit 1; }
[ -n "$VERSION" ] || VERSION=$(cd "$REPO" && git describe --always --dirty 2>/dev/null || date +%Y%m%d%H%M)
step "validating hardware profiles"
"$JAVA_HOME/bin/java" -cp "$JAR" net.edgegw.appliance.hw.HwProfileCli validate "$REPO/hw-profiles"

WORK=$(mktemp -d /var/tmp/edgegw-image.XXXXXX)
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
ROOT=$WORK/root
mkdir -p "$OUT"

# --- Java runtime: jlink to the modules the jar uses (jdeps) plus what its libraries load reflectively ---------
step "jlink"
MODS=$("$JLINK_JDK/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$JAR" 2>/dev/null || true)
# java.sql/java.naming: H2; java.management: H2/Netty MBeans; jdk.crypto.ec, jdk.naming.dns: TLS ECDHE, Netty DNS.
MODS="${MODS:+$MODS,}java.base,java.logging,java.sql,java.naming,java.management,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs"
MODS=$(echo "$MODS" | tr ',' '\n' | sort -u | paste -sd, -)
"${HEAVY[@]}" "$JLINK_JDK/bin/jlink" --add-modules "$MODS" --output "$WORK/jre" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --generate-cds-archive 2>/dev/null \
  || "${HEAVY[@]}" "$JLINK_JDK/bin/jlink" --add-modules "$MODS" --output "$WORK/jre" \
       --strip-debug --no-header-files --no-man-pages

# --- Debian root file system ---------------------------------------------------------------------------------
# The host's apt sources (a file argument) so the image comes from the same Debian mirror as everything else.
SOURCES=/etc/apt/sources.list.d/debian.sources
[ -f "$SOURCES" ] || SOURCES=/etc/apt/sources.list
PKGS=linux-image-amd64,initramfs-tools,systemd,systemd-sysv,udev,dbus,kmod,nftables,iproute2,e2fsprogs,util-linux,procps,ca-certificates,zstd,netbase,fdisk
if [ -n "$BASE_ROOT" ]; then
  step "copying the base root $BASE_ROOT (mmdebstrap skipped)"
  cp -a "$BASE_ROOT" "$ROOT"
else
  step "mmdebstrap $SUITE ($PKGS)"
  # Acquire::Retries: a download that fails on the way from the mirror is tried again, not the end of the build
  "${HEAVY[@]}" mmdebstrap --mode=root --variant=minbase --format=directory --include="$PKGS" \
    --aptopt='Acquire::Retries "3"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook='echo squashfs >> "$1/etc/initramfs-tools/modules"; echo COMPRESS=zstd > "$1/etc/initramfs-tools/conf.d/edgegw"; chroot "$1" update-initramfs -u -k all >/dev/null' \
    "$SUITE" "$ROOT" "$SOURCES" </dev/null >"$WORK/mmdebstrap.log" 2>&1 \
    || { tail -30 "$WORK/mmdebstrap.log" >&2; exit 1; }
  if [ -n "${EDGEGW_KEEP_ROOT:-}" ]; then rm -rf "$EDGEGW_KEEP_ROOT"; cp -a "$ROOT" "$EDGEGW_KEEP_ROOT"; fi
fi

step "configuring the root"
cp -a "$HERE/rootfs/." "$ROOT/"
install -d -m 0755 "$ROOT/opt/edgegw" "$ROOT/etc/edgegw" "$ROOT/efi" "$ROOT/var/lib/edgegw"
# State directories that units ask systemd to create: made here, since /var is part of the read-only root.
install -d -m 0755 "$ROOT/var/lib/systemd/linger" "$ROOT/var/lib/systemd/network"
install -d -m 0700 "$ROOT/var/lib/private"
cp -a "$WORK/jre" "$ROOT/opt/edgegw/jre"
install -m 0644 "$JAR" "$ROOT/opt/edgegw/edgegw-appliance.jar"
install -d "$ROOT/opt/edgegw/hw-profiles"
install -m 0644 "$REPO"/hw-profiles/*.yaml "$ROOT/opt/edgegw/hw-profiles/"
chroot "$ROOT" useradd --system --home-dir /var/lib/edgegw --no-create-home --shell /usr/sbin/nologin edgegw
# No password anywhere: root and every account locked; no SSH server is installed.
chroot "$ROOT" usermod -p '!*' root
echo edgegw > "$ROOT/etc/hostname"
: > "$ROOT/etc/machine-id"            # empty on a read-only root: systemd makes a transient one each boot
ESP_UUID=$(uuidgen) A_UUID=$(uuidgen) B_UUID=$(uuidgen) DATA_UUID=$(uuidgen)
cat > "$ROOT/etc/edgegw/partitions" <<EOF
# Written by image-build/build.sh; read by the updater (net.edgegw.appliance.update) to find the slots.
esp=$ESP_UUID
root-a=$A_UUID
root-b=$B_UUID
data=$DATA_UUID
EOF
cat > "$ROOT/etc/fstab" <<EOF
# Root: squashfs, read-only, mounted by the initramfs from root=PARTUUID=... on the kernel command line.
PARTUUID=$DATA_UUID /var/lib/edgegw ext4 defaults,nodev,nosuid,noexec,x-systemd.growfs,x-systemd.requires=edgegw-growdata.service 0 0
PARTUUID=$ESP_UUID  /efi vfat umask=0077,nodev,nosuid,noexec,noauto,x-systemd.automount,x-systemd.idle-timeout=60 0 0
tmpfs /tmp     tmpfs nodev,nosuid,mode=1777,size=64M 0 0
tmpfs /var/tmp tmpfs nodev,nosuid,mode=1777,size=32M 0 0
tmpfs /var/log tmpfs nodev,nosuid,noexec,mode=0755,size=16M 0 0
EOF
"$WORK/jre/bin/java" -version 2>&1 | head -1 > "$ROOT/opt/edgegw/jre.version"
echo "$VERSION" > "$ROOT/etc/edgegw/version"   # GET /api/v1/system shows it; each slot carries its own
# The public half of the update signing key: bundles are verified against it before anything is written.
KEYDIR=$HERE/keys
if [ -z "${EDGEGW_SIGNING_KEY:-}" ]; then
  EDGEGW_SIGNING_KEY=$KEYDIR/dev-signing-key.pem
  if [ ! -f "$EDGEGW_SIGNING_KEY" ]; then
    step "no EDGEGW_SIGNING_KEY: making a development key in $KEYDIR"
    mkdir -p "$KEYDIR"
    "$JAVA_HOME/bin/java" -cp "$JAR" net.edgegw.appliance.update.BundleCli keygen "$EDGEGW_SIGNING_KEY" "$KEYDIR/dev-signing-key.pub.pem"
  fi
fi
"$JAVA_HOME/bin/java" -cp "$JAR" net.edgegw.appliance.update.BundleCli pubkey "$EDGEGW_SIGNING_KEY" "$ROOT/etc/edgegw/update-key.pub.pem"
systemctl --root="$ROOT" enable systemd-networkd.service nftables.service edgegw-hwprofile.service \
  edgegw.service edgegw-bootcheck.service edgegw-trial.service edgegw-update.path edgegw-reboot.path \
  edgegw-growdata.service edgegw-watchdog.service serial-getty@ttyS0.service >/dev/null 2>&1
# Units that want to write where the root is read-only and that an appliance does not need.
systemctl --root="$ROOT" mask systemd-random-seed.service systemd-firstboot.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer >/dev/null 2>&1 || true
KVER=$(basename "$(ls -d "$ROOT"/lib/modules/* | sort -V | tail -1)")
cp "$ROOT/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$WORK/initrd.img"
dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${Package}\t${Version}\n' > "$WORK/packages.tsv"
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/log/* "$ROOT/boot"/initrd.img-* \
  "$ROOT"/etc/ssh "$ROOT"/tmp/* "$ROOT"/var/tmp/*

step "squashfs root"
"${HEAVY[@]}" mksquashfs "$ROOT" "$WORK/root.sqfs" -comp zstd -Xcompression-level 9 -noappend -quiet \
  -no-progress -processors 2
SQFS_MB=$(( ($(stat -c %s "$WORK/root.sqfs") + 1048575) / 1048576 ))
[ "$SQFS_MB" -le "$ROOT_MB" ] || { echo "build.sh: root ($SQFS_MB MiB) does not fit the ${ROOT_MB} MiB slot" >&2; exit 1; }

# --- ESP: systemd-boot (removable-media path, so no firmware boot entry is needed), slot A entry --------------
step "ESP"
CMDLINE="rootfstype=squashfs ro console=tty0 console=ttyS0,115200 fsck.mode=skip quiet loglevel=4 \
systemd.show_status=auto slab_nomerge init_on_alloc=1 page_alloc.shuffle=1 randomize_kstack_offset=on \
vsyscall=none debugfs=off"
mkdir -p "$WORK/esp/EFI/BOOT" "$WORK/esp/EFI/systemd" "$WORK/esp/loader/entries" "$WORK/esp/edgegw/a" "$WORK/esp/edgegw/b"
cp /usr/lib/systemd/boot/efi/systemd-bootx64.efi "$WORK/esp/EFI/BOOT/BOOTX64.EFI"
cp /usr/lib/systemd/boot/efi/systemd-bootx64.efi "$WORK/esp/EFI/systemd/systemd-bootx64.efi"
cp "$WORK/vmlinuz" "$WORK/initrd.img" "$WORK/esp/edgegw/a/"
printf 'default edgegw-a.conf\ntimeout 2\nconsole-mode keep\neditor no\n' > "$WORK/esp/loader/loader.conf"
cat > "$WORK/esp/loader/entries/edgegw-a.conf" <<EOF
title edgegw $VERSION (slot a)
version $VERSION
linux /edgegw/a/vmlinuz
initrd /edgegw/a/initrd.img
options root=PARTUUID=$A_UUID $CMDLINE edgegw.slot=a
EOF
truncate -s "${ESP_MB}M" "$WORK/esp.img"
mkfs.vfat -F 32 -n EDGEGW-ESP "$WORK/esp.img" >/dev/null
mcopy -s -i "$WORK/esp.img" "$WORK/esp/EFI" "$WORK/esp/loader" "$WORK/esp/edgegw" ::/

# --- data partition: ext4 with the gateway's state directory owned by its user --------------------------------
EGID=$(chroot "$ROOT" id -g edgegw) EUID_=$(chroot "$ROOT" id -u edgegw)
mkdir -p "$WORK/data"
chown "$EUID_:$EGID" "$WORK/data"; chmod 0700 "$WORK/data"
truncate -s "${DATA_MB}M" "$WORK/data.img"
mkfs.ext4 -q -L edgegw-data -U "$(uuidgen)" -d "$WORK/data" "$WORK/data.img"

# --- the disk ------------------------------------------------------------------------------------------------
step "GPT disk"
IMG=$OUT/edgegw-$VERSION.img
TOTAL_MB=$((1 + ESP_MB + ROOT_MB + ROOT_MB + DATA_MB + 1))
rm -f "$IMG"; truncate -s "${TOTAL_MB}M" "$IMG"
A0=$((1 + ESP_MB)) B0=$((1 + ESP_MB + ROOT_MB)) D0=$((1 + ESP_MB + 2 * ROOT_MB))
sgdisk --clear \
  -n 1:1M:+${ESP_MB}M -t 1:ef00 -c 1:esp -u 1:"$ESP_UUID" \
  -n 2:${A0}M:+${ROOT_MB}M -t 2:8304 -c 2:root-a -u 2:"$A_UUID" \
  -n 3:${B0}M:+${ROOT_MB}M -t 3:8304 -c 3:root-b -u 3:"$B_UUID" \
  -n 4:${D0}M:+${DATA_MB}M -t 4:8300 -c 4:edgegw-data -u 4:"$DATA_UUID" \
  "$IMG" >/dev/null
dd if="$WORK/esp.img" of="$IMG" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$WORK/root.sqfs" of="$IMG" bs=1M seek=$A0 conv=notrunc,sparse status=none
dd if="$WORK/data.img" of="$IMG" bs=1M seek=$D0 conv=notrunc,sparse status=none
sgdisk -v "$IMG" | grep -q 'No problems found' || { sgdisk -v "$IMG" >&2; exit 1; }

# --- SBOM, manifest, checksum, signed update bundle ----------------------------------------------------------
step "SBOM (CycloneDX)"
SBOM=$OUT/edgegw-$VERSION.sbom.json
(cd "$REPO" && JAVA_HOME=$JAVA_HOME "${HEAVY[@]}" mvn -q -B -ntp \
   org.cyclonedx:cyclonedx-maven-plugin:2.9.1:makeAggregateBom -DoutputFormat=json -DoutputName=edgegw-bom \
   -DincludeTestScope=false >"$WORK/sbom.log" 2>&1) \
  && cp "$REPO/target/edgegw-bom.json" "$SBOM" \
  || { echo "build.sh: CycloneDX SBOM failed (Maven Central unreachable?):" >&2; tail -5 "$WORK/sbom.log" >&2; exit 1; }

step "manifest, checksum, bundle"
MANIFEST=$OUT/edgegw-$VERSION.manifest.json
sha() { sha256sum "$1" | cut -d' ' -f1; }
{
  printf '{\n  "name": "edgegw",\n  "version": "%s",\n  "built": "%s",\n' "$VERSION" "$(date -u +%FT%TZ)"
  printf '  "git": "%s",\n  "debian_suite": "%s",\n  "kernel": "%s",\n' \
    "$(cd "$REPO" && git rev-parse HEAD 2>/dev/null)" "$SUITE" "$KVER"
  printf '  "java_runtime": "%s",\n  "jre_modules": "%s",\n' "$(cat "$ROOT/opt/edgegw/jre.version" | sed 's/"/\\"/g')" "$MODS"
  printf '  "partitions": {"esp": "%s", "root-a": "%s", "root-b": "%s", "data": "%s"},\n' \
    "$ESP_UUID" "$A_UUID" "$B_UUID" "$DATA_UUID"
  printf '  "sha256": {"root.sqfs": "%s", "vmlinuz": "%s", "initrd.img": "%s", "sbom": "%s"},\n' \
    "$(sha "$WORK/root.sqfs")" "$(sha "$WORK/vmlinuz")" "$(sha "$WORK/initrd.img")" "$(sha "$SBOM")"
  printf '  "sbom": "%s",\n  "debian_packages": {\n' "$(basename "$SBOM")"
  awk -F'\t' '{ printf "%s    \"%s\": \"%s\"", (NR > 1 ? ",\n" : ""), $1, $2 } END { print "" }' "$WORK/packages.tsv"
  printf '  }\n}\n'
} > "$MANIFEST"
(cd "$OUT" && sha256sum "$(basename "$IMG")" > "$(basename "$IMG").sha256")
"$JAVA_HOME/bin/java" -cp "$JAR" net.edgegw.appliance.update.BundleCli create "$EDGEGW_SIGNING_KEY" \
  "$OUT/edgegw-$VERSION.bundle" "$VERSION" "$WORK/root.sqfs" "$WORK/vmlinuz" "$WORK/initrd.img" "$MANIFEST"
ln -sfn "$(basename "$IMG")" "$OUT/edgegw-latest.img"

step "done: $IMG ($(du -h --apparent-size "$IMG" | cut -f1) sparse disk, $(du -h "$IMG" | cut -f1) used;" \
  "root $SQFS_MB MiB squashfs, kernel $KVER) in $(( $(date +%s) - T0 )) s"
