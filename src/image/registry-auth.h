/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Registry credentials and configuration on the host, in the places and formats the other tools use:
 *   auth file   $REGISTRY_AUTH_FILE, else CONFIG/auth.json: {"auths": {"HOST[:PORT]": {"auth":
 *               base64("USER:PASSWORD")}}}, what `podman login` and `docker login` write (mode 0600)
 *   certs.d     CONFIG/certs.d, /etc/containers/certs.d, /etc/docker/certs.d: HOST[:PORT]/ca.crt (or any
 *               *.crt) trusted besides the system's CAs, HOST[:PORT]/client.cert + client.key presented
 *   insecure    CONFIG/insecure-registries: HOST[:PORT] per line ('#' comments), spoken to over plain HTTP
 * CONFIG is $CTR_REGISTRY_CONFIG_DIR (an absolute path; for tests) or /etc/ctr; with it set, only its
 * certs.d is searched. Passwords are never logged or put in an error text. Logs nothing. */

#include <stdbool.h>

#define REGISTRY_CONFIG_DIR_DEFAULT "/etc/ctr"
/* The registry API host of docker.io, and the key docker login files it under */
#define DOCKER_IO_API_HOST "registry-1.docker.io"
#define DOCKER_IO_AUTH_KEY "https://index.docker.io/v1/"

const char *registry_config_dir(void);
/* $REGISTRY_AUTH_FILE or CONFIG/auth.json */
int registry_auth_file(char **ret);

/* The certs.d directories, in order of precedence. */
char **registry_certs_dirs(void);

/* Whether CONFIG/insecure-registries lists |registry| (HOST[:PORT]). */
bool registry_is_insecure(const char *registry);

/* The credentials for |registry| (a reference's domain: "docker.io", "ghcr.io", "127.0.0.1:5000") in the
 * auth file |path|: -ENOENT when it has none (or there is no file), -EBADMSG when the file or the entry
 * does not parse. */
int registry_auth_lookup(const char *path, const char *registry, char **ret_user, char **ret_password);

/* Writes (|user| non-NULL) or removes (|user| NULL: -ENOENT when there was no entry) |registry|'s entry,
 * keeping the file's other keys; the file is replaced atomically, mode 0600, its directory made 0700. */
int registry_auth_store(const char *path, const char *registry, const char *user, const char *password);

/* "Basic " + base64("USER:PASSWORD"): the value of an Authorization header. */
int registry_basic_credentials(const char *user, const char *password, char **ret);

/* A WWW-Authenticate header's challenge: its scheme ("Bearer", "Basic"; compared without case by the
 * caller) and the realm, service and scope parameters (NULL when absent). -EBADMSG when it does not parse. */
typedef struct RegistryChallenge {
        char *scheme, *realm, *service, *scope;
} RegistryChallenge;

void registry_challenge_done(RegistryChallenge *c);
int registry_challenge_parse(const char *header, RegistryChallenge *ret);

/* A token service's answer: {"token": …} or {"access_token": …}. -EBADMSG when it holds neither. */
int registry_token_parse(const char *json, size_t size, char **ret_token);
