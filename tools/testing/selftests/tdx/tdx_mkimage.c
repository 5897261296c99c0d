// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_mkimage: build signed test TDX module images for the fwact TDX
 * backend, in either image format (see drivers/firmware/fwact/tdx/
 * tdx_image.h): a deterministic pseudo-random module of some pages, a SEAM
 * sigstruct describing it (SEAMHASH, SVN, handoff versions, CPUID table)
 * signed with an RSA-3072 key (PKCS#1 v1.5, SHA-384 over the sigstruct
 * but for its key and signature), and the 4 KiB header of the chosen
 * format. Alternatively it only wraps a sigstruct and a module that exist
 * already, the way Intel ships them as separate files. Options to damage
 * the result afterwards make the images the negative tests need.
 *
 * Host tool: needs OpenSSL 3 libcrypto, and uses only its EVP interfaces.
 * Run with --help for the options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "tdx_image.h"

/* Tests may build images past the parser's limit of 496 module pages. */
#define MK_MAX_MODULE_PAGES	600
/* v1 padding pages: enough to build a blob over the 4 MiB limit. */
#define MK_MAX_V1_PAD		2048
#define MK_RSA_BITS		3072

/* One --flip or --set, applied in command-line order. */
struct mk_edit {
	size_t off;
	bool flip;
	u8 val;
};

struct mk_opts {
	const char *key;
	const char *out;
	const char *sig_in;
	const char *mod_in;
	const char *write_sig;
	const char *write_mod;
	int format;
	u32 module_pages;
	u64 seed;
	u8 svn_major;
	u8 svn_minor;
	u16 module_hv;
	u16 min_update_hv;
	bool no_downgrade;
	bool debug;
	u32 cpuids[TDX_SIGSTRUCT_MAX_CPUIDS];
	u32 nr_cpuids;
	u32 date;
	u64 attributes;
	u16 handoff_pages;
	u32 v1_pad;
	bool v1_pad_set;
	struct mk_edit *edits;
	size_t nr_edits;
	bool bad_checksum;
	bool truncate;
	size_t truncate_len;
	bool print_key_hash;
};

static const char *prog = "tdx_mkimage";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] -o OUT\n"
		"Build a signed test TDX module image.\n"
		"\n"
		"  -o, --output OUT     image to write\n"
		"  --key PEM            RSA-3072 private key to sign with\n"
		"                       (required unless --sigstruct)\n"
		"  --format v1|v2       image format (default v2)\n"
		"  --module-pages N     module pages, 1..%u (default 4; the\n"
		"                       parser takes 496 at most)\n"
		"  --module-seed S      seed of the module bytes (default 1)\n"
		"  --svn MAJOR.MINOR    seamsvn (default 1.0)\n"
		"  --module-hv HV       module_hv (default 0)\n"
		"  --min-update-hv HV   min_update_hv (default 0)\n"
		"  --no-downgrade       set no_downgrade\n"
		"  --debug              debug-signed (module_type bit 31)\n"
		"  --cpuid EAX[,EAX...] CPUID table (default 0x000806f0),\n"
		"                       'none' for an empty one\n"
		"  --date 0xYYYYMMDD    build date (default 0x20261201)\n"
		"  --attributes 0xN     attributes (default 0)\n"
		"  --handoff-pages N    num_handoff_pages (default 0)\n"
		"  --v1-pad N           v1: N zero pages before the module\n"
		"  --sigstruct FILE     wrap this 2048-byte sigstruct and\n"
		"  --module FILE        this module, not built ones (no key)\n"
		"  --write-sigstruct FILE  also write the raw sigstruct,\n"
		"  --write-module FILE  and the module (both before damage)\n"
		"  --flip OFF           flip bit 0 of byte OFF (repeatable)\n"
		"  --set OFF=BYTE       set byte OFF to BYTE (repeatable)\n"
		"  --bad-checksum       make the 16-bit word sum 1, not 0\n"
		"  --truncate LEN       cut the image to LEN bytes, last\n"
		"  --print-key-hash     print the SHA-384 of the key modulus\n"
		"                       as stored (little-endian), and exit\n"
		"  -h, --help           this text\n"
		"\n"
		"After --flip or --set the checksum field is fixed up again\n"
		"(to sum 0, or 1 with --bad-checksum) unless an edit set it.\n",
		prog, MK_MAX_MODULE_PAGES);
}

