// SPDX-License-Identifier: GPL-2.0

//! A kernel module that keeps a small playlist, to show what the `kernel` crate of
//! Linux 6.12 offers a driver: the module macro, logging, fallible allocation, a
//! reference-counted pointer, a mutex initialised in place, a red-black tree, and
//! clean-up in `Drop`.

// ANCHOR: module
use kernel::c_str;
use kernel::prelude::*;
use kernel::rbtree::RBTree;
use kernel::sync::{new_mutex, Arc, Mutex};

// `module!` writes the C glue a module needs: its name and license in the `.ko`
// file, and the init and exit functions that call `RustPlaylist::init` and `drop`.
module! {
    type: RustPlaylist,
    name: "rust_playlist",
    author: "Rust in 2026",
    description: "A playlist kept by a Rust kernel module",
    license: "GPL",
}
// ANCHOR_END: module

// ANCHOR: state
/// A track. `&'static CStr` is a C string that lives as long as the module.
struct Track {
    title: &'static CStr,
    seconds: u32,
}

/// State that several parts of a driver could share. The kernel's mutex must never
/// move after it is initialised (its list of waiting tasks points back into it), so
/// it is built in place: `#[pin_data]` and `#[pin]` tell the `pin_init!` macro so.
#[pin_data]
struct Library {
    #[pin]
    tracks: Mutex<KVec<Track>>,
}

/// The module itself: created by `init` when the module is loaded, dropped when it
/// is unloaded.
struct RustPlaylist {
    library: Arc<Library>,
    /// Track indices ordered by length, in the kernel's red-black tree.
    by_length: RBTree<u32, usize>,
}
// ANCHOR_END: state

// ANCHOR: init
impl kernel::Module for RustPlaylist {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("loading the playlist\n");

        // Every allocation can fail, and says how it may allocate. GFP_KERNEL may
        // sleep to find memory, which is allowed here (no lock held, not in an
        // interrupt). `?` turns an allocation failure into ENOMEM for `insmod`.
        let mut tracks = KVec::with_capacity(3, GFP_KERNEL)?;
        tracks.push(
            Track {
                title: c_str!("Clair de Lune"),
                seconds: 300,
            },
            GFP_KERNEL,
        )?;
        tracks.push(
            Track {
                title: c_str!("Gymnopedie No. 1"),
                seconds: 185,
            },
            GFP_KERNEL,
        )?;
        tracks.push(
            Track {
                title: c_str!("Reverie"),
                seconds: 288,
            },
            GFP_KERNEL,
        )?;

        // The tree allocates one node per entry; that can fail too.
        let mut by_length = RBTree::new();
        for (index, track) in tracks.iter().enumerate() {
            by_length.try_create_and_insert(track.seconds, index, GFP_KERNEL)?;
        }

        // Build the mutex in place, inside a new reference-counted allocation.
        let library = Arc::pin_init(
            pin_init!(Library { tracks <- new_mutex!(tracks, "Library::tracks") }),
            GFP_KERNEL,
        )?;

        let playlist = RustPlaylist { library, by_length };
        playlist.log_shortest_first();
        Ok(playlist)
    }
}
// ANCHOR_END: init

impl RustPlaylist {
    // ANCHOR: lock
    fn log_shortest_first(&self) {
        // The guard unlocks the mutex when it goes out of scope, on every path.
        let tracks = self.library.tracks.lock();
        for (seconds, index) in self.by_length.iter() {
            pr_info!(
                "{}:{:02}  {}\n",
                seconds / 60,
                seconds % 60,
                tracks[*index].title
            );
        }
    }
    // ANCHOR_END: lock
}

// ANCHOR: drop
impl Drop for RustPlaylist {
    fn drop(&mut self) {
        let count = self.library.tracks.lock().len();
        // After this, the fields are dropped: the tree's nodes, the `Arc` and with it
        // the vector are freed. No exit function has to remember to do it.
        pr_info!("unloading: freeing {} tracks\n", count);
    }
}
// ANCHOR_END: drop
