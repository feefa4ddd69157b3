//! Stable shards of an organization's accounts: an account's shard depends
//! only on its id and the number of shards, so shards of one run never
//! overlap and every account is in exactly one.

/// FNV-1a, 64-bit: stable across platforms and releases.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The 1-based shard of `account` among `n`.
pub fn shard_of(account: &str, n: u32) -> u32 {
    (fnv1a(account) % u64::from(n.max(1))) as u32 + 1
}

/// Parses `i/n` with 1 ≤ i ≤ n.
pub fn parse(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("--shard {s}: expected i/n, e.g. 2/8"))?;
    let i: u32 = i
        .trim()
        .parse()
        .map_err(|_| format!("--shard {s}: {i} is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("--shard {s}: {n} is not a number"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("--shard {s}: expected 1 <= i <= n"));
    }
    Ok((i, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_in_exactly_one_shard() {
        let accounts: Vec<String> = (0..500)
            .map(|i| format!("{:012}", 100_000_000_000u64 + i * 7919))
            .collect();
        for n in [1, 2, 3, 8] {
            let mut counts = vec![0; n as usize];
            for a in &accounts {
                let s = shard_of(a, n);
                assert!((1..=n).contains(&s));
                counts[(s - 1) as usize] += 1;
            }
            assert_eq!(counts.iter().sum::<usize>(), accounts.len());
            // Reasonably balanced.
            for c in counts {
                assert!(c > accounts.len() / (n as usize) / 2, "n={n}");
            }
        }
        assert_eq!(shard_of("123456789012", 4), shard_of("123456789012", 4));
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse("2/8"), Ok((2, 8)));
        assert!(parse("0/8").is_err());
        assert!(parse("9/8").is_err());
        assert!(parse("x").is_err());
    }
}
