//! Previous / Next over the pages of a long list, and which rows are shown.
//! The dialog's grid and preview, a principal's changes, Check access and
//! the data access list mount one page at a time, whatever the team's size.

use crate::eval::words::thousands;
use yew::prelude::*;

/// Where a page of `size` rows lies in a list of `total`, the asked page
/// kept within the list (it shrinks when a filter or a new impact leaves
/// fewer rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub page: usize,
    pub pages: usize,
    /// The rows shown: `start..end`.
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Page {
    pub fn of(asked: usize, size: usize, total: usize) -> Page {
        let size = size.max(1);
        let pages = total.div_ceil(size).max(1);
        let page = asked.min(pages - 1);
        let start = page * size;
        Page {
            page,
            pages,
            start,
            end: (start + size).min(total),
            total,
        }
    }

    /// More than one page: the pager is shown.
    pub fn is_paged(&self) -> bool {
        self.pages > 1
    }
}

/// Turns to the page asked (a pager's `on_page` for a page held in state).
pub fn turn_to(page: &UseStateHandle<usize>) -> Callback<usize> {
    let page = page.clone();
    Callback::from(move |to: usize| page.set(to))
}

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    pub at: Page,
    /// What the pages hold, the navigation's name ("Pages of resources").
    pub label: AttrValue,
    /// The rows' noun in the status: "Resources" → "Resources 1–25 of 310".
    pub noun: AttrValue,
    pub on_page: Callback<usize>,
    /// Ids for the status and the buttons: `{id}-pager-status`,
    /// `{id}-prev`, `{id}-next`.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
}

/// Previous, which rows are shown (announced when it changes), Next.
#[function_component(Pager)]
pub fn pager(props: &PagerProps) -> Html {
    let Page {
        page,
        pages,
        start,
        end,
        total,
    } = props.at;
    let id = |suffix: &str| props.id.as_ref().map(|id| format!("{id}-{suffix}"));
    html! {
        <nav class={classes!("pw-pager", props.class.clone())} aria-label={props.label.clone()}>
            <button type="button" class="pw-btn pw-btn--secondary" id={id("prev")} disabled={page == 0}
                onclick={props.on_page.reform(move |_: MouseEvent| page.saturating_sub(1))}>{ "Previous" }</button>
            <span class="pw-pager__info" id={id("pager-status")} aria-live="polite">
                { format!("{} {}–{} of {}", props.noun, thousands(start + 1), thousands(end), thousands(total)) }
            </span>
            <button type="button" class="pw-btn pw-btn--secondary" id={id("next")} disabled={page + 1 >= pages}
                onclick={props.on_page.reform(move |_: MouseEvent| (page + 1).min(pages - 1))}>{ "Next" }</button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::Page;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_page_lies_within_the_list() {
        assert_eq!(
            Page::of(0, 25, 60),
            Page {
                page: 0,
                pages: 3,
                start: 0,
                end: 25,
                total: 60
            }
        );
        assert_eq!(
            Page::of(2, 25, 60),
            Page {
                page: 2,
                pages: 3,
                start: 50,
                end: 60,
                total: 60
            }
        );
        // Asked beyond the end (the list shrank): the last page.
        assert_eq!(Page::of(9, 25, 30).start, 25);
        // An empty list is one empty page.
        let empty = Page::of(3, 25, 0);
        assert_eq!(
            (empty.page, empty.pages, empty.start, empty.end),
            (0, 1, 0, 0)
        );
        assert!(!empty.is_paged() && Page::of(0, 25, 26).is_paged());
    }
}
