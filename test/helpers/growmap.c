/*
 * A 44 MiB anonymous mapping that grows by 20 MiB when told: on SIGUSR1 a second mapping is placed
 * right below it, with the same protection and flags, so the kernel merges the two into one 64 MiB
 * region whose base is the new mapping's. Prints "ready BASE" (the first mapping, hex) and then
 * "grown BASE" (the merged region), touching every page of each; sleeps until killed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

static char *map_at(char *at, size_t size) {
  char *p = mmap(at, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED || p != at) {
    perror("mmap");
    _exit(1);
  }
  memset(p, 1, size);
  return p;
}

int main(void) {
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  /* Blocked before "ready", so a signal sent as soon as the line is read waits for sigwait. */
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  /* Find 64 MiB of free address space, give it back, and use its upper 44 MiB. */
  char *span = mmap(NULL, 64 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (span == MAP_FAILED || munmap(span, 64 * MIB) != 0) {
    perror("span");
    return 1;
  }
  char *upper = map_at(span + 20 * MIB, 44 * MIB);
  printf("ready %p\n", (void *)upper);
  fflush(stdout);
  int sig;
  sigwait(&usr1, &sig);
  char *lower = map_at(span, 20 * MIB);
  printf("grown %p\n", (void *)lower);
  fflush(stdout);
  for (;;) pause();
}
