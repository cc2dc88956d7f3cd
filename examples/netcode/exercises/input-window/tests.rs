//! The tests that define "done" for the exercise "input-window".

#[cfg_attr(not(feature = "solution"), path = "starter.rs")]
#[cfg_attr(feature = "solution", path = "solution.rs")]
mod attempt;

use attempt::{InputQueue, Verdict, WINDOW};
use netcode::client::Client;
use netcode::protocol::{self, ClientPacket, Input};

fn input(sequence: u32) -> Input {
    Input {
        sequence,
        dx: 1,
        dy: 0,
    }
}

fn sequences(inputs: &[Input]) -> Vec<u32> {
    inputs.iter().map(|input| input.sequence).collect()
}

#[test]
fn inputs_come_out_in_sequence_however_they_arrive() {
    let mut queue = InputQueue::default();
    assert_eq!(queue.offer(input(2)), Verdict::Queued);
    assert_eq!(queue.offer(input(1)), Verdict::Queued);
    assert!(queue.ready().is_empty(), "input 0 has not arrived yet");
    assert_eq!(queue.offer(input(0)), Verdict::Queued);
    assert_eq!(sequences(&queue.ready()), [0, 1, 2]);
    assert_eq!(queue.waiting(), 0);
}

#[test]
fn repeats_and_duplicates_are_stale() {
    let mut queue = InputQueue::default();
    assert_eq!(queue.offer(input(1)), Verdict::Queued);
    assert_eq!(queue.offer(input(1)), Verdict::Stale, "already waiting");
    assert_eq!(queue.offer(input(0)), Verdict::Queued);
    assert_eq!(sequences(&queue.ready()), [0, 1]);
    assert_eq!(queue.offer(input(0)), Verdict::Stale, "already applied");
}

#[test]
fn inputs_far_ahead_are_refused() {
    let mut queue = InputQueue::default();
    assert_eq!(queue.offer(input(WINDOW - 1)), Verdict::Queued);
    assert_eq!(queue.offer(input(WINDOW)), Verdict::TooFarAhead);
    assert_eq!(queue.offer(input(u32::MAX)), Verdict::TooFarAhead);
    assert_eq!(queue.waiting(), 1);
}

#[test]
fn the_window_moves_with_the_inputs_applied() {
    let mut queue = InputQueue::default();
    for sequence in 0..10 {
        queue.offer(input(sequence));
    }
    assert_eq!(queue.ready().len(), 10);
    assert_eq!(queue.offer(input(10 + WINDOW - 1)), Verdict::Queued);
    assert_eq!(queue.offer(input(10 + WINDOW)), Verdict::TooFarAhead);
}

#[test]
fn a_flood_of_future_inputs_is_bounded() {
    let mut queue = InputQueue::default();
    for sequence in 1..100_000 {
        queue.offer(input(sequence));
    }
    assert!(
        queue.waiting() <= WINDOW as usize,
        "{} waiting",
        queue.waiting()
    );
}

#[test]
fn packets_from_a_real_client_apply_each_input_once() {
    // Any token will do: the queue never sees it.
    let mut client = Client::new(1, 0x5EC2E7);
    let mut queue = InputQueue::default();
    let mut applied = Vec::new();
    for _ in 0..20 {
        let packet = client.input_packet(1, 0);
        let packet: ClientPacket = protocol::decode(&packet).expect("the client's own packet");
        // Each packet repeats the client's recent inputs: only the newest is new.
        let verdicts: Vec<Verdict> = packet
            .inputs
            .into_iter()
            .map(|sent| queue.offer(sent))
            .collect();
        assert_eq!(
            verdicts.iter().filter(|v| **v == Verdict::Queued).count(),
            1
        );
        applied.extend(sequences(&queue.ready()));
    }
    assert_eq!(applied, (0..20).collect::<Vec<u32>>());
}
