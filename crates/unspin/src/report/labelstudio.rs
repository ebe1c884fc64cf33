//! labelstudio output.
