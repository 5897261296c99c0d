// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the contract a backend registers against (fwact.h): every
 * description fwact_register() must refuse (budgets among them) is
 * refused with -EINVAL and leaves nothing behind, a valid one registers
 * once, and its name is then taken until it is unregistered.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fwact.h>
#include <linux/string.h>

#include "fwact-internal.h"

static int fwact_kunit_get_info(struct fwact_component *comp,
				struct fwact_info *info)
{
	return 0;
}

static int fwact_kunit_stage(struct fwact_component *comp, const void *data,
			     size_t size)
{
	return 0;
}

static int fwact_kunit_act(void *priv, const struct fwact_call *call)
{
	return 0;
}

static const struct fwact_ops fwact_kunit_ops = {
	.get_info = fwact_kunit_get_info,
};

static const struct fwact_ops fwact_kunit_ops_stage = {
	.get_info = fwact_kunit_get_info,
	.stage = fwact_kunit_stage,
};

static const struct fwact_ops fwact_kunit_ops_no_info = {
	.stage = fwact_kunit_stage,
};

static const struct fwact_step fwact_kunit_one[] = {
	{ .name = "activate", .mode = FWACT_MODE_ONE, .act = fwact_kunit_act },
};

static const struct fwact_step fwact_kunit_mixed[] = {
	{ .name = "prepare", .mode = FWACT_MODE_NONE, .act = fwact_kunit_act },
	{ .name = "activate", .mode = FWACT_MODE_ALL, .act = fwact_kunit_act },
};

static const struct fwact_step fwact_kunit_no_act[] = {
	{ .name = "activate", .mode = FWACT_MODE_ONE },
};

static const struct fwact_step fwact_kunit_bad_mode[] = {
	{ .name = "activate", .mode = FWACT_MODE_NR, .act = fwact_kunit_act },
};

static const struct fwact_step fwact_kunit_many[FWACT_MAX_STEPS + 1] = {
	[0 ... FWACT_MAX_STEPS] = {
		.name = "step", .mode = FWACT_MODE_ALL, .act = fwact_kunit_act,
	},
};

/* A valid description; each case breaks one thing in a copy of it. */
static struct fwact_component_desc fwact_kunit_desc(void)
{
	return (struct fwact_component_desc){
		.name = "kunit-component",
		.backend = "kunit",
		.ops = &fwact_kunit_ops,
		.steps = fwact_kunit_one,
		.nr_steps = ARRAY_SIZE(fwact_kunit_one),
		.max_image_size = 4096,
		.owner = THIS_MODULE,
	};
}

static void fwact_kunit_expect_einval(struct kunit *test,
				      const struct fwact_component_desc *desc,
				      const char *what)
{
	struct fwact_component *comp = fwact_register(desc);

	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(comp), -EINVAL, "%s", what);
	if (!IS_ERR(comp))
		fwact_unregister(comp);
}

static void fwact_kunit_bad_names_are_refused(struct kunit *test)
{
	struct fwact_component_desc d = fwact_kunit_desc();
	char *long_name = kunit_kzalloc(test, FWACT_NAME_LEN + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, long_name);
	d.name = NULL;
	fwact_kunit_expect_einval(test, &d, "no name");
	d.name = "";
	fwact_kunit_expect_einval(test, &d, "empty name");
	d.name = "a/b";
	fwact_kunit_expect_einval(test, &d, "name with a slash");
	memset(long_name, 'n', FWACT_NAME_LEN);
	d.name = long_name;
	fwact_kunit_expect_einval(test, &d, "name of FWACT_NAME_LEN bytes");
}

static void fwact_kunit_required_ops_are_checked(struct kunit *test)
{
	struct fwact_component_desc d = fwact_kunit_desc();

	d.backend = NULL;
	fwact_kunit_expect_einval(test, &d, "no backend");
	d = fwact_kunit_desc();
	d.ops = NULL;
	fwact_kunit_expect_einval(test, &d, "no ops");
	d.ops = &fwact_kunit_ops_no_info;
	fwact_kunit_expect_einval(test, &d, "no get_info");
}

static void fwact_kunit_bad_flags_and_context_are_refused(struct kunit *test)
{
	struct fwact_component_desc d = fwact_kunit_desc();

	d.flags = BIT(7);
	fwact_kunit_expect_einval(test, &d, "unknown flag");
	d.flags = FWACT_DESC_UPLOAD_ACTIVATE;
	fwact_kunit_expect_einval(test, &d, "upload-activate without stage");
	d.flags = FWACT_DESC_RENDEZVOUS;
	d.steps = fwact_kunit_mixed;
	d.nr_steps = 1;
	fwact_kunit_expect_einval(test, &d, "rendezvous required, mode none");
	d = fwact_kunit_desc();
	d.context = FWACT_CONTEXT_NR;
	fwact_kunit_expect_einval(test, &d, "unknown context");
}

