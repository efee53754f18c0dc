//! Random exact partitions: `total` split into `parts` whole numbers within
//! bounds, so the demo's totals match the published figures to the unit.

use rand::Rng;

/// Why a partition is impossible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Infeasible;

/// `parts` numbers in `min..=max` summing to `total`, drawn at random.
pub(super) fn split(rng: &mut impl Rng, total: u64, parts: usize, min: u64, max: u64) -> Result<Vec<u64>, Infeasible> {
    let n = parts as u64;
    if parts == 0 || min > max || total < n * min || total > n * max {
        return if parts == 0 && total == 0 { Ok(Vec::new()) } else { Err(Infeasible) };
    }
    let mut out = vec![min; parts];
    let mut left = total - n * min;
    // Hand out the rest in small random chunks to random parts with room.
    while left > 0 {
        let i = rng.gen_range(0..parts);
        let room = max - out[i];
        if room == 0 {
            continue;
        }
        let chunk = rng.gen_range(1..=room.min(left).min(3));
        out[i] += chunk;
        left -= chunk;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn a_split_sums_exactly_within_bounds() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let parts = split(&mut rng, 328, 96, 1, 16).unwrap();
        assert_eq!((parts.len(), parts.iter().sum::<u64>()), (96, 328));
        assert!(parts.iter().all(|p| (1..=16).contains(p)));
        assert_eq!(split(&mut rng, 10, 3, 4, 9), Err(Infeasible));
        assert_eq!(split(&mut rng, 10, 2, 5, 5), Ok(vec![5, 5]));
    }
}
