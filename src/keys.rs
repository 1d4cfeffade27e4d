//! What keys do in the widget, as pure functions (no DOM), so they are
//! tested natively: moving between the cells of a grid (the WAI-ARIA grid
//! pattern), moving in a treegrid, and the undo / redo shortcuts.

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

/// Where focus is in a treegrid: the row's position among the visible rows,
/// and the cell (`None`: the row itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreePos {
    /// Visible rows.
    pub rows: usize,
    /// Cells per row.
    pub cols: u8,
    pub row: usize,
    pub col: Option<u8>,
    /// Whether the row has children, and whether they are shown.
    pub has_children: bool,
    pub expanded: bool,
}

/// What a key does in a treegrid (the WAI-ARIA treegrid pattern).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeKey {
    /// Focus this visible row (by position) and cell.
    Focus { row: usize, col: Option<u8> },
    /// Focus the row's parent row.
    Parent,
    /// Show (`true`) or hide the row's children.
    Expand(bool),
    /// Open the row (Enter).
    Open,
    /// Handled, nothing moves (an edge).
    Stay,
}

/// The effect of a key on a treegrid row or cell: Up / Down between rows,
/// Home / End to the first / last row, Right expands or enters the cells,
/// Left collapses, leaves the cells or goes to the parent, Enter opens.
/// `None` for keys the treegrid leaves alone.
pub fn tree_key(key: &str, at: TreePos) -> Option<TreeKey> {
    let focus = |row: usize, col: Option<u8>| TreeKey::Focus { row, col };
    Some(match key {
        "ArrowDown" if at.row + 1 < at.rows => focus(at.row + 1, at.col),
        "ArrowUp" if at.row > 0 => focus(at.row - 1, at.col),
        "Home" if at.rows > 0 => focus(0, at.col),
        "End" if at.rows > 0 => focus(at.rows - 1, at.col),
        "ArrowDown" | "ArrowUp" | "Home" | "End" => TreeKey::Stay,
        "ArrowRight" => match at.col {
            None if at.has_children && !at.expanded => TreeKey::Expand(true),
            None => focus(at.row, Some(0)),
            Some(c) if c + 1 < at.cols => focus(at.row, Some(c + 1)),
            Some(_) => TreeKey::Stay,
        },
        "ArrowLeft" => match at.col {
            None if at.has_children && at.expanded => TreeKey::Expand(false),
            None => TreeKey::Parent,
            Some(0) => focus(at.row, None),
            Some(c) => focus(at.row, Some(c - 1)),
        },
        "Enter" => TreeKey::Open,
        _ => return None,
    })
}
