//! Model: snapshot types, catalog, validation.