static void err_msg(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* An OpenSSL call failed: say which, with OpenSSL's own error queue. */
static void ssl_err(const char *what)
{
	fprintf(stderr, "%s: %s failed\n", prog, what);
	ERR_print_errors_fp(stderr);
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(u8 *p, u32 v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static void put_le64(u8 *p, u64 v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

/* Reverse @n bytes of @src into @dst (big-endian <-> little-endian). */
static void reverse_copy(u8 *dst, const u8 *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[n - 1 - i];
}

/* A whole unsigned number of C syntax (0x.., 0.., decimal) up to @max. */
static int parse_num(const char *s, u64 max, u64 *val)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*val = v;
	return 0;
}

/* The argument of option --@name, a number from @min to @max. */
static int opt_num(const char *name, const char *s, u64 min, u64 max,
		   u64 *val)
{
	if (!parse_num(s, max, val) && *val >= min)
		return 0;
	fprintf(stderr, "%s: --%s: '%s' is not a number from %llu to %llu\n",
		prog, name, s, (unsigned long long)min,
		(unsigned long long)max);
	return -1;
}

static int parse_svn(struct mk_opts *o, const char *s)
{
	unsigned long major, minor;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	major = strtoul(s, &end, 10);
	if (errno || *end != '.' || end[1] < '0' || end[1] > '9')
		goto bad;
	minor = strtoul(end + 1, &end, 10);
	if (errno || *end || major > 0xff || minor > 0xff)
		goto bad;
	o->svn_major = major;
	o->svn_minor = minor;
	return 0;
bad:
	err_msg("--svn: '%s' is not MAJOR.MINOR, each 0..255", s);
	return -1;
}

static int parse_cpuids(struct mk_opts *o, const char *s)
{
	const char *p = s;
	char buf[32];
	u64 v;

	o->nr_cpuids = 0;
	if (!strcmp(s, "none"))
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (o->nr_cpuids == TDX_SIGSTRUCT_MAX_CPUIDS) {
			err_msg("--cpuid: more than 255 entries in '%s'", s);
			return -1;
		}
		if (!len || len >= sizeof(buf))
			goto bad;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (parse_num(buf, UINT32_MAX, &v))
			goto bad;
		o->cpuids[o->nr_cpuids++] = v;
		if (!p[len])
			return 0;
		p += len + 1;
	}
bad:
	err_msg("--cpuid: '%s' is not 'none' or a list of 32-bit values", s);
	return -1;
}

static int add_edit(struct mk_opts *o, const char *s, bool flip)
{
	struct mk_edit *e;
	const char *eq = NULL;
	char buf[32];
	u64 off, val = 0;

	if (!flip) {
		eq = strchr(s, '=');
		if (!eq || (size_t)(eq - s) >= sizeof(buf))
			goto bad;
		memcpy(buf, s, eq - s);
		buf[eq - s] = '\0';
		if (parse_num(buf, SIZE_MAX, &off) ||
		    parse_num(eq + 1, 0xff, &val))
			goto bad;
	} else if (parse_num(s, SIZE_MAX, &off)) {
		goto bad;
	}
	e = realloc(o->edits, (o->nr_edits + 1) * sizeof(*e));
	if (!e) {
		err_msg("%s", strerror(ENOMEM));
		return -1;
	}
	o->edits = e;
	e += o->nr_edits++;
	e->off = off;
	e->flip = flip;
	e->val = val;
	return 0;
bad:
	err_msg(flip ? "--flip: '%s' is not an offset" :
		       "--set: '%s' is not OFF=BYTE", s);
	return -1;
}

/*
 * The module's bytes: 64 bits at a time, a mix (splitmix64's finaliser)
 * of the seed and the 8-byte word's index, so each byte is a fixed
 * function of the seed and its offset and two runs agree.
 */
static u64 mix64(u64 x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static void module_fill(u8 *mod, size_t size, u64 seed)
{
	u64 key = mix64(seed + 0x9e3779b97f4a7c15ULL);
	size_t i;

	for (i = 0; i < size; i++) {
		u64 w = mix64(key ^ ((i / 8) * 0x9e3779b97f4a7c15ULL));

		mod[i] = w >> (8 * (i % 8));
	}
}

static int sha384(const u8 *data, size_t len, u8 *md)
{
	if (!EVP_Digest(data, len, md, NULL, EVP_sha384(), NULL)) {
		ssl_err("SHA-384");
		return -1;
	}
	return 0;
}

static EVP_PKEY *key_load(const char *path)
{
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *pkey = NULL;
	BIO *bio;
	int ok;

	bio = BIO_new_file(path, "r");
	if (!bio) {
		err_msg("cannot open key %s", path);
		ERR_print_errors_fp(stderr);
		return NULL;
	}
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", NULL, "RSA",
					     OSSL_KEYMGMT_SELECT_PRIVATE_KEY,
					     NULL, NULL);
	ok = dctx && OSSL_DECODER_from_bio(dctx, bio) == 1 && pkey;
	OSSL_DECODER_CTX_free(dctx);
	BIO_free(bio);
	if (!ok) {
		err_msg("%s: not a PEM RSA private key", path);
		ERR_print_errors_fp(stderr);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	if (!EVP_PKEY_is_a(pkey, "RSA") ||
	    EVP_PKEY_get_bits(pkey) != MK_RSA_BITS) {
		err_msg("%s: not an RSA-3072 key", path);
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return pkey;
}

/*
 * Store the key's modulus little-endian at TDX_SIGSTRUCT_MODULUS and its
 * exponent at TDX_SIGSTRUCT_EXPONENT, after checking it is 65537.
 */
static int key_store(EVP_PKEY *pkey, u8 *s)
{
	BIGNUM *n = NULL, *e = NULL;
	int ret = -1;

	if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e)) {
		ssl_err("reading the RSA key");
		goto out;
	}
	if (!BN_is_word(e, TDX_SIGSTRUCT_RSA_EXPONENT)) {
		err_msg("%s", "the key's public exponent is not 65537");
		goto out;
	}
	if (BN_bn2lebinpad(n, s + TDX_SIGSTRUCT_MODULUS,
			   TDX_SIGSTRUCT_RSA_BYTES) !=
	    TDX_SIGSTRUCT_RSA_BYTES) {
		ssl_err("storing the modulus");
		goto out;
	}
	put_le32(s + TDX_SIGSTRUCT_EXPONENT, TDX_SIGSTRUCT_RSA_EXPONENT);
	ret = 0;
out:
	BN_free(n);
	BN_free(e);
	return ret;
}

/* The bytes the signature covers: [0, 128) then [900, 2048). */
#define MK_SIGNED_LEN	(TDX_SIGSTRUCT_SIGNED_HEAD + TDX_SIGSTRUCT_SIZE - \
			 TDX_SIGSTRUCT_SIGNED_BODY)

static void signed_bytes(const u8 *s, u8 *msg)
{
	memcpy(msg, s, TDX_SIGSTRUCT_SIGNED_HEAD);
	memcpy(msg + TDX_SIGSTRUCT_SIGNED_HEAD, s + TDX_SIGSTRUCT_SIGNED_BODY,
	       TDX_SIGSTRUCT_SIZE - TDX_SIGSTRUCT_SIGNED_BODY);
}

/*
 * Sign (or, with @verify, check the signature of) the sigstruct: RSA
 * PKCS#1 v1.5 with SHA-384 over its signed bytes, the signature stored
 * little-endian at TDX_SIGSTRUCT_SIGNATURE.
 */
static int sigstruct_sign(EVP_PKEY *pkey, u8 *s, bool verify)
{
	u8 be[TDX_SIGSTRUCT_RSA_BYTES];
	u8 msg[MK_SIGNED_LEN];
	size_t len = sizeof(be);
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX *ctx;
	int ret = -1, r;

	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		ssl_err("EVP_MD_CTX_new");
		return -1;
	}
	signed_bytes(s, msg);
	if (verify)
		r = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha384(), NULL, pkey);
	else
		r = EVP_DigestSignInit(ctx, &pctx, EVP_sha384(), NULL, pkey);
	if (r != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
		goto fail;
	if (verify) {
		reverse_copy(be, s + TDX_SIGSTRUCT_SIGNATURE, sizeof(be));
		if (EVP_DigestVerify(ctx, be, sizeof(be), msg,
				     sizeof(msg)) != 1)
			goto fail;
	} else {
		if (EVP_DigestSign(ctx, be, &len, msg, sizeof(msg)) != 1)
			goto fail;
		if (len != sizeof(be)) {
			err_msg("%s", "the signature is not 384 bytes");
			goto out;
		}
		reverse_copy(s + TDX_SIGSTRUCT_SIGNATURE, be, sizeof(be));
	}
	ret = 0;
	goto out;
fail:
	ssl_err(verify ? "verifying the signature" : "signing");
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* Fill in and sign the sigstruct @s of the module @mod (@pages pages). */
static int sigstruct_build(const struct mk_opts *o, EVP_PKEY *pkey, u8 *s,
			   const u8 *mod, u32 pages)
{
	u32 i;

	memset(s, 0, TDX_SIGSTRUCT_SIZE);
	put_le32(s + TDX_SIGSTRUCT_HEADER_TYPE, TDX_SIGSTRUCT_TYPE_GENERIC_FW);
	put_le32(s + TDX_SIGSTRUCT_HEADER_LEN, TDX_SIGSTRUCT_HEADER_DWORDS);
	put_le32(s + TDX_SIGSTRUCT_HEADER_VER, TDX_SIGSTRUCT_VERSION_1_0);
	put_le32(s + TDX_SIGSTRUCT_MODULE_TYPE,
		 o->debug ? TDX_SIGSTRUCT_DEBUG_SIGNED : 0);
	put_le32(s + TDX_SIGSTRUCT_VENDOR, TDX_SIGSTRUCT_VENDOR_INTEL);
	put_le32(s + TDX_SIGSTRUCT_DATE, o->date);
	put_le32(s + TDX_SIGSTRUCT_SIZE_DWORDS, TDX_SIGSTRUCT_DWORDS);
	put_le32(s + TDX_SIGSTRUCT_KEY_SIZE, TDX_SIGSTRUCT_KEY_DWORDS);
	put_le32(s + TDX_SIGSTRUCT_MODULUS_SIZE, TDX_SIGSTRUCT_KEY_DWORDS);
	put_le32(s + TDX_SIGSTRUCT_EXPONENT_SIZE,
		 TDX_SIGSTRUCT_EXPONENT_DWORDS);
	if (key_store(pkey, s))
		return -1;
	if (sha384(mod, (size_t)pages * TDX_IMAGE_PAGE_SIZE,
		   s + TDX_SIGSTRUCT_SEAMHASH))
		return -1;
	s[TDX_SIGSTRUCT_SEAMSVN] = o->svn_minor;
	s[TDX_SIGSTRUCT_SEAMSVN + 1] = o->svn_major;
	put_le64(s + TDX_SIGSTRUCT_ATTRIBUTES, o->attributes);
	put_le16(s + TDX_SIGSTRUCT_MODULE_HV, o->module_hv);
	put_le16(s + TDX_SIGSTRUCT_MIN_UPDATE_HV, o->min_update_hv);
	s[TDX_SIGSTRUCT_NO_DOWNGRADE] = o->no_downgrade;
	put_le16(s + TDX_SIGSTRUCT_HANDOFF_PAGES, o->handoff_pages);
	put_le32(s + TDX_SIGSTRUCT_CPUID_SIZE, o->nr_cpuids);
	for (i = 0; i < o->nr_cpuids; i++)
		put_le32(s + TDX_SIGSTRUCT_CPUID_TABLE + 4 * i, o->cpuids[i]);

	/* Signed last: the signature covers everything above. */
	if (sigstruct_sign(pkey, s, false))
		return -1;
	/* Cheap insurance that what was stored is what OpenSSL accepts. */
	return sigstruct_sign(pkey, s, true);
}

/* 16-bit sum of the little-endian words, as the v1 format defines it. */
static u16 word_sum(const u8 *d, size_t size)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < size; i += 2)
		sum += d[i] | d[i + 1] << 8;
	if (size & 1)
		sum += d[size - 1];
	return sum;
}

