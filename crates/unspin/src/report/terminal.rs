//! terminal output.
