//! MSER-5: where to truncate the initial transient of an output series.

/// The number of leading observations to discard from `series` by MSER-5 (White 1997): batch
/// the series into means of 5, and pick the truncation d (in batches, at most half of them)
/// minimising Σ_{i>d} (Yᵢ − Ȳ_d)² / (n − d)²; returns 5·d observations. `None` when the series
/// is too short (fewer than 10 batches).
pub fn mser5_truncation(series: &[f64]) -> Option<usize> {
    let batches: Vec<f64> = series.chunks_exact(5).map(|c| c.iter().sum::<f64>() / 5.0).collect();
    let n = batches.len();
    if n < 10 {
        return None;
    }
    // Suffix sums give every candidate's statistic in O(n).
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    let mut best = (f64::INFINITY, 0);
    let mut stats = vec![0.0; n];
    for d in (0..n).rev() {
        sum += batches[d];
        sum_sq += batches[d] * batches[d];
        let m = (n - d) as f64;
        stats[d] = (sum_sq - sum * sum / m).max(0.0) / (m * m);
    }
    for (d, &s) in stats.iter().enumerate().take(n / 2 + 1) {
        if s < best.0 {
            best = (s, d);
        }
    }
    Some(best.1 * 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_an_initial_transient() {
        // 200 observations at 10 decaying to 0, then 2000 of noise around 0.
        let mut s: Vec<f64> = (0..200).map(|i| 10.0 * (1.0 - i as f64 / 200.0)).collect();
        s.extend((0..2000).map(|i| if i % 2 == 0 { 0.1 } else { -0.1 }));
        let d = mser5_truncation(&s).unwrap();
        assert!((150..=260).contains(&d), "truncated {d}");
        assert_eq!(mser5_truncation(&[1.0; 20]), None);
    }
}