/*
 * Set the checksum field (bytes 2 and 3, at an even offset so it is one
 * word of the sum) so that the whole image sums to @target.
 */
static void checksum_set(u8 *img, size_t size, u16 target)
{
	put_le16(img + 2, 0);
	put_le16(img + 2, (u16)(target - word_sum(img, size)));
}

/* Read a whole file; *@size is its length. */
static u8 *file_read(const char *path, size_t *size)
{
	u8 *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, n;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err_msg("%s", strerror(ENOMEM));
				goto fail;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n)
			continue;
		if (ferror(f)) {
			fprintf(stderr, "%s: %s: read error\n", prog, path);
			goto fail;
		}
		break;
	}
	fclose(f);
	*size = len;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static int file_write(const char *path, const u8 *data, size_t size)
{
	FILE *f;

	f = fopen(path, "wb");
	if (!f)
		goto fail;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		goto fail_unlink;
	}
	if (fclose(f))
		goto fail_unlink;
	return 0;
fail_unlink:
	fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
	unlink(path);
	return -1;
fail:
	fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
	return -1;
}

/* --print-key-hash: SHA-384 of the modulus as the sigstruct stores it. */
static int print_key_hash(EVP_PKEY *pkey)
{
	u8 s[TDX_SIGSTRUCT_SIZE] = { 0 };
	u8 md[TDX_SIGSTRUCT_HASH_BYTES];
	int i;

	if (key_store(pkey, s) ||
	    sha384(s + TDX_SIGSTRUCT_MODULUS, TDX_SIGSTRUCT_RSA_BYTES, md))
		return -1;
	for (i = 0; i < TDX_SIGSTRUCT_HASH_BYTES; i++)
		printf("%02x", md[i]);
	printf("\n");
	return fflush(stdout) ? -1 : 0;
}

