#!/bin/bash
# First boot on a disk larger than the image: grows the data partition (the last one, GPT label edgegw-data) to
# the end of the disk, before it is mounted; fstab's x-systemd.growfs then grows its ext4 when it is mounted.
# Moves the backup GPT to the disk's end first (sfdisk --relocate). Does nothing when there is < 16 MiB to gain.
set -eu
part=$(readlink -f /dev/disk/by-partlabel/edgegw-data)
name=${part##*/}
disk=/dev/$(lsblk -no pkname "$part" | head -1)
nr=$(cat "/sys/class/block/$name/partition")
start=$(cat "/sys/class/block/$name/start")
size=$(cat "/sys/class/block/$name/size")
total=$(cat "/sys/class/block/${disk##*/}/size")
free=$((total - start - size - 34))   # 512-byte sectors; 33 for the backup GPT + header
if [ "$free" -lt $((16 * 2048)) ]; then
  echo "edgegw-growdata: $part already fills $disk"
  exit 0
fi
sfdisk --no-reread --no-tell-kernel --relocate gpt-bak-std "$disk" >/dev/null 2>&1 || true
echo ", +" | sfdisk --no-reread --no-tell-kernel -q -N "$nr" "$disk" >/dev/null
partx -u --nr "$nr" "$disk"
echo "edgegw-growdata: $part grown from $((size / 2048)) MiB to $(($(cat "/sys/class/block/$name/size") / 2048)) MiB"
# The resize is a change uevent on the partition: let udev finish re-reading it before the mount (which waits for
# this unit, fstab x-systemd.requires=) looks for its by-partuuid device.
udevadm settle --timeout=30 || true
