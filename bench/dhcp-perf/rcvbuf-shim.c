/* rcvbuf-shim.c - LD_PRELOAD for perfdhcp: every UDP socket it opens gets a receive buffer of
 * $DSP_PERFDHCP_RCVBUF bytes (default 4 MiB) instead of net.core.rmem_default (208 KiB).
 *
 * Why: perfdhcp is one thread that both paces its sends and drains its replies. At several
 * thousand exchanges per second a scheduling hiccup of a few milliseconds on its CPU overflows a
 * 208 KiB buffer, and the run then measures perfdhcp's own drops (Udp RcvbufErrors in the client
 * namespace), not the server. The buffer is a per-socket setting, so nothing outside the
 * benchmark's namespaces changes, and every server under test gets the same client.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>

int socket(int domain, int type, int protocol)
{
    static int (*real_socket)(int, int, int);
    if (!real_socket)
        real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
    int fd = real_socket(domain, type, protocol);
    if (fd >= 0 && (domain == AF_INET || domain == AF_INET6) && (type & 0xf) == SOCK_DGRAM) {
        const char *env = getenv("DSP_PERFDHCP_RCVBUF");
        int bytes = env ? atoi(env) : 4 * 1024 * 1024;
        if (bytes > 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }
    return fd;
}