/*
 * Lay out the image of format @o->format around the sigstruct @sig and
 * the module @mod (@pages pages), with the checksum field set.
 */
static u8 *image_build(const struct mk_opts *o, const u8 *sig, const u8 *mod,
		       u32 pages, size_t *size)
{
	size_t mod_off, len;
	u8 *img;

	if (o->format == 1)
		mod_off = TDX_IMAGE_V1_MIN_MODULE_OFF +
			  (size_t)o->v1_pad * TDX_IMAGE_PAGE_SIZE;
	else
		mod_off = TDX_IMAGE_PAGE_SIZE * (1 + TDX_IMAGE_SIGSTRUCT_PAGES);
	len = mod_off + (size_t)pages * TDX_IMAGE_PAGE_SIZE;
	img = calloc(1, len);
	if (!img) {
		err_msg("%s", strerror(ENOMEM));
		return NULL;
	}
	if (o->format == 1) {
		put_le16(img, TDX_IMAGE_V1);
		put_le32(img + TDX_IMAGE_V1_MODULE_OFF, mod_off);
		memcpy(img + TDX_IMAGE_V1_SIGNATURE, TDX_IMAGE_SIGNATURE,
		       TDX_IMAGE_SIGNATURE_LEN);
		put_le32(img + TDX_IMAGE_V1_LENGTH, len);
	} else {
		put_le16(img, TDX_IMAGE_V2);
		memcpy(img + TDX_IMAGE_V2_SIGNATURE, TDX_IMAGE_SIGNATURE,
		       TDX_IMAGE_SIGNATURE_LEN);
		put_le32(img + TDX_IMAGE_V2_SIG_PAGES,
			 TDX_IMAGE_SIGSTRUCT_PAGES);
		put_le32(img + TDX_IMAGE_V2_MOD_PAGES, pages);
	}
	memcpy(img + TDX_IMAGE_PAGE_SIZE, sig, TDX_SIGSTRUCT_SIZE);
	memcpy(img + mod_off, mod, (size_t)pages * TDX_IMAGE_PAGE_SIZE);
	/* v2 ignores the field; it gets the same kind of value all the same. */
	checksum_set(img, len, o->bad_checksum ? 1 : 0);
	*size = len;
	return img;
}

