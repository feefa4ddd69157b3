//! `Val<T>`: a value a source either knows or cannot know.

use serde::Serialize;

/// A value that the source either knows, or cannot know (with the reason).
///
/// A missing attribute is never silently defaulted by a rule: collectors apply
/// AWS's documented default (an omission is a choice) and record `Known`, and
/// only data that truly cannot be read (an unresolved parameter, access denied)
/// becomes `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Val<T> {
    Known(T),
    Unknown(String),
}

pub use Val::{Known, Unknown};

impl<T> Val<T> {
    pub fn unknown(reason: impl Into<String>) -> Self {
        Val::Unknown(reason.into())
    }
    pub fn as_ref(&self) -> Val<&T> {
        match self {
            Known(v) => Known(v),
            Unknown(r) => Unknown(r.clone()),
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Val<U> {
        match self {
            Known(v) => Known(f(v)),
            Unknown(r) => Unknown(r),
        }
    }
    pub fn and_then<U>(self, f: impl FnOnce(T) -> Val<U>) -> Val<U> {
        match self {
            Known(v) => f(v),
            Unknown(r) => Unknown(r),
        }
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Known(v) => Some(v),
            Unknown(_) => None,
        }
    }
    pub fn is_known(&self) -> bool {
        matches!(self, Known(_))
    }
    /// The reason, when unknown.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Known(_) => None,
            Unknown(r) => Some(r),
        }
    }
}

impl<T: Default> Default for Val<T> {
    fn default() -> Self {
        Known(T::default())
    }
}

impl Val<bool> {
    /// Known and true.
    pub fn is_true(&self) -> bool {
        matches!(self, Known(true))
    }
    /// Known and false.
    pub fn is_false(&self) -> bool {
        matches!(self, Known(false))
    }
}

/// Three-valued logic over `Val<bool>`: `all` is false as soon as one is known
/// false, unknown if any is unknown and none is false, else true.
pub fn all3(items: impl IntoIterator<Item = Val<bool>>) -> Val<bool> {
    let mut unknown = None;
    for v in items {
        match v {
            Known(false) => return Known(false),
            Known(true) => {}
            Unknown(r) => {
                unknown.get_or_insert(r);
            }
        }
    }
    match unknown {
        Some(r) => Unknown(r),
        None => Known(true),
    }
}

/// `any` in three-valued logic: true as soon as one is known true.
pub fn any3(items: impl IntoIterator<Item = Val<bool>>) -> Val<bool> {
    let mut unknown = None;
    for v in items {
        match v {
            Known(true) => return Known(true),
            Known(false) => {}
            Unknown(r) => {
                unknown.get_or_insert(r);
            }
        }
    }
    match unknown {
        Some(r) => Unknown(r),
        None => Known(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_valued_logic() {
        assert_eq!(
            all3([Known(true), Val::unknown("x"), Known(false)]),
            Known(false)
        );
        assert_eq!(all3([Known(true), Val::unknown("x")]), Val::unknown("x"));
        assert_eq!(all3([Known(true)]), Known(true));
        assert_eq!(any3([Known(false), Val::unknown("y")]), Val::unknown("y"));
        assert_eq!(any3([Val::unknown("y"), Known(true)]), Known(true));
        assert_eq!(any3(Vec::<Val<bool>>::new()), Known(false));
    }
}
