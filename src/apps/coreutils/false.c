// false: exits 1.
int main(void) { return 1; }