/* --flip and --set, then the checksum again unless an edit set it. */
static int image_damage(const struct mk_opts *o, u8 *img, size_t size)
{
	bool touched = false;
	size_t i;

	for (i = 0; i < o->nr_edits; i++) {
		const struct mk_edit *e = &o->edits[i];

		if (e->off >= size) {
			fprintf(stderr, "%s: --%s: offset %zu is past the %zu-byte image\n",
				prog, e->flip ? "flip" : "set", e->off, size);
			return -1;
		}
		if (e->flip)
			img[e->off] ^= 1;
		else
			img[e->off] = e->val;
		if (e->off == 2 || e->off == 3)
			touched = true;
	}
	if (o->nr_edits && !touched)
		checksum_set(img, size, o->bad_checksum ? 1 : 0);
	return 0;
}

enum {
	OPT_KEY = 256,
	OPT_FORMAT,
	OPT_MODULE_PAGES,
	OPT_MODULE_SEED,
	OPT_SVN,
	OPT_MODULE_HV,
	OPT_MIN_UPDATE_HV,
	OPT_NO_DOWNGRADE,
	OPT_DEBUG,
	OPT_CPUID,
	OPT_DATE,
	OPT_ATTRIBUTES,
	OPT_HANDOFF_PAGES,
	OPT_V1_PAD,
	OPT_SIGSTRUCT,
	OPT_MODULE,
	OPT_WRITE_SIGSTRUCT,
	OPT_WRITE_MODULE,
	OPT_FLIP,
	OPT_BAD_CHECKSUM,
	OPT_SET,
	OPT_TRUNCATE,
	OPT_PRINT_KEY_HASH,
};

