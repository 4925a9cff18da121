//! Classifying a build script into kinds.
