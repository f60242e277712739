/*
 * Known mappings for the Linux source tests. Maps a PROT_NONE reservation, a touched read-write
 * region, a read-only file mapping (argv[1]), an ELF file mapped read-only and never executable
 * (argv[2], optional: reported as null without it), a shared anonymous region, a locked page (if mlock is allowed) and two threads parked
 * in a syscall; prints their addresses as one JSON line once both threads are blocked in it; then
 * sleeps until killed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define THREADS 2

static long page;
static pthread_barrier_t ready;
static pid_t tids[THREADS];
static void *stack_lo[THREADS];
static size_t stack_size[THREADS];
/* Threads park in read(2) on this pipe, which nothing writes to. */
static int park[2];

static void *thread_main(void *arg) {
  long i = (long)arg;
  pthread_attr_t attr;
  tids[i] = (pid_t)syscall(SYS_gettid);
  pthread_getattr_np(pthread_self(), &attr);
  pthread_attr_getstack(&attr, &stack_lo[i], &stack_size[i]);
  pthread_attr_destroy(&attr);
  pthread_barrier_wait(&ready);
  char c;
  for (;;) read(park[0], &c, 1);
  return NULL;
}

/*
 * Waits (up to 10 s) until thread `tid` is blocked in read(2). A thread between the barrier and its
 * read, or runnable but waiting for a core on a busy machine, has /proc/.../syscall say `running`,
 * and a snapshot taken then cannot place its stack: the report waits for this.
 */
static void wait_parked(pid_t tid) {
  char path[64], text[32], want[16];
  snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
  snprintf(want, sizeof want, "%d ", SYS_read);
  for (int tries = 0; tries < 10000; tries++) {
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    if (n > 0) {
      text[n] = 0;
      if (strncmp(text, want, strlen(want)) == 0) return;
    }
    usleep(1000);
  }
}

static void *must_map(size_t size, int prot, int flags, int fd) {
  void *p = mmap(NULL, size, prot, flags, fd, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    _exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  page = sysconf(_SC_PAGESIZE);
  if (argc < 2) {
    fprintf(stderr, "usage: regions DATA-FILE [ELF-FILE]\n");
    return 2;
  }
  /* Each region sits between PROT_NONE guards of its own so the kernel never merges neighbours. */
  size_t reserve_size = 256 * page, rw_size = 16 * page, shared_size = 8 * page, shared_touched = 3;
  char *reserve = must_map(reserve_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1);
  char *rw = must_map(rw_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
  /* Newer kernels place it right below libc's anonymous .bss tail and merge the two; a VMA flag of
     its own (VM_DONTDUMP) keeps it one mapping of exactly rw_size. */
  if (madvise(rw, rw_size, MADV_DONTDUMP) != 0) {
    perror("madvise");
    return 1;
  }
  for (size_t i = 0; i < rw_size; i += page) rw[i] = 1;
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror("open");
    return 1;
  }
  size_t file_size = (size_t)st.st_size;
  char *file = must_map(file_size, PROT_READ, MAP_PRIVATE, fd);
  volatile char sink = 0;
  for (size_t i = 0; i < file_size; i += page) sink += file[i];
  char elf_json[32] = "null";
  if (argc > 2) {
    int elf_fd = open(argv[2], O_RDONLY);
    if (elf_fd < 0) {
      perror("open");
      return 1;
    }
    snprintf(elf_json, sizeof elf_json, "\"%p\"", must_map((size_t)page, PROT_READ, MAP_PRIVATE, elf_fd));
  }
  char *shared = must_map(shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
  for (size_t i = 0; i < shared_touched; i++) shared[i * page] = 1;
  char *locked = must_map(page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
  locked[0] = 1;
  int locked_ok = mlock(locked, page) == 0;

  if (pipe(park) != 0) {
    perror("pipe");
    return 1;
  }
  pthread_barrier_init(&ready, NULL, THREADS + 1);
  pthread_t threads[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, thread_main, (void *)i);
  pthread_barrier_wait(&ready);
  for (int i = 0; i < THREADS; i++) wait_parked(tids[i]);

  printf("{\"pageSize\":%ld,\"reserve\":\"%p\",\"reserveSize\":%zu,\"rw\":\"%p\",\"rwSize\":%zu,"
         "\"file\":\"%p\",\"fileSize\":%zu,\"elf\":%s,\"shared\":\"%p\",\"sharedSize\":%zu,\"sharedTouched\":%zu,"
         "\"locked\":\"%p\",\"lockedOk\":%s,\"threads\":[",
         page, reserve, reserve_size, rw, rw_size, file, file_size, elf_json, shared, shared_size, shared_touched * page,
         locked, locked_ok ? "true" : "false");
  for (int i = 0; i < THREADS; i++) {
    printf("%s{\"tid\":%d,\"stackLow\":\"%p\",\"stackSize\":%zu}", i ? "," : "", tids[i], stack_lo[i],
           stack_size[i]);
  }
  printf("]}\n");
  fflush(stdout);
  for (;;) pause();
}
