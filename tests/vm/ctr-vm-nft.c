/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The guest has libnftables (ctr-launch links it) but not the nftables package: this runs each argument as
 * one nft command line, as "nft 'CMD'" would, printing nft's output. The VM cases use it for a stand-in
 * nftables.service whose reload does what Debian's does (/etc/nftables.conf begins with "flush ruleset"),
 * and to list the table "ip ctr".
 *
 *   ctr-vm-nft CMD…      exit status 0, or 1 with nft's error on stderr */

#include <stdio.h>

#include <nftables/libnftables.h>

int main(int argc, char *argv[]) {
        struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
        int ret = 0;

        if (!ctx) {
                fprintf(stderr, "ctr-vm-nft: out of memory\n");
                return 1;
        }
        for (int i = 1; i < argc; i++)
                if (nft_run_cmd_from_buffer(ctx, argv[i]) != 0) {
                        ret = 1;
                        break;
                }
        nft_ctx_free(ctx);
        return ret;
}
