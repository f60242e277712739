/*
 * COUNT one-page mappings (argv[1]) with a free page between each two, so a snapshot has about
 * twice COUNT regions (the mappings and the gaps), as a fragmented real process would. Every page
 * is touched. Prints "ready N" when done, then sleeps until killed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 60000;
  long page = sysconf(_SC_PAGESIZE);
  /* Reserve the whole span, give it back, then map every other page inside it. */
  char *span = mmap(NULL, (size_t)(2 * count * page), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (span == MAP_FAILED || munmap(span, (size_t)(2 * count * page)) != 0) {
    perror("span");
    return 1;
  }
  for (long i = 0; i < count; i++) {
    char *p = mmap(span + 2 * i * page, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) {
      perror("mmap");
      return 1;
    }
    p[0] = 1;
  }
  printf("ready %ld\n", count);
  fflush(stdout);
  for (;;) pause();
}
