/* SPDX-License-Identifier: GPL-2.0 */
/* Host build of pfru_capsule.c: see ../kcompat.h. */
#include "kcompat.h"
