/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of capsule.c: see ../kcompat.h. */
#include "kcompat.h"
