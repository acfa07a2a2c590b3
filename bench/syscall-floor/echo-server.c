/* echo-server.c - the cheapest possible "DHCP server": a blocking UDP loop that answers every
 * datagram with itself. With FSYNC=1 it also writes each 'R' (request) datagram to a file and
 * fdatasyncs it before answering, i.e. one durable write per exchange with no batching.
 * It measures what a wake-up, recvfrom, sendto (and an fdatasync) cost on this machine, which
 * is the floor under any server's CPU per DORA at a given rate. */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int durable = argc > 1 && atoi(argv[1]) != 0;
    const char *path = argc > 2 ? argv[2] : "/var/tmp/syscall-floor.dat";
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9999) };
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0)
        return 1;
    int fd = durable ? open(path, O_WRONLY | O_CREAT, 0644) : -1;
    char b[2048];
    for (;;) {
        struct sockaddr_in src;
        socklen_t l = sizeof src;
        ssize_t n = recvfrom(s, b, sizeof b, 0, (struct sockaddr *)&src, &l);
        if (n <= 0)
            continue;
        if (durable && b[0] == 'R') {
            if (pwrite(fd, b, (size_t)n, 0) < 0 || fdatasync(fd) != 0)
                return 2;
        }
        sendto(s, b, (size_t)n, 0, (struct sockaddr *)&src, l);
    }
}
