// gpuqual command-line entry point (skeleton; the commands land in their own files).
int main() { return 0; }
