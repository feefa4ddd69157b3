//! Schedule expressions (`rate(...)`, `cron(...)`) of EventBridge, Secrets
//! Manager rotation and AWS Backup: the longest time between two runs.

/// Worst-case month lengths (February counted as 29 days).
const MONTH_DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// The longest interval between two runs of a schedule, in whole days
/// (rounded up), or `None` when the expression cannot be read (or does not
/// recur, like `at(...)` or a cron pinned to one year).
pub fn max_interval_days(expr: &str) -> Option<u32> {
    let e = expr.trim();
    if let Some(inner) = e.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        return rate_days(inner);
    }
    if let Some(inner) = e.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        return cron_days(inner);
    }
    None
}

fn rate_days(inner: &str) -> Option<u32> {
    let mut it = inner.split_whitespace();
    let n: u64 = it.next()?.parse().ok()?;
    let unit = it.next()?.to_ascii_lowercase();
    if it.next().is_some() || n == 0 {
        return None;
    }
    let minutes = match unit.trim_end_matches('s') {
        "minute" => n,
        "hour" => n.checked_mul(60)?,
        "day" => n.checked_mul(1440)?,
        "week" => n.checked_mul(7 * 1440)?,
        _ => return None,
    };
    u32::try_from(minutes.div_ceil(1440)).ok()
}

fn wild(f: &str) -> bool {
    f == "*" || f == "?"
}

/// The months a cron month field selects (0-based), or `None` if unreadable.
fn months(field: &str) -> Option<Vec<usize>> {
    let num = |s: &str| -> Option<usize> {
        if let Ok(n) = s.parse::<usize>() {
            return (1..=12).contains(&n).then(|| n - 1);
        }
        MONTHS.iter().position(|m| m.eq_ignore_ascii_case(s))
    };
    let mut out = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<usize>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" {
            (0, 11)
        } else if let Some((a, b)) = range.split_once('-') {
            (num(a)?, num(b)?)
        } else {
            let a = num(range)?;
            (a, if part.contains('/') { 11 } else { a })
        };
        if lo > hi {
            return None;
        }
        out.extend((lo..=hi).step_by(step));
    }
    out.sort_unstable();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

fn cron_days(inner: &str) -> Option<u32> {
    let f: Vec<&str> = inner.split_whitespace().collect();
    if f.len() != 6 {
        return None;
    }
    let (dom, month, dow, year) = (f[2], f[3], f[4], f[5]);
    if !wild(year) {
        return None;
    }
    // The longest gap between runs inside the selected months.
    let within = if !wild(dom) {
        match dom.parse::<u32>() {
            // A day that some months lack skips those months.
            Ok(d) if d > 28 => 62,
            _ => 31,
        }
    } else if !wild(dow) {
        if dow.contains('#') || dow.contains('L') {
            31
        } else {
            7
        }
    } else {
        1
    };
    if wild(month) {
        return Some(within);
    }
    let ms = months(month)?;
    if ms.len() == 12 {
        return Some(within);
    }
    // From a run in one selected month to the next selected month (wrapping
    // into the next year), plus the slack inside a month.
    let mut worst = 0;
    for (i, m) in ms.iter().enumerate() {
        let next = if i + 1 < ms.len() {
            ms[i + 1]
        } else {
            ms[0] + 12
        };
        let gap: u32 = (*m..next).map(|k| MONTH_DAYS[k % 12]).sum();
        worst = worst.max(gap);
    }
    let slack = if within == 1 || within == 7 {
        within
    } else {
        0
    };
    Some(worst + slack)
}

#[cfg(test)]
mod tests {
    use super::max_interval_days as d;

    #[test]
    fn rates() {
        assert_eq!(d("rate(30 days)"), Some(30));
        assert_eq!(d("rate(1 day)"), Some(1));
        assert_eq!(d("rate(12 hours)"), Some(1));
        assert_eq!(d("rate(5 minutes)"), Some(1));
        assert_eq!(d("rate(0 days)"), None);
        assert_eq!(d("at(2025-01-01T00:00:00)"), None);
    }

    #[test]
    fn crons() {
        assert_eq!(d("cron(0 5 ? * SUN *)"), Some(7));
        assert_eq!(d("cron(0 5 1 * ? *)"), Some(31));
        assert_eq!(d("cron(0 5 * * ? *)"), Some(1));
        assert_eq!(d("cron(0 5 1 1,4,7,10 ? *)"), Some(92));
        assert_eq!(d("cron(0 5 1 */3 ? *)"), Some(92));
        assert_eq!(d("cron(0 5 1 JAN ? *)"), Some(366));
        assert_eq!(d("cron(0 5 1 1,7 ? *)"), Some(184));
        assert_eq!(d("cron(0 5 ? * 2#1 *)"), Some(31));
        assert_eq!(d("cron(0 5 1 1 ? 2025)"), None);
        assert_eq!(d("cron(bad)"), None);
    }
}

#[cfg(test)]
mod overflow_tests {
    #[test]
    fn huge_rates_are_unreadable_not_wrapped() {
        assert_eq!(
            super::max_interval_days("rate(18446744073709551615 weeks)"),
            None
        );
        assert_eq!(
            super::max_interval_days("rate(1830034134296583 weeks)"),
            None
        );
        assert_eq!(super::max_interval_days("rate(2 days)"), Some(2));
    }
}
