/*
 * A process with known memory contents for the memory-contents tests and benches. It maps one
 * 16-page read-write region and writes into it: an ASCII marker (page 0, offset 0x100), a UTF-16LE
 * marker (page 1, offset 0x40), a 16-byte pattern (page 2, offset 0x10), a UTF-16LE marker at an
 * odd address (page 2, offset 0x81), two identical pages (pages 8 and 9, every byte 0x41); the
 * other pages are left zero. Then more mappings: a PROT_NONE one (no access), a run of three pages
 * whose middle one is unmapped (a free hole), and two one-page mappings side by side ("joined": a
 * read-write page, then a read-only one) with an ASCII marker across their boundary.
 * With argv[1] = N it also maps N MiB of committed memory, every page written with a text line,
 * and with argv[2] = "pattern" it places the 16-byte pattern once at the end of that region.
 * It prints one JSON line with the addresses and waits to be killed.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const unsigned char PATTERN[16] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67,
                                          0x89, 0xab, 0xcd, 0xef, 0xfe, 0xed, 0xfa, 0xce};

static void *map(size_t size, int prot) {
  void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  /* Free pages on both sides, so the kernel never merges rw with a neighbouring mapping. */
  unsigned char *rw = map(18 * page, PROT_READ | PROT_WRITE);
  munmap(rw, page);
  munmap(rw + 17 * page, page);
  rw += page;
  strcpy((char *)rw + 0x100, "VMSCOPE-MARKER-ASCII-1234");
  const char *wide = "VmscopeWideMarker";
  for (size_t i = 0; i < strlen(wide); i++) rw[page + 0x40 + 2 * i] = (unsigned char)wide[i];
  memcpy(rw + 2 * page + 0x10, PATTERN, sizeof PATTERN);
  const char *odd = "VmscopeOddWide";
  for (size_t i = 0; i < strlen(odd); i++) rw[2 * page + 0x81 + 2 * i] = (unsigned char)odd[i];
  memset(rw + 8 * page, 0x41, 2 * page);
  unsigned char *none = map(2 * page, PROT_NONE);
  /* The gap's last page must not merge with a neighbour either: map five, keep 1-3. */
  unsigned char *gap = map(5 * page, PROT_READ | PROT_WRITE);
  munmap(gap, page);
  munmap(gap + 4 * page, page);
  gap += page;
  memset(gap, 0x5a, 3 * page);
  munmap(gap + page, page);
  /* Two mappings that touch: different protections keep the kernel from merging them. */
  unsigned char *joined = map(4 * page, PROT_READ | PROT_WRITE);
  munmap(joined, page);
  munmap(joined + 3 * page, page);
  joined += page;
  const char *across = "VMSCOPE-ACROSS-A-BOUNDARY";
  memcpy(joined + page - 12, across, strlen(across));
  if (mprotect(joined + page, page, PROT_READ) != 0) {
    perror("mprotect");
    exit(1);
  }

  unsigned char *big = NULL;
  size_t bigSize = 0;
  if (argc > 1) {
    bigSize = (size_t)atol(argv[1]) << 20;
    big = map(bigSize, PROT_READ | PROT_WRITE);
    for (size_t off = 0; off < bigSize; off += page)
      snprintf((char *)big + off, page, "vmscope bench page %zu of a big region\n", off / page);
    if (argc > 2 && strcmp(argv[2], "pattern") == 0)
      memcpy(big + bigSize - sizeof PATTERN, PATTERN, sizeof PATTERN);
  }
  printf("{\"pageSize\":%zu,\"rw\":\"0x%lx\",\"none\":\"0x%lx\",\"gap\":\"0x%lx\","
         "\"joined\":\"0x%lx\",\"big\":\"0x%lx\",\"bigSize\":%zu}\n",
         page, (unsigned long)rw, (unsigned long)none, (unsigned long)gap, (unsigned long)joined,
         (unsigned long)big, bigSize);
  fflush(stdout);
  for (;;) pause();
}
