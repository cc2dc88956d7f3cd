// Sharing a non-thread-safe reference count across threads.
use std::rc::Rc;
use std::thread;

fn main() {
    let track = Rc::new(String::from("Rêverie"));
    let for_thread = Rc::clone(&track);
    let handle = thread::spawn(move || println!("{for_thread}"));
    handle.join().unwrap();
}
