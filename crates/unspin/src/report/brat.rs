//! brat output.
