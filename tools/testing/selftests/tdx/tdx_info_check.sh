#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host check of fwactctl tdx-info against TDX module images built by
# tdx_mkimage with chosen values, as TAP. Good images of both formats must
# be described with exactly the values they were built with, SEAMHASH must
# match the module (computed here with sha384sum, not taken from either
# tool) and the signature must verify with the test key, named by the hash
# tdx_mkimage --print-key-hash prints. Damaged images must fail with the
# fault named and the documented exit status: a flipped module byte is a
# SEAMHASH mismatch (EBADMSG, 74), a flipped signed sigstruct byte a
# signature that does not verify (EKEYREJECTED, 129), a truncated image or
# a wrong header signature a parse error (EINVAL, 22). --json must be valid
# JSON with the same values.
#
# Run by "make check" of tools/testing/selftests/tdx/, or by hand:
#
#   TDX_MKIMAGE=path/to/tdx_mkimage TDX_KEY=keys/tdx-test-key.pem \
#   FWACTCTL=path/to/fwactctl sh THIS_SCRIPT
#
# (TDX_KEY defaults to keys/tdx-test-key.pem next to the script.)
#
# A fwactctl built without libcrypto only prints "not checked" for the
# hash and signature; the checks that need them are then skipped, and the
# output and exit status of such a build are checked instead.
set -u

TDX_KEY=${TDX_KEY:-$(dirname "$0")/keys/tdx-test-key.pem}
nr=0
failed=0

echo "TAP version 13"
for v in TDX_MKIMAGE FWACTCTL; do
	eval "val=\${$v:-}"
	if [ -z "$val" ]; then
		echo "Bail out! $v is not set"
		exit 1
	fi
done
if [ ! -r "$TDX_KEY" ]; then
	echo "Bail out! no key $TDX_KEY"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok()
{
	nr=$((nr + 1))
	echo "ok $nr $1"
}

skip()
{
	nr=$((nr + 1))
	echo "ok $nr $1 # SKIP $2"
}

not_ok()
{
	nr=$((nr + 1))
	failed=$((failed + 1))
	echo "not ok $nr $1"
	[ -s "$tmp/out" ] && sed 's/^/#   out: /' "$tmp/out"
	[ -s "$tmp/err" ] && sed 's/^/#   err: /' "$tmp/err"
}

check()
{
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		# An exact comparison that failed shows its difference.
		[ -s "$tmp/want" ] &&
			diff "$tmp/want" "$tmp/out" | sed 's/^/#   /'
	fi
	rm -f "$tmp/want"
}

# has_lines FILE LINE...: every LINE is a whole line of FILE.
has_lines()
{
	file=$1
	shift
	[ -f "$file" ] || return 1
	for l in "$@"; do
		if ! grep -qxF -- "$l" "$file"; then
			echo "# missing: $l"
			return 1
		fi
	done
}

# mk NAME ARGS...: build $tmp/NAME.img with the test key.
mk()
{
	name=$1
	shift
	if ! "$TDX_MKIMAGE" --key "$TDX_KEY" "$@" -o "$tmp/$name.img" \
	     2>"$tmp/mk.err"; then
		echo "# tdx_mkimage $*: failed"
		sed 's/^/#   /' "$tmp/mk.err"
		return 1
	fi
}

# info EXPECTED_EXIT ARGS...: run fwactctl tdx-info, keep stdout/stderr.
info()
{
	want=$1
	shift
	"$FWACTCTL" tdx-info "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" != "$want" ]; then
		echo "# fwactctl tdx-info $*: exit $status, expected $want"
		return 1
	fi
}

# SHA-384 of the module: the last PAGES pages of the image, in both formats.
module_sha()
{
	tail -c $(($2 * 4096)) "$1" | sha384sum | cut -d ' ' -f 1
}