static void fwact_kunit_bad_programs_are_refused(struct kunit *test)
{
	struct fwact_component_desc d = fwact_kunit_desc();

	d.steps = NULL;
	fwact_kunit_expect_einval(test, &d, "no steps");
	d = fwact_kunit_desc();
	d.nr_steps = 0;
	fwact_kunit_expect_einval(test, &d, "zero steps");
	d.steps = fwact_kunit_many;
	d.nr_steps = ARRAY_SIZE(fwact_kunit_many);
	fwact_kunit_expect_einval(test, &d, "more than FWACT_MAX_STEPS");
	d.steps = fwact_kunit_mixed;
	d.nr_steps = ARRAY_SIZE(fwact_kunit_mixed);
	fwact_kunit_expect_einval(test, &d, "mode none mixed with held steps");
	d.steps = fwact_kunit_no_act;
	d.nr_steps = ARRAY_SIZE(fwact_kunit_no_act);
	fwact_kunit_expect_einval(test, &d, "step without an action");
	d.steps = fwact_kunit_bad_mode;
	d.nr_steps = ARRAY_SIZE(fwact_kunit_bad_mode);
	fwact_kunit_expect_einval(test, &d, "unknown mode");
}

static void fwact_kunit_budgets_are_checked(struct kunit *test)
{
	struct fwact_component_desc d = fwact_kunit_desc();
	struct fwact_component *comp;

	d.max_budget_us = FWACT_BUDGET_CEILING_US + 1;
	fwact_kunit_expect_einval(test, &d, "largest budget above the ceiling");
	d.max_budget_us = 0;
	d.budget_us = FWACT_MAX_BUDGET_US + 1;
	fwact_kunit_expect_einval(test, &d, "default above the core's largest");
	d.max_budget_us = 2000000;
	d.budget_us = 2000001;
	fwact_kunit_expect_einval(test, &d, "default above the backend's largest");

	/* At the ceiling, with a default above the core's own largest. */
	d.max_budget_us = FWACT_BUDGET_CEILING_US;
	d.budget_us = FWACT_MAX_BUDGET_US + 1;
	comp = fwact_register(&d);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(comp), "%ld", PTR_ERR(comp));
	fwact_unregister(comp);
}

static void fwact_kunit_valid_registers_once(struct kunit *test)
{
	struct fwact_component_desc d = fwact_kunit_desc();
	struct fwact_component *comp, *again;
	char *name;

	d.steps = fwact_kunit_many;
	d.nr_steps = FWACT_MAX_STEPS;
	d.ops = &fwact_kunit_ops_stage;
	d.flags = FWACT_DESC_UPLOAD_ACTIVATE;
	comp = fwact_register(&d);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(comp), "%ld", PTR_ERR(comp));
	KUNIT_EXPECT_STREQ(test, fwact_name(comp), "kunit-component");
	KUNIT_EXPECT_EQ(test, fwact_get_state(comp), FWACT_STATE_IDLE);
	again = fwact_register(&d);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(again), -EEXIST);
	if (!IS_ERR(again))
		fwact_unregister(again);
	fwact_unregister(comp);

	/* The name is free again; the longest name allowed registers too. */
	comp = fwact_register(&d);
	KUNIT_ASSERT_FALSE(test, IS_ERR(comp));
	fwact_unregister(comp);
	name = kunit_kzalloc(test, FWACT_NAME_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	memset(name, 'n', FWACT_NAME_LEN - 1);
	d.name = name;
	comp = fwact_register(&d);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(comp), "%ld", PTR_ERR(comp));
	KUNIT_EXPECT_STREQ(test, fwact_name(comp), name);
	fwact_unregister(comp);
}

static struct kunit_case fwact_kunit_cases[] = {
	KUNIT_CASE(fwact_kunit_bad_names_are_refused),
	KUNIT_CASE(fwact_kunit_required_ops_are_checked),
	KUNIT_CASE(fwact_kunit_bad_flags_and_context_are_refused),
	KUNIT_CASE(fwact_kunit_bad_programs_are_refused),
	KUNIT_CASE(fwact_kunit_budgets_are_checked),
	KUNIT_CASE(fwact_kunit_valid_registers_once),
	{}
};

static struct kunit_suite fwact_kunit_suite = {
	.name = "fwact_register",
	.test_cases = fwact_kunit_cases,
};

kunit_test_suite(fwact_kunit_suite);

MODULE_DESCRIPTION("KUnit tests of the fwact component contract");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
