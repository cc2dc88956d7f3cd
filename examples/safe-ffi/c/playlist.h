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

/* Two more parts of the library, which the chapter's exercises wrap. */

/* Parses a duration written as minutes, a colon and two digits of seconds ("3:05")
 * into *seconds. Returns 0, -EINVAL (not in that form) or -ERANGE (does not fit in
 * a uint32_t). */
int playlist_parse_duration(const char *text, uint32_t *seconds);

/* A track with a reference count, in the style of the kernel's get/put pairs. */
struct playlist_track; /* opaque */

/* Creates a track in *out with one reference, which the caller owns. `title` is
 * copied, as in playlist_add. Returns 0, -EINVAL (NULL, empty or too long) or
 * -ENOMEM. */
int playlist_track_new(const char *title, uint32_t seconds, struct playlist_track **out);

/* Adds one reference. Every reference is released with playlist_track_put. The
 * count is not atomic: all references to one track must stay on one thread. */
void playlist_track_get(struct playlist_track *track);

/* Releases one reference; frees the track when it was the last one. */
void playlist_track_put(struct playlist_track *track);

/* The number of references, for tests and debugging. */
unsigned playlist_track_refs(const struct playlist_track *track);

/* The title belongs to the track: it is valid as long as a reference is held. */
const char *playlist_track_title(const struct playlist_track *track);

uint32_t playlist_track_seconds(const struct playlist_track *track);

/* For tests: calls on_free(context) when the track is freed, so that a test can tell
 * a track that was freed from one that leaked. NULL removes the callback. */
void playlist_track_on_free(struct playlist_track *track,
                            void (*on_free)(void *context), void *context);

#endif
