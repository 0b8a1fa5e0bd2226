/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What "ctrctl security" and "ctrctl validate --security-threshold" share (security.c). */

#include "ctr-file.h"
#include "exposure.h"

/* "5", "5.0", "4.5" (0 to 10, one decimal at most) into tenths. */
int security_threshold_parse(const char *s, int *ret);

/* The exposure of |c| as it would run: a store image's config applied to it first (its User). */
int security_exposure(Container *c, Exposure *ret);
