/* main: placeholder until the CLI lands. */
#include <stdio.h>
int main(void) { puts("esis"); return 0; }
