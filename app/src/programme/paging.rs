//! Client-side filtering and paging of long lists (awarded projects, the
//! proposal's lines, the timeline table): only one page is ever rendered.

/// Rows shown per page.
pub const PER_PAGE: usize = 25;

/// Whether `haystack` contains every whitespace-separated word of `needle`
/// (case-insensitive; an empty needle matches everything).
pub fn matches(needle: &str, haystack: &[&str]) -> bool {
    let words: Vec<String> = needle.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return true;
    }
    let text = haystack.join(" ").to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

/// Number of pages for `total` rows (at least 1).
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page.max(1)).max(1)
}

/// The 0-based row range of 1-based `page` (clamped to the last page).
pub fn page_range(total: usize, page: usize, per_page: usize) -> std::ops::Range<usize> {
    let per_page = per_page.max(1);
    let page = page.clamp(1, page_count(total, per_page));
    let start = (page - 1) * per_page;
    start.min(total)..(start + per_page).min(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_appear_somewhere_in_the_row() {
        assert!(matches("", &["x"]));
        assert!(matches("kaist llm", &["KAIST", "LLM 사전학습"]));
        assert!(!matches("kaist gpu", &["KAIST", "LLM"]));
        assert!(matches("사전", &["KAIST", "LLM 사전학습"]));
    }

    #[test]
    fn pages_cover_every_row_once_and_clamp_at_the_ends() {
        assert_eq!(page_count(0, 25), 1);
        assert_eq!(page_count(159, 25), 7);
        assert_eq!(page_range(159, 1, 25), 0..25);
        assert_eq!(page_range(159, 7, 25), 150..159);
        assert_eq!(page_range(159, 99, 25), 150..159);
        assert_eq!(page_range(0, 1, 25), 0..0);
    }
}
