//! semeval output.
