//! "Did you mean?": the nearest valid name by edit distance.

/// Optimal-string-alignment distance between two strings (case-insensitive).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(c) = d.get_mut(at(i, 0)) {
            *c = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(c) = d.get_mut(at(0, j)) {
            *c = j;
        }
    }
    for (i, ca) in a.iter().enumerate() {
        for (j, cb) in b.iter().enumerate() {
            let (i1, j1) = (i + 1, j + 1);
            let cost = usize::from(ca != cb);
            let get = |i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let mut best = (get(i, j1) + 1).min(get(i1, j) + 1).min(get(i, j) + cost);
            if i > 0 && j > 0 && a.get(i) == b.get(j - 1) && a.get(i - 1) == b.get(j) {
                best = best.min(get(i - 1, j - 1) + 1);
            }
            if let Some(c) = d.get_mut(at(i1, j1)) {
                *c = best;
            }
        }
    }
    d.get(at(a.len(), b.len())).copied().unwrap_or(usize::MAX)
}

/// Words longer than this get no suggestion (the distance is quadratic).
const MAX_WORD: usize = 128;

/// The distance-table cells one compile may spend on suggestions: about a
/// tenth of a second. Past it, names get no "did you mean" (the errors are
/// still all reported), so that many unknown names against many declared
/// ones cannot make a compile slow.
const BUDGET: u64 = 20_000_000;

thread_local! {
    static LEFT: std::cell::Cell<u64> = const { std::cell::Cell::new(BUDGET) };
}

/// Gives the suggestion work of this thread a fresh budget (one per compile).
pub fn reset_budget() {
    LEFT.with(|l| l.set(BUDGET));
}

/// Takes `cells` from the budget; false when it is spent.
fn spend(cells: u64) -> bool {
    LEFT.with(|l| {
        let left = l.get();
        l.set(left.saturating_sub(cells));
        left >= cells
    })
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    if len > MAX_WORD {
        return None;
    }
    let limit = (len / 3).max(1) + 1;
    candidates
        .into_iter()
        .filter(|c| {
            *c != word && c.len() <= MAX_WORD * 4 && c.chars().count().abs_diff(len) <= limit
        })
        .take_while(|c| spend(((len + 1) * (c.len() + 1)) as u64))
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= limit || c.to_lowercase() == word.to_lowercase())
        .min_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(y.1)))
        .map(|(_, c)| c)
}

/// A help line: "did you mean `x`?", or the valid names (`what` is a
/// plural noun such as "services").
pub fn did_you_mean<'a, I>(word: &str, candidates: I, what: &str) -> Option<String>
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    if let Some(best) = nearest(word, candidates.clone()) {
        return Some(format!("did you mean `{best}`?"));
    }
    let all: Vec<&str> = candidates.into_iter().collect();
    match all.len() {
        0 => None,
        1..=8 => Some(format!(
            "the {what}: {}",
            all.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        n => Some(format!("none of the {n} {what} is close to `{word}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("backend", "backend"), 0);
        assert_eq!(distance("backnd", "backend"), 1);
        assert_eq!(distance("bakcend", "backend"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn nearest_picks_close_names_only() {
        let names = ["frontend", "backend", "db"];
        assert_eq!(nearest("backnd", names), Some("backend"));
        assert_eq!(nearest("zzzzzz", names), None);
    }
}