# Flatten a JSON array of objects to "INDEX.KEY=VALUE" lines, each VALUE
# in JSON, so that the shell can compare members with has_line.
json_flat()
{
	rm -f "$2"
	python3 -m json.tool "$1" >/dev/null &&
	python3 -c '
import json, sys
for i, obj in enumerate(json.load(open(sys.argv[1]))):
    for key, val in obj.items():
        print("%d.%s=%s" % (i, key, json.dumps(val)))
' "$1" >"$2"
}

# The key the images are signed with, by the hash of its stored modulus.
key_sha=$("$TDX_MKIMAGE" --key "$TDX_KEY" --print-key-hash 2>"$tmp/err")
case $key_sha in
*[!0-9a-f]* | "")
	echo "Bail out! tdx_mkimage --print-key-hash printed '$key_sha'"
	exit 1
	;;
esac
[ ${#key_sha} = 96 ]
check "tdx_mkimage --print-key-hash prints a SHA-384" [ $? = 0 ]
if command -v openssl >/dev/null && command -v python3 >/dev/null; then
	modulus=$(openssl rsa -in "$TDX_KEY" -noout -modulus 2>/dev/null |
		  sed -n 's/^Modulus=//p')
	own=$(python3 -c '
import hashlib, sys
n = bytes.fromhex(sys.argv[1]).rjust(384, b"\0")
print(hashlib.sha384(n[::-1]).hexdigest())
' "$modulus" 2>/dev/null)
	[ -n "$modulus" ] && [ "$own" = "$key_sha" ]
	check "the key hash is SHA-384 of the little-endian modulus" [ $? = 0 ]
else
	skip "the key hash is SHA-384 of the little-endian modulus" \
	     "openssl or python3 not found"
fi
key_line="  signature: valid, key sha384 $key_sha (not Intel's production key)"
bad_key_line="  signature: INVALID, key sha384 $key_sha (not Intel's production key)"

# Good images of both formats, every field away from its default.
mk v2 --format v2 --module-pages 3 --module-seed 7 --svn 2.5 \
	--module-hv 3 --min-update-hv 1 --no-downgrade \
	--cpuid 0x000806f0,0x000c06f2 --date 0x20250314 --attributes 0x0 \
	--handoff-pages 2
check "tdx_mkimage builds a v2 image" [ $? = 0 ]
mk v1 --format v1 --module-pages 2 --module-seed 9 --v1-pad 1 --svn 0.7 \
	--module-hv 5 --min-update-hv 4 --cpuid 0x000a06d1 \
	--date 0x20240229 --attributes 0x80000001 --handoff-pages 1
check "tdx_mkimage builds a v1 image" [ $? = 0 ]
mk debug --format v2 --module-pages 1 --debug --cpuid none
check "tdx_mkimage builds a debug image" [ $? = 0 ]
v2_sha=$(module_sha "$tmp/v2.img" 3)
v1_sha=$(module_sha "$tmp/v1.img" 2)

# Does this fwactctl check hashes and signatures?
crypto=1
"$FWACTCTL" tdx-info "$tmp/v2.img" 2>/dev/null |
	grep -q 'not checked (built without libcrypto)' && crypto=0
[ $crypto = 1 ] || echo "# fwactctl is built without libcrypto"
if [ $crypto = 1 ]; then
	hash_line() { echo "  seamhash: matches the module (sha384 $1)"; }
	sig_line=$key_line
else
	hash_line() { echo "  seamhash: not checked (built without libcrypto)"; }
	sig_line="  signature: not checked (built without libcrypto)"
fi

# The sigstruct line: DATE production|debug SVN ATTRIBUTES.
sig_fields()
{
	printf '  sigstruct: vendor 0x8086, date %s, %s, ' "$1" "$2"
	printf 'SVN %s (major.minor), attributes %s\n' "$3" "$4"
}

# What fwactctl says on standard error about $tmp/NAME.img.
err_of()
{
	echo "fwactctl: tdx-info: $tmp/$1.img: $2"
}

{
	echo "$tmp/v2.img: TDX module image, format 0x200, 3 module pages (12288 bytes)"
	sig_fields 2025-03-14 production 2.5 0x0
	echo "  handoff: module_hv 3, min_update_hv 1, no_downgrade 1, handoff pages 2"
	cpu1="0x000806f0 (family 6 model 143 stepping 0)"
	cpu2="0x000c06f2 (family 6 model 207 stepping 2)"
	echo "  cpuid: $cpu1, $cpu2"
	hash_line "$v2_sha"
	echo "$sig_line"
} >"$tmp/want"
info 0 "$tmp/v2.img" && cmp -s "$tmp/want" "$tmp/out" && [ ! -s "$tmp/err" ]
check "v2 image: every value as built, hash matches, signature valid" [ $? = 0 ]

{
	echo "$tmp/v1.img: TDX module image, format 0x100, 2 module pages (8192 bytes)"
	sig_fields 2024-02-29 production 0.7 0x80000001
	echo "  handoff: module_hv 5, min_update_hv 4, no_downgrade 0, handoff pages 1"
	echo "  cpuid: 0x000a06d1 (family 6 model 173 stepping 1)"
	hash_line "$v1_sha"
	echo "$sig_line"
} >"$tmp/want"
info 0 "$tmp/v1.img" && cmp -s "$tmp/want" "$tmp/out" && [ ! -s "$tmp/err" ]
check "v1 image: every value as built, hash matches, signature valid" [ $? = 0 ]

info 0 "$tmp/debug.img" &&
	has_lines "$tmp/out" "$(sig_fields 2026-12-01 debug 1.0 0x0)" \
		  "  cpuid: none" \
		  "$(hash_line "$(module_sha "$tmp/debug.img" 1)")" "$sig_line"
check "debug image without CPUID table" [ $? = 0 ]

# The same sigstruct and module wrapped in the other format.
if "$TDX_MKIMAGE" --key "$TDX_KEY" --format v2 --module-pages 3 \
	--module-seed 7 --svn 2.5 --module-hv 3 --min-update-hv 1 \
	--no-downgrade --cpuid 0x000806f0,0x000c06f2 --date 0x20250314 \
	--handoff-pages 2 --write-sigstruct "$tmp/sig.bin" \
	--write-module "$tmp/mod.bin" -o "$tmp/unused.img" 2>"$tmp/err" &&
   "$TDX_MKIMAGE" --format v1 --sigstruct "$tmp/sig.bin" \
	--module "$tmp/mod.bin" -o "$tmp/wrapped.img" 2>"$tmp/err"; then
	"$FWACTCTL" tdx-info "$tmp/v2.img" | tail -n +2 >"$tmp/v2.txt"
	head="TDX module image, format 0x100, 3 module pages (12288 bytes)"
	info 0 "$tmp/wrapped.img" &&
		has_lines "$tmp/out" "$tmp/wrapped.img: $head" \
			  "$(hash_line "$v2_sha")" "$sig_line" &&
		[ "$(tail -n +2 "$tmp/out")" = "$(cat "$tmp/v2.txt")" ]
	check "v2 sigstruct and module rewrapped as v1 describe the same" [ $? = 0 ]
else
	not_ok "v2 sigstruct and module rewrapped as v1 describe the same"
fi

# A flipped module byte: SEAMHASH no longer matches, the signature still
# verifies (it covers the sigstruct, not the module).
mk v2_mod --format v2 --module-pages 3 --module-seed 7 --svn 2.5 \
	--module-hv 3 --min-update-hv 1 --no-downgrade \
	--cpuid 0x000806f0,0x000c06f2 --date 0x20250314 --handoff-pages 2 \
	--flip $((8192 + 100))
v1_size=$(wc -c <"$tmp/v1.img")
mk v1_mod --format v1 --module-pages 2 --module-seed 9 --v1-pad 1 \
	--svn 0.7 --module-hv 5 --min-update-hv 4 --cpuid 0x000a06d1 \
	--date 0x20240229 --attributes 0x80000001 --handoff-pages 1 \
	--flip $((v1_size - 1))
# A flipped byte the signature covers (an unreserved field of the
# sigstruct body, so that it still parses), of the signature itself and
# of the modulus.
mk body --flip $((4096 + 960))
mk sig --flip $((4096 + 516 + 10))
mk modulus --flip $((4096 + 128 + 5))
mismatch="  seamhash: DOES NOT MATCH (module sha384"
bad_hash="SEAMHASH does not match the module: Bad message (EBADMSG)"
bad_sig="signature does not verify: Key was rejected by service (EKEYREJECTED)"
if [ $crypto = 1 ]; then
	info 74 "$tmp/v2_mod.img" &&
		has_lines "$tmp/out" "$key_line" \
			  "$mismatch $(module_sha "$tmp/v2_mod.img" 3), sigstruct $v2_sha)" &&
		has_lines "$tmp/err" "$(err_of v2_mod "$bad_hash")"
	check "v2 flipped module byte: hash mismatch, EBADMSG" [ $? = 0 ]
	info 74 "$tmp/v1_mod.img" &&
		has_lines "$tmp/out" "$key_line" \
			  "$mismatch $(module_sha "$tmp/v1_mod.img" 2), sigstruct $v1_sha)" &&
		has_lines "$tmp/err" "$(err_of v1_mod "$bad_hash")"
	check "v1 flipped module byte: hash mismatch, EBADMSG" [ $? = 0 ]
	for f in body sig; do
		info 129 "$tmp/$f.img" &&
			has_lines "$tmp/out" "$bad_key_line" \
				  "$(hash_line "$(module_sha "$tmp/$f.img" 4)")" &&
			has_lines "$tmp/err" "$(err_of $f "$bad_sig")"
		check "flipped $f byte: signature invalid, EKEYREJECTED" [ $? = 0 ]
	done
	info 129 "$tmp/modulus.img" &&
		grep -q '^  signature: INVALID, key sha384 [0-9a-f]\{96\} (not Intel' "$tmp/out" &&
		! grep -qF "$key_sha" "$tmp/out" &&
		has_lines "$tmp/err" "$(err_of modulus "$bad_sig")"
	check "flipped modulus byte: another key, signature invalid" [ $? = 0 ]
	info 74 "$tmp/v2.img" "$tmp/v2_mod.img" "$tmp/body.img" "$tmp/v1.img" &&
		[ "$(grep -c ': TDX module image, ' "$tmp/out")" = 4 ] &&
		[ "$(grep -c '^fwactctl: ' "$tmp/err")" = 2 ]
	check "bad files do not stop the others; the first failure's status" [ $? = 0 ]
else
	for t in "v2 flipped module byte" "v1 flipped module byte" \
		 "flipped body byte" "flipped sig byte" \
		 "flipped modulus byte" "bad files do not stop the others"; do
		skip "$t" "fwactctl built without libcrypto"
	done
	info 0 "$tmp/v2_mod.img" "$tmp/body.img" &&
		[ "$(grep -c 'not checked (built without libcrypto)' "$tmp/out")" = 4 ]
	check "without libcrypto: damaged signed bytes are not checked, exit 0" [ $? = 0 ]
fi

# Parse errors name the fault and its offset, and print nothing else.
mk short --truncate 4000
mk trunc_v2 --truncate 10000
mk trunc_v1 --format v1 --truncate 10000
mk badsig_v2 --set 4=88
mk badsig_v1 --format v1 --set 8=88
mk cksum_v1 --format v1 --bad-checksum
for t in "short:0xfa0: shorter than its 4 KiB header" \
	 "trunc_v2:0x2710: length is not the one its header gives" \
	 "trunc_v1:0x10: length is not the one its header gives" \
	 "badsig_v2:0x4: header signature is not TDX-BLOB" \
	 "badsig_v1:0x8: header signature is not TDX-BLOB" \
	 "cksum_v1:0x2: 16-bit checksum is not zero"; do
	f=${t%%:*}
	rest=${t#*:}
	off=${rest%%:*}
	fault=${rest#*: }
	info 22 "$tmp/$f.img" && [ ! -s "$tmp/out" ] &&
		has_lines "$tmp/err" \
			  "$(err_of "$f" "offset $off: $fault: Invalid argument (EINVAL)")"
	check "$f: parse error '$fault' at $off, EINVAL" [ $? = 0 ]
done
info 2 "$tmp/nosuch.img" &&
	has_lines "$tmp/err" \
		  "$(err_of nosuch "No such file or directory (ENOENT)")"
check "missing file is ENOENT" [ $? = 0 ]

# JSON: one valid array, the same values, typed.
if command -v python3 >/dev/null; then
	# The first failure is the mismatch, or without libcrypto the parse
	# error.
	want=22
	[ $crypto = 1 ] && want=74
	info $want --json "$tmp/v2.img" "$tmp/v1.img" "$tmp/v2_mod.img" \
		"$tmp/trunc_v2.img"
	status=$?
	json_flat "$tmp/out" "$tmp/flat" && [ $status = 0 ]
	check "--json is valid JSON, one object per file, exit $want" [ $? = 0 ]
	has_lines "$tmp/flat" '0.format="0x200"' '0.module_pages=3' '0.module_bytes=12288' \
		 '0.module_offset=8192' '0.size=20480' '0.vendor="0x8086"' \
		 '0.date="2025-03-14"' '0.debug=false' '0.svn="2.5"' \
		 '0.svn_major=2' '0.svn_minor=5' '0.attributes="0x0"' \
		 '0.module_hv=3' '0.min_update_hv=1' '0.no_downgrade=true' \
		 '0.handoff_pages=2' '0.cpuids=["0x000806f0", "0x000c06f2"]' \
		 "0.seamhash=\"$v2_sha\"" '0.error=""' \
		 '1.format="0x100"' '1.module_pages=2' '1.module_offset=12288' \
		 '1.svn="0.7"' '1.attributes="0x80000001"' '1.module_hv=5' \
		 '1.min_update_hv=4' '1.no_downgrade=false' '1.handoff_pages=1' \
		 '1.date="2024-02-29"' '1.cpuids=["0x000a06d1"]' \
		 "1.seamhash=\"$v1_sha\"" '1.error=""' \
		 "3.file=\"$tmp/trunc_v2.img\"" \
		 '3.error="offset 0x2710: length is not the one its header gives"'
	check "--json has the values the images were built with" [ $? = 0 ]
	if [ $crypto = 1 ]; then
		has_lines "$tmp/flat" '0.seamhash_check="match"' "0.module_sha384=\"$v2_sha\"" \
			 '0.signature="valid"' "0.key_sha384=\"$key_sha\"" \
			 '0.intel_production_key=false' \
			 '1.seamhash_check="match"' '1.signature="valid"' \
			 '2.seamhash_check="mismatch"' \
			 "2.module_sha384=\"$(module_sha "$tmp/v2_mod.img" 3)\"" \
			 '2.signature="valid"' \
			 '2.error="SEAMHASH does not match the module"'
		check "--json hash and signature results" [ $? = 0 ]
	else
		has_lines "$tmp/flat" '0.seamhash_check="not checked"' \
			  '0.signature="not checked"' &&
			! grep -q '^0.key_sha384=' "$tmp/flat"
		check "--json without libcrypto: not checked" [ $? = 0 ]
	fi
else
	skip "--json is valid JSON" "python3 not found"
fi

echo "1..$nr"
[ "$failed" = 0 ] || echo "# $failed of $nr failed"
[ "$failed" = 0 ]