static const struct option long_opts[] = {
	{ "output",		required_argument, NULL, 'o' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "key",		required_argument, NULL, OPT_KEY },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "module-pages",	required_argument, NULL, OPT_MODULE_PAGES },
	{ "module-seed",	required_argument, NULL, OPT_MODULE_SEED },
	{ "svn",		required_argument, NULL, OPT_SVN },
	{ "module-hv",		required_argument, NULL, OPT_MODULE_HV },
	{ "min-update-hv",	required_argument, NULL, OPT_MIN_UPDATE_HV },
	{ "no-downgrade",	no_argument,	   NULL, OPT_NO_DOWNGRADE },
	{ "debug",		no_argument,	   NULL, OPT_DEBUG },
	{ "cpuid",		required_argument, NULL, OPT_CPUID },
	{ "date",		required_argument, NULL, OPT_DATE },
	{ "attributes",		required_argument, NULL, OPT_ATTRIBUTES },
	{ "handoff-pages",	required_argument, NULL, OPT_HANDOFF_PAGES },
	{ "v1-pad",		required_argument, NULL, OPT_V1_PAD },
	{ "sigstruct",		required_argument, NULL, OPT_SIGSTRUCT },
	{ "module",		required_argument, NULL, OPT_MODULE },
	{ "write-sigstruct",	required_argument, NULL, OPT_WRITE_SIGSTRUCT },
	{ "write-module",	required_argument, NULL, OPT_WRITE_MODULE },
	{ "flip",		required_argument, NULL, OPT_FLIP },
	{ "bad-checksum",	no_argument,	   NULL, OPT_BAD_CHECKSUM },
	{ "set",		required_argument, NULL, OPT_SET },
	{ "truncate",		required_argument, NULL, OPT_TRUNCATE },
	{ "print-key-hash",	no_argument,	   NULL, OPT_PRINT_KEY_HASH },
	{ NULL, 0, NULL, 0 }
};

