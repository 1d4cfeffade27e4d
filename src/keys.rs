//! What keys do in the widget, as pure functions (no DOM), so they are
//! tested natively: moving between the cells of a grid (the WAI-ARIA grid
//! pattern) and the undo / redo shortcuts.

/// A grid's size and the current cell, as `(row, column)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridPos {
    pub rows: usize,
    pub cols: usize,
    pub row: usize,
    pub col: usize,
}

/// The cell a navigation key moves to: arrows by one, Home / End to the
/// row's ends (with Ctrl or Cmd: the first / last row), Page Up / Down by
/// `page` rows. Stops at the edges. `None` for other keys or an empty grid.
pub fn grid_move(key: &str, command: bool, at: GridPos, page: usize) -> Option<(usize, usize)> {
    if at.rows == 0 || at.cols == 0 {
        return None;
    }
    let (last_row, last_col) = (at.rows - 1, at.cols - 1);
    let (r, c) = (at.row.min(last_row), at.col.min(last_col));
    Some(match key {
        "ArrowRight" => (r, (c + 1).min(last_col)),
        "ArrowLeft" => (r, c.saturating_sub(1)),
        "ArrowDown" => ((r + 1).min(last_row), c),
        "ArrowUp" => (r.saturating_sub(1), c),
        "Home" if command => (0, c),
        "End" if command => (last_row, c),
        "Home" => (r, 0),
        "End" => (r, last_col),
        "PageDown" => ((r + page).min(last_row), c),
        "PageUp" => (r.saturating_sub(page), c),
        _ => return None,
    })
}

/// Undo and redo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    Undo,
    Redo,
}

/// The history step of a key with Ctrl (or Cmd) held: `z` undoes,
/// `Shift+z` and `y` redo.
pub fn history_shortcut(key: &str, command: bool, shift: bool) -> Option<History> {
    match (command, key, shift) {
        (true, "z" | "Z", false) => Some(History::Undo),
        (true, "z" | "Z", true) | (true, "y" | "Y", false) => Some(History::Redo),
        _ => None,
    }
}
