#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host check of tdx_mkimage against the openssl command line, so that the
# images the TDX tests use are proven by something other than the tool
# (or the parser) itself. The good images are built and taken apart with
# dd and od at the offsets the formats define (written out again below),
# and:
#  - the sigstruct's signature (RSA-3072 PKCS#1 v1.5 with SHA-384 over
#    sigstruct bytes [0, 128) and [900, 2048), stored little-endian)
#    verifies with openssl dgst and the test key, and with openssl pkeyutl
#    and a public key built from the modulus the sigstruct stores;
#  - SEAMHASH is openssl dgst -sha384 of module.bin;
#  - the v1 and v2 images carry the same sigstruct and module bytes;
#  - flipping a signed byte or a signature byte makes openssl refuse it.
#
#   TDX_MKIMAGE=path/to/tdx_mkimage TDX_KEY=key.pem \
#	sh tdx_mkimage_check.sh SCRATCH_DIR
#
# TAP output; the exit status is non-zero if any case failed.
#
# shellcheck disable=SC2317 # the cases' functions run through check()
set -u

dir=${1:?usage: tdx_mkimage_check.sh SCRATCH_DIR}
mk=${TDX_MKIMAGE:?TDX_MKIMAGE is not set}
key=${TDX_KEY:?TDX_KEY is not set}
n=0
fail=0

# The layouts (drivers/firmware/fwact/tdx/tdx_image.h), independently.
SIG=4096		# the sigstruct, in both formats
MODULUS=128		# RSA modulus, 384 bytes little-endian
EXPONENT=512		# u32
SIGNATURE=516		# 384 bytes little-endian
SEAMHASH=900		# 48 bytes
SEAMSVN=948		# minor, then major
CPUID_TABLE=1028
PAGES=4			# module pages of the images built here

