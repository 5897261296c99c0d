/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands of fwactctl, in the order ``fwactctl --help`` lists them.
 *
 * This file is included with FWACTCTL_COMMAND(id) expanded twice: once in
 * fwactctl.h to declare ``fwactctl_cmd_<id>`` and once in fwactctl.c to
 * build the command table. Adding a command is one line here plus the file
 * that defines ``const struct fwactctl_cmd fwactctl_cmd_<id>`` (the Makefile
 * builds every .c file in this directory); e.g. ``FWACTCTL_COMMAND(ucode_info)``
 * with tools/fwact/ucode_info.c.
 *
 * No include guard: it is meant to be expanded more than once.
 */
FWACTCTL_COMMAND(list)
FWACTCTL_COMMAND(show)
FWACTCTL_COMMAND(stage)
FWACTCTL_COMMAND(activate)
FWACTCTL_COMMAND(cancel)
FWACTCTL_COMMAND(journal)
FWACTCTL_COMMAND(ucode_info)
FWACTCTL_COMMAND(tdx_info)
