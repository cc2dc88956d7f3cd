#include "playlist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct track {
    char *title;
    uint32_t seconds;
};

struct playlist {
    struct track *tracks;
    size_t len;
    size_t capacity;
};

int playlist_new(size_t capacity, struct playlist **out) {
    if (capacity == 0 || out == NULL) return -EINVAL;
    struct playlist *list = malloc(sizeof *list);
    if (list == NULL) return -ENOMEM;
    list->tracks = calloc(capacity, sizeof *list->tracks);
    if (list->tracks == NULL) {
        free(list);
        return -ENOMEM;
    }
    list->len = 0;
    list->capacity = capacity;
    *out = list;
    return 0;
}

void playlist_free(struct playlist *list) {
    if (list == NULL) return;
    for (size_t i = 0; i < list->len; i++) free(list->tracks[i].title);
    free(list->tracks);
    free(list);
}

int playlist_add(struct playlist *list, const char *title, uint32_t seconds) {
    if (list == NULL || title == NULL) return -EINVAL;
    size_t length = strnlen(title, PLAYLIST_MAX_TITLE + 1);
    if (length == 0 || length > PLAYLIST_MAX_TITLE) return -EINVAL;
    if (list->len == list->capacity) return -ENOSPC;
    char *copy = malloc(length + 1);
    if (copy == NULL) return -ENOMEM;
    memcpy(copy, title, length + 1);
    list->tracks[list->len].title = copy;
    list->tracks[list->len].seconds = seconds;
    list->len++;
    return 0;
}

size_t playlist_len(const struct playlist *list) {
    return list == NULL ? 0 : list->len;
}

const char *playlist_title(const struct playlist *list, size_t index) {
    if (list == NULL || index >= list->len) return NULL;
    return list->tracks[index].title;
}

int playlist_for_each(const struct playlist *list,
                      int (*visit)(const char *title, uint32_t seconds, void *context),
                      void *context) {
    if (list == NULL || visit == NULL) return -EINVAL;
    for (size_t i = 0; i < list->len; i++) {
        int result = visit(list->tracks[i].title, list->tracks[i].seconds, context);
        if (result != 0) return result;
    }
    return 0;
}