case $mk in /*) ;; *) mk=$(pwd)/$mk ;; esac
case $key in /*) ;; *) key=$(pwd)/$key ;; esac
rm -rf "$dir"
mkdir -p "$dir" && cd "$dir" || exit 1

# check DESCRIPTION COMMAND...: one TAP case, passing if COMMAND does;
# what COMMAND printed is shown, as TAP comments, when it fails.
check()
{
	desc=$1
	shift
	"$@" > check.log 2>&1
	rc=$?
	n=$((n + 1))
	if [ $rc -eq 0 ]; then
		echo "ok $n - $desc"
	else
		sed 's/^/# /' check.log
		echo "not ok $n - $desc"
		fail=1
	fi
}

# fails COMMAND...: COMMAND fails.
fails()
{
	! "$@"
}

# extract FILE OFF LEN OUT: LEN bytes of FILE from OFF.
extract()
{
	dd if="$1" of="$4" bs=1 skip="$2" count="$3" 2> /dev/null
}

# extract_pages FILE OFF PAGES OUT: the same, in whole 4 KiB pages.
extract_pages()
{
	dd if="$1" of="$4" bs=4096 skip=$(($2 / 4096)) count="$3" 2> /dev/null
}

# hexof FILE OFF LEN: those bytes as lower-case hex, in file order.
hexof()
{
	od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# zero FILE OFF LEN: those bytes are all zero.
zero()
{
	! od -An -v -tx1 -j "$2" -N "$3" "$1" | grep -q '[1-9a-f]'
}

# le32 FILE OFF: the little-endian 32-bit word at OFF, in decimal.
le32()
{
	od -An -v -tu1 -j "$2" -N 4 "$1" |
		awk '{ print $1 + $2 * 256 + $3 * 65536 + $4 * 16777216 }'
}

# size FILE: its length in bytes.
size()
{
	wc -c < "$1" | tr -d ' '
}

# rev_bytes IN OUT: IN with its bytes in reverse order (LE <-> BE).
rev_bytes()
{
	esc=$(od -An -v -to1 "$1" | awk '
		{ for (i = 1; i <= NF; i++) b[n++] = $i }
		END { for (i = n - 1; i >= 0; i--) printf "\\%s", b[i] }')
	# shellcheck disable=SC2059 # the format is the bytes, as \ooo
	printf "$esc" > "$2"
}

# hex2bin HEX OUT: the bytes HEX spells, in order.
hex2bin()
{
	esc=$(printf '%s\n' "$1" | tr A-F a-f | fold -w 2 | awk '
		BEGIN { for (i = 0; i < 256; i++) v[sprintf("%02x", i)] = i }
		{ printf "\\%03o", v[$1] }')
	# shellcheck disable=SC2059 # the format is the bytes, as \ooo
	printf "$esc" > "$2"
}

# word_sum FILE: the 16-bit sum of FILE's little-endian words.
word_sum()
{
	od -An -v -tu1 "$1" | awk '
		{ for (i = 1; i <= NF; i++) s += (n++ % 2) ? $i * 256 : $i }
		END { print s % 65536 }'
}

# signed_bytes SIGSTRUCT OUT: the bytes the signature covers.
signed_bytes()
{
	extract "$1" 0 "$MODULUS" sb.head &&
	extract "$1" "$SEAMHASH" $((2048 - SEAMHASH)) sb.body &&
	cat sb.head sb.body > "$2"
}

# verify_dgst SIGSTRUCT PUBKEY: openssl dgst -verify of the signature.
verify_dgst()
{
	signed_bytes "$1" vd.msg &&
	extract "$1" "$SIGNATURE" 384 vd.sig.le &&
	rev_bytes vd.sig.le vd.sig &&
	openssl dgst -sha384 -verify "$2" -signature vd.sig vd.msg
}

# verify_pkeyutl SIGSTRUCT PUBKEY: the same through openssl pkeyutl, of
# the SHA-384 openssl dgst computes.
verify_pkeyutl()
{
	signed_bytes "$1" vp.msg &&
	openssl dgst -sha384 -binary -out vp.hash vp.msg &&
	extract "$1" "$SIGNATURE" 384 vp.sig.le &&
	rev_bytes vp.sig.le vp.sig &&
	openssl pkeyutl -verify -pubin -inkey "$2" -pkeyopt digest:sha384 \
		-in vp.hash -sigfile vp.sig
}

# pubkey_from SIGSTRUCT OUT: the RSA public key the sigstruct stores
# (modulus reversed to big-endian, its exponent), as a PEM file.
pubkey_from()
{
	extract "$1" "$MODULUS" 384 pf.n.le &&
	rev_bytes pf.n.le pf.n &&
	printf 'asn1=SEQUENCE:rsa\n[rsa]\nn=INTEGER:0x%s\ne=INTEGER:%s\n' \
		"$(hexof pf.n 0 384)" "$(le32 "$1" "$EXPONENT")" > pf.conf &&
	openssl asn1parse -genconf pf.conf -out pf.der -noout &&
	openssl rsa -RSAPublicKey_in -inform DER -in pf.der -pubout -out "$2"
}

# The test key's modulus, big-endian hex, as openssl rsa prints it.
key_modulus()
{
	openssl rsa -in "$key" -noout -modulus | sed 's/^Modulus=//'
}

# The sigstruct stores the test key: its modulus, and exponent 65537.
stored_key()
{
	extract "$1" "$MODULUS" 384 sk.le &&
	rev_bytes sk.le sk.be &&
	[ "$(hexof sk.be 0 384)" = "$(key_modulus | tr A-F a-f)" ] &&
	[ "$(le32 "$1" "$EXPONENT")" = 65537 ]
}

# --print-key-hash is openssl's SHA-384 of the little-endian modulus,
# made here from openssl rsa's output, not from an image.
key_hash()
{
	hex2bin "$(key_modulus)" kh.be &&
	rev_bytes kh.be kh.le &&
	[ "$(size kh.le)" -eq 384 ] &&
	[ "$("$mk" --key "$key" --print-key-hash)" = \
	  "$(openssl dgst -sha384 -r kh.le | cut -d' ' -f1)" ]
}

# A second build gives the same bytes.
again()
{
	"$mk" --key "$key" -o again.bin && cmp again.bin good-v2.bin
}

part_sizes()
{
	[ "$(size sigstruct.bin)" -eq 2048 ] &&
	[ "$(size module.bin)" -eq $((PAGES * 4096)) ]
}

# seamhash_is SIGSTRUCT MODULE: its SEAMHASH is openssl's SHA-384 of MODULE.
seamhash_is()
{
	[ "$(hexof "$1" "$SEAMHASH" 48)" = \
	  "$(openssl dgst -sha384 -r "$2" | cut -d' ' -f1)" ]
}

# The header of a 0x200 image of $PAGES module pages.
header_v2()
{
	[ "$(hexof "$1" 0 2)" = 0002 ] &&
	[ "$(hexof "$1" 4 8)" = "$blob" ] &&
	[ "$(le32 "$1" 12)" = 1 ] &&
	[ "$(le32 "$1" 16)" = "$PAGES" ] &&
	zero "$1" 20 $((4096 - 20)) &&
	[ "$(size "$1")" -eq $(((2 + PAGES) * 4096)) ]
}

# header_v1 IMAGE MODULE_OFFSET: the header of a 0x100 blob, which sums
# to zero.
header_v1()
{
	[ "$(hexof "$1" 0 2)" = 0001 ] &&
	[ "$(le32 "$1" 4)" = "$2" ] &&
	[ "$(hexof "$1" 8 8)" = "$blob" ] &&
	[ "$(le32 "$1" 16)" = "$(size "$1")" ] &&
	[ "$(size "$1")" -eq $(($2 + PAGES * 4096)) ] &&
	[ "$(word_sum "$1")" = 0 ]
}

# same_parts IMAGE MODULE_OFFSET: IMAGE carries sigstruct.bin, then zero
# to the end of its page, and module.bin at MODULE_OFFSET.
same_parts()
{
	extract "$1" "$SIG" 2048 sp.sig &&
	extract_pages "$1" "$2" "$PAGES" sp.mod &&
	cmp sigstruct.bin sp.sig &&
	cmp module.bin sp.mod &&
	zero "$1" $((SIG + 2048)) 2048
}

# verify_stored IMAGE: its sigstruct verifies with the key it stores.
verify_stored()
{
	extract "$1" "$SIG" 2048 vs.sig &&
	pubkey_from vs.sig vs.pub &&
	verify_pkeyutl vs.sig vs.pub
}

# A v1 blob built (not wrapped) with two pad pages.
pad_v1()
{
	"$mk" --key "$key" --format v1 --v1-pad 2 -o pad-v1.bin &&
	header_v1 pad-v1.bin 16384 &&
	same_parts pad-v1.bin 16384 &&
	zero pad-v1.bin 8192 8192
}

# flipped OFF: the v1 image with bit 0 of byte OFF of its sigstruct
# flipped differs from the good one in that byte (and the checksum,
# fixed up) only, and openssl refuses its signature both ways.
flipped()
{
	"$mk" --key "$key" --format v1 --flip "$1" -o flip.bin &&
	[ "$(word_sum flip.bin)" = 0 ] &&
	[ "$(cmp -l good-v1.bin flip.bin | awk '$1 > 4' | wc -l)" -eq 1 ] &&
	[ "$(cmp -l good-v1.bin flip.bin | awk '$1 > 4 { print $1 - 1 }')" \
	  -eq "$1" ] &&
	extract flip.bin "$SIG" 2048 flip.sig &&
	fails verify_dgst flip.sig key-pub.pem &&
	fails verify_pkeyutl flip.sig key-pub.pem
}

# A flipped module byte leaves the signature good but SEAMHASH wrong.
module_flipped()
{
	"$mk" --key "$key" --flip $((8192 + 4096 + 7)) -o modflip.bin &&
	extract modflip.bin "$SIG" 2048 modflip.sig &&
	extract_pages modflip.bin 8192 "$PAGES" modflip.mod &&
	verify_dgst modflip.sig key-pub.pem &&
	fails seamhash_is modflip.sig modflip.mod
}

# --bad-checksum sums to 1, also after a --flip; a --flip alone to 0.
checksums()
{
	"$mk" --key "$key" --format v1 --bad-checksum -o badsum.bin &&
	[ "$(word_sum badsum.bin)" = 1 ] &&
	"$mk" --key "$key" --format v1 --bad-checksum --flip 8192 \
		-o badsum2.bin &&
	[ "$(word_sum badsum2.bin)" = 1 ] &&
	"$mk" --key "$key" --format v1 --flip 8192 --flip 8195 -o sum.bin &&
	[ "$(word_sum sum.bin)" = 0 ]
}

blob=$(printf TDX-BLOB | od -An -tx1 | tr -d ' \n')
openssl pkey -in "$key" -pubout -out key-pub.pem || exit 1

echo "TAP version 13"
check "builds good-v2.bin, writing sigstruct.bin and module.bin" \
	"$mk" --key "$key" --format v2 --module-pages "$PAGES" \
	--write-sigstruct sigstruct.bin --write-module module.bin \
	-o good-v2.bin
check "wraps sigstruct.bin and module.bin as good-v1.bin" \
	"$mk" --sigstruct sigstruct.bin --module module.bin --format v1 \
	-o good-v1.bin
check "sigstruct.bin and module.bin have their sizes" \
	part_sizes
check "a second run builds the same bytes" \
	again
check "good-v2.bin has the header of the 0x200 format" \
	header_v2 good-v2.bin
check "good-v1.bin has the header of the 0x100 format and sums to 0" \
	header_v1 good-v1.bin 8192
check "good-v2.bin carries sigstruct.bin and module.bin" \
	same_parts good-v2.bin 8192
check "good-v1.bin carries the same sigstruct and module bytes" \
	same_parts good-v1.bin 8192
check "the sigstruct stores the test key's modulus (LE) and 65537" \
	stored_key sigstruct.bin
check "--print-key-hash is openssl's SHA-384 of the LE modulus" \
	key_hash
check "SEAMHASH is openssl dgst -sha384 of module.bin" \
	seamhash_is sigstruct.bin module.bin
check "the signature verifies: openssl dgst -verify, test key" \
	verify_dgst sigstruct.bin key-pub.pem
check "the signature verifies: openssl pkeyutl, test key" \
	verify_pkeyutl sigstruct.bin key-pub.pem
check "good-v2.bin verifies: openssl pkeyutl, the key it stores" \
	verify_stored good-v2.bin
check "good-v1.bin verifies: openssl pkeyutl, the key it stores" \
	verify_stored good-v1.bin
check "a v1 blob built with --v1-pad 2 carries the same parts" \
	pad_v1
check "--flip of a signed byte (SVN): openssl refuses the signature" \
	flipped $((SIG + SEAMSVN))
check "--flip of a signed byte (CPUID table): openssl refuses it" \
	flipped $((SIG + CPUID_TABLE))
check "--flip of a signed byte (header type): openssl refuses it" \
	flipped $((SIG + 0))
check "--flip of a signature byte: openssl refuses it" \
	flipped $((SIG + SIGNATURE + 100))
check "--flip of a module byte: signature good, SEAMHASH wrong" \
	module_flipped
check "--bad-checksum sums to 1 (also after --flip); --flip keeps 0" \
	checksums
echo "1..$n"
exit $fail
