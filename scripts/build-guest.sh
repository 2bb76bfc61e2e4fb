#!/usr/bin/env bash
# Build the rvisor test/demo guest: a small riscv64 Linux 6.1 kernel Image,
# a busybox initramfs and an ext4 data disk, from Debian packages only
# (gcc-riscv64-linux-gnu, linux-source-6.1, busybox's Debian source package).
#
# Outputs are cached outside the work tree, in
#   ${RVISOR_CACHE:-$HOME/.cache/rvisor}/guest-<key>/
# where <key> hashes every input: this script, guest/*, and the exact Debian
# versions of the kernel source, busybox source, cross toolchain and e2fsprogs.
# A complete cache directory is reused as is. The directory holds:
#   Image               kernel (boot with e.g. console=ttyS0 or console=hvc0)
#   initramfs.cpio.gz   busybox root; /init prints "rvisor-guest: ready" and
#                       starts a shell (prompt "~ # ") on the console
#   disk.ext4           64 MiB ext4, label rvisor-test: /hello.txt,
#                       /data/seq.txt, /SHA256SUMS (check: sha256sum -c)
#   key, inputs.txt     the cache key and what it was computed from
#   kernel.config, busybox.config, System.map, build.log
# Sources and intermediate builds live in ${RVISOR_CACHE}/work (the kernel
# and busybox are also cached there on their own, so a change to guest/init
# alone repacks the initramfs in seconds; a change to this script rebuilds
# everything, about 8-15 minutes on 2 cores).
#
# Usage: scripts/build-guest.sh [--print-dir] [--force]
#   (no option)   build if needed; the last stdout line is the cache dir
#   --print-dir   print the cache dir for the current inputs, build nothing
#                 (the dir may not exist yet; exact once apt's package lists
#                 are current, as after a first build)
#   --force       rebuild everything even if cached
# Needs root (it installs Debian packages with apt-get and may add a deb-src
# entry for bookworm so that `apt-get source busybox` works).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C

SCRIPT_PATH=$(readlink -f "${BASH_SOURCE[0]}")
REPO_ROOT=$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)
GUEST_DIR=$REPO_ROOT/guest
CACHE_ROOT=${RVISOR_CACHE:-${HOME:-/root}/.cache/rvisor}
WORK_ROOT=$CACHE_ROOT/work
CROSS=riscv64-linux-gnu-
JOBS=$(nproc 2>/dev/null || echo 2)
# Fixed build identity and timestamps, so that rebuilds are as reproducible
# as the tools allow.
export KBUILD_BUILD_USER=rvisor KBUILD_BUILD_HOST=rvisor
export KBUILD_BUILD_TIMESTAMP="2024-01-01 00:00:00 UTC"
export SOURCE_DATE_EPOCH=1704067200

LINUX_PKG=linux-source-6.1
LINUX_TARBALL=/usr/src/linux-source-6.1.tar.xz
# Packages whose versions go into the cache keys.
TOOLCHAIN_PKGS=(gcc-riscv64-linux-gnu gcc-12-riscv64-linux-gnu
	binutils-riscv64-linux-gnu)
LIBC_PKGS=(libc6-dev-riscv64-cross linux-libc-dev-riscv64-cross)
# Everything the build needs on the host.
HOST_PKGS=(gcc-riscv64-linux-gnu "$LINUX_PKG" build-essential bc bison flex
	libssl-dev libelf-dev cpio e2fsprogs dpkg-dev xz-utils gzip util-linux
	coreutils findutils)

START=$SECONDS
log() { printf 'build-guest: [%4ds] %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { printf 'build-guest: error: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SCRIPT_PATH"
}

PRINT_DIR=0
FORCE=0
parse_args() {
	local arg
	for arg in "$@"; do
		case $arg in
		--print-dir) PRINT_DIR=1 ;;
		--force) FORCE=1 ;;
		-h | --help) usage; exit 0 ;;
		*) die "unknown argument '$arg' (try --help)" ;;
		esac
	done
}

# ---------------------------------------------------------------------------
# Package versions and cache keys
# ---------------------------------------------------------------------------

