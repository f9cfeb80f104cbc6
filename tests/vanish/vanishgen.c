/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vanishgen: process and socket churn for the vanish-race test. It listens
 * on 127.0.0.1 and forks --rate short-lived children per second for
 * --duration seconds. Each child (named "vgchild") connects a TCP socket to
 * the listener, binds a UDP socket, lives 0-20 ms and exits; the parent
 * accepts the connections and closes each a little later, so sockets and
 * their owners come and go while a sampler dumps and walks them; a child's
 * TCP socket is reset at exit, leaving no TIME-WAIT behind. Prints
 * "ready port=P" once listening and "done forks=N" at the end. Loopback
 * only; every child is reaped before exit.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ACCEPTED_KEPT 64	/* accepted ends open at once: older ones are closed */

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: vanishgen [--rate PER_SECOND] [--duration SECONDS]\n");
	exit(2);
}

/* The parent's fds (listener, accepted ends) are closed first: a child
 * holds only its own two sockets. */
static void child(const struct sockaddr_in *to, unsigned int seed, const int *fds, int nfds)
{
	struct sockaddr_in u = { .sin_family = AF_INET };
	int t, d;

	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	prctl(PR_SET_NAME, "vgchild");
	t = socket(AF_INET, SOCK_STREAM, 0);
	if (t >= 0) {
		/* Reset on exit: thousands of TIME-WAIT sockets would outlive the
		 * test and slow every socket dump after it. */
		struct linger l = { .l_onoff = 1, .l_linger = 0 };

		(void)setsockopt(t, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		(void)connect(t, (const struct sockaddr *)to, sizeof(*to));
	}
	d = socket(AF_INET, SOCK_DGRAM, 0);
	u.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (d >= 0)
		(void)bind(d, (const struct sockaddr *)&u, sizeof(u));
	usleep(seed % 20000);
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	int kept[ACCEPTED_KEPT], nkept = 0, next_kept = 0, lfd;
	double rate = 1000, duration = 10, start, step;
	unsigned long forks = 0;
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--rate") == 0)
			rate = atof(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--duration") == 0)
			duration = atof(argv[++i]);
		else
			usage();
	}
	if (rate < 1 || rate > 20000 || duration <= 0 || duration > 600)
		usage();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, 4096) || getsockname(lfd, (struct sockaddr *)&addr, &alen)) {
		perror("vanishgen: listener");
		return 1;
	}
	printf("ready port=%u\n", ntohs(addr.sin_port));
	fflush(stdout);

	start = now_s();
	step = 1.0 / rate;
	while (!stop) {
		double t = now_s() - start;
		pid_t pid;
		int a;

		if (t >= duration)
			break;
		/* Catch up to the rate, a few forks per round at most. */
		for (int k = 0; k < 8 && (double)forks * step <= t; k++) {
			pid = fork();
			if (pid == 0) {
				close(lfd);
				child(&addr, (unsigned int)(forks * 2654435761u), kept, nkept);
			}
			if (pid > 0)
				forks++;
		}
		while ((a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
			if (nkept == ACCEPTED_KEPT)
				close(kept[next_kept]);
			else
				nkept++;
			kept[next_kept] = a;
			next_kept = (next_kept + 1) % ACCEPTED_KEPT;
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(500);
	}
	for (int k = 0; k < nkept; k++)
		close(kept[k]);
	close(lfd);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	printf("done forks=%lu\n", forks);
	return 0;
}
