/* Forks a child that exits at once and never reaps it: prints the zombie's pid, then sleeps. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  /* Wait until the child has exited without reaping it (WNOWAIT leaves it a zombie). */
  siginfo_t info;
  waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT);
  printf("%d\n", child);
  fflush(stdout);
  for (;;) pause();
}
