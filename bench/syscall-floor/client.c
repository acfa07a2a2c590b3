/* client.c IP RATE SECS - DORA-shaped load: RATE times a second a 300-byte 'D' datagram; each
 * 'D' answer is followed by an 'R' datagram; an 'R' answer completes the exchange. Prints the
 * counts; the CPU of the server is measured from outside. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 1;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9999) };
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    double rate = atof(argv[2]), secs = atof(argv[3]), t0 = now();
    char out[300], in[300];
    memset(out, 0, sizeof out);
    long sent = 0, done = 0;
    while (now() - t0 < secs) {
        while (sent < (now() - t0) * rate) {
            out[0] = 'D';
            sendto(s, out, sizeof out, 0, (struct sockaddr *)&a, sizeof a);
            sent++;
        }
        ssize_t n = recv(s, in, sizeof in, MSG_DONTWAIT);
        if (n > 0 && in[0] == 'D') {
            out[0] = 'R';
            sendto(s, out, sizeof out, 0, (struct sockaddr *)&a, sizeof a);
        } else if (n > 0) {
            done++;
        } else {
            usleep(100);
        }
    }
    printf("sent=%ld done=%ld\n", sent, done);
    return 0;
}