/* Parse the command line into @o; 1 after --help, -1 on an error. */
static int opts_parse(struct mk_opts *o, int argc, char **argv)
{
	u64 v;
	int c;

	o->format = 2;
	o->module_pages = 4;
	o->seed = 1;
	o->svn_major = 1;
	o->date = 0x20261201;
	o->cpuids[0] = 0x000806f0;
	o->nr_cpuids = 1;

	while ((c = getopt_long(argc, argv, "o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return 1;
		case OPT_KEY:
			o->key = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "v1")) {
				o->format = 1;
			} else if (!strcmp(optarg, "v2")) {
				o->format = 2;
			} else {
				err_msg("--format: '%s' is not v1 or v2",
					optarg);
				return -1;
			}
			break;
		case OPT_MODULE_PAGES:
			if (opt_num("module-pages", optarg, 1,
				    MK_MAX_MODULE_PAGES, &v))
				return -1;
			o->module_pages = v;
			break;
		case OPT_MODULE_SEED:
			if (opt_num("module-seed", optarg, 0, UINT64_MAX,
				    &o->seed))
				return -1;
			break;
		case OPT_SVN:
			if (parse_svn(o, optarg))
				return -1;
			break;
		case OPT_MODULE_HV:
			if (opt_num("module-hv", optarg, 0, UINT16_MAX, &v))
				return -1;
			o->module_hv = v;
			break;
		case OPT_MIN_UPDATE_HV:
			if (opt_num("min-update-hv", optarg, 0, UINT16_MAX, &v))
				return -1;
			o->min_update_hv = v;
			break;
		case OPT_NO_DOWNGRADE:
			o->no_downgrade = true;
			break;
		case OPT_DEBUG:
			o->debug = true;
			break;
		case OPT_CPUID:
			if (parse_cpuids(o, optarg))
				return -1;
			break;
		case OPT_DATE:
			if (opt_num("date", optarg, 0, UINT32_MAX, &v))
				return -1;
			o->date = v;
			break;
		case OPT_ATTRIBUTES:
			if (opt_num("attributes", optarg, 0, UINT64_MAX,
				    &o->attributes))
				return -1;
			break;
		case OPT_HANDOFF_PAGES:
			if (opt_num("handoff-pages", optarg, 0, UINT16_MAX, &v))
				return -1;
			o->handoff_pages = v;
			break;
		case OPT_V1_PAD:
			if (opt_num("v1-pad", optarg, 0, MK_MAX_V1_PAD, &v))
				return -1;
			o->v1_pad = v;
			o->v1_pad_set = true;
			break;
		case OPT_SIGSTRUCT:
			o->sig_in = optarg;
			break;
		case OPT_MODULE:
			o->mod_in = optarg;
			break;
		case OPT_WRITE_SIGSTRUCT:
			o->write_sig = optarg;
			break;
		case OPT_WRITE_MODULE:
			o->write_mod = optarg;
			break;
		case OPT_FLIP:
		case OPT_SET:
			if (add_edit(o, optarg, c == OPT_FLIP))
				return -1;
			break;
		case OPT_BAD_CHECKSUM:
			o->bad_checksum = true;
			break;
		case OPT_TRUNCATE:
			if (opt_num("truncate", optarg, 0, SIZE_MAX, &v))
				return -1;
			o->truncate = true;
			o->truncate_len = v;
			break;
		case OPT_PRINT_KEY_HASH:
			o->print_key_hash = true;
			break;
		default:
			print_usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		err_msg("unexpected argument '%s' (see --help)", argv[optind]);
		return -1;
	}
	if (o->print_key_hash) {
		if (!o->key) {
			err_msg("%s", "--print-key-hash needs --key");
			return -1;
		}
		return 0;
	}
	if (!o->out) {
		err_msg("%s", "no output: -o OUT (see --help)");
		return -1;
	}
	if (!o->sig_in != !o->mod_in) {
		err_msg("%s", "--sigstruct and --module go together");
		return -1;
	}
	if (!o->sig_in && !o->key) {
		err_msg("%s", "--key is required to build a sigstruct");
		return -1;
	}
	if (o->v1_pad_set && o->format != 1) {
		err_msg("%s", "--v1-pad is for --format v1 only");
		return -1;
	}
	return 0;
}

