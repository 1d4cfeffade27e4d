//! Golden-case runner.
