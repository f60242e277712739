/*
 * Two independent mappings side by side, as issue 18 found them: a 64 MiB PROT_NONE reservation
 * directly below a 16 MiB read-write mapping whose every page is written, each from its own mmap
 * call, with a free gap on either side so nothing else joins them. Prints their addresses as one
 * JSON line, then sleeps until killed. Linux has no allocation base: vmscope's inference groups
 * the two (the PROT_NONE mapping is taken as the other's guard) and must say so.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

static char *map_at(char *at, size_t size, int prot) {
  char *p = mmap(at, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED || p != at) {
    perror("mmap");
    _exit(1);
  }
  return p;
}

int main(void) {
  size_t reserve_size = 64 * MIB, rw_size = 16 * MIB;
  /* Find room for both and a megabyte of free space on either side, then give it back. */
  char *room = mmap(NULL, reserve_size + rw_size + 2 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (room == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  munmap(room, reserve_size + rw_size + 2 * MIB);
  char *reserve = map_at(room + MIB, reserve_size, PROT_NONE);
  char *rw = map_at(reserve + reserve_size, rw_size, PROT_READ | PROT_WRITE);
  for (size_t i = 0; i < rw_size; i += (size_t)sysconf(_SC_PAGESIZE)) rw[i] = 1;
  printf("{\"reserve\":\"%p\",\"reserveSize\":%zu,\"rw\":\"%p\",\"rwSize\":%zu}\n", reserve, reserve_size, rw,
         rw_size);
  fflush(stdout);
  for (;;) pause();
}
