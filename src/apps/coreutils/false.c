// false: exits 1.
#include "util.h"

int main(void) { return 1; }
