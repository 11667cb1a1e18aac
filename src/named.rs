//! A run's cleaning options from names, as a user writes them on the command line (`--to tw`,
//! `--convert never`, `--disable indentation`): for programs that embed the library and take
//! their options as text, such as the Python binding, so that the names and the messages of
//! their errors are the command line's.

use std::str::FromStr;

use crate::pipeline::{ConvertMode, Options, Target};
use crate::rules::{RuleSet, UnknownRule};

/// A name that is not one of ours, with the message the command line gives for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error(transparent)]
    Rule(#[from] UnknownRule),
    #[error("invalid value '{0}' for '--to': expected one of simplified, traditional, tw, hk")]
    Target(String),
    #[error("invalid value '{0}' for '--convert': expected one of auto, always, never")]
    ConvertMode(String),
}

impl FromStr for Target {
    type Err = NameError;

    /// `simplified`, `traditional`, `tw` or `hk`, as `--to` takes them.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim() {
            "simplified" => Ok(Target::Simplified),
            "traditional" => Ok(Target::Traditional),
            "tw" => Ok(Target::Tw),
            "hk" => Ok(Target::Hk),
            _ => Err(NameError::Target(name.to_string())),
        }
    }
}

impl FromStr for ConvertMode {
    type Err = NameError;

    /// `auto`, `always` or `never`, as `--convert` takes them.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim() {
            "auto" => Ok(ConvertMode::Auto),
            "always" => Ok(ConvertMode::Always),
            "never" => Ok(ConvertMode::Never),
            _ => Err(NameError::ConvertMode(name.to_string())),
        }
    }
}

/// The options `zhclean clean --to TO --convert CONVERT --enable … --disable … [--blank-line]`
/// runs with: the default rules, with `enable` turned on and then `disable` turned off.
pub fn options<S: AsRef<str>>(
    to: &str,
    convert: &str,
    enable: &[S],
    disable: &[S],
    blank_line: bool,
) -> Result<Options, NameError> {
    let mut rules = RuleSet::default();
    for (names, on) in [(enable, true), (disable, false)] {
        for name in names {
            rules.set_named(name.as_ref().trim(), on)?;
        }
    }
    Ok(Options {
        rules,
        target: to.parse()?,
        convert: convert.parse()?,
        blank_line,
        conversion: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn names_as_the_command_line_takes_them() {
        let named = options(
            "tw",
            "never",
            &["pinyin-annotation"],
            &["indentation"],
            true,
        )
        .expect("known names");
        assert_eq!(named.target, Target::Tw);
        assert_eq!(named.convert, ConvertMode::Never);
        assert!(named.blank_line);
        assert!(!named.rules.is_on(Rule::Indentation));
        assert!(named.rules.is_on(Rule::PinyinAnnotation));
        // Rules not named keep their defaults.
        assert!(named.rules.is_on(Rule::Bookmark));
        let defaults = options::<&str>("simplified", "auto", &[], &[], false).expect("defaults");
        assert_eq!(defaults.rules, RuleSet::default());
        assert_eq!(defaults.target, Target::default());
    }

    #[test]
    fn unknown_names_say_what_is_expected() {
        let rule = options("simplified", "auto", &["no-such-rule"], &[], false);
        assert_eq!(
            rule.unwrap_err().to_string(),
            "unknown rule 'no-such-rule' (run `zhclean rules` to list them)"
        );
        let target = options::<&str>("klingon", "auto", &[], &[], false).unwrap_err();
        assert!(target.to_string().contains("'klingon' for '--to'"));
        let mode = options::<&str>("hk", "sometimes", &[], &[], false).unwrap_err();
        assert!(mode.to_string().contains("'sometimes' for '--convert'"));
        // Disabling after enabling: the last word wins, as on the command line.
        let both = options("simplified", "auto", &["nfc"], &["nfc"], false).expect("known");
        assert!(!both.rules.is_on(Rule::Nfc));
    }
}
