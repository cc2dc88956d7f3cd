// Data race: two threads increment the same counter with no synchronisation.
use std::thread;

fn main() {
    let mut plays = 0;
    thread::scope(|scope| {
        scope.spawn(|| plays += 1);
        scope.spawn(|| plays += 1);
    });
    println!("{plays} plays");
}
