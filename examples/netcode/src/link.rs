//! A bad network, on purpose and reproducibly: drops, duplicates, delays and thereby
//! reorders packets, all decided by a seeded random generator.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Copy, Debug)]
pub struct LinkQuality {
    /// Probability that a packet is lost.
    pub drop: f64,
    /// Probability that a packet arrives twice.
    pub duplicate: f64,
    /// Each copy is delayed by 0 to this many ticks, so packets overtake each other.
    pub max_delay_ticks: u32,
}

/// Packets in flight in one direction.
pub struct LossyLink {
    quality: LinkQuality,
    rng: ChaCha8Rng,
    in_flight: Vec<(u32, u64, Vec<u8>)>,
    sent_order: u64,
    pub dropped: u64,
}

impl LossyLink {
    pub fn new(quality: LinkQuality, seed: u64) -> Self {
        Self {
            quality,
            rng: ChaCha8Rng::seed_from_u64(seed),
            in_flight: Vec::new(),
            sent_order: 0,
            dropped: 0,
        }
    }

    /// Hands a packet to the network at tick `now`.
    pub fn send(&mut self, now: u32, packet: Vec<u8>) {
        if self.rng.random_bool(self.quality.drop) {
            self.dropped += 1;
            return;
        }
        let copies = if self.rng.random_bool(self.quality.duplicate) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let delay = self.rng.random_range(0..=self.quality.max_delay_ticks);
            self.sent_order += 1;
            self.in_flight
                .push((now + delay, self.sent_order, packet.clone()));
        }
    }

    /// The packets that arrive at tick `now`, in arrival order.
    pub fn deliver(&mut self, now: u32) -> Vec<Vec<u8>> {
        let (mut arriving, waiting): (Vec<_>, Vec<_>) =
            self.in_flight.drain(..).partition(|(at, _, _)| *at <= now);
        self.in_flight = waiting;
        arriving.sort_by_key(|(at, order, _)| (*at, *order));
        arriving.into_iter().map(|(_, _, packet)| packet).collect()
    }
}
