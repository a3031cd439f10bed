// true: exits 0.
#include "util.h"

int main(void) { return 0; }
