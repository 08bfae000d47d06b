/*
 * embed.c -- build tool: turn a data file of the repository (stem
 * overrides, stage rules, fitted models) into a C source, so that the
 * binaries carry the exact bytes they were built with and can name them.
 *
 * Owns: the generated symbols NAME (the bytes, NUL-terminated), NAME_len
 * and NAME_sha256 (64 hex digits of the file's SHA-256, via nettle).
 * Never: interprets the file.
 *   usage: embed NAME FILE > OUT.c
 */
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: embed NAME FILE > OUT.c\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    struct sha256_ctx sha;
    sha256_init(&sha);
    printf("/* generated from %s by tools/embed: do not edit */\n"
           "#include <stddef.h>\nconst char %s[] = {", argv[2], argv[1]);
    long n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        unsigned char b = (unsigned char)c;
        sha256_update(&sha, 1, &b);
        printf("%s%d,", n % 20 ? "" : "\n", c);
        n++;
    }
    if (ferror(f)) {
        perror(argv[2]);
        return 1;
    }
    fclose(f);
    uint8_t dg[SHA256_DIGEST_SIZE];
    sha256_digest(&sha, sizeof dg, dg);
    printf("0};\nconst size_t %s_len = %ld;\nconst char %s_sha256[] = \"",
           argv[1], n, argv[1]);
    for (size_t i = 0; i < sizeof dg; i++)
        printf("%02x", dg[i]);
    printf("\";\n");
    return fflush(stdout) || ferror(stdout) ? 1 : 0;
}
