//! Rules of this control, one file each.
