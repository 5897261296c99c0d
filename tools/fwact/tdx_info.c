// SPDX-License-Identifier: GPL-2.0
/*
 * fwactctl tdx-info: describe TDX module images with the parser the kernel
 * backend uses (drivers/firmware/fwact/tdx/tdx_image.c, built into fwactctl
 * unchanged): the header format and module size, then the SEAM sigstruct's
 * vendor, date, production or debug signing, SVN, handoff versions and
 * CPUID table.
 *
 * Built with libcrypto (FWACTCTL_HAVE_CRYPTO, which the Makefile sets when
 * OpenSSL 3 links for the compiler in use), it also does what the kernel
 * leaves to the P-SEAMLDR: it checks that SEAMHASH is the SHA-384 of the
 * module pages and that the RSA-3072 PKCS#1 v1.5 signature verifies with
 * the key the sigstruct carries, and names that key by the SHA-384 of its
 * stored modulus so that Intel's production key can be told from a test
 * key. Without libcrypto those two lines say they were not checked.
 *
 * A file that does not parse, whose SEAMHASH does not match or whose
 * signature does not verify is reported and makes the command fail, after
 * the other files were described.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FWACTCTL_HAVE_CRYPTO
/* Hide every deprecated OpenSSL interface, so that none can be used. */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#endif

#include "fwactctl.h"
#include "../../drivers/firmware/fwact/tdx/tdx_image.h"

/* SHA-384 of the little-endian modulus of Intel's production SEAM key. */
#define TDX_INFO_INTEL_KEY_SHA384					\
	"c8572f548869a0beca19376b81c2dffc2a23b5a5f71da0b8"		\
	"7579b43f408daa1a33bad9c149eb56c634f883737968a34c"

/* A SHA-384 as lower-case hex, with its NUL. */
#define TDX_INFO_HEX_LEN	(2 * TDX_SIGSTRUCT_HASH_BYTES + 1)

/* Outcome of one of the checks that need libcrypto. */
enum tdx_info_check {
	TDX_INFO_UNCHECKED,
	TDX_INFO_GOOD,
	TDX_INFO_BAD,
};

/**
 * struct tdx_info_result - what the libcrypto checks found in one image
 * @hash: whether SEAMHASH is the SHA-384 of the module pages
 * @sig: whether the signature verifies with the sigstruct's key
 * @module_sha: SHA-384 of the module pages, hex (when @hash is checked)
 * @key_sha: SHA-384 of the stored modulus, hex (when @sig is checked)
 * @intel_key: @key_sha is the one of Intel's production key
 */
struct tdx_info_result {
	enum tdx_info_check hash;
	enum tdx_info_check sig;
	char module_sha[TDX_INFO_HEX_LEN];
	char key_sha[TDX_INFO_HEX_LEN];
	bool intel_key;
};

static void tdx_info_hex(const u8 *p, size_t n, char *buf)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 0xf];
	}
	buf[2 * n] = '\0';
}

#ifdef FWACTCTL_HAVE_CRYPTO

static int tdx_info_sha384(const void *data, size_t len, char *hex)
{
	u8 md[TDX_SIGSTRUCT_HASH_BYTES];

	if (!EVP_Digest(data, len, md, NULL, EVP_sha384(), NULL)) {
		ERR_clear_error();
		return -ENOMEM;
	}
	tdx_info_hex(md, sizeof(md), hex);
	return 0;
}

/*
 * Verify the sigstruct's signature with the key it carries. Sets *@valid;
 * returns 0, or -ENOMEM if libcrypto could not even be asked. Anything
 * libcrypto refuses once the key is assembled (a modulus that is no
 * RSA-3072 key, a signature whose RSA public operation does not give the
 * PKCS#1 v1.5 encoding of the digest) means the signature does not verify.
 */
