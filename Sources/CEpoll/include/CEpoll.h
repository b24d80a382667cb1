// The Linux interfaces that Glibc's Swift module leaves out, for pythia-bench's bare epoll
// floor server.
#ifndef C_EPOLL_H
#define C_EPOLL_H

#include <sys/epoll.h>
#include <sys/eventfd.h>

/// accept4(2) without the peer's address: declared by <sys/socket.h> only under _GNU_SOURCE.
int cepoll_accept4(int listener, int flags);

#endif
