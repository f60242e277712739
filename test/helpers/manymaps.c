/*
 * A process with COUNT distinct mappings (argv[1]): one anonymous region of COUNT pages whose pages
 * alternate between read-write and read-only, so the kernel cannot merge neighbours. Every page is
 * touched, so smaps has resident figures to report. Prints "ready N" when done, then sleeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 60000;
  long page = sysconf(_SC_PAGESIZE);
  char *base = mmap(NULL, (size_t)(count * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  for (long i = 0; i < count; i++) base[i * page] = 1;
  for (long i = 1; i < count; i += 2) {
    if (mprotect(base + i * page, (size_t)page, PROT_READ) != 0) {
      perror("mprotect");
      return 1;
    }
  }
  printf("ready %ld\n", count);
  fflush(stdout);
  for (;;) pause();
}