/*
 * The sigstruct and module to wrap: read from --sigstruct/--module, or
 * built (and signed) from the options. *@sig is TDX_SIGSTRUCT_SIZE bytes.
 */
static int parts_get(const struct mk_opts *o, EVP_PKEY *pkey, u8 **sig,
		     u8 **mod, u32 *pages)
{
	size_t len, mod_size;

	if (o->sig_in) {
		*sig = file_read(o->sig_in, &len);
		if (!*sig)
			return -1;
		if (len != TDX_SIGSTRUCT_SIZE) {
			fprintf(stderr, "%s: %s: %zu bytes, not a %u-byte sigstruct\n",
				prog, o->sig_in, len, TDX_SIGSTRUCT_SIZE);
			return -1;
		}
		*mod = file_read(o->mod_in, &mod_size);
		if (!*mod)
			return -1;
		if (!mod_size || mod_size % TDX_IMAGE_PAGE_SIZE ||
		    mod_size / TDX_IMAGE_PAGE_SIZE > MK_MAX_MODULE_PAGES) {
			fprintf(stderr, "%s: %s: %zu bytes, not 1 to %u whole pages\n",
				prog, o->mod_in, mod_size, MK_MAX_MODULE_PAGES);
			return -1;
		}
		*pages = mod_size / TDX_IMAGE_PAGE_SIZE;
		return 0;
	}

	*pages = o->module_pages;
	mod_size = (size_t)*pages * TDX_IMAGE_PAGE_SIZE;
	*mod = malloc(mod_size);
	*sig = malloc(TDX_SIGSTRUCT_SIZE);
	if (!*mod || !*sig) {
		err_msg("%s", strerror(ENOMEM));
		return -1;
	}
	module_fill(*mod, mod_size, o->seed);
	return sigstruct_build(o, pkey, *sig, *mod, *pages);
}

int main(int argc, char **argv)
{
	struct mk_opts o = { 0 };
	u8 *sig = NULL, *mod = NULL, *img = NULL;
	EVP_PKEY *pkey = NULL;
	size_t size = 0;
	int ret = 1, r;
	u32 pages;

	r = opts_parse(&o, argc, argv);
	if (r) {
		ret = r > 0 ? 0 : 1;
		goto out;
	}
	if (o.key && (o.print_key_hash || !o.sig_in)) {
		pkey = key_load(o.key);
		if (!pkey)
			goto out;
	}
	if (o.print_key_hash) {
		ret = print_key_hash(pkey) ? 1 : 0;
		goto out;
	}

	if (parts_get(&o, pkey, &sig, &mod, &pages))
		goto out;
	if (o.write_sig && file_write(o.write_sig, sig, TDX_SIGSTRUCT_SIZE))
		goto out;
	if (o.write_mod &&
	    file_write(o.write_mod, mod, (size_t)pages * TDX_IMAGE_PAGE_SIZE))
		goto out;

	img = image_build(&o, sig, mod, pages, &size);
	if (!img || image_damage(&o, img, size))
		goto out;
	if (o.truncate) {
		if (o.truncate_len > size) {
			fprintf(stderr, "%s: --truncate: %zu is longer than the %zu-byte image\n",
				prog, o.truncate_len, size);
			goto out;
		}
		size = o.truncate_len;
	}
	if (file_write(o.out, img, size))
		goto out;
	ret = 0;
out:
	free(img);
	free(mod);
	free(sig);
	free(o.edits);
	EVP_PKEY_free(pkey);
	return ret;
}
