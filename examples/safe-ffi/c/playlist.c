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

int playlist_parse_duration(const char *text, uint32_t *seconds) {
    if (text == NULL || seconds == NULL) return -EINVAL;
    const char *p = text;
    if (*p < '0' || *p > '9') return -EINVAL;
    uint64_t minutes = 0;
    int too_long = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        /* Stop growing once the value cannot fit, but keep checking the form. */
        if (minutes <= UINT32_MAX) minutes = minutes * 10 + (uint64_t)(*p - '0');
        else too_long = 1;
    }
    if (*p++ != ':') return -EINVAL;
    if (p[0] < '0' || p[0] > '5' || p[1] < '0' || p[1] > '9' || p[2] != '\0')
        return -EINVAL;
    if (too_long || minutes > UINT32_MAX / 60) return -ERANGE;
    uint64_t total = minutes * 60 + (uint64_t)((p[0] - '0') * 10 + (p[1] - '0'));
    if (total > UINT32_MAX) return -ERANGE;
    *seconds = (uint32_t)total;
    return 0;
}

struct playlist_track {
    char *title;
    uint32_t seconds;
    unsigned refs;
    void (*on_free)(void *context);
    void *on_free_context;
};

int playlist_track_new(const char *title, uint32_t seconds, struct playlist_track **out) {
    if (title == NULL || out == NULL) return -EINVAL;
    size_t length = strnlen(title, PLAYLIST_MAX_TITLE + 1);
    if (length == 0 || length > PLAYLIST_MAX_TITLE) return -EINVAL;
    struct playlist_track *track = malloc(sizeof *track);
    if (track == NULL) return -ENOMEM;
    track->title = malloc(length + 1);
    if (track->title == NULL) {
        free(track);
        return -ENOMEM;
    }
    memcpy(track->title, title, length + 1);
    track->seconds = seconds;
    track->refs = 1;
    track->on_free = NULL;
    track->on_free_context = NULL;
    *out = track;
    return 0;
}

void playlist_track_get(struct playlist_track *track) {
    if (track != NULL) track->refs++;
}

void playlist_track_put(struct playlist_track *track) {
    if (track == NULL) return;
    if (--track->refs > 0) return;
    if (track->on_free != NULL) track->on_free(track->on_free_context);
    free(track->title);
    free(track);
}

unsigned playlist_track_refs(const struct playlist_track *track) {
    return track == NULL ? 0 : track->refs;
}

const char *playlist_track_title(const struct playlist_track *track) {
    return track == NULL ? NULL : track->title;
}

uint32_t playlist_track_seconds(const struct playlist_track *track) {
    return track == NULL ? 0 : track->seconds;
}

void playlist_track_on_free(struct playlist_track *track,
                            void (*on_free)(void *context), void *context) {
    if (track == NULL) return;
    track->on_free = on_free;
    track->on_free_context = context;
}
