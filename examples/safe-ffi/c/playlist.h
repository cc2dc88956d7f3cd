/* A small C library in the style of a kernel API: an opaque object with a
 * constructor and destructor, negative errno-style error codes, a borrowed string,
 * and a callback with a context pointer. */
#ifndef PLAYLIST_H
#define PLAYLIST_H

#include <stddef.h>
#include <stdint.h>

// ANCHOR: api
struct playlist; /* opaque: only playlist.c knows its fields */

#define PLAYLIST_MAX_TITLE 64

/* Creates an empty playlist for up to `capacity` tracks in *out.
 * Returns 0, -EINVAL (capacity 0) or -ENOMEM. */
int playlist_new(size_t capacity, struct playlist **out);

/* Frees the playlist and every title. `list` must not be used afterwards. */
void playlist_free(struct playlist *list);

/* Copies `title` (1 to PLAYLIST_MAX_TITLE bytes, NUL-terminated) into the list.
 * Returns 0, -EINVAL (NULL, empty or too long), -ENOSPC (full) or -ENOMEM. */
int playlist_add(struct playlist *list, const char *title, uint32_t seconds);

size_t playlist_len(const struct playlist *list);

/* Returns the title at `index`, or NULL if out of range. The string belongs to the
 * list: it is valid until the list is freed. */
const char *playlist_title(const struct playlist *list, size_t index);

/* Calls visit(title, seconds, context) for each track in order. Stops at the first
 * non-zero return value and returns it; returns 0 after the last track. */
int playlist_for_each(const struct playlist *list,
                      int (*visit)(const char *title, uint32_t seconds, void *context),
                      void *context);
// ANCHOR_END: api

#endif
