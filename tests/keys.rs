//! Keyboard behaviour as pure functions: grid navigation and undo / redo.
#![cfg(not(target_arch = "wasm32"))]

use permissions_widget::keys::{
    grid_move, history_shortcut, tree_key, GridPos, History, TreeKey, TreePos,
};

const AT: GridPos = GridPos {
    rows: 120,
    cols: 9,
    row: 3,
    col: 4,
};

#[test]
fn arrows_move_by_one_and_stop_at_the_edges() {
    assert_eq!(grid_move("ArrowRight", false, AT, 50), Some((3, 5)));
    assert_eq!(grid_move("ArrowLeft", false, AT, 50), Some((3, 3)));
    assert_eq!(grid_move("ArrowDown", false, AT, 50), Some((4, 4)));
    assert_eq!(grid_move("ArrowUp", false, AT, 50), Some((2, 4)));
    let corner = GridPos {
        row: 0,
        col: 0,
        ..AT
    };
    assert_eq!(grid_move("ArrowUp", false, corner, 50), Some((0, 0)));
    assert_eq!(grid_move("ArrowLeft", false, corner, 50), Some((0, 0)));
    let far = GridPos {
        row: 119,
        col: 8,
        ..AT
    };
    assert_eq!(grid_move("ArrowDown", false, far, 50), Some((119, 8)));
    assert_eq!(grid_move("ArrowRight", false, far, 50), Some((119, 8)));
}

#[test]
fn home_end_and_pages() {
    assert_eq!(grid_move("Home", false, AT, 50), Some((3, 0)));
    assert_eq!(grid_move("End", false, AT, 50), Some((3, 8)));
    assert_eq!(grid_move("Home", true, AT, 50), Some((0, 4)));
    assert_eq!(grid_move("End", true, AT, 50), Some((119, 4)));
    assert_eq!(grid_move("PageDown", false, AT, 50), Some((53, 4)));
    assert_eq!(
        grid_move("PageDown", false, GridPos { row: 100, ..AT }, 50),
        Some((119, 4))
    );
    assert_eq!(grid_move("PageUp", false, AT, 50), Some((0, 4)));
}

#[test]
fn other_keys_and_empty_grids_do_nothing() {
    assert_eq!(grid_move(" ", false, AT, 50), None);
    assert_eq!(grid_move("Enter", false, AT, 50), None);
    assert_eq!(
        grid_move("ArrowDown", false, GridPos { rows: 0, ..AT }, 50),
        None
    );
    // A position past the end (rows went away) is brought back inside.
    assert_eq!(
        grid_move(
            "ArrowLeft",
            false,
            GridPos {
                rows: 2,
                row: 7,
                ..AT
            },
            50
        ),
        Some((1, 3))
    );
}

#[test]
fn undo_and_redo_shortcuts() {
    assert_eq!(history_shortcut("z", true, false), Some(History::Undo));
    assert_eq!(history_shortcut("Z", true, true), Some(History::Redo));
    assert_eq!(history_shortcut("z", true, true), Some(History::Redo));
    assert_eq!(history_shortcut("y", true, false), Some(History::Redo));
    assert_eq!(history_shortcut("z", false, false), None);
    assert_eq!(history_shortcut("y", true, true), None);
    assert_eq!(history_shortcut("x", true, false), None);
}

fn tree_at(row: usize, col: Option<u8>, has_children: bool, expanded: bool) -> TreePos {
    TreePos {
        rows: 4,
        cols: 5,
        row,
        col,
        has_children,
        expanded,
    }
}

#[test]
fn treegrid_rows_and_edges() {
    let f = |row, col| Some(TreeKey::Focus { row, col });
    assert_eq!(
        tree_key("ArrowDown", tree_at(1, None, false, false)),
        f(2, None)
    );
    assert_eq!(
        tree_key("ArrowDown", tree_at(3, Some(2), false, false)),
        Some(TreeKey::Stay)
    );
    assert_eq!(
        tree_key("ArrowUp", tree_at(1, Some(2), false, false)),
        f(0, Some(2))
    );
    assert_eq!(
        tree_key("ArrowUp", tree_at(0, None, false, false)),
        Some(TreeKey::Stay)
    );
    assert_eq!(
        tree_key("Home", tree_at(2, Some(1), false, false)),
        f(0, Some(1))
    );
    assert_eq!(tree_key("End", tree_at(0, None, false, false)), f(3, None));
    assert_eq!(
        tree_key("Enter", tree_at(0, None, false, false)),
        Some(TreeKey::Open)
    );
    assert_eq!(tree_key("x", tree_at(0, None, false, false)), None);
}

#[test]
fn treegrid_right_and_left() {
    let f = |row, col| Some(TreeKey::Focus { row, col });
    // Right: expand a closed parent, else enter the cells, stop at the last.
    assert_eq!(
        tree_key("ArrowRight", tree_at(1, None, true, false)),
        Some(TreeKey::Expand(true))
    );
    assert_eq!(
        tree_key("ArrowRight", tree_at(1, None, true, true)),
        f(1, Some(0))
    );
    assert_eq!(
        tree_key("ArrowRight", tree_at(1, Some(3), false, false)),
        f(1, Some(4))
    );
    assert_eq!(
        tree_key("ArrowRight", tree_at(1, Some(4), false, false)),
        Some(TreeKey::Stay)
    );
    // Left: collapse an open parent, else go to the parent; in cells, back.
    assert_eq!(
        tree_key("ArrowLeft", tree_at(1, None, true, true)),
        Some(TreeKey::Expand(false))
    );
    assert_eq!(
        tree_key("ArrowLeft", tree_at(1, None, false, false)),
        Some(TreeKey::Parent)
    );
    assert_eq!(
        tree_key("ArrowLeft", tree_at(1, Some(0), false, false)),
        f(1, None)
    );
    assert_eq!(
        tree_key("ArrowLeft", tree_at(1, Some(2), false, false)),
        f(1, Some(1))
    );
}