static int tdx_info_verify(const struct tdx_sigstruct *sig, bool *valid)
{
	const u8 *body = sig->raw + TDX_SIGSTRUCT_SIGNED_BODY;
	u8 be[TDX_SIGSTRUCT_RSA_BYTES];
	EVP_PKEY_CTX *kctx, *vctx = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM_BLD *bld;
	EVP_MD_CTX *mctx;
	BIGNUM *n, *e;
	int ret = -ENOMEM;
	size_t i;

	*valid = false;
	n = BN_lebin2bn(sig->modulus, TDX_SIGSTRUCT_RSA_BYTES, NULL);
	e = BN_new();
	bld = OSSL_PARAM_BLD_new();
	kctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	mctx = EVP_MD_CTX_new();
	if (!n || !e || !bld || !kctx || !mctx ||
	    !BN_set_word(e, sig->exponent) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto out;

	ret = 0;
	if (EVP_PKEY_fromdata_init(kctx) != 1 ||
	    EVP_PKEY_fromdata(kctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	/* The sigstruct stores the signature little-endian, RSA wants it big. */
	for (i = 0; i < sizeof(be); i++)
		be[i] = sig->signature[sizeof(be) - 1 - i];
	if (EVP_DigestVerifyInit_ex(mctx, &vctx, "SHA384", NULL, NULL, pkey,
				    NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(vctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_DigestVerifyUpdate(mctx, sig->raw,
				   TDX_SIGSTRUCT_SIGNED_HEAD) != 1 ||
	    EVP_DigestVerifyUpdate(mctx, body, TDX_SIGSTRUCT_SIZE -
				   TDX_SIGSTRUCT_SIGNED_BODY) != 1)
		goto out;
	*valid = EVP_DigestVerifyFinal(mctx, be, sizeof(be)) == 1;
out:
	/* Nothing reads libcrypto's error queue: do not let it grow. */
	ERR_clear_error();
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(kctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(e);
	BN_free(n);
	return ret;
}

static int tdx_info_check(const struct tdx_image *img,
			  struct tdx_info_result *res)
{
	const struct tdx_sigstruct *sig = &img->sig;
	char seamhash[TDX_INFO_HEX_LEN];
	bool valid;
	int ret;

	ret = tdx_info_sha384(tdx_image_module(img),
			      (size_t)img->module_pages * TDX_IMAGE_PAGE_SIZE,
			      res->module_sha);
	if (ret)
		return ret;
	tdx_info_hex(sig->seamhash, TDX_SIGSTRUCT_HASH_BYTES, seamhash);
	res->hash = strcmp(seamhash, res->module_sha) ? TDX_INFO_BAD :
							 TDX_INFO_GOOD;

	ret = tdx_info_sha384(sig->modulus, TDX_SIGSTRUCT_RSA_BYTES,
			      res->key_sha);
	if (ret)
		return ret;
	res->intel_key = !strcmp(res->key_sha, TDX_INFO_INTEL_KEY_SHA384);
	ret = tdx_info_verify(sig, &valid);
	if (ret)
		return ret;
	res->sig = valid ? TDX_INFO_GOOD : TDX_INFO_BAD;
	return 0;
}

#else /* !FWACTCTL_HAVE_CRYPTO */

/* Built without libcrypto: both checks stay TDX_INFO_UNCHECKED. */
static int tdx_info_check(const struct tdx_image *img,
			  struct tdx_info_result *res)
{
	(void)img;
	(void)res;
	return 0;
}

#endif /* FWACTCTL_HAVE_CRYPTO */

#define TDX_INFO_NOT_CHECKED	"not checked (built without libcrypto)"

/* The sigstruct's date is BCD 0xYYYYMMDD. */
static void tdx_info_date(u32 date, char *buf, size_t size)
{
	snprintf(buf, size, "%04x-%02x-%02x", date >> 16, (date >> 8) & 0xff,
		 date & 0xff);
}

/* Family, model and stepping of a CPUID(1).EAX, as the kernel decodes them. */
static void tdx_info_fms(u32 eax, unsigned int *family, unsigned int *model,
			 unsigned int *stepping)
{
	*family = (eax >> 8) & 0xf;
	*model = (eax >> 4) & 0xf;
	*stepping = eax & 0xf;
	if (*family == 0xf)
		*family += (eax >> 20) & 0xff;
	if (*family >= 0x6)
		*model += ((eax >> 16) & 0xf) << 4;
}

static void tdx_info_print(const char *path, const struct tdx_image *img,
			   const struct tdx_info_result *res)
{
	const struct tdx_sigstruct *sig = &img->sig;
	char date[16], seamhash[TDX_INFO_HEX_LEN];
	unsigned int family, model, stepping;
	u32 i, eax;

	tdx_info_date(sig->date, date, sizeof(date));
	printf("%s: TDX module image, format 0x%x, %u module pages (%zu bytes)\n",
	       path, img->version, img->module_pages,
	       (size_t)img->module_pages * TDX_IMAGE_PAGE_SIZE);
	printf("  sigstruct: vendor 0x%04x, date %s, %s, ", sig->vendor, date,
	       sig->debug ? "debug" : "production");
	printf("SVN %u.%u (major.minor), attributes 0x%llx\n", sig->svn_major,
	       sig->svn_minor, (unsigned long long)sig->attributes);
	printf("  handoff: module_hv %u, min_update_hv %u, no_downgrade %u, handoff pages %u\n",
	       sig->module_hv, sig->min_update_hv, sig->no_downgrade,
	       sig->num_handoff_pages);
	printf("  cpuid:");
	if (!sig->nr_cpuids)
		printf(" none");
	for (i = 0; i < sig->nr_cpuids; i++) {
		eax = tdx_sigstruct_cpuid(sig, i);
		tdx_info_fms(eax, &family, &model, &stepping);
		printf("%s 0x%08x (family %u model %u stepping %u)",
		       i ? "," : "", eax, family, model, stepping);
	}
	putchar('\n');

	tdx_info_hex(sig->seamhash, TDX_SIGSTRUCT_HASH_BYTES, seamhash);
	if (res->hash == TDX_INFO_GOOD)
		printf("  seamhash: matches the module (sha384 %s)\n", seamhash);
	else if (res->hash == TDX_INFO_BAD)
		printf("  seamhash: DOES NOT MATCH (module sha384 %s, sigstruct %s)\n",
		       res->module_sha, seamhash);
	else
		printf("  seamhash: " TDX_INFO_NOT_CHECKED "\n");

	if (res->sig == TDX_INFO_UNCHECKED)
		printf("  signature: " TDX_INFO_NOT_CHECKED "\n");
	else
		printf("  signature: %s, key sha384 %s (%s)\n",
		       res->sig == TDX_INFO_GOOD ? "valid" : "INVALID",
		       res->key_sha, res->intel_key ?
		       "Intel production key" : "not Intel's production key");
}

static const char *tdx_info_check_str(enum tdx_info_check check,
				      const char *good, const char *bad)
{
	if (check == TDX_INFO_GOOD)
		return good;
	return check == TDX_INFO_BAD ? bad : "not checked";
}

static void tdx_info_json(struct fwactctl_json *j, const struct tdx_image *img,
			  const struct tdx_info_result *res)
{
	const struct tdx_sigstruct *sig = &img->sig;
	char buf[TDX_INFO_HEX_LEN];
	u32 i;

	snprintf(buf, sizeof(buf), "0x%x", img->version);
	fwactctl_json_string(j, "format", buf);
	fwactctl_json_int(j, "size", img->size);
	fwactctl_json_int(j, "module_offset", img->module_off);
	fwactctl_json_int(j, "module_pages", img->module_pages);
	fwactctl_json_int(j, "module_bytes",
			  (long long)img->module_pages * TDX_IMAGE_PAGE_SIZE);
	snprintf(buf, sizeof(buf), "0x%04x", sig->vendor);
	fwactctl_json_string(j, "vendor", buf);
	tdx_info_date(sig->date, buf, sizeof(buf));
	fwactctl_json_string(j, "date", buf);
	fwactctl_json_bool(j, "debug", sig->debug);
	snprintf(buf, sizeof(buf), "%u.%u", sig->svn_major, sig->svn_minor);
	fwactctl_json_string(j, "svn", buf);
	fwactctl_json_int(j, "svn_major", sig->svn_major);
	fwactctl_json_int(j, "svn_minor", sig->svn_minor);
	snprintf(buf, sizeof(buf), "0x%llx",
		 (unsigned long long)sig->attributes);
	fwactctl_json_string(j, "attributes", buf);
	fwactctl_json_int(j, "module_hv", sig->module_hv);
	fwactctl_json_int(j, "min_update_hv", sig->min_update_hv);
	fwactctl_json_bool(j, "no_downgrade", sig->no_downgrade);
	fwactctl_json_int(j, "handoff_pages", sig->num_handoff_pages);
	fwactctl_json_array_begin(j, "cpuids");
	for (i = 0; i < sig->nr_cpuids; i++) {
		snprintf(buf, sizeof(buf), "0x%08x",
			 tdx_sigstruct_cpuid(sig, i));
		fwactctl_json_string(j, NULL, buf);
	}
	fwactctl_json_array_end(j);

	tdx_info_hex(sig->seamhash, TDX_SIGSTRUCT_HASH_BYTES, buf);
	fwactctl_json_string(j, "seamhash", buf);
	fwactctl_json_string(j, "seamhash_check",
			     tdx_info_check_str(res->hash, "match",
						"mismatch"));
	if (res->hash != TDX_INFO_UNCHECKED)
		fwactctl_json_string(j, "module_sha384", res->module_sha);
	fwactctl_json_string(j, "signature",
			     tdx_info_check_str(res->sig, "valid", "invalid"));
	if (res->sig != TDX_INFO_UNCHECKED) {
		fwactctl_json_string(j, "key_sha384", res->key_sha);
		fwactctl_json_bool(j, "intel_production_key", res->intel_key);
	}
}

#define TDX_INFO_HASH_BAD	"SEAMHASH does not match the module"
#define TDX_INFO_SIG_BAD	"signature does not verify"

/*
 * Describe one file. Returns 0 or the exit status of its first failure,
 * whose message is printed after its description.
 */
static int tdx_info_file(struct fwactctl_json *json, const char *path)
{
	struct tdx_info_result res = { 0 };
	struct tdx_image_err err;
	struct tdx_image img;
	const char *error;
	char msg[128];
	int ret, status;
	size_t len;
	char *buf;

	ret = fwactctl_file_read(path, &buf, &len);
	if (ret) {
		if (json) {
			fwactctl_json_object_begin(json, NULL);
			fwactctl_json_string(json, "file", path);
			fwactctl_json_string(json, "error", strerror(-ret));
			fwactctl_json_object_end(json);
		}
		return fwactctl_error(-ret, "tdx-info: %s", path);
	}

	ret = tdx_image_parse(buf, len, &img, &err);
	if (ret) {
		if (json) {
			fwactctl_json_object_begin(json, NULL);
			fwactctl_json_string(json, "file", path);
			snprintf(msg, sizeof(msg), "offset 0x%zx: %s", err.off,
				 tdx_image_fault_str(err.fault));
			fwactctl_json_string(json, "error", msg);
			fwactctl_json_object_end(json);
		}
		free(buf);
		fflush(stdout);
		return fwactctl_error(-ret, "tdx-info: %s: offset 0x%zx: %s",
				      path, err.off,
				      tdx_image_fault_str(err.fault));
	}

	ret = tdx_info_check(&img, &res);
	if (ret) {
		free(buf);
		fflush(stdout);
		return fwactctl_error(-ret, "tdx-info: %s: libcrypto", path);
	}

	if (res.hash == TDX_INFO_BAD && res.sig == TDX_INFO_BAD)
		error = TDX_INFO_HASH_BAD "; " TDX_INFO_SIG_BAD;
	else if (res.hash == TDX_INFO_BAD)
		error = TDX_INFO_HASH_BAD;
	else if (res.sig == TDX_INFO_BAD)
		error = TDX_INFO_SIG_BAD;
	else
		error = "";
	if (json) {
		fwactctl_json_object_begin(json, NULL);
		fwactctl_json_string(json, "file", path);
		tdx_info_json(json, &img, &res);
		fwactctl_json_string(json, "error", error);
		fwactctl_json_object_end(json);
	} else {
		tdx_info_print(path, &img, &res);
	}
	free(buf);

	status = 0;
	if (res.hash == TDX_INFO_BAD || res.sig == TDX_INFO_BAD)
		fflush(stdout);
	if (res.hash == TDX_INFO_BAD)
		status = fwactctl_error(EBADMSG, "tdx-info: %s: " TDX_INFO_HASH_BAD,
					path);
	if (res.sig == TDX_INFO_BAD) {
		ret = fwactctl_error(EKEYREJECTED,
				     "tdx-info: %s: " TDX_INFO_SIG_BAD, path);
		if (!status)
			status = ret;
	}
	return status;
}

static int tdx_info_run(struct fwactctl_ctx *ctx, int argc, char **argv)
{
	struct fwactctl_json json, *j = NULL;
	int i, ret, status = 0;

	if (ctx->json) {
		fwactctl_json_init(&json, stdout);
		j = &json;
		fwactctl_json_array_begin(j, NULL);
	}
	for (i = 0; i < argc; i++) {
		ret = tdx_info_file(j, argv[i]);
		if (ret && !status)
			status = ret;
	}
	if (j)
		fwactctl_json_array_end(j);
	return status;
}

const struct fwactctl_cmd fwactctl_cmd_tdx_info = {
	.name = "tdx-info",
	.args = "FILE...",
	.summary = "describe TDX module images and check their signatures",
	.help = "Validate each TDX module image (header of format 0x100 or 0x200,\n"
		"lengths, SEAM sigstruct) with the parser of the kernel backend and\n"
		"print its module size, vendor, date, production or debug signing,\n"
		"SVN, handoff versions and CPUID table. When fwactctl is built with\n"
		"libcrypto, also check that SEAMHASH is the SHA-384 of the module and\n"
		"that the RSA-3072 signature verifies with the sigstruct's key, and\n"
		"name the key by the SHA-384 of its modulus (Intel's production key\n"
		"or another). Exits with EINVAL if a file is malformed, EBADMSG if\n"
		"its SEAMHASH does not match, EKEYREJECTED if its signature does not\n"
		"verify.",
	.min_args = 1,
	.max_args = 4096,
	.run = tdx_info_run,
};
