#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include "CEpoll.h"

int cepoll_accept4(int listener, int flags) {
    return accept4(listener, NULL, NULL, flags);
}
