/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>

#include "image.h"
#include "strv.h"

void image_config_done(ImageConfig *c) {
        strv_free(c->entrypoint);
        strv_free(c->cmd);
        strv_free(c->env);
        free(c->user);
        free(c->working_dir);
        free(c->stop_signal);
        strv_free(c->volumes);
        strv_free(c->exposed_ports);
        strv_free(c->labels);
        strv_free(c->healthcheck.test);
        free(c->os);
        free(c->architecture);
        *c = (ImageConfig) {};
}

Image *image_free(Image *i) {
        if (!i)
                return NULL;
        free(i->name);
        strv_free(i->diff_ids);
        image_config_done(&i->config);
        free(i);
        return NULL;
}