# Installed version of each package, else apt's candidate, else "none",
# looked up in one dpkg-query and one apt-cache call (each is slow-ish).
declare -A VER=()
lookup_versions() {
	local p st v rest=()
	VER=()
	while read -r p st v; do
		[[ $st == installed ]] && VER[$p]=$v
	done < <(dpkg-query -W -f='${Package} ${db:Status-Status} ${Version}\n' "$@" 2>/dev/null || true)
	for p in "$@"; do
		[[ -n ${VER[$p]:-} ]] || rest+=("$p")
	done
	if [[ ${#rest[@]} -gt 0 ]]; then
		while read -r p v; do
			[[ $v != "(none)" ]] && VER[$p]=$v
		done < <(apt-cache policy "${rest[@]}" 2>/dev/null | awk '
			/^[^ ].*:$/ { p = substr($0, 1, length($0) - 1) }
			/^  Candidate:/ { print p, $2 }')
	fi
	for p in "$@"; do
		[[ -n ${VER[$p]:-} ]] || VER[$p]=none
	done
}
pkg_version() { printf '%s\n' "${VER[$1]:-none}"; }

# Version of the busybox *source* package that Debian's busybox binary
# (installed or candidate) was built from: "Source: busybox (1:1.35.0-...)".
# Needs only the binary package index, so --print-dir works without deb-src.
busybox_src_version() {
	local bin src
	bin=$(pkg_version busybox)
	[[ $bin == none ]] && { printf 'none\n'; return; }
	src=$(apt-cache show "busybox=$bin" 2>/dev/null | awk '
		/^Source:/ { if (match($0, /\(.*\)/)) v = substr($0, RSTART + 1, RLENGTH - 2) }
		/^$/ { exit }
		END { print v }')
	printf '%s\n' "${src:-$bin}"
}

sha() { sha256sum <"$1" | cut -d' ' -f1; }
hash16() { sha256sum | cut -c1-16; }

BUSYBOX_SRC_VERSION=
LINUX_VERSION=
KEY=
KEY_INPUTS=
KERNEL_KEY=
BUSYBOX_KEY=
compute_keys() {
	local p f toolchain libc
	lookup_versions "$LINUX_PKG" "${TOOLCHAIN_PKGS[@]}" "${LIBC_PKGS[@]}" e2fsprogs busybox
	BUSYBOX_SRC_VERSION=$(busybox_src_version)
	LINUX_VERSION=$(pkg_version "$LINUX_PKG")
	toolchain=$(for p in "${TOOLCHAIN_PKGS[@]}"; do
		printf 'pkg %s %s\n' "$p" "$(pkg_version "$p")"; done)
	libc=$(for p in "${LIBC_PKGS[@]}"; do
		printf 'pkg %s %s\n' "$p" "$(pkg_version "$p")"; done)
	KEY_INPUTS=$(
		printf 'format 1\n'
		printf 'script %s\n' "$(sha "$SCRIPT_PATH")"
		if [[ -d $GUEST_DIR ]]; then
			while IFS= read -r -d '' f; do
				printf 'guest/%s %s\n' "${f#"$GUEST_DIR"/}" "$(sha "$f")"
			done < <(find "$GUEST_DIR" -type f -print0 | sort -z)
		fi
		printf 'pkg %s %s\n' "$LINUX_PKG" "$LINUX_VERSION"
		printf '%s\n%s\n' "$toolchain" "$libc"
		printf 'pkg e2fsprogs %s\n' "$(pkg_version e2fsprogs)"
		printf 'src busybox %s\n' "$BUSYBOX_SRC_VERSION"
	)
	KEY=$(printf '%s\n' "$KEY_INPUTS" | hash16)
	OUT_DIR=$CACHE_ROOT/guest-$KEY
	# Component keys: only what each component is built from, including the
	# text of the functions that build it (so unrelated edits of this script
	# do not rebuild the kernel).
	KERNEL_KEY=$(printf '%s\n' "kernel 1" \
		"$(declare -f run_logged check_config linux_source_dir build_kernel)" \
		"$(declare -p CROSS LINUX_TARBALL KBUILD_BUILD_USER KBUILD_BUILD_HOST \
			KBUILD_BUILD_TIMESTAMP)" \
		"$(sha "$GUEST_DIR/kernel.config" 2>/dev/null || true)" \
		"$LINUX_VERSION" "$toolchain" | hash16)
	BUSYBOX_KEY=$(printf '%s\n' "busybox 1" \
		"$(declare -f run_logged check_config ensure_deb_src busybox_source_dir \
			apply_busybox_config file_is_static_riscv64 build_busybox)" \
		"$(declare -p CROSS SOURCE_DATE_EPOCH)" \
		"$(sha "$GUEST_DIR/busybox.config" 2>/dev/null || true)" \
		"$BUSYBOX_SRC_VERSION" "$toolchain" "$libc" | hash16)
}

is_complete() {
	local f
	for f in Image initramfs.cpio.gz disk.ext4 key; do
		[[ -s $1/$f ]] || return 1
	done
	[[ $(head -n1 "$1/key") == "$KEY" ]]
}

# ---------------------------------------------------------------------------
# Host setup
# ---------------------------------------------------------------------------

APT_LOG=
apt_run() {
	if ! apt-get "$@" >"$APT_LOG" 2>&1; then
		tail -n 30 "$APT_LOG" >&2
		die "apt-get $* failed"
	fi
}

APT_UPDATED=0
apt_update() {
	if [[ $APT_UPDATED == 0 ]]; then
		log "apt-get update"
		apt_run update
		APT_UPDATED=1
	fi
}

ensure_host_packages() {
	local p missing=()
	for p in "${HOST_PKGS[@]}"; do
		if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
			missing+=("$p")
		fi
	done
	[[ ${#missing[@]} == 0 ]] && return
	apt_update
	log "apt-get install ${missing[*]}"
	apt_run install -y -q --no-install-recommends "${missing[@]}"
}

# True if apt has a source index that knows busybox at the wanted version.
busybox_source_known() {
	apt-cache showsrc --only-source busybox 2>/dev/null \
		| grep -qx "Version: $BUSYBOX_SRC_VERSION"
}

# Make `apt-get source busybox` possible: add deb-src entries mirroring the
# existing Debian deb entries if there are none, then refresh the indexes.
ensure_deb_src() {
	busybox_source_known && return
	local have_src=0 msg='# Added by rvisor scripts/build-guest.sh for apt-get source busybox.'
	if grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list; then
		have_src=1
	fi
	if grep -qsE '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources; then
		have_src=1
	fi
	if [[ $have_src == 0 ]]; then
		if [[ -s /etc/apt/sources.list.d/debian.sources ]]; then
			log "adding /etc/apt/sources.list.d/rvisor-deb-src.sources (from debian.sources)"
			{
				printf '%s\n\n' "$msg"
				# deb822: stanzas are separated by blank lines. Turn each stanza
				# that provides binary packages into a source stanza.
				awk 'BEGIN { RS = ""; ORS = "\n\n" }
					/(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ {
						gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src"); sub(/^\n/, ""); print
					}' /etc/apt/sources.list.d/debian.sources
			} >/etc/apt/sources.list.d/rvisor-deb-src.sources
		elif grep -qsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
			log "adding /etc/apt/sources.list.d/rvisor-deb-src.list (from sources.list)"
			{
				printf '%s\n' "$msg"
				sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' /etc/apt/sources.list
			} >/etc/apt/sources.list.d/rvisor-deb-src.list
		else
			die "no Debian apt sources found to derive a deb-src entry from"
		fi
	fi
	APT_UPDATED=0
	apt_update
	busybox_source_known \
		|| die "apt knows no source package busybox $BUSYBOX_SRC_VERSION (deb-src entries?)"
}

# ---------------------------------------------------------------------------
# Sources (unpacked once per version under $WORK_ROOT/src, reused)
# ---------------------------------------------------------------------------

# Unpacked kernel source tree of the installed linux-source-6.1 -> SRC_DIR.
# (Not run in $(...): a signal to this script must reach the running tool.)
SRC_DIR=
linux_source_dir() {
	local dir=$WORK_ROOT/src/linux-$LINUX_VERSION tmp
	if [[ ! -e $dir/.rvisor-complete ]]; then
		[[ -r $LINUX_TARBALL ]] || die "$LINUX_TARBALL missing"
		log "unpacking $LINUX_TARBALL ($LINUX_VERSION)"
		rm -rf "$dir"
		tmp=$(mktemp -d "$WORK_ROOT/src/.linux.XXXXXX")
		run_logged "unpack kernel source" tar -C "$tmp" -xf "$LINUX_TARBALL"
		mv -T "$tmp/linux-source-6.1" "$dir"
		rmdir "$tmp"
		touch "$dir/.rvisor-complete"
	fi
	SRC_DIR=$dir
}

# Unpacked (Debian-patched) busybox source tree -> SRC_DIR.
busybox_source_dir() {
	local dir=$WORK_ROOT/src/busybox-${BUSYBOX_SRC_VERSION//:/_} tmp
	if [[ ! -e $dir/.rvisor-complete ]]; then
		ensure_deb_src
		log "apt-get source busybox=$BUSYBOX_SRC_VERSION"
		rm -rf "$dir"
		tmp=$(mktemp -d "$WORK_ROOT/src/.busybox.XXXXXX")
		# apt checks the files against the signed index; dpkg-source then
		# only warns that it lacks the uploader's key (debian-keyring).
		run_logged "apt-get source" env -C "$tmp" \
			apt-get source -q --download-only "busybox=$BUSYBOX_SRC_VERSION"
		# shellcheck disable=SC2016 # expanded by the inner bash
		run_logged "dpkg-source" bash -c 'cd "$1" && dpkg-source -x ./*.dsc src' _ "$tmp"
		mv -T "$tmp/src" "$dir"
		rm -rf "$tmp"
		touch "$dir/.rvisor-complete"
	fi
	SRC_DIR=$dir
}

# ---------------------------------------------------------------------------
# Build steps
# ---------------------------------------------------------------------------

# Run a build command with output to the log; on failure show its tail.
# It runs in the background and is waited for, so that an INT/TERM to this
# script is handled at once (the cleanup then stops the command).
CHILD=
run_logged() {
	local what=$1 rc=0
	shift
	printf '\n===== %s: %s\n' "$what" "$*" >>"$BUILD_LOG"
	"$@" >>"$BUILD_LOG" 2>&1 </dev/null &
	CHILD=$!
	wait "$CHILD" || rc=$?
	CHILD=
	if [[ $rc != 0 ]]; then
		tail -n 40 "$BUILD_LOG" >&2
		die "$what failed (full log: $BUILD_LOG)"
	fi
}

# Check that every line of a Kconfig fragment holds in a .config.
check_config() {
	local frag=$1 cfg=$2 line sym bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			if ! grep -qxF -- "$line" "$cfg"; then
				log "config: wanted '$line', got '$(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$cfg" || echo unset)'"
				bad=1
			fi
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			if grep -qE "^$sym=" "$cfg"; then
				log "config: wanted $sym off, got '$(grep -E "^$sym=" "$cfg")'"
				bad=1
			fi
		fi
	done <"$frag"
	return "$bad"
}

# Kernel: Image, System.map, .config, and the initramfs packer, cached in
# $WORK_ROOT/kernel-<KERNEL_KEY>.
build_kernel() {
	local out=$1 src kb=$TMP_DIR/kernel
	if [[ $FORCE == 0 && -e $out/.rvisor-complete ]]; then
		log "kernel: cached ($out)"
		touch "$out" # for the pruning of unused ones
		return
	fi
	linux_source_dir
	src=$SRC_DIR
	local kmake=(make -C "$src" O="$kb" ARCH=riscv CROSS_COMPILE="$CROSS")
	log "kernel: configuring (allnoconfig + guest/kernel.config)"
	mkdir -p "$kb"
	run_logged "kernel config" env -C "$src" ARCH=riscv CROSS_COMPILE="$CROSS" \
		scripts/kconfig/merge_config.sh -n -O "$kb" "$GUEST_DIR/kernel.config"
	check_config "$GUEST_DIR/kernel.config" "$kb/.config" \
		|| die "kernel .config does not match guest/kernel.config (log: $BUILD_LOG)"
	log "kernel: make -j$JOBS Image (the long step)"
	run_logged "kernel build" "${kmake[@]}" -j"$JOBS" Image
	[[ -x $kb/usr/gen_init_cpio ]] || run_logged "gen_init_cpio" "${kmake[@]}" usr/gen_init_cpio
	local tmp
	tmp=$(mktemp -d "$WORK_ROOT/.kernel.XXXXXX")
	mkdir "$tmp/usr"
	cp "$kb/arch/riscv/boot/Image" "$kb/System.map" "$kb/.config" "$tmp/"
	cp "$kb/usr/gen_init_cpio" "$tmp/usr/"
	touch "$tmp/.rvisor-complete"
	rm -rf "$out"
	mv -T "$tmp" "$out"
	rm -rf "$kb"
}

# Apply a busybox override fragment (same syntax as a Kconfig fragment).
apply_busybox_config() {
	local frag=$1 cfg=$2 line sym
	while IFS= read -r line; do
		sym=
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=.*$ ]]; then
			sym=${BASH_REMATCH[1]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
		fi
		[[ -n $sym ]] || continue
		sed -i -E "/^(# )?$sym([= ]|\$)/d" "$cfg"
		printf '%s\n' "$line" >>"$cfg"
	done <"$frag"
}

file_is_static_riscv64() {
	# ELF64 (class 2), little endian, EM_RISCV (0xf3), and no PT_INTERP.
	local hdr
	hdr=$(od -An -tx1 -N20 "$1" | tr -d ' \n')
	[[ ${hdr:0:8} == 7f454c46 && ${hdr:8:2} == 02 && ${hdr:36:4} == f300 ]] || return 1
	! "${CROSS}readelf" -l "$1" 2>/dev/null | grep -q 'INTERP'
}

# Busybox: the static binary and its .config, cached in
# $WORK_ROOT/busybox-<BUSYBOX_KEY>.
build_busybox() {
	local out=$1 src bb=$TMP_DIR/busybox
	if [[ $FORCE == 0 && -e $out/.rvisor-complete ]]; then
		log "busybox: cached ($out)"
		touch "$out" # for the pruning of unused ones
		return
	fi
	busybox_source_dir
	src=$SRC_DIR
	local bmake=(make -C "$bb" CROSS_COMPILE="$CROSS")
	log "busybox: configuring (defconfig + guest/busybox.config, static)"
	cp -a "$src" "$bb"
	run_logged "busybox defconfig" "${bmake[@]}" defconfig
	apply_busybox_config "$GUEST_DIR/busybox.config" "$bb/.config"
	# Answer any question oldconfig asks with the default.
	run_logged "busybox oldconfig" bash -c 'yes "" | "$@"' _ "${bmake[@]}" oldconfig
	check_config "$GUEST_DIR/busybox.config" "$bb/.config" \
		|| die "busybox .config does not match guest/busybox.config (log: $BUILD_LOG)"
	log "busybox: make -j$JOBS"
	run_logged "busybox build" "${bmake[@]}" -j"$JOBS" busybox busybox.links
	file_is_static_riscv64 "$bb/busybox" || die "busybox is not a static riscv64 binary"
	local tmp
	tmp=$(mktemp -d "$WORK_ROOT/.busybox.XXXXXX")
	cp "$bb/busybox" "$bb/busybox.links" "$bb/.config" "$tmp/"
	touch "$tmp/.rvisor-complete"
	rm -rf "$out"
	mv -T "$tmp" "$out"
	rm -rf "$bb"
}

make_rootfs() {
	local root=$1 bbdir=$2 d link rel
	log "initramfs: root tree"
	for d in bin sbin usr/bin usr/sbin proc sys tmp run root etc mnt var/log \
		usr/share/udhcpc; do
		mkdir -p "$root/$d"
	done
	chmod 1777 "$root/tmp"
	chmod 700 "$root/root"
	install -m 755 "$bbdir/busybox" "$root/bin/busybox"
	# busybox.links lists applet paths (/bin/ls, /usr/sbin/...); relative
	# symlinks to /bin/busybox, as `make install` would create.
	while IFS= read -r link; do
		[[ $link == /bin/busybox || -z $link ]] && continue
		[[ $link == /* && $link != *..* ]] || die "bad busybox applet path '$link'"
		rel=${link#/}      # usr/bin/foo
		rel=${rel//[!\/]/} # one "/" per directory level
		rel=${rel//\//../}bin/busybox
		[[ -d $root${link%/*} ]] || mkdir -p "$root${link%/*}"
		ln -sfn "$rel" "$root$link"
	done <"$bbdir/busybox.links"
	install -m 755 "$GUEST_DIR/init" "$root/init"
	install -m 755 "$GUEST_DIR/udhcpc.script" "$root/usr/share/udhcpc/default.script"
	printf 'rvisor-guest\n' >"$root/etc/hostname"
	# busybox's own passwd parser wants a non-empty password field.
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\trvisor-guest\n' >"$root/etc/hosts"
	: >"$root/etc/resolv.conf"
	# Login shells (sh -l) get the same prompt as the console shell.
	printf "export PS1='~ # '\n" >"$root/etc/profile"
	find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

make_initramfs() {
	local root=$1 kdir=$2 out=$3 list=$TMP_DIR/initramfs.list
	log "initramfs: packing"
	{
		# /dev holds only the console the kernel opens for init, before
		# /init mounts devtmpfs over it.
		printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\n'
		# Everything else from the tree, owned by root (gen_init_cpio syntax).
		find "$root" -mindepth 1 \( -type d -printf 'dir /%P %m 0 0\n' \) \
			-o \( -type f -printf 'file /%P %p %m 0 0\n' \) \
			-o \( -type l -printf 'slink /%P %l %m 0 0\n' \)
	} >"$list"
	if find "$root" -name '*[[:space:]]*' | grep -q .; then
		die "initramfs: white space in a path under $root"
	fi
	"$kdir/usr/gen_init_cpio" -t "$SOURCE_DATE_EPOCH" "$list" \
		>"$TMP_DIR/initramfs.cpio" 2>>"$BUILD_LOG" || die "gen_init_cpio failed"
	gzip -9 -n -c "$TMP_DIR/initramfs.cpio" >"$out"
}

make_disk() {
	local out=$1 dir=$TMP_DIR/disk
	log "disk: ext4 image"
	mkdir -p "$dir/data"
	printf 'hello from the rvisor test disk\n' >"$dir/hello.txt"
	seq 1 200000 >"$dir/data/seq.txt"
	(cd "$dir" && sha256sum hello.txt data/seq.txt >SHA256SUMS)
	find "$dir" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	# Fixed UUID, hash seed and time: same inputs, same filesystem.
	run_logged "mke2fs" env E2FSPROGS_FAKE_TIME="$SOURCE_DATE_EPOCH" \
		mke2fs -q -F -t ext4 -b 4096 -I 256 -L rvisor-test \
		-U 6e7c1f2a-52a3-4c55-9a51-7276697330aa \
		-E root_owner=0:0,hash_seed=6e7c1f2a-52a3-4c55-9a51-7276697330aa \
		-d "$dir" "$out" 64M
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

# EXIT trap of a build: stop the running tool, keep a failed build's log,
# remove the temp dirs.
# shellcheck disable=SC2317 # only called from the trap
cleanup() {
	local rc=$?
	if [[ -n $CHILD ]]; then
		kill -TERM "$CHILD" 2>/dev/null || true
		wait "$CHILD" 2>/dev/null || true
	fi
	# Keep the log of a failed build where it survives the cleanup.
	if [[ $rc != 0 && -s $BUILD_LOG ]]; then
		cp -f "$BUILD_LOG" "$WORK_ROOT/last-failed-build.log" 2>/dev/null || true
		printf 'build-guest: build log kept in %s\n' "$WORK_ROOT/last-failed-build.log" >&2
	fi
	rm -rf "$TMP_DIR" "$STAGE"
}

# The whole script is functions, run from the last line: bash reads a script
# while running it, so this keeps a build going if the file is edited (or
# checked out anew) meanwhile.
main() {
	parse_args "$@"
	compute_keys
	if [[ $PRINT_DIR == 1 ]]; then
		printf '%s\n' "$OUT_DIR"
		exit 0
	fi
	if [[ $FORCE == 0 ]] && is_complete "$OUT_DIR"; then
		publish_current
		printf '%s\n' "$OUT_DIR"
		exit 0
	fi

	[[ $(id -u) == 0 ]] || die "must run as root (installs Debian packages, may add deb-src)"
	[[ -d $GUEST_DIR ]] || die "$GUEST_DIR missing"
	mkdir -p "$CACHE_ROOT" "$WORK_ROOT/src"

	# One build at a time per cache; a second caller waits, then finds it done.
	exec 9>"$CACHE_ROOT/.lock"
	if ! flock -n 9; then
		log "another build holds $CACHE_ROOT/.lock; waiting"
		flock 9
	fi
	# Holding the lock, any leftover temp dirs are from killed builds.
	rm -rf "$WORK_ROOT"/build-* "$WORK_ROOT"/.kernel.* "$WORK_ROOT"/.busybox.* \
		"$WORK_ROOT"/src/.linux.* "$WORK_ROOT"/src/.busybox.* "$CACHE_ROOT"/.guest-*
	# Kernel and busybox builds not used for a month.
	find "$WORK_ROOT" -mindepth 1 -maxdepth 1 \( -name 'kernel-*' -o -name 'busybox-*' \) \
		-mtime +30 -exec rm -rf {} +

	APT_LOG=$WORK_ROOT/apt.log
	ensure_host_packages
	compute_keys # versions may have moved if packages were just installed
	if [[ $FORCE == 0 ]] && is_complete "$OUT_DIR"; then
		publish_current
		printf '%s\n' "$OUT_DIR"
		exit 0
	fi

	log "building guest $KEY into $OUT_DIR"
	TMP_DIR=$(mktemp -d "$WORK_ROOT/build-$KEY.XXXXXX")
	STAGE=$(mktemp -d "$CACHE_ROOT/.guest-$KEY.XXXXXX")
	BUILD_LOG=$STAGE/build.log
	: >"$BUILD_LOG"
	trap cleanup EXIT
	trap 'exit 130' INT TERM

	# Unpacked sources of other versions are 1.5 GB of dead weight.
	for d in "$WORK_ROOT"/src/linux-*; do
		[[ -e $d && $d != "$WORK_ROOT/src/linux-$LINUX_VERSION" ]] && rm -rf "$d"
	done

	KERNEL_DIR=$WORK_ROOT/kernel-$KERNEL_KEY
	BUSYBOX_DIR=$WORK_ROOT/busybox-$BUSYBOX_KEY
	build_kernel "$KERNEL_DIR"
	build_busybox "$BUSYBOX_DIR"
	make_rootfs "$TMP_DIR/rootfs" "$BUSYBOX_DIR"
	make_initramfs "$TMP_DIR/rootfs" "$KERNEL_DIR" "$STAGE/initramfs.cpio.gz"
	make_disk "$STAGE/disk.ext4"

	cp "$KERNEL_DIR/Image" "$KERNEL_DIR/System.map" "$STAGE/"
	cp "$KERNEL_DIR/.config" "$STAGE/kernel.config"
	cp "$BUSYBOX_DIR/.config" "$STAGE/busybox.config"
	printf '%s\n' "$KEY_INPUTS" >"$STAGE/inputs.txt"
	printf '%s\n' "$KEY" >"$STAGE/key" # written last
	chmod 755 "$STAGE"

	# Publish atomically: rename the finished stage into place.
	if [[ -e $OUT_DIR ]]; then
		rm -rf "$OUT_DIR.old"
		mv -T "$OUT_DIR" "$OUT_DIR.old"
	fi
	mv -T "$STAGE" "$OUT_DIR"
	rm -rf "$OUT_DIR.old"
	publish_current
	log "done: Image $(stat -c %s "$OUT_DIR/Image") bytes"
	printf '%s\n' "$OUT_DIR"
}

# guest-current -> the newest guest: what `rvisor run` boots when given no
# kernel. Replaced atomically (rename over the old link).
publish_current() {
	ln -sfn "$(basename "$OUT_DIR")" "$CACHE_ROOT/.guest-current.$$"
	mv -Tf "$CACHE_ROOT/.guest-current.$$" "$CACHE_ROOT/guest-current"
}

main "$@"; exit $?
