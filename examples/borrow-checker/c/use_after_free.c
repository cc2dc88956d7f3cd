/* The C counterpart of compile-fail/use_after_free.rs: the same program, which a C
 * compiler accepts. Run it under valgrind to see the bug:
 *   see the "C counterpart" section of the memory-safety chapter. */
#include <stdlib.h>
#include <string.h>

struct playlist {
    char **tracks;
    size_t len;
};

static struct playlist *playlist_new(void) {
    struct playlist *list = malloc(sizeof *list);
    if (list == NULL) return NULL;
    list->tracks = malloc(sizeof *list->tracks);
    list->tracks[0] = strdup("Clair de Lune");
    list->len = 1;
    return list;
}

static void playlist_free(struct playlist *list) {
    for (size_t i = 0; i < list->len; i++) free(list->tracks[i]);
    free(list->tracks);
    free(list);
}

// ANCHOR: bug
/* Returns the first letter of the first track's title, read after the playlist was freed. */
char first_letter_after_free(void) {
    struct playlist *playlist = playlist_new();
    if (playlist == NULL) return 0;
    const char *first = playlist->tracks[0]; /* a pointer into the playlist */
    playlist_free(playlist);                 /* frees the title `first` points to */
    return first[0];                         /* use after free: undefined behaviour */
}
// ANCHOR_END: bug
